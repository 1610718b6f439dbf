"""Handles and model specs: the one place where they are validated.

Handles. A handle names its account and its network (lower-cased; a leading `@` is dropped):

    alice, @Alice              X           [a-z0-9_]{1,15}                 canonical `alice`
    alice.bsky.social          Bluesky     a domain name (atproto handle)  `alice.bsky.social`
    @alice.example.com         Bluesky                                     `alice.example.com`
    @alice@mastodon.social     Mastodon    user@domain, user [a-z0-9_]{1,30}
                                                                           `alice@mastodon.social`

A profile URL stands for its handle: `https://x.com/alice` (also twitter.com, mobile.twitter.com,
www., no scheme, a trailing path or query) -> `alice`; `https://bsky.app/profile/alice.bsky.social`
-> `alice.bsky.social`; a Mastodon profile `https://mastodon.social/@bob` -> `bob@mastodon.social`.
Any other URL (`://`, or a `/` after a dotted host) is refused: give the handle, not the URL.

A domain is 2+ labels of [a-z0-9-] (1-63 characters, no `-` at either end) joined by `.`, at most
253 characters, its last label not starting with a digit (the atproto handle syntax,
atproto.com/specs/handle; Mastodon's local usernames are `[a-z0-9_]+`, at most 30). No canonical
handle holds `/`, `..`, a space or anything else that could leave the store's `raw/` folder.

Model names. A *model spec* is one to three handles (`a+b+c` on the command line); its *model
name* is its handles, sorted, each written as a *token*, joined by `-`:

    X handle        the handle itself                   alice
    Bluesky handle  the domain with `-` written `_`     my-name.bsky.social -> my_name.bsky.social
    Mastodon handle user `._` domain (`-` written `_`)  bob@mastodon.social -> bob._mastodon.social

    alice+bob                              -> alice-bob             (X-only names are unchanged)
    alice+carol.bsky.social                -> alice-carol.bsky.social
    @bob@mastodon.social+carol.bsky.social -> bob._mastodon.social-carol.bsky.social

Why it is reversible: no token holds `-` (the separator), because domains have no `_` and X and
Mastodon users no `-`; a token without `.` is an X handle; in the others the first `.` ends the
Mastodon user (users have no `.`) and is followed by `_` only in a Mastodon token (a domain label
never starts with `-`). `handles_of_model_name` reverses it.

Why it is safe: a name matches `MODEL_NAME_RE` — runs of [a-z0-9_] joined by single `.` or `-` —
so it has no `--` or `..`, no `.` or `-` at either end, no `@` (the serving id `name@version`
splits at the first `@`), and is a valid path segment, URL segment and Hugging Face Hub repo
name. It has at most 96 characters (the Hub's limit): a longer one is cut to 79 characters (then
any `.`/`-` at its end dropped) and ends with `-` and 16 hex digits of the full name's SHA-256;
a 16-character last token marks such a name (X handles have at most 15), whose handles are read
from its manifest.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from murmur.core.errors import HandleError

Network = Literal["x", "bluesky", "mastodon"]
NETWORK_NAMES: dict[Network, str] = {"x": "X", "bluesky": "Bluesky", "mastodon": "Mastodon"}

X_HANDLE_RE = re.compile(r"[a-z0-9_]{1,15}")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
DOMAIN_RE = re.compile(rf"(?:{_LABEL}\.)+[a-z](?:[a-z0-9-]{{0,61}}[a-z0-9])?")
MAX_DOMAIN = 253
MASTODON_USER_RE = re.compile(r"[a-z0-9_]{1,30}")
# Any canonical handle, of any network.
HANDLE_RE = re.compile(
    rf"{X_HANDLE_RE.pattern}|{DOMAIN_RE.pattern}|{MASTODON_USER_RE.pattern}@{DOMAIN_RE.pattern}"
)
MAX_HANDLES_PER_MODEL = 3
MAX_MODEL_NAME = 96  # the Hugging Face Hub's limit on a repo name
HASH_DIGITS = 16
MODEL_NAME_RE = re.compile(r"[a-z0-9_]+(?:[.-][a-z0-9_]+)*")
_HASHED_TAIL_RE = re.compile(rf"-[0-9a-f]{{{HASH_DIGITS}}}")
_MASTODON_MARK = "._"
_X_HOSTS = {"x.com", "twitter.com", "mobile.twitter.com", "mobile.x.com"}
_X_PAGES = {"i", "home", "explore", "search", "settings", "intent", "hashtag", "messages"}


def _url_error(raw: str) -> HandleError:
    return HandleError(
        f"{raw!r} is a URL: give the handle, not the URL (such as 'jack', 'alice.bsky.social' "
        "or '@bob@mastodon.social', or a profile URL of x.com, bsky.app or a Mastodon instance)"
    )


def _handle_of_url(raw: str, text: str) -> str:
    """The handle a profile URL names (module docstring), as typed; HandleError for any other URL."""
    parts = urlsplit(text if "://" in text else f"https://{text}")
    host = (parts.hostname or "").removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if host in _X_HOSTS and segments and segments[0] not in _X_PAGES:
        return segments[0]
    if host == "bsky.app" and len(segments) >= 2 and segments[0] == "profile":
        return segments[1]
    if host and segments and segments[0].startswith("@") and len(segments[0]) > 1:
        user = segments[0][1:]
        return user if "@" in user else f"{user}@{host}"  # a remote account's page names its home
    raise _url_error(raw)


def _domain_error(raw: str, domain: str, what: str) -> HandleError | None:
    """None when `domain` is a domain name, else the HandleError to raise for `raw`."""
    if len(domain) > MAX_DOMAIN:
        return HandleError(f"{what} {raw!r} has {len(domain)} characters: at most {MAX_DOMAIN}")
    if not DOMAIN_RE.fullmatch(domain):
        return HandleError(
            f"{what} {raw!r} is not a domain name: letters, digits and '-' in labels joined by "
            "'.', the last not starting with a digit (such as alice.bsky.social)"
        )
    return None


def normalize_handle(raw: str) -> str:
    """A handle as typed (`@Alice`, `alice.bsky.social`, `@bob@mastodon.social`) -> its canonical
    form (`alice`, `alice.bsky.social`, `bob@mastodon.social`); HandleError saying why not."""
    if not isinstance(raw, str):
        raise HandleError(f"handle must be a string, got {type(raw).__name__}")
    handle = raw.strip().lower()
    if "://" in handle or ("/" in handle and DOMAIN_RE.fullmatch(handle.partition("/")[0])):
        handle = _handle_of_url(raw, handle)
        if "/" in handle or ":" in handle:
            raise _url_error(raw)
    if handle.startswith("@"):
        handle = handle[1:]
    if not handle:
        raise HandleError(
            f"empty handle {raw!r}: give an account such as 'jack' (X), 'alice.bsky.social' "
            "(Bluesky) or '@bob@mastodon.social' (Mastodon)"
        )
    if "@" in handle:
        user, _, domain = handle.partition("@")
        if not MASTODON_USER_RE.fullmatch(user):
            raise HandleError(
                f"Mastodon handle {raw!r}: the user name before '@' has 1-30 letters, digits "
                "or '_' (such as @bob@mastodon.social)"
            )
        if (error := _domain_error(raw, domain, "Mastodon handle")) is not None:
            raise error
        return handle
    if "." in handle:
        if (error := _domain_error(raw, handle, "Bluesky handle")) is not None:
            raise error
        return handle
    if len(handle) > 15:
        raise HandleError(f"handle {raw!r} has {len(handle)} characters: X handles have at most 15")
    if not X_HANDLE_RE.fullmatch(handle):
        bad = sorted({c for c in handle if not re.fullmatch(r"[a-z0-9_]", c)})
        raise HandleError(
            f"handle {raw!r} contains {''.join(bad)!r}: X handles use only letters, digits and '_'"
        )
    return handle


def network_of(handle: str) -> Network:
    """The network a canonical handle names: `x`, `bluesky` or `mastodon` (syntax only)."""
    if "@" in handle:
        return "mastodon"
    return "bluesky" if "." in handle else "x"


def profile_url(handle: str) -> str:
    """The account's public profile: x.com/alice, bsky.app/profile/<handle>, <domain>/@<user>."""
    handle = normalize_handle(handle)
    network = network_of(handle)
    if network == "mastodon":
        user, _, domain = handle.partition("@")
        return f"https://{domain}/@{user}"
    if network == "bluesky":
        return f"https://bsky.app/profile/{handle}"
    return f"https://x.com/{handle}"


@dataclass(frozen=True)
class ModelSpec:
    """One model to build: one handle, or up to three combined."""

    handles: tuple[str, ...]

    @property
    def name(self) -> str:
        return model_name(self.handles)

    @property
    def combined(self) -> bool:
        return len(self.handles) > 1


def handle_token(handle: str) -> str:
    """A canonical handle as it is written in a model name (module docstring)."""
    handle = normalize_handle(handle)
    network = network_of(handle)
    if network == "mastodon":
        user, _, domain = handle.partition("@")
        return f"{user}{_MASTODON_MARK}{domain.replace('-', '_')}"
    return handle.replace("-", "_") if network == "bluesky" else handle


def handle_of_token(token: str) -> str:
    """The canonical handle a model-name token stands for; HandleError if it stands for none."""
    head, dot, rest = token.partition(".")
    if not dot:
        candidate = token
    elif rest.startswith("_"):
        candidate = f"{head}@{rest[1:].replace('_', '-')}"
    else:
        candidate = token.replace("_", "-")
    try:
        handle = normalize_handle(candidate)
    except HandleError:
        handle = ""
    if not handle or handle_token(handle) != token:
        raise HandleError(f"{token!r} stands for no handle in a model name")
    return handle


def model_name(handles: tuple[str, ...] | list[str]) -> str:
    """The model name of some handles: canonical handles, sorted, as tokens joined by `-`; cut
    to 96 characters with a hash suffix when longer (module docstring)."""
    full = "-".join(handle_token(h) for h in sorted({normalize_handle(h) for h in handles}))
    if len(full) <= MAX_MODEL_NAME:
        return full
    digest = hashlib.sha256(full.encode()).hexdigest()[:HASH_DIGITS]
    return f"{full[: MAX_MODEL_NAME - HASH_DIGITS - 1].rstrip('.-')}-{digest}"


def handles_of_model_name(name: str) -> tuple[str, ...]:
    """The canonical handles a model name was made from, in its order.

    Raises HandleError for an invalid name and for a hashed (cut) one, whose handles only its
    manifest records.
    """
    validate_model_name(name)
    if is_hashed_model_name(name):
        raise HandleError(
            f"model name {name!r} was cut and hashed: read its handles from its manifest"
        )
    return tuple(handle_of_token(t) for t in name.split("-"))


def is_hashed_model_name(name: str) -> bool:
    """True for a name cut to 96 characters: its last token is 16 hex digits (no handle's)."""
    tail = name.rsplit("-", 1)
    return len(tail) == 2 and bool(_HASHED_TAIL_RE.fullmatch("-" + tail[1]))


def parse_model_spec(raw: str) -> ModelSpec:
    """`a`, `@A`, `a.bsky.social` or `a+b+@c@m.social` -> ModelSpec; HandleError otherwise."""
    parts = [p for p in raw.split("+")]
    if len(parts) > MAX_HANDLES_PER_MODEL:
        raise HandleError(
            f"{raw!r} combines {len(parts)} handles: a model combines at most {MAX_HANDLES_PER_MODEL}"
        )
    handles = tuple(sorted(dict.fromkeys(normalize_handle(p) for p in parts)))
    return ModelSpec(handles)


def parse_model_specs_each(raws: list[str]) -> tuple[list[ModelSpec], list[tuple[str, str]]]:
    """Parse many specs one by one: (valid specs without duplicates, [(raw, reason)] refused)."""
    specs: dict[str, ModelSpec] = {}
    refused: list[tuple[str, str]] = []
    for raw in raws:
        try:
            spec = parse_model_spec(raw)
        except HandleError as e:
            refused.append((raw, str(e)))
            continue
        specs.setdefault(spec.name, spec)
    return list(specs.values()), refused


def validate_model_name(name: str) -> str:
    """A model name as it appears in a URL or path: refuse anything that is not one.

    Valid: a name `model_name` gives, i.e. 1-3 handle tokens joined by `-`, or a hashed name;
    at most 96 characters of MODEL_NAME_RE. Raises HandleError otherwise.
    """
    if not isinstance(name, str) or len(name) > MAX_MODEL_NAME or not MODEL_NAME_RE.fullmatch(name):
        raise HandleError(
            f"invalid model name {name!r}: a model name is 1-3 handles joined by '-', at most "
            f"{MAX_MODEL_NAME} characters of a-z, 0-9, '_', '.' and '-' (such as 'alice-bob')"
        )
    if is_hashed_model_name(name):
        return name
    tokens = name.split("-")
    if len(tokens) > MAX_HANDLES_PER_MODEL:
        raise HandleError(
            f"invalid model name {name!r}: it joins {len(tokens)} handles, a model has at most "
            f"{MAX_HANDLES_PER_MODEL}"
        )
    for token in tokens:
        try:
            handle_of_token(token)
        except HandleError as e:
            raise HandleError(f"invalid model name {name!r}: {e}") from None
    return name
