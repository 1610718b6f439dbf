"""`murmur push NAME... --hub-org ORG`: publish store models to the Hugging Face Hub.

`murmur train --hub-org ORG` pushes the models its job newly published, the same way (HubPush).
The push runs in this process, with this shell's token (HF_TOKEN or `hf auth login`), also after
a job submitted to a cluster: the token never travels with a job (murmur.models.hub).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import typer
from rich.console import Console
from rich.markup import escape

from murmur.cli.main import STORE_HELP, app, make_console, open_store
from murmur.core.states import ModelState
from murmur.core.store import Store
from murmur.jobs.state import AccountRecord

HUB_ORG_HELP = "Publish to the Hugging Face Hub as ORG/<model name> (token: HF_TOKEN or login)."
HUB_PRIVATE_HELP = "With --hub-org: make the Hub repos private."


def push_and_report(
    store: Store,
    names: list[str],
    org: str,
    *,
    private: bool,
    force: bool = False,
    console: Console | None = None,
) -> bool:
    """Push `names` and print one line per model (pushed, with its URL, or failed, with why);
    True when every model went up. Raises HubError for a bad org or no token."""
    from murmur.models.hub import push_models

    console = console or make_console()
    outcomes = push_models(store, names, org, private=private, force=force)
    for o in outcomes:
        if o.ok:
            verb = "created" if o.created else "updated"
            console.print(
                f"[green]pushed[/] {o.model}: {escape(str(o.url))} ({verb})", soft_wrap=True
            )
        else:
            line = f"{o.model} → {o.repo_id}: {escape(str(o.error))}"
            console.print(f"[red]failed[/] {line}", soft_wrap=True)
    return all(o.ok for o in outcomes)


@dataclass(frozen=True)
class HubPush:
    """`murmur train --hub-org ORG [--hub-private]`: where a job's new models go afterwards."""

    store: Store
    org: str
    private: bool

    def push_published(self, records: Sequence[AccountRecord], *, err: bool) -> bool:
        """Push the models the job newly published (not those it skipped as already there),
        printing on stderr when `err` (stdout holds `--json`'s document); True if all went up."""
        names = [r.model for r in records if r.state == ModelState.PUBLISHED]
        if not names:
            return True
        console = Console(stderr=True) if err else make_console()
        return push_and_report(self.store, names, self.org, private=self.private, console=console)


def hub_target(store: Store, org: str | None, private: bool, *, detached: bool) -> HubPush | None:
    """`murmur train`'s --hub-org, checked before any download or training: a bad org name or no
    token is a HubError in one line; a job submitted without --wait (`detached`) cannot push, as
    the push runs here, with this shell's token. None without --hub-org."""
    from murmur.models.hub import check_org, hub_token

    if org is None:
        if private:
            raise typer.BadParameter("--hub-private needs --hub-org ORG")
        return None
    if detached:
        raise typer.BadParameter(
            "--hub-org with --address needs --wait: the push runs here, with your token, when "
            "the job ends (or run `murmur push NAME... --hub-org ORG` after it)"
        )
    check_org(org)
    hub_token()
    return HubPush(store, org, private)


@app.command()
def push(
    names: list[str] = typer.Argument(..., help="Model names, as `murmur models` lists them."),
    hub_org: str = typer.Option(..., "--hub-org", metavar="ORG", help=HUB_ORG_HELP),
    hub_private: bool = typer.Option(False, "--hub-private", help=HUB_PRIVATE_HELP),
    force: bool = typer.Option(
        False, "--force", help="Replace the files of an existing Hub repo murmur did not make."
    ),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Publish models to the Hugging Face Hub (a repo per model, its card naming the Hub id)."""
    st = open_store(store, must_exist=True)
    if not push_and_report(st, names, hub_org, private=hub_private, force=force):
        raise typer.Exit(code=1)
