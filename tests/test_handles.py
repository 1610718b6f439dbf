from __future__ import annotations

import pytest

from murmur.data.handles import (
    model_name,
    normalize_handle,
    parse_model_spec,
    parse_model_specs_each,
    validate_model_name,
)
from murmur.errors import HandleError


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
