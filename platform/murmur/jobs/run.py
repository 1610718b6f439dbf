"""The entry point of a training job on a Ray cluster (what `murmur train --address` submits):

    python -m murmur.jobs.run --request '{"handles": ["alice", "bob"], "job_id": "...",
                                          "store": "s3://bucket/murmur", ...}'
    python -m murmur.jobs.run --request-file s3://bucket/murmur/jobs/ID/request.json

The request is one JSON document (murmur.jobs.request.JobRequest) with its `job_id` and `store`.
It runs as the job's driver: the fetch/prepare tasks and the training workers it starts spread
over the cluster's nodes, and progress goes to the store (`murmur status ID`). Exit status: 0 when
every model is published or skipped, 1 when any failed or the job was cancelled, 2 for a bad
request (one line on stderr, recorded in the store when the job can be named).
"""

from __future__ import annotations

import argparse
import logging
import sys

from murmur.core.errors import ConfigError, MurmurError
from murmur.core.states import JobStatus
from murmur.core.store import Store
from murmur.jobs.driver import run_job
from murmur.jobs.request import JobRequest
from murmur.jobs.state import JobState, close_job

log = logging.getLogger("murmur.jobs.run")  # not __main__ under `python -m`


def read_request(args: argparse.Namespace) -> JobRequest:
    """The request from `--request` (JSON text) or `--request-file` (a path or fsspec URI).
    Raises ConfigError for an unreadable or invalid document."""
    if args.request_file is not None:
        import fsspec

        try:
            with fsspec.open(args.request_file, "r", encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise ConfigError(f"--request-file {args.request_file}: cannot read it ({e})") from e
    else:
        text = args.request
    return JobRequest.from_json(text)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m murmur.jobs.run", description="Run one murmur training job (its driver)."
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--request", help="the job request as one JSON document")
    source.add_argument("--request-file", help="a path or URI (s3://...) holding that document")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the job a request names; returns the exit status (see the module's docstring)."""
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    import murmur

    log.info("murmur %s from %s", murmur.__version__, murmur.__file__)
    request: JobRequest | None = None
    try:
        request = read_request(args)
        if request.job_id is None or request.store is None:
            raise ConfigError(
                "invalid job request: a submitted job's request names its job_id and store "
                "(murmur.jobs.submit.submit_job sets both)"
            )
        outcome = run_job(request, Store(request.store), job_id=request.job_id)
    except MurmurError as e:
        print(f"error: {e}", file=sys.stderr)
        _record_failure(request, str(e))
        return 2
    print(f"job {outcome.job_id}: {outcome.status}")
    return 0 if outcome.ok else 1


def _record_failure(request: JobRequest | None, error: str) -> None:
    """A job that could not start says why in the store, for `murmur status` (when it is known)."""
    if request is None or request.job_id is None or request.store is None:
        return
    try:
        state = JobState(Store(request.store), request.job_id)
        if state.exists():
            close_job(state, JobStatus.FAILED, error)
    except MurmurError as e:
        log.warning("job %s: could not record its failure: %s", request.job_id, e)


if __name__ == "__main__":
    sys.exit(main())
