"""A job's id: how murmur makes one, and the one rule every id is checked by.

A job's id names its folder in the store (`jobs/<id>/`), its Ray Train run (`train/<id>/` and
the run's checkpoints) and, submitted to a cluster, its Ray job. So one rule, the strictest of
those places: 1-100 letters, digits, `_`, `-` or `.`, not starting with `.`.
"""

from __future__ import annotations

import re
import secrets

from murmur.core.clock import compact_stamp
from murmur.core.errors import ConfigError, MurmurError

JOB_ID_RE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}")
JOB_ID_RULE = "use 1-100 letters, digits, '_', '-' or '.', not starting with '.'"


def new_job_id() -> str:
    """A new job's id, `train-20261130-093256-1a2b3c`: sortable by creation time (UTC, so the
    newest jobs list last) and unique without coordination (24 random bits)."""
    stamp = compact_stamp()  # 20261130T093256Z
    return f"train-{stamp[:8]}-{stamp[9:15]}-{secrets.token_hex(3)}"


def check_job_id(
    job_id: str, *, error: type[MurmurError] = ConfigError, hint: str = JOB_ID_RULE
) -> str:
    """`job_id` unchanged when it follows the rule (see the module docstring); else raises
    `error` in one line, `invalid job id 'a/b': <hint>`."""
    if not isinstance(job_id, str) or not JOB_ID_RE.fullmatch(job_id):
        raise error(f"invalid job id {job_id!r}: {hint}")
    return job_id
