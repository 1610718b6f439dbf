"""A request's validation errors (completions, chat) as one plain line: `field: what is allowed
(got X)` for each wrong field, joined by `; `, with no pydantic type names or union members.

Pydantic reports a value that fits no member of a union once per member, each under its own
location (`stop.constrained-str: Input should be a valid string; stop.list[constrained-str]:
List should have at most 4 items`); here the members' names leave the location, and of one
field's errors the one about the member that matches the value's shape is kept (a list's length
rather than "not a string"). Where no member matches, the field says what it takes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from murmur.core.errors import shown, validation_line

# What each pydantic error type allows, filled from the error's ctx (pydantic's error types:
# docs.pydantic.dev/latest/errors/validation_errors/).
ALLOWED = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "missing": "required",
    "extra_forbidden": "not an argument of this API: leave it out",
    "literal_error": "one of {expected}",
    "string_too_short": "at least {min_length} {characters}",
    "string_too_long": "at most {max_length} {characters}",
    "too_short": "at least {min_length} {items}",
    "too_long": "at most {max_length} {items}",
    "greater_than_equal": "at least {ge}",
    "less_than_equal": "at most {le}",
    "greater_than": "more than {gt}",
    "less_than": "less than {lt}",
    "prompt_shape": "a string, a list of strings, a list of token ids or a list of token-id lists",
}
# Errors that say only that the value has another shape: a union's other members report these.
SHAPE_ERRORS = {k for k, v in ALLOWED.items() if v.startswith(("a ", "an ", "true"))}
LENGTH_ERRORS = {"string_too_short", "string_too_long", "too_short", "too_long"}
# What a union field takes, where its value fits none of its members.
UNION_ALLOWED = {"stop": "a string or a list of up to 4 strings", "content": "a string or a list"}
# What a list field holds, for "at most 4 sequences".
ITEMS = {"stop": "sequences", "prompt": "prompts", "messages": "messages"}
PROMPT_TAGS = ("text", "texts", "token_ids", "token_id_lists")  # schema.Prompt's members
PLACES = ("body", "query", "path", "header")  # FastAPI's first step of a location
TYPE_NAMES = {"str", "int", "float", "bool", "list", "dict", "none"}


def request_error_line(errors: Sequence[Mapping[str, Any]]) -> str:
    """FastAPI's or pydantic's errors (`.errors()`) of a request model as one line of
    `field: what is allowed (got X)`; a model validator's own sentence stands as it is."""
    found = [(_loc(e), e) for e in errors]
    paths = [_field(loc) for loc, _ in found]
    # A union member that only says "not my shape" gives way to another's deeper error.
    kept = [
        (path, loc, err)
        for path, (loc, err) in zip(paths, found, strict=True)
        if not (
            err.get("type") in SHAPE_ERRORS
            and path
            and any(other.startswith(path + ".") for other in paths)
        )
    ]
    groups: dict[str, list[tuple[tuple[str | int, ...], Mapping[str, Any]]]] = {}
    for path, loc, err in kept:
        groups.setdefault(path, []).append((loc, err))
    return "; ".join(_group_line(field, group) for field, group in groups.items())


def _loc(err: Mapping[str, Any]) -> tuple[str | int, ...]:
    """The error's location less FastAPI's `body` (or query, path, header) in front."""
    loc = tuple(err.get("loc", ()))
    return loc[1:] if loc and loc[0] in PLACES else loc


def _is_member(loc: tuple[str | int, ...], i: int) -> bool:
    """Whether loc[i] names a union's member (not a field or an index)."""
    part = loc[i]
    if isinstance(part, int):
        return False
    if part in TYPE_NAMES or not part.isidentifier():
        return True
    return i > 0 and loc[i - 1] == "prompt" and part in PROMPT_TAGS


def _field(loc: tuple[str | int, ...]) -> str:
    """The location without union members: `prompt.texts.3` -> `prompt.3`."""
    return ".".join(str(p) for i, p in enumerate(loc) if not _is_member(loc, i))


def _group_line(field: str, found: list[tuple[tuple[str | int, ...], Mapping[str, Any]]]) -> str:
    """One field's line: its errors about the value's own shape, or what its union takes."""
    if not field:  # a model validator's sentence, or the body itself
        return "; ".join(_whole_body(err) for _, err in found)
    fitting = [(loc, err) for loc, err in found if err.get("type") not in SHAPE_ERRORS]
    if fitting:
        loc, err = fitting[0]
        return f"{field}: {_allowed(loc, err)}{_got(err)}"
    loc, err = found[0]
    base = field.rsplit(".", 1)[-1]
    if len(found) > 1:
        words = UNION_ALLOWED.get(base) or " or ".join(
            dict.fromkeys(_allowed(loc, e) for loc, e in found)
        )
        return f"{field}: {words}{_got(err)}"
    return f"{field}: {_allowed(loc, err)}{_got(err)}"


def _whole_body(err: Mapping[str, Any]) -> str:
    kind = str(err.get("type", ""))
    if kind in ALLOWED:
        return f"the request body: {_allowed((), err)}{_got(err)}"
    return _sentence(err)


def _sentence(err: Mapping[str, Any]) -> str:
    """Pydantic's own sentence of the error (a model validator's words), read in core.errors."""
    return validation_line([err], name=lambda _: "")


def _allowed(loc: tuple[str | int, ...], err: Mapping[str, Any]) -> str:
    kind = str(err.get("type", ""))
    rule = ALLOWED.get(kind)
    if rule is None:  # a type this module does not word: pydantic's sentence, lower-cased
        msg = _sentence(err)
        return msg[:1].lower() + msg[1:]
    ctx = dict(err.get("ctx", {}))
    count = ctx.get("min_length", ctx.get("max_length"))
    ctx["characters"] = "character" if count == 1 else "characters"
    ctx["items"] = _items(loc, count)
    return rule.format(**{k: v if isinstance(v, str) else shown(v) for k, v in ctx.items()})


def _items(loc: tuple[str | int, ...], count: Any) -> str:
    """What a list holds: token ids inside a prompt of ids, else the field's own word."""
    names = [p for p in loc if isinstance(p, str)]
    tail = loc[loc.index("token_id_lists") + 1 :] if "token_id_lists" in loc else ()
    if "token_ids" in names or tail:
        word = "token ids"
    else:
        word = ITEMS.get(names[0] if names else "", "items")
    return word.removesuffix("s") if count == 1 and word.endswith("s") else word


def _got(err: Mapping[str, Any]) -> str:
    """` (got X)`: a length for a length error, else the value as sent, cut to 40 characters."""
    if "input" not in err or err.get("type") == "missing":
        return ""
    value = err["input"]
    if err.get("type") in LENGTH_ERRORS and hasattr(value, "__len__"):
        return f" (got {len(value)})"
    text = shown(value)
    return f" (got {text if len(text) <= 40 else text[:37] + '...'})"
