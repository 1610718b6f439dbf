"""Time as murmur writes it: one stamp format for every record, and one version id per publish.

A stamp is ISO 8601 in UTC ending in `Z`, to the microsecond (`2026-11-30T09:32:56.707000Z`):
it sorts as text in time order, and `datetime.fromisoformat` reads it back (Python >= 3.11).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

STAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_COMPACT = "%Y%m%dT%H%M%SZ"


def _moment(seconds: float | None) -> datetime:
    if seconds is None:
        return datetime.now(timezone.utc)
    return datetime.fromtimestamp(seconds, timezone.utc)


def utc_stamp(seconds: float | None = None) -> str:
    """A time (seconds since the epoch; default now) as ISO 8601 UTC ending in `Z`, to the
    microsecond: `2026-11-30T09:32:56.707000Z`."""
    return _moment(seconds).strftime(STAMP_FORMAT)


def parse_stamp(stamp: str) -> float:
    """A stamp (`utc_stamp`'s, or one to the second such as `2026-11-30T09:32:56Z`) as seconds
    since the epoch. Raises ValueError for text that is not ISO 8601."""
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:  # murmur writes UTC only
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def compact_stamp(seconds: float | None = None) -> str:
    """A time (default now) in UTC as `20261130T093256Z`: for names that must sort by time and
    hold no `:` (version folders, ids)."""
    return _moment(seconds).strftime(_COMPACT)


def new_stamped_id() -> str:
    """A new id for a record made now, `20261130T093256Z-1a2b3c4d`: its UTC time to the second and
    8 random hex digits, so ids sort by time and need no coordination (32 random bits)."""
    return f"{compact_stamp()}-{uuid.uuid4().hex[:8]}"


def new_version_id() -> str:
    """A published model's version, a `new_stamped_id`: the manifest's `version` and the store's
    version of one publish are this one id."""
    return new_stamped_id()
