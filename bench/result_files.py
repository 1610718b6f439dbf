"""Stored benchmark results: every figure the README quotes comes from a file written here.

    doc = result_header()                    # date, machine, commit, command, load average
    doc["rows"] = ...                        # the bench's own figures
    path = write_result("train_many", doc)   # bench/results/train_many-<date>.json
    spread(values)                           # {"median", "min", "max", "n", "runs"}

The machine is shared by several engineers: each result records the load average at its start and
end, and the benches quote medians and ratios measured in the same run rather than single times.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from statistics import median
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages (os.getloadavg)."""
    return [round(x, 2) for x in os.getloadavg()]


def commit() -> str:
    """The checkout's commit, with `+dirty` when tracked files differ from it (git describe)."""
    root = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty=+dirty", "--abbrev=12"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip()


def machine() -> dict[str, Any]:
    """What ran it: host, CPU, logical cores, memory, Python and torch, the GPU when there is one."""
    info: dict[str, Any] = {
        "host": platform.node(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
    }
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        info["memory_gib"] = round(pages * size / 2**30, 1)
    except (ValueError, OSError):
        pass
    try:
        import torch

        info["torch"] = torch.__version__
        info["threads"] = torch.get_num_threads()
        if torch.cuda.is_available():
            info["gpu"] = torch.cuda.get_device_name(0)
    except ImportError:
        pass
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def result_header(argv: list[str] | None = None) -> dict[str, Any]:
    """The fields every result file starts with: UTC date, machine, commit, the command that ran
    it (`argv`, default sys.argv) and the load average at the start."""
    command = ["python", *(argv if argv is not None else sys.argv)]
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "commit": commit(),
        "command": " ".join(command),
        "load_average_start": load_average(),
    }


def write_result(name: str, doc: dict[str, Any], path: str | None = None) -> Path:
    """`doc` (with the load average at the end added) as bench/results/<name>-<date>.json, or at
    `path`; written atomically, so that a run stopped half-way keeps what it wrote last."""
    doc["load_average_end"] = load_average()
    day = str(doc.get("date", ""))[:10] or datetime.now(timezone.utc).strftime("%Y-%m-%d")
    target = Path(path) if path else RESULTS / f"{name}-{day}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    tmp.replace(target)
    return target


def spread(values: list[float]) -> dict[str, Any]:
    """The median, minimum and maximum of repeated measurements, their count and the runs
    themselves. Raises ValueError for no values."""
    if not values:
        raise ValueError("spread of no measurements")
    return {
        "median": median(values),
        "min": min(values),
        "max": max(values),
        "n": len(values),
        "runs": list(values),
    }
