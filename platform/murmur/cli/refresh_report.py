"""What `murmur refresh` prints (the table, or `--json`), and which bots an interrupted refresh of
the same bots already published (so that running the command again skips them).

    already_refreshed(store, bots, options) -> {model: why}
    report(store, records, as_json, named=..., already=...)    the table or JSON; exit status
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import typer
from rich.table import Table

from murmur.cli.main import add_name_column, make_console
from murmur.core.errors import ModelNotFoundError, MurmurError
from murmur.core.manifest import ModelManifest
from murmur.core.states import JobStatus, ModelState
from murmur.core.store import Store
from murmur.jobs import AccountRecord, JobState, list_jobs

RECENT_JOBS = 50  # how far back the last refresh of the same bots is looked for


def already_refreshed(
    st: Store, bots: Sequence[ModelManifest], options: dict[str, Any]
) -> dict[str, str]:
    """model -> why it is skipped, for the bots that the newest refresh job of exactly these bots
    (and these refresh options) published before it was interrupted (cancelled, failed, or its
    driver gone while job.json still says running), as `murmur train` skips published models.
    A bot counts only while its current version is the one that job made from the version it
    started from (a rollback since then refreshes it again). {} when that job succeeded, or
    there is none."""
    wanted = sorted(m.name for m in bots)
    for job in reversed(list_jobs(st, limit=RECENT_JOBS)):
        args = job.get("args") or {}
        if args.get("refresh") is None or sorted(job.get("models") or []) != wanted:
            continue
        if job.get("status") == JobStatus.SUCCEEDED or args["refresh"] != options:
            return {}
        return _published_by(st, str(job["id"]), {m.name: m for m in bots})
    return {}


def _published_by(st: Store, job_id: str, bots: dict[str, ModelManifest]) -> dict[str, str]:
    out = {}
    try:
        records = JobState(st, job_id).read_accounts()
    except (MurmurError, OSError, ValueError):
        return {}
    for rec in records:
        current = bots.get(rec.model)
        started_from = (rec.result.get("refresh") or {}).get("from_version")
        if (
            rec.state == ModelState.PUBLISHED
            and current is not None
            and current.refresh is not None
            and started_from is not None
            and current.refresh.from_version == started_from
        ):
            out[rec.model] = (
                f"already refreshed by job {job_id}, which did not finish: its version "
                f"{current.version} is current"
            )
    return out


def refresh_row(st: Store, record: AccountRecord) -> dict[str, Any]:
    """One bot's outcome as `--json` gives it: its status (published, skipped, taken down,
    failed), the reason, its version now, its figures before and after, the refresh record
    (new and deleted posts, reads) and, once published, its losses before and after."""
    refresh_doc: dict[str, Any] = dict(record.result.get("refresh") or {})
    status = record.state.value
    if record.result.get("taken_down"):
        status = "taken down"
    version = None
    if record.state == ModelState.PUBLISHED:
        try:
            manifest = st.load_manifest(record.model)
            version = manifest.version
            if manifest.refresh is not None:
                refresh_doc = manifest.refresh.to_json()
        except ModelNotFoundError:
            pass
    return {
        "model": record.model,
        "status": status,
        "reason": record.reason if record.state != ModelState.PUBLISHED else None,
        "version": version,
        "stats": record.result.get("stats", []),
        "refresh": refresh_doc,
        "taken_down": record.result.get("taken_down", []),
        "report": record.result.get("report", []),
    }


def already_row(m: ModelManifest, why: str) -> dict[str, Any]:
    """A bot skipped as already refreshed (`already_refreshed`), in refresh_row's shape."""
    return {
        "model": m.name,
        "status": ModelState.SKIPPED.value,
        "reason": why,
        "version": m.version,
        "stats": [s.to_json() for s in m.stats],
        "refresh": m.refresh.to_json() if m.refresh is not None else {},
        "taken_down": [],
        "report": [],
    }


def _loss_pair(r: dict[str, Any], which: str) -> str:
    before, after = r.get(f"val_loss_{which}_before"), r.get(f"val_loss_{which}_after")
    if before is None and after is None:
        return ""
    return f"{before:.3f} → {after:.3f}" if before is not None and after is not None else "-"


def print_table(rows: list[dict[str, Any]]) -> None:
    """The `murmur refresh` table (one row a bot: new and deleted posts, kept before → after,
    the two losses before → after, status and version), then each bot's report lines and why
    it was not published."""
    table = Table(title="murmur refresh")
    add_name_column(table, "model", [r["model"] for r in rows])
    for col in ("new", "deleted", "kept", "loss new posts", "loss old posts", "status"):
        table.add_column(col, justify="left" if col == "status" else "right")
    for r in rows:
        ref = r["refresh"]
        kept = " ".join(f"{s['tweets_kept']:,}" for s in r["stats"])
        before = " ".join(f"{s['tweets_kept']:,}" for s in ref.get("previous_stats", []))
        status = r["status"] + (f" {r['version']}" if r["version"] else "")
        table.add_row(
            r["model"],
            f"{sum(ref.get('new_posts', {}).values()):,}" if ref else "",
            f"{sum(ref.get('deleted_posts', {}).values()):,}" if ref else "",
            f"{before} → {kept}" if before else kept,
            _loss_pair(ref, "new"),
            _loss_pair(ref, "old"),
            status,
        )
    console = make_console()
    console.print(table)
    for r in rows:
        for line in r["report"]:
            console.print(line, soft_wrap=True, markup=False, highlight=False)
        if r["reason"]:
            console.print(
                f"{r['status']} {r['model']}: {r['reason']}", soft_wrap=True, markup=False
            )


def report(
    st: Store,
    records: list[AccountRecord],
    as_json: bool,
    *,
    named: bool,
    already: Sequence[dict[str, Any]] = (),
) -> None:
    """The table (or JSON) of every bot, those skipped as `already` refreshed (or, with --all,
    for their source) first; exit 1 when one failed or was cancelled. Named bots that were all
    read and had nothing new are no failure, as the job's `murmur status` says (succeeded, its
    bots skipped): one line on stderr, `nothing new: NAME: why`, and exit 0."""
    rows = [*already, *(refresh_row(st, r) for r in records)]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        print_table(rows)
    if any(r.state in (ModelState.FAILED, ModelState.CANCELLED) for r in records):
        raise typer.Exit(code=1)
    skipped = [
        r for r in records if r.state == ModelState.SKIPPED and not r.result.get("taken_down")
    ]
    if named and not already and records and len(skipped) == len(records):
        typer.echo(f"nothing new: {skipped[0].model}: {skipped[0].reason}", err=True)
