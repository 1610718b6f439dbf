"""The picture of an evaluation: the loss matrix and the attribution confusion matrix, side by side,
drawn with matplotlib's Agg backend (no display needed) to a PNG."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def plot_evaluation(evaluation: dict[str, Any], path: str | Path) -> str:
    """Write `path` (a PNG): left, each bot (rows) on each account's validation posts (columns) in
    nats per byte, the lowest of each column outlined; right, where each bot's generated posts were
    attributed (shares of its posts, copies left out). Returns the path written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    names = [b["name"] for b in evaluation["bots"]]
    loss = np.array([[evaluation["loss"][b][a] for a in names] for b in names])  # (bots, accounts)
    confusion = evaluation["attribution"]["confusion"]
    counts = np.array([[confusion[b][a] for a in names] for b in names], dtype=float)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)  # (bots, accounts)
    size = max(4.0, 0.7 * len(names) + 2.5)
    fig, (left, right) = plt.subplots(1, 2, figsize=(2 * size + 1.5, size), layout="constrained")
    _panel(fig, left, loss, names, "nats/byte", "viridis_r", "{:.3f}")
    for col in range(len(names)):  # outline each account's best bot
        row = int(loss[:, col].argmin())
        left.add_patch(plt.Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, lw=2, ec="red"))
    left.set_title("Loss on each account's validation posts\n(red: lowest in the column)")
    _panel(fig, right, shares, names, "share of the bot's posts", "Blues", "{:.0%}", (0, 1))
    overall = evaluation["attribution"]["overall"]
    chance = evaluation["attribution"]["chance"]
    score = "-" if overall is None else f"{overall:.0%}"
    right.set_title(f"Attribution of generated posts: top-1 {score} (chance {chance:.0%})")
    fig.savefig(path, dpi=110, bbox_inches="tight", pad_inches=0.2)  # titles never clipped
    plt.close(fig)
    return str(path)


def _panel(
    fig: Any,
    ax: Any,
    values: Any,
    names: list[str],
    label: str,
    cmap: str,
    fmt: str,
    limits: tuple[float, float] | None = None,
) -> None:
    """One heatmap: bots down, accounts across, each cell's value written in it."""
    vmin, vmax = limits or (float(values.min()), float(values.max()))
    image = ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax)
    fig.colorbar(image, ax=ax, label=label, shrink=0.8)
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right")
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("account")
    ax.set_ylabel("bot")
    middle = (vmin + vmax) / 2
    for r in range(values.shape[0]):
        for c in range(values.shape[1]):
            dark = values[r, c] > middle  # both maps darken upwards
            ax.text(
                c,
                r,
                fmt.format(values[r, c]),
                ha="center",
                va="center",
                fontsize=8,
                color="white" if dark else "black",
            )
