"""The card's "Refresh" and "Versions" sections: how a refreshed version was made from the one
before it (`murmur refresh`), and every version the store kept when it was published, with when
each one's posts were read and its figures (ModelManifest.summary and `history`)."""

from __future__ import annotations

import html
from typing import Any

from murmur.core.manifest import ModelManifest


def _loss(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _cell(text: str) -> str:
    return html.escape(text).replace("|", "&#124;")


def refresh_section(m: ModelManifest) -> str:
    """What the refresh read and trained on, and its losses before and after on both scored
    sets; "" for a version no refresh made."""
    r = m.refresh
    if r is None:
        return ""
    how = (
        "from the base model on every post"
        if r.mode == "from_base"
        else f"from version {r.from_version}, on its new posts and {r.train_old:,} of its "
        "old training posts drawn by its seed, so that it does not forget them"
    )
    lines = [
        "## Refresh",
        "",
        f"This version was trained {_cell(how)}.",
        "",
        "| Handle | New posts | Deleted posts | Deletions | Requests |",
        "| --- | --- | --- | --- | --- |",
    ]
    for h, n in r.new_posts.items():
        lines.append(
            f"| @{_cell(h)} | {n:,} | {r.deleted_posts.get(h, 0):,} | "
            f"{_cell(r.deletions.get(h, '-'))} | {r.reads.get(h, 0):,} |"
        )
    lines += [
        "",
        "| Validation loss | Before | After |",
        "| --- | --- | --- |",
        f"| New posts held back ({r.validation_new:,}) | {_loss(r.val_loss_new_before)} | "
        f"{_loss(r.val_loss_new_after)} |",
        f"| Version {_cell(r.from_version)}'s validation posts ({r.validation_old:,}) | "
        f"{_loss(r.val_loss_old_before)} | {_loss(r.val_loss_old_after)} |",
    ]
    return "\n".join(lines)


def versions_section(m: ModelManifest) -> str:
    """A table of this version and the versions kept before it, newest first: when each was
    published, when its posts were read, its kept posts, its new posts and its losses."""
    rows: list[dict[str, Any]] = [
        m.summary(),
        *(v for v in m.history if v.get("version") != m.version),
    ]
    lines = [
        "## Versions",
        "",
        "| Version | Published | Posts read | Posts kept | New posts | Val loss | "
        "Val loss, new / old posts |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for v in rows:
        read = ", ".join(f"@{h} {t}" for h, t in v.get("posts_read_at", {}).items()) or "-"
        kept = ", ".join(f"@{h} {n:,}" for h, n in v.get("tweets_kept", {}).items()) or "-"
        new = ", ".join(f"@{h} {n:,}" for h, n in v.get("new_posts", {}).items()) or "-"
        pair = f"{_loss(v.get('val_loss_new_after'))} / {_loss(v.get('val_loss_old_after'))}"
        lines.append(
            f"| {_cell(str(v.get('version') or '-'))} | {_cell(str(v.get('published') or '-'))} "
            f"| {_cell(read)} | {_cell(kept)} | {_cell(new)} | {_loss(v.get('val_loss_after'))} "
            f"| {pair} |"
        )
    return "\n".join(lines)
