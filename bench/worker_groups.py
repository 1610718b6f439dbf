"""What a Ray Train worker group costs to start and stop, for the choice between them: one worker group
for every trainer (a crash restarts only its own) or one group for all (today's).

    python bench/worker_groups.py [--runs 3] [--workers 2]

Each run times, on one local Ray (2 CPUs a rank):
  one group of N ranks          TorchTrainer(num_workers=N).fit() of a loop that returns at once
  N groups of 1 rank at once    N TorchTrainer(num_workers=1).fit() in N threads
  one group of 1 rank           the cost a restart of one trainer pays again

Prints the medians and writes bench/results/worker_groups-<date>.json (bench/result_files.py).
The loop does nothing: the figures are Ray Train's fixed costs (placement group, actors, the
gloo process group, the controller), not training.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from result_files import result_header, spread, write_result


def _noop(config: dict[str, object]) -> None:
    return None


def _fit(workers: int, storage: str, name: str) -> float:
    from ray.train.v2.api.config import RunConfig, ScalingConfig
    from ray.train.v2.torch.torch_trainer import TorchTrainer

    t0 = time.perf_counter()
    TorchTrainer(
        _noop,
        scaling_config=ScalingConfig(num_workers=workers, resources_per_worker={"CPU": 1}),
        run_config=RunConfig(name=name, storage_path=storage),
    ).fit()
    return time.perf_counter() - t0


def _concurrent(workers: int, storage: str, tag: str) -> float:
    t0 = time.perf_counter()
    threads = [
        threading.Thread(target=_fit, args=(1, storage, f"{tag}-{i}")) for i in range(workers)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    import ray

    from murmur.core.ray_init import init_ray

    doc = result_header()
    init_ray(num_cpus=max(2, args.workers))
    storage = tempfile.mkdtemp(prefix="murmur-bench-groups-")
    rows: dict[str, list[float]] = {"one_group_of_n": [], "n_groups_of_1": [], "group_of_1": []}
    for run in range(args.runs):
        rows["one_group_of_n"].append(_fit(args.workers, storage, f"n-{run}"))
        rows["n_groups_of_1"].append(_concurrent(args.workers, storage, f"c-{run}"))
        rows["group_of_1"].append(_fit(1, storage, f"one-{run}"))
    ray.shutdown()
    doc["workers"] = args.workers
    doc["seconds"] = {k: spread(v) for k, v in rows.items()}
    for k, v in doc["seconds"].items():
        print(f"{k:16s} median {v['median']:.1f} s (min {v['min']:.1f}, max {v['max']:.1f})")
    print(f"wrote {write_result('worker_groups', doc)}")


if __name__ == "__main__":
    main()
