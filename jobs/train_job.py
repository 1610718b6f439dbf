"""The Ray job that trains many handles: what `murmur train --address ...` submits.

    python jobs/train_job.py --job-id ID --store URI [--tweets DIR] [--base-model NAME]
        [--force] [--refresh] [--no-wandb] [--train-config JSON] -- HANDLE...

It runs as the job's driver on the cluster: the fetch/prepare tasks and the training workers it
starts spread over the cluster's nodes. Progress goes to the store (`murmur status ID`).
"""

from __future__ import annotations

import logging
import sys

from murmur.jobs.driver import parse_job_argv, run_job
from murmur.models.store import Store


def main(argv: list[str]) -> int:
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    request, job_id, store_uri = parse_job_argv(argv)
    outcome = run_job(request, Store(store_uri), job_id=job_id)
    print(f"job {outcome.job_id}: {outcome.status}")
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
