from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from murmur.core.errors import HandleError
from murmur.core.handles import (
    MODEL_NAME_RE,
    handles_of_model_name,
    is_hashed_model_name,
    model_name,
    network_of,
    normalize_handle,
    parse_model_spec,
    parse_model_specs_each,
    validate_model_name,
)


@pytest.mark.parametrize(
    ("raw", "handle"),
    [
        ("@Jack", "jack"),
        ("jack", "jack"),
        ("A_1", "a_1"),
        ("x" * 15, "x" * 15),
        (" @Name ", "name"),
    ],
)
def test_normalize_handle(raw: str, handle: str) -> None:
    assert normalize_handle(raw) == handle


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("../x", "letters, digits"),
        ("a b", "letters, digits"),
        ("x" * 16, "at most 15"),
        ("", "empty"),
        ("@", "empty"),
        ("ünï", "letters, digits"),
        ("a/b", "letters, digits"),
        ("a-b", "letters, digits"),
    ],
)
def test_invalid_handles_say_why(raw: str, why: str) -> None:
    with pytest.raises(HandleError, match=why):
        normalize_handle(raw)


def test_combined_models_are_named_sorted() -> None:
    spec = parse_model_spec("@Zed+alpha+Mid")
    assert spec.handles == ("alpha", "mid", "zed") and spec.name == "alpha-mid-zed"
    assert spec.combined
    assert model_name(["B", "a"]) == "a-b"
    with pytest.raises(HandleError, match="at most 3"):
        parse_model_spec("a+b+c+d")


def test_duplicates_dropped_and_errors_collected() -> None:
    specs, refused = parse_model_specs_each(["a", "@A", "b+a", "a+b"])
    assert [s.name for s in specs] == ["a", "a-b"] and refused == []
    _, refused = parse_model_specs_each(["ok", "../x", "a b"])
    assert [raw for raw, _ in refused] == ["../x", "a b"]
    assert all(reason for _, reason in refused)
    ok, refused = parse_model_specs_each(["ok", "../x", "ok"])
    assert [s.name for s in ok] == ["ok"] and [r for r, _ in refused] == ["../x"]


@pytest.mark.parametrize("name", ["a", "a-b", "a_1-b-c"])
def test_valid_model_names(name: str) -> None:
    assert validate_model_name(name) == name


@pytest.mark.parametrize("name", ["", "..", "../etc", "a/b", "A", "a-b-c-d", "a--b", "%2e%2e"])
def test_invalid_model_names(name: str) -> None:
    with pytest.raises(HandleError):
        validate_model_name(name)


@pytest.mark.parametrize(
    ("raw", "handle", "network"),
    [
        ("@Alice", "alice", "x"),
        ("Alice.Bsky.Social", "alice.bsky.social", "bluesky"),
        ("@alice.example.com", "alice.example.com", "bluesky"),
        ("@alice@Mastodon.Social", "alice@mastodon.social", "mastodon"),
        ("bob_1@my-instance.example", "bob_1@my-instance.example", "mastodon"),
    ],
)
def test_a_handle_names_its_network(raw: str, handle: str, network: str) -> None:
    assert normalize_handle(raw) == handle and network_of(handle) == network


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("a..b.social", "not a domain name"),
        ("-a.bsky.social", "not a domain name"),
        ("alice.123", "not a domain name"),
        ("alice.bsky.social/../x", "give the handle, not the URL"),  # a path under a domain
        ("@a@b@c.social", "not a domain name"),
        ("@a.b@c.social", "user name"),
        ("@@c.social", "user name"),
        ("a@localhost", "not a domain name"),
        ("x" * 250 + ".social", "at most 253"),
    ],
)
def test_invalid_network_handles_say_why(raw: str, why: str) -> None:
    with pytest.raises(HandleError, match=why):
        normalize_handle(raw)


@pytest.mark.parametrize(
    ("spec", "name"),
    [
        ("alice+bob", "alice-bob"),  # X-only names are unchanged
        ("alice+carol.bsky.social", "alice-carol.bsky.social"),
        ("My-Name.bsky.social", "my_name.bsky.social"),
        ("@bob@mastodon.social+carol.bsky.social", "bob._mastodon.social-carol.bsky.social"),
        ("@bob_@x-y.social", "bob_._x_y.social"),
    ],
)
def test_model_names_follow_the_rule_and_reverse(spec: str, name: str) -> None:
    parsed = parse_model_spec(spec)
    assert parsed.name == name and validate_model_name(name) == name
    assert handles_of_model_name(name) == parsed.handles


def test_long_names_are_cut_with_a_hash() -> None:
    spec = parse_model_spec("a" * 15 + "+" + "b" * 60 + ".bsky.social+@c@" + "d" * 50 + ".social")
    name = spec.name
    assert len(name) == 96 and is_hashed_model_name(name) and validate_model_name(name) == name
    assert name != parse_model_spec("a" * 15 + "+" + "b" * 60 + ".bsky.social").name
    with pytest.raises(HandleError, match="manifest"):
        handles_of_model_name(name)


@pytest.mark.parametrize("name", ["a.-b", "a-.b", "alice.bsky.social.", "bob@m.social", "b_.c"])
def test_names_no_rule_gives_are_refused(name: str) -> None:
    with pytest.raises(HandleError):
        validate_model_name(name)


_X = st.from_regex(r"[a-z0-9_]{1,15}", fullmatch=True)
_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
_DOMAIN = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(_LABEL, min_size=1, max_size=3),
    st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True),
)
_HANDLE = st.one_of(
    _X,
    _DOMAIN,
    st.builds(lambda u, d: f"{u}@{d}", st.from_regex(r"[a-z0-9_]{1,30}", fullmatch=True), _DOMAIN),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_HANDLE, min_size=1, max_size=3, unique=True))
def test_every_name_is_safe_and_reversible(handles: list[str]) -> None:
    name = model_name(handles)
    assert validate_model_name(name) == name and len(name) <= 96
    assert (
        MODEL_NAME_RE.fullmatch(name) and "--" not in name and ".." not in name and "@" not in name
    )
    if not is_hashed_model_name(name):
        assert handles_of_model_name(name) == tuple(sorted(handles))
