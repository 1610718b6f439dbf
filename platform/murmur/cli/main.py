"""The typer app every `murmur` command registers on, and the helpers they share.

Errors end here, in one place (`MurmurGroup`): a MurmurError, a usage error or a missing or
unreadable file prints one line, `error: <what went wrong and what to do>`, on stderr and exits
1 (2 for usage errors, as click does); any other exception prints one line that asks for `-v`.
With `-v` the traceback is shown.

Logging is set up here too, once for every command: murmur's own lines from INFO up; a library's
(httpx's line per request, huggingface_hub's, filelock's, fsspec's...) only from WARNING up,
unless `-v`, which shows everything from DEBUG up (`OwnLinesOnly`).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn, Protocol

import typer
from rich.console import Console
from rich.table import Table
from typer._click import Context  # typer >= 0.29 carries its own click (typer._click)
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup

from murmur.core.errors import MurmurError, StoreError, first_line
from murmur.core.store import Store, default_store_uri

STORE_HELP = "Store URI (local folder, s3://, gs://); default $MURMUR_STORE or ./murmur-store."
# OS errors a user causes at the command line (a path that is missing, a file, unreadable):
# shown as one line like a MurmurError. Others (a full disk, a refused connection...) are not.
USER_OS_ERRORS = (
    FileNotFoundError,
    FileExistsError,
    IsADirectoryError,
    NotADirectoryError,
    PermissionError,
)
VERBOSE_HINT = "run again with -v for the traceback"


def _fail(message: str, code: int) -> NoReturn:
    """Print `error: message` as one line on stderr and exit with `code`."""
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    raise typer.Exit(code)


def confirm(question: str, needs: str, yes: bool) -> None:
    """Go ahead when `yes`; else ask `question` on the terminal (on stderr) and abort on no.
    Without a terminal to ask on, exit 2 in one line: `error: <needs> needs confirmation: pass
    --yes` (`needs`: what would be done, e.g. "deleting baker")."""
    if yes:
        return
    if not sys.stdin.isatty():
        _fail(f"{needs} needs confirmation: pass --yes", 2)
    typer.confirm(question, abort=True, err=True)


def _usage_line(e: UsageError) -> str:
    """A click usage error as one line, ending with where the usage is."""
    where = e.ctx.command_path if e.ctx is not None else "murmur"
    return f"{e.format_message()} (see `{where} --help`)"


VERBOSE_FLAGS = ("-v", "--verbose")


def verbose_first(args: list[str]) -> list[str]:
    """`murmur train alice -v` read as `murmur -v train alice`: -v is the root's option, and
    people put it after the command too (no command has a -v of its own). Arguments after `--`
    are left as they are."""
    end = args.index("--") if "--" in args else len(args)
    head, tail = args[:end], args[end:]
    if not any(a in VERBOSE_FLAGS for a in head[1:]):
        return args
    return ["--verbose", *(a for a in head if a not in VERBOSE_FLAGS), *tail]


class MurmurGroup(TyperGroup):
    """murmur's root command: turns errors into one line on stderr (see the module docstring)."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, verbose_first(args))
        except NoArgsIsHelpError:
            raise
        except UsageError as e:
            _fail(_usage_line(e), e.exit_code)

    def invoke(self, ctx: Context) -> Any:
        verbose = bool(ctx.params.get("verbose"))
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, NoArgsIsHelpError):
            raise
        except UsageError as e:
            if verbose:
                raise
            _fail(_usage_line(e), e.exit_code)
        except ClickException:
            raise
        except BrokenPipeError:  # a reader that stopped early: `murmur ... --help | head`
            _quit_on_broken_pipe()
        except (MurmurError, *USER_OS_ERRORS) as e:
            if verbose:
                raise
            _fail(_os_line(e) if isinstance(e, OSError) else str(e), 1)
        except Exception as e:
            if verbose:
                raise
            known = _s3_line(e)
            _fail(known or f"{type(e).__name__}: {first_line(e)} (unexpected: {VERBOSE_HINT})", 1)


def _quit_on_broken_pipe() -> NoReturn:
    """Exit 1 quietly once stdout's reader is gone: stdout goes to /dev/null, so that Python's
    flush at exit raises no second BrokenPipeError (docs.python.org/3/library/signal.html, "Note
    on SIGPIPE")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(1)


# botocore's errors (s3fs raises them as they are) that a user fixes in the environment.
_S3_HINTS = {
    "NoCredentialsError": "no AWS credentials for the s3:// store: set AWS_ACCESS_KEY_ID and "
    "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), and AWS_ENDPOINT_URL for a server other than AWS",
    "PartialCredentialsError": "incomplete AWS credentials for the s3:// store",
    "EndpointConnectionError": "cannot reach the S3 endpoint: check AWS_ENDPOINT_URL and the "
    "network",
}


def _s3_line(e: Exception) -> str | None:
    """One line for a botocore error with a known fix (its message kept), else None."""
    for cls in type(e).__mro__:
        hint = _S3_HINTS.get(cls.__name__)
        if hint and cls.__module__.startswith("botocore"):
            return f"{hint} ({first_line(e)})"
    return None


def _os_line(e: OSError) -> str:
    """`No such file or directory: 'x'` rather than `[Errno 2] No such file or directory: 'x'`."""
    if e.strerror and e.filename is not None:
        return f"{e.strerror}: {e.filename!r}"
    return str(e)


app = typer.Typer(
    cls=MurmurGroup,
    name="murmur",
    help="Fine-tune GPT-2 on many accounts' tweets on Ray; serve every model behind one endpoint.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


class OwnLinesOnly(logging.Filter):
    """Lets through murmur's own records (logger `murmur` and below) and any record from WARNING
    up: a library's INFO lines (httpx logs every request) stay off the terminal."""

    def filter(self, record: logging.LogRecord) -> bool:
        own = record.name == "murmur" or record.name.startswith("murmur.")
        return own or record.levelno >= logging.WARNING


_OWN_LINES_ONLY = OwnLinesOnly()


class NoAcceleratorGuess(logging.Filter):
    """Drops DeepSpeed's warning that it picked the CPU ("Setting accelerator to CPU. If you have
    GPU ..."), which its import logs in any command that loads a model (export, eval): the
    command's process trains nothing, and trainers say which accelerator they use."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Setting accelerator to CPU")


_NO_ACCELERATOR_GUESS = NoAcceleratorGuess()


def setup_logging(verbose: bool) -> None:
    """The terminal's log lines (module docstring): every record with -v, else murmur's own and
    any library's warnings. Called again (several commands in one process), it follows -v."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    # The terminal's handlers only (basicConfig's plain StreamHandler): a host's own handlers,
    # such as pytest's log capture, keep every record.
    for handler in logging.getLogger().handlers:
        if type(handler) is not logging.StreamHandler:
            continue
        if verbose:
            handler.removeFilter(_OWN_LINES_ONLY)
        elif _OWN_LINES_ONLY not in handler.filters:
            handler.addFilter(_OWN_LINES_ONLY)
    # DeepSpeed's logger has a handler of its own (propagate off) and keeps a logger's filters
    # when it sets its level at import (deepspeed/utils/logging.py).
    deepspeed = logging.getLogger("DeepSpeed")
    if verbose:
        deepspeed.removeFilter(_NO_ACCELERATOR_GUESS)
    elif _NO_ACCELERATOR_GUESS not in deepspeed.filters:
        deepspeed.addFilter(_NO_ACCELERATOR_GUESS)


def _show_version(value: bool) -> None:
    """`murmur --version`: the installed package's version, then exit."""
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"murmur {version('murmur')}")
        except PackageNotFoundError:  # a checkout on PYTHONPATH, not installed
            typer.echo("murmur (not installed: a source checkout)")
        raise typer.Exit()


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug details."),
    show_version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Print murmur's version."
    ),
) -> None:
    """murmur: many tweet bots, one endpoint."""
    setup_logging(verbose)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def open_store(uri: str | None, must_exist: bool = False) -> Store:
    """The store a command's --store names, else $MURMUR_STORE, else ./murmur-store. A command
    that only reads passes `must_exist`: a local store folder that does not exist (a typo) is
    then a StoreError in one line, not a new empty store (new-user trial, 2026-12-07)."""
    uri = uri or default_store_uri()
    local = uri.removeprefix("file://") if "://" not in uri.removeprefix("file://") else None
    if must_exist and local is not None and not os.path.exists(local):
        raise StoreError(
            f"no murmur store at {uri}: check --store (or $MURMUR_STORE), or train into it "
            f"first (murmur train ... --store {uri})"
        )
    return Store(uri)


def make_console() -> Console:
    """A rich console; when output is not a terminal, wide enough that tables are not cut."""
    return Console() if sys.stdout.isatty() else Console(width=200)


class _Noted(Protocol):
    """A model's outcome as a command reports it (PrepareOutcome, AccountRecord)."""

    @property
    def model(self) -> str: ...
    @property
    def error(self) -> str | None: ...
    @property
    def warnings(self) -> list[str]: ...


def print_notes(console: Console, outcomes: Sequence[_Noted]) -> None:
    """Below a command's table: each failure's reason and each warning, one line each."""
    for o in outcomes:
        if o.error:
            console.print(f"[red]failed[/] {o.model}: {o.error}", soft_wrap=True)
        for w in o.warnings:
            console.print(f"[yellow]warning[/] {w}", soft_wrap=True)


def add_name_column(table: Table, header: str, names: Sequence[str]) -> None:
    """A table column for model names or job ids, which users type next: never cut or folded.

    Its minimum width is the longest name, so a narrow terminal folds the other columns first.
    """
    width = max([len(header), *(len(n) for n in names)])
    table.add_column(header, no_wrap=True, min_width=width, overflow="ignore")
