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
    """An error's message cut to its first line (its type's name when empty): a one-line reason."""
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__
