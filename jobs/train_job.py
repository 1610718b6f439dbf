"""The training job's entry point from a checkout: `python jobs/train_job.py --request JSON` is
`python -m murmur.jobs.run --request JSON` (what `murmur train --address` submits)."""

import sys

from murmur.jobs.run import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
