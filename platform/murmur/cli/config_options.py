"""Command-line options made from a config's fields: one option per field of a pydantic model,
its flag from the model's own rule, its type from the field, its help from the field's docstring.

    @app.command()
    @config_options(TrainConfig, flag=flag, skip=("wandb",))
    def train(handles: list[str] = typer.Argument(None), *, options: dict[str, Any]) -> None:
        config = TrainConfig(**options)

The command receives the options given on the command line as one dict (`options`: field ->
value); one not given is left out, so the model's defaults and rules (a recipe's values, LoRA's
defaults) decide, in one place, and its errors name the flags (`flag`). Declaring each option
again by hand in the command would be a second copy of every default and every help text.
A list field takes repeated options or comma-separated values (`--lora-targets c_attn,c_fc`).
Typer reads the command's signature (https://typer.tiangolo.com/tutorial/options/help/), so the
decorator hands typer a signature holding the command's own parameters and then the fields'.
"""

from __future__ import annotations

import functools
import inspect
import re
import typing
from collections.abc import Callable, Collection
from typing import Any, Literal

import typer
from pydantic import BaseModel
from pydantic.fields import FieldInfo

PANEL = "Training options"


def config_options(
    model: type[BaseModel],
    *,
    flag: Callable[[str], str],
    skip: Collection[str] = (),
    into: str = "options",
    panel: str = PANEL,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator adding one typer option per field of `model` (but `skip`) to a command, shown
    under `panel` in --help; the command gets the given ones as the dict parameter `into`.
    Raises TypeError at import where a field's name is also one of the command's parameters, or
    its type has no command-line form (see `_option_type`)."""
    fields = {name: f for name, f in model.model_fields.items() if name not in skip}
    defaults = model()

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        own = [p for p in inspect.signature(command).parameters.values() if p.name != into]
        clash = sorted(set(fields) & {p.name for p in own})
        if clash:
            raise TypeError(f"{command.__name__}: parameters {clash} are also fields of {model}")
        hints = typing.get_type_hints(command)
        extra = [
            _parameter(name, f, getattr(defaults, name), flag, panel) for name, f in fields.items()
        ]

        @functools.wraps(command)
        def wrapper(**kwargs: Any) -> Any:
            given = {name: kwargs.pop(name) for name in fields}
            options = {name: _value(v) for name, v in given.items() if v is not None}
            return command(**kwargs, **{into: options})

        wrapper.__signature__ = inspect.Signature([*own, *extra])  # type: ignore[attr-defined]
        wrapper.__annotations__ = {
            **{p.name: hints.get(p.name, p.annotation) for p in own},
            **{p.name: p.annotation for p in extra},
        }
        return wrapper

    return decorate


def _parameter(
    name: str, field: FieldInfo, default: Any, flag: Callable[[str], str], panel: str
) -> inspect.Parameter:
    """The keyword parameter typer turns into the field's option; None when not given."""
    kind, metavar = _option_type(field.annotation)
    names = flag(name)
    if kind == bool | None:  # `--x/--no-x`, as typer declares a bool option by default
        names = f"{names}/--no-{names.removeprefix('--')}"
    option = typer.Option(
        None, names, help=_help(field, default), metavar=metavar, rich_help_panel=panel
    )
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=option, annotation=kind)


def _option_type(annotation: Any) -> tuple[Any, str | None]:
    """The type typer parses a field's option as, and its metavar: str, int, float and bool as
    they are; a Literal as text naming its choices (the model checks it, naming the flag);
    list[str] as a repeatable option. Raises TypeError for any other type."""
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return str | None, "[" + "|".join(str(a) for a in typing.get_args(annotation)) + "]"
    if origin is list and typing.get_args(annotation) == (str,):
        return list[str] | None, "TEXT,..."
    if annotation in (str, int, float, bool):
        return annotation | None, None
    raise TypeError(f"no command-line option for a field of type {annotation!r}")


def _help(field: FieldInfo, default: Any) -> str:
    """The first sentence of the field's docstring (the rest stays in the model's reference),
    then its default where that sentence does not say it ("the recipe's unless given")."""
    text = " ".join((field.description or "").split())
    first = re.split(r"(?<=[^.\s]{2}\.) (?=[A-Z`])", text, maxsplit=1)[0]  # not after "e.g."
    if "recipe's" in first or isinstance(default, bool):
        return first
    shown = ",".join(default) if isinstance(default, list) else default
    return f"{first} (default: {shown if shown != '' else 'none'})"


def _value(value: Any) -> Any:
    """A given option as the model takes it: a list's comma-separated items split."""
    if isinstance(value, list):
        return [item for arg in value for item in str(arg).split(",") if item]
    return value
