"""bench/gpu.sh's steps, once its wheels are installed: each step a child process with a time
limit and a log, every figure into one JSON document, one table printed at the end.

    python bench/gpu_run.py --out FILE [--cpu-dry-run]

Steps (GPU sizes; the dry run's are tiny, on the CPU):
    base        bench/gpu_base.py: a base of GPT-2 124M's shape with the offline tokenizer
    tests       pytest -m gpu tests/test_gpu.py (skipped without CUDA)
    train       bench/train_many.py: 8 accounts the size of huggingtweets', 1 and 4 trainers
                per GPU, 3 times each (bf16, torch's AdamW), models deleted once measured; then huggingtweets'
                own way on 3 of them, a fresh process each
    serve_full  bench/serve_load.py: 12 LoRA bots trained on the base, the endpoint against a
                server holding every bot in memory (one request at a time, HF generate)
    serve_lora  the same bots: the endpoint, the engine in-process, a pipeline per request, the
                bare decode loop at the endpoint's rows (the matched limit) and argmax

A step that fails or runs out of time is recorded under `failures` and the next one runs: a lent
GPU's minutes are few, and the other figures are still worth having. Every child process runs with
tweepy and wandb hidden (`no-sdk/sitecustomize.py`): the training and serving paths must import no
source SDK (the GPU machine's image has neither).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
sys.path.insert(0, str(BENCH))
from result_files import load_average, result_header  # noqa: E402

HIDDEN = ("tweepy", "wandb")
NO_SDK = f"""# Written by bench/gpu_run.py: {", ".join(HIDDEN)} look uninstalled, as on the GPU image.
import sys

for name in {HIDDEN!r}:
    sys.modules[name] = None  # import raises ImportError; importlib.util.find_spec gives None
"""


def sizes(dry: bool) -> dict[str, list[str]]:
    """Each step's command-line arguments: GPU sizes, or the dry run's tiny ones."""
    if dry:
        accounts = ["--accounts", "2", "--raw-tweets", "400"]
        once = ["--repeats", "1", "--wandb-modes", "off"]  # the dry run checks the path, no more
        serve = ["--bots", "2", "--clients", "2", "--stream-clients", "1", "--duration", "3"]
        serve += ["--train-steps", "3"]  # bots cut short: the dry run checks the path
        return {
            "base": ["--small"],
            "train": [*accounts, "--setups", "1,2", "--ray-cpus", "4", "--max-steps", "3", *once],
            "huggingtweets": [*accounts, "--huggingtweets-way", "1"],
            "serve": [*serve, "--repeats", "1"],
            "full": ["--ways", "endpoint,resident"],
            "lora": ["--ways", "endpoint,pipeline"],
        }
    repeats = ["--repeats", "3", "--wandb-modes", "off"]  # wandb is not on the GPU image
    # bench/serve_load.py: 12 LoRA bots trained once (the second step reuses them), 64 clients.
    serve = ["--num-gpus", "1", "--bots", "12", "--clients", "64", "--stream-clients", "8"]
    serve += ["--repeats", "1", "--duration", "10"]
    return {
        "base": [],
        # Each setup 3 times (median and range), round-robin: 8 accounts, 1 and 4 trainers.
        "train": ["--accounts", "8", "--gpus", "1", "--setups", "1,4", *repeats],
        "huggingtweets": ["--accounts", "3", "--huggingtweets-way", "3"],
        "serve": serve,
        "full": ["--ways", "endpoint,resident"],  # against a server holding every bot
        "lora": ["--ways", "endpoint,engine,pipeline,limit,argmax"],
    }


# Each step's time limit in seconds, GPU and dry run: the GPU run's expected total is ~7.5 min
# with the install (measured on one H100: ~34 s per account huggingtweets' way, ~2.5 s per
# account in a trainer, ~20 s per worker group); the limits leave room for a slow step.
LIMITS = {
    "base": (90, 60),
    "tests": (130, 60),
    "train": (240, 150),
    "huggingtweets": (120, 60),
    "serve_full": (150, 120),  # trains the bots (12 LoRA on the GPU; 2 in the dry run)
    "serve_lora": (120, 60),
}


def steps(dry: bool, work: Path) -> list[tuple[str, list[str], int]]:
    """(step, command, time limit in seconds), in order."""
    s = sizes(dry)
    py = sys.executable
    base, bot = work / "base", work / "bot"
    train_many = [py, str(BENCH / "train_many.py"), "--base-model", str(base)]
    serve = [py, str(BENCH / "serve_load.py"), *s["serve"]]
    serve_out = {k: ["--base-model", str(base), "--store", str(work / "serve_store"),
                     "--out", str(work / f"serve_{k}.json")] for k in ("full", "lora")}  # fmt: skip
    pytest = [py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "gpu"]
    commands = {
        "base": [py, str(BENCH / "gpu_base.py"), str(base), *s["base"]],
        "tests": [*pytest, "--junitxml", str(work / "tests.xml"), str(REPO / "tests/test_gpu.py")],
        "train": [
            *train_many,
            "--json",
            str(work / "train.json"),
            "--save-model",
            str(bot),
            *s["train"],
        ],
        "huggingtweets": [
            *train_many,
            "--json",
            str(work / "huggingtweets.json"),
            "--setups",
            "",
            "--repeats",
            "1",
            *s["huggingtweets"],
        ],
        "serve_full": [*serve, *serve_out["full"], *s["full"]],
        "serve_lora": [*serve, *serve_out["lora"], *s["lora"]],
    }
    return [(name, command, LIMITS[name][dry]) for name, command in commands.items()]


def run_step(name: str, command: list[str], limit: int, logs: Path, env: dict[str, str]) -> Any:
    """Run one step, its output into logs/<name>.log; (seconds, output, error or None)."""
    print(f"== {name} (at most {limit} s): {' '.join(command[1:3])} ...", flush=True)
    t0 = time.perf_counter()
    log = logs / f"{name}.log"
    with log.open("w") as out:
        try:
            rc = subprocess.run(
                command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO, timeout=limit
            ).returncode
            error = None if rc == 0 else f"exit status {rc}"
        except subprocess.TimeoutExpired:
            error = f"ran out of its {limit} s"
    seconds = time.perf_counter() - t0
    text = log.read_text(errors="replace")
    if error:
        print(f"   {name} FAILED ({error}); the end of its log:\n{text[-2500:]}", flush=True)
    else:
        print(f"   {name}: {seconds:.1f} s", flush=True)
    return seconds, text, error


def test_counts(junit: Path) -> dict[str, int]:
    """Passed, failed, skipped and errors from pytest's JUnit XML."""
    if not junit.exists():
        return {"passed": 0, "failed": 0, "skipped": 0, "errors": 0}
    suite = ET.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite[0]
    counts = {k: int(suite.get(k, 0)) for k in ("tests", "failures", "skipped", "errors")}
    passed = counts["tests"] - counts["failures"] - counts["skipped"] - counts["errors"]
    return {
        "passed": passed,
        "failed": counts["failures"],
        "skipped": counts["skipped"],
        "errors": counts["errors"],
    }


def serve_figures(path: Path) -> dict[str, Any]:
    """bench/serve_load.py's result file as rows (each way's medians over its repeats): the
    endpoint's (`murmur`), the baseline's (`pipeline`: a pipeline per request, else the resident
    server), and the tokens/s ratio; None for a step that wrote no file."""
    if not path.exists():
        return {"murmur": None, "pipeline": None, "ratio_tokens_per_s": None, "rows": {}}
    ways = json.loads(path.read_text())["ways"]
    keys = {"requests": "requests", "req_per_s": "requests_per_s",
            "tokens_per_s": "tokens_per_s", "p50_s": "p50_s", "p99_s": "p99_s"}  # fmt: skip
    rows = {
        way: {k: (f.get(v) or {}).get("median", float("nan")) for k, v in keys.items()}
        for way, f in ways.items()
    }
    murmur, pipeline = rows.get("endpoint"), rows.get("pipeline") or rows.get("resident")
    ratio = murmur["tokens_per_s"] / pipeline["tokens_per_s"] if murmur and pipeline else None
    return {"murmur": murmur, "pipeline": pipeline, "ratio_tokens_per_s": ratio, "rows": rows}


def versions() -> dict[str, str]:
    from importlib import metadata

    out = {"python": platform.python_version()}
    for name in ("torch", "transformers", "ray", "deepspeed", "peft"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "missing"
    return out


def device_name() -> str:
    import torch

    if torch.cuda.is_available():
        return str(torch.cuda.get_device_name(0))
    return f"CPU ({os.cpu_count()} cores)"


def collect(work: Path, outputs: dict[str, str]) -> dict[str, Any]:
    """The figures of every step that got as far as writing them."""

    def read(name: str, key: str) -> list[Any]:
        path = work / f"{name}.json"
        return list(json.loads(path.read_text())[key]) if path.exists() else []

    return {
        "tests": test_counts(work / "tests.xml"),
        "train": read("train", "setups"),
        "huggingtweets_way": read("huggingtweets", "huggingtweets_way"),
        "serve": {
            "full": serve_figures(work / "serve_full.json"),
            "lora": serve_figures(work / "serve_lora.json"),
        },
    }


def table(doc: dict[str, Any]) -> str:
    """The one table bench/gpu.sh prints."""
    s = doc["seconds"]
    lines = [
        f"murmur on {doc['device']} ({doc['mode']}), {doc['date']}: {s['total']:.0f} s in all ("
        + ", ".join(f"{k} {v:.0f}" for k, v in s.items() if k != "total")
        + ")",
        "gpu tests: " + ", ".join(f"{v} {k}" for k, v in doc["tests"].items()),
        "",
        f"{'training, trainers per GPU':<30}{'wall s':>8}{'acc/h':>9}{'acc/GPU-h':>11}"
        f"{'acc/h steady':>14}{'tokens/s/trainer':>18}{'val loss':>10}  weights  acc/h range",
    ]
    for r in doc["train"]:  # medians over the repeats
        per_gpu = r["accounts_per_gpu_hour"]
        e2e = r.get("spread", {}).get("accounts_per_hour", {})
        lines.append(
            f"  {r['trainers']} ({r['accounts']} accounts){'':<12}{r['wall_s']:>8.1f}"
            f"{r['accounts_per_hour']:>9,.0f}{per_gpu or 0:>11,.0f}"
            f"{r['steady_accounts_per_hour']:>14,.0f}{r['tokens_per_s_per_trainer']:>18,.0f}"
            f"{r['val_loss_after']:>10.3f}  {r['published_dtype']}"
            f"  {e2e.get('min', 0):,.0f}-{e2e.get('max', 0):,.0f} (n={e2e.get('n', 0)})"
        )
    lines.append(
        f"{'huggingtweets way, account':<30}{'process s':>10}{'train s':>9}{'tokens/s':>10}"
    )
    for r in doc["huggingtweets_way"]:
        lines.append(
            f"  {r['account']:<28}{r['process_s']:>10.1f}{r['train_s']:>9.1f}"
            f"{r['tokens_per_s']:>10,.0f}   ({3600 / r['process_s']:,.0f} accounts/hour)"
        )
    lines.append(
        f"{'serving, huggingtweets request':<38}{'req/s':>8}{'tokens/s':>10}{'p50 s':>8}"
        f"{'p99 s':>8}{'x pipeline':>12}"
    )
    for kind, fig in doc["serve"].items():
        pipeline = (fig["pipeline"] or {}).get("tokens_per_s") or 0
        for label, row in fig["rows"].items():
            ratio = f"{row['tokens_per_s'] / pipeline:>11.1f}x" if pipeline else f"{'-':>12}"
            lines.append(
                f"  {kind + ': ' + label:<36}{row['req_per_s']:>8.2f}{row['tokens_per_s']:>10,.0f}"
                f"{row['p50_s']:>8.2f}{row['p99_s']:>8.2f}{ratio}"
            )
    failures = doc["failures"]
    lines.append(
        "failures: "
        + ("none" if not failures else "; ".join(f"{f['step']}: {f['error']}" for f in failures))
    )
    return "\n".join(lines)


def child_env(work: Path, dry: bool) -> dict[str, str]:
    """The steps' environment: offline, W&B off, tweepy and wandb hidden, murmur on the path."""
    hide = work / "no-sdk"
    hide.mkdir(parents=True, exist_ok=True)
    (hide / "sitecustomize.py").write_text(NO_SDK)
    env = dict(os.environ)
    paths = [str(hide), str(REPO / "platform"), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    env.update(HF_HUB_OFFLINE="1", WANDB_MODE="disabled", TOKENIZERS_PARALLELISM="false")
    env.update(RAY_USAGE_STATS_ENABLED="0", PYTHONUNBUFFERED="1")
    env["DS_ACCELERATOR"] = "cpu" if dry else "cuda"
    return env


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    p.add_argument("--out", required=True, help="the JSON document's path")
    p.add_argument("--cpu-dry-run", action="store_true", help="tiny sizes, on the CPU")
    p.add_argument("--install-s", type=float, default=0.0, help="bench/gpu.sh's install time")
    p.add_argument("--logs", help="copy each step's log into this folder")
    a = p.parse_args()
    header = result_header()  # date, machine, commit, load average at the start
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="murmur-gpu-"))
    logs = work / "logs"
    logs.mkdir()
    env = child_env(work, a.cpu_dry_run)
    seconds: dict[str, float] = {"install": a.install_s}
    outputs: dict[str, str] = {}
    failures = []
    for name, command, limit in steps(a.cpu_dry_run, work):
        seconds[name], outputs[name], error = run_step(name, command, limit, logs, env)
        if error:
            failures.append({"step": name, "error": error})
    seconds["total"] = time.perf_counter() - started + a.install_s
    doc = {
        "date": header["date"],
        "machine": header["machine"],
        "commit": header["commit"],
        "command": "bash bench/gpu.sh" + (" --cpu-dry-run" if a.cpu_dry_run else ""),
        "load_average": {"start": header["load_average_start"], "end": load_average()},
        "mode": "cpu-dry-run" if a.cpu_dry_run else "gpu",
        "device": device_name(),
        "versions": versions(),
        "seconds": seconds,
        **collect(work, outputs),
        "failures": failures,
    }
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(doc, indent=2))
    if a.logs:
        shutil.copytree(logs, a.logs, dirs_exist_ok=True)
    shutil.rmtree(work, ignore_errors=True)  # the base, the bot and the stores: gigabytes on a GPU
    print()
    print(table(doc))
    print(f"\nwritten: {a.out}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
