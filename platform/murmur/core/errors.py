"""The errors murmur raises. Every message says what was wrong, the value, and the fix.

MurmurError
├── HandleError            an invalid handle or model spec (before any I/O)
├── ConfigError            an invalid option or configuration value
├── SourceError            tweets could not be read for a handle
│   ├── AccountNotFoundError    missing, suspended or protected account / no local file
│   ├── AuthError               the X API refused the token
│   ├── UsageCapError           the X API's monthly usage cap is spent
│   ├── RateLimitError          still rate-limited after the bounded waits
│   ├── NetworkError            the network failed (no answer, timeout, server error)
│   ├── OptedOutError           the account opted out (label, bio tag, setting or denylist)
│   └── ArchiveError            a malformed archive, saved feed or JSON lines file
├── DataError              too little usable data for a handle
├── TrainingError          fine-tuning failed
├── StoreError             the store could not be read or written
│   └── ModelNotFoundError      no published model of that name
├── HubError               a model could not be pushed to the Hugging Face Hub
└── ServingError           the endpoint could not answer
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any


class MurmurError(Exception):
    """Base class: a failure murmur can explain to its user."""


class HandleError(MurmurError, ValueError):
    """An invalid handle or model spec."""


class ConfigError(MurmurError, ValueError):
    """An invalid configuration value."""


class SourceError(MurmurError):
    """Tweets could not be read for a handle."""


class AccountNotFoundError(SourceError):
    """The account does not exist, is suspended or protected, or has no local file."""


class AuthError(SourceError):
    """The X API refused the credentials."""


class UsageCapError(SourceError):
    """The X API's monthly usage cap of the app's project is spent: no read can succeed."""


class RateLimitError(SourceError):
    """Still rate-limited after the bounded waits; the message gives X's reset time (UTC)."""


class NetworkError(SourceError):
    """The network failed: no connection, a timeout, or a server error after retries."""


class OptedOutError(SourceError):
    """The account opted out of bots: a label, a `#nobot`/`#noai` bio tag, a setting or
    murmur's denylist (`murmur optout`)."""


class ArchiveError(SourceError):
    """A malformed archive export or JSON lines file."""


class DataError(MurmurError):
    """Too little usable data for a handle."""


class TrainingError(MurmurError):
    """Fine-tuning failed."""


class HubError(MurmurError):
    """A model could not be published to the Hugging Face Hub (token, rights, name, base)."""


class StoreError(MurmurError):
    """The store could not be read or written."""


class ModelNotFoundError(StoreError, KeyError):
    """No published model of that name."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else "model not found"


class ServingError(MurmurError):
    """The endpoint could not answer."""


def first_line(e: BaseException) -> str:
    """An error's message cut to its first line (its type's name when empty): a one-line reason.
    A first line that ends in ":" is a heading (Ray Train's "Training failed due to worker
    errors:", then each rank's traceback): the message's last line, the innermost error of a
    traceback, follows it."""
    lines = [line.strip() for line in str(e).splitlines() if line.strip()]
    if not lines:
        return type(e).__name__
    if lines[0].endswith(":") and len(lines) > 1:
        return f"{lines[0]} {lines[-1]}"
    return lines[0]


def shown(value: Any) -> str:
    """A value as a user typed it: `0.002` and `1` rather than `1.0`, quotes around text."""
    return format(value, "g") if isinstance(value, float) else repr(value)


def dotted(loc: Sequence[str | int]) -> str:
    """A validation error's location as one name: `("prompt", 0)` -> `prompt.0`."""
    return ".".join(str(part) for part in loc)


def validation_line(
    errors: Sequence[Mapping[str, Any]],
    *,
    first: bool = False,
    name: Callable[[Sequence[str | int]], str] = dotted,
    show_input: bool = False,
    rules: Mapping[str, str] | None = None,
) -> str:
    """Pydantic's validation errors (`ValidationError.errors()`, FastAPI's
    `RequestValidationError.errors()`) as one line: each `where: what`, joined by `; `.

    `where` is `name(loc)` (default: the dotted location, `prompt.0`; a CLI passes its flag; an
    error without a place, a model validator's own sentence, gets `name(())`, and stands alone
    where that is ""), followed by the rejected value where `show_input` (`--lr 'abc': ...`).
    `what` is pydantic's message less its "Value error, " prefix; or, given `rules` (error type ->
    words such as "must be at least {ge}", filled from the error's context), our words after
    the value without a colon (`--max-replicas 0 must be at least 1`), pydantic's "Input should
    be X" then reading "must be X" too. `first`: only the first error (one thing to fix at a
    time); else every one. The house rule: every user mistake ends in one line.
    """
    parts = []
    for err in errors[:1] if first else errors:
        loc = tuple(err.get("loc", ()))
        where = name(loc)
        if where and loc and show_input and "input" in err:
            where = f"{where} {shown(err['input'])}"
        what, sep = _what(err, rules)
        sep = sep if loc else ": "  # a label such as "invalid settings", not a value
        parts.append(f"{where}{sep}{what}" if where else what)
    return "; ".join(parts)


def _what(err: Mapping[str, Any], rules: Mapping[str, str] | None) -> tuple[str, str]:
    """What is wrong, and what joins it to its place: ": " before a sentence, " " before our
    words, which continue the value (see `validation_line`)."""
    msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    if rules is None:
        return msg, ": "
    rule = rules.get(str(err.get("type", "")), "")
    what = rule.format(**{k: shown(v) for k, v in err.get("ctx", {}).items()}) or msg
    should = "Input should be "
    if what.startswith(should):
        what = f"must be {what[len(should) :]}"
    return what, ": " if what[:1].isupper() else " "  # pydantic's own sentence, else our words
