"""Evaluations as records in the store, and a bot's own row of one.

    <store>/evals/<id>.json            an evaluation (fidelity.Evaluation.to_json): the bots,
                                       accounts, settings and figures
    <store>/evals/latest/<bot>.json    {"id", "created"}: the bot's latest evaluation, written
                                       after the record itself, so it never names a missing one

A margin depends on the set of bots judged together, so an evaluation is a record of its own, not
a field of each model's manifest. The card and the page show a bot's latest one (`bot_row`).
"""

from __future__ import annotations

from typing import Any

from murmur.core.errors import StoreError
from murmur.core.handles import validate_model_name
from murmur.core.store import Store


def save_evaluation(store: Store, record: dict[str, Any]) -> str:
    """Write an evaluation record (fidelity.Evaluation.to_json()), then each of its bots'
    pointers to it; returns the record's path."""
    path = store.path("evals", f"{record['id']}.json")
    store.write_json(path, record)
    pointer = {"id": record["id"], "created": record["created"]}
    for bot in record["bots"]:
        name = validate_model_name(bot["name"])
        store.write_json(store.path("evals", "latest", f"{name}.json"), pointer)
    return path


def load_evaluation(store: Store, evaluation_id: str) -> dict[str, Any]:
    """An evaluation record by id. Raises StoreError when there is none."""
    path = store.path("evals", f"{evaluation_id}.json")
    try:
        doc: dict[str, Any] = store.read_json(path)
    except FileNotFoundError:
        raise StoreError(
            f"no evaluation {evaluation_id!r} in {store.uri}: `murmur eval NAME...` makes one"
        ) from None
    return doc


def latest_evaluation(store: Store, name: str) -> dict[str, Any] | None:
    """The bot's latest evaluation record, or None when it was never evaluated (or the record
    is gone)."""
    pointer_path = store.path("evals", "latest", f"{validate_model_name(name)}.json")
    try:
        pointer = store.read_json(pointer_path)
        return load_evaluation(store, str(pointer["id"]))
    except (FileNotFoundError, StoreError, KeyError, TypeError):
        return None


def bot_row(evaluation: dict[str, Any], name: str) -> dict[str, Any]:
    """A bot's own figures in an evaluation record: its loss on its own account (nats/byte), its
    account's rank and margin, its attribution accuracy against chance, its copies, the bots it
    was judged with and how. Raises KeyError when the bot is not in it."""
    rank = next(r for r in evaluation["ranks"] if r["account"] == name)
    attribution = evaluation["attribution"]
    return {
        "evaluation": evaluation["id"],
        "created": evaluation["created"],
        "bots": [b["name"] for b in evaluation["bots"]],
        "own_loss": evaluation["loss"][name][name],
        "rank": rank["rank"],
        "margin": rank["margin"],
        "best_other": rank["best_other"],
        "accuracy": attribution["accuracy"].get(name),
        "chance": attribution["chance"],
        "copies": attribution["copies"].get(name, 0.0),
        "posts": evaluation["settings"]["posts"],
        "seed": evaluation["settings"]["seed"],
    }


def evaluation_section(store: Store, name: str) -> str:
    """A markdown section with the bot's row of its latest evaluation and how it was measured,
    to append to its card (`murmur card`, the page); "" when it was never evaluated."""
    evaluation = latest_evaluation(store, name)
    if evaluation is None:
        return ""
    try:
        row = bot_row(evaluation, name)
    except (KeyError, StopIteration):
        return ""
    accuracy = "-" if row["accuracy"] is None else f"{row['accuracy']:.0%}"
    others = ", ".join(b for b in row["bots"] if b != name)
    return (
        "\n\n## Fidelity (murmur eval)\n\n"
        "| loss on own posts | rank among bots | margin to best other | attribution | copies |\n"
        "|---|---|---|---|---|\n"
        f"| {row['own_loss']:.3f} nats/byte | {row['rank']} of {len(row['bots'])} | "
        f"{row['margin']:+.3f} ({row['best_other']}) | {accuracy} (chance {row['chance']:.0%}) | "
        f"{row['copies']:.0%} |\n\n"
        f"Judged with {others} on {evaluation['created']} (evaluation {row['evaluation']}): "
        "loss in nats per byte on each account's held-out validation posts; attribution of "
        f"{row['posts']} posts generated with huggingtweets' sampling (seed {row['seed']}) by a "
        "character n-gram classifier trained on the accounts' training posts, copies of "
        "training posts left out.\n"
    )
