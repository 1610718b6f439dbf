"""Bounded retries with exponential backoff for store writes (an object store drops a request now
and then; a full disk or a refused permission never heals, so those are raised at once).

The policy is urllib3's `Retry` (https://urllib3.readthedocs.io/en/stable/reference/urllib3.util.html):
a first wait of `backoff_s`, doubled each try up to `max_backoff_s`, at most `attempts` tries, so a
call gives up after a known time (defaults: 4 tries, 0.5 + 1 + 2 = 3.5 s of waits).
"""

from __future__ import annotations

import errno
import logging
import time
from collections.abc import Callable
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = 4
BACKOFF_S = 0.5
MAX_BACKOFF_S = 8.0
# OSErrors that another try cannot fix: the path, the permission or the space is wrong.
_PERMANENT = (errno.ENOENT, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EROFS, errno.EISDIR)


def is_transient(error: BaseException) -> bool:
    """True for an error worth another try: a dropped connection, a timeout, a server's 5xx
    (s3fs and fsspec raise these as OSError); False for a missing file, a permission, no space."""
    if isinstance(error, (FileNotFoundError, PermissionError, IsADirectoryError)):
        return False
    if isinstance(error, OSError):
        return error.errno not in _PERMANENT
    return isinstance(error, (TimeoutError, ConnectionError))


def with_retries(
    call: Callable[[], T],
    what: str,
    attempts: int = ATTEMPTS,
    backoff_s: float = BACKOFF_S,
    max_backoff_s: float = MAX_BACKOFF_S,
) -> T:
    """`call()`, tried up to `attempts` times while it raises a transient error (`is_transient`),
    sleeping `backoff_s`, 2×, 4×… (at most `max_backoff_s`) between tries. Re-raises the last
    error; `what` names the write in the log lines ("put s3://b/models/x/config.json")."""
    wait = backoff_s
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except Exception as e:
            if attempt == attempts or not is_transient(e):
                raise
            log.warning(
                "%s failed (%s): try %d of %d in %.1f s", what, e, attempt + 1, attempts, wait
            )
            time.sleep(wait)
            wait = min(wait * 2, max_backoff_s)
    raise AssertionError("unreachable: the last attempt returns or raises")
