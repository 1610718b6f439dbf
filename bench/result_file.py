"""What every bench result file records beside its figures: the machine, the commit, where the
file goes (bench/results/<bench>-<UTC date>.json)."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def machine(load_start: tuple[float, ...]) -> dict[str, Any]:
    """The CPU's model, cores, load averages (start, end) and library versions."""
    import torch
    import transformers

    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_start": list(load_start),
        "load_end": list(os.getloadavg()),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
    }


def git(*args: str) -> str:
    """What `git *args` prints, run at the repository's root ("" where git fails)."""
    done = subprocess.run(
        ["git", *args], cwd=HERE.parent, capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def write_json(doc: dict[str, Any], bench: str, out: str | None = None) -> Path:
    """`doc` to `out`, else bench/results/<bench>-<UTC date>.json; the path written."""
    path = Path(
        out or HERE / "results" / f"{bench}-{time.strftime('%Y-%m-%d', time.gmtime())}.json"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return path
