"""Fine-tuning many models in one Ray Train + DeepSpeed run: the driver starts one worker group,
each worker loads the base model once and trains the models one after another.

    config.py     TrainConfig (huggingtweets' recipe by default), the card's hyperparameters
    records.py    TrainResult (a model's outcome) and TrainProgress (its status on the way)
    runfiles.py   the run's files in the store (inputs, status, results, stop request)
    driver.py     train_models: one TorchTrainer.fit(), progress polled from the store
    worker.py     worker_loop: the models in turn, resuming from checkpoints, stop requests
    per_model.py  one model on every rank: attempt, seed, engine, steps, verdict, publishing
    engine.py     the base model loaded once, a fresh module and DeepSpeed engine per model
    loop.py       tokenize, pack blocks, plan and run the steps, evaluate
    tracking.py   one W&B run per model
    collectives.py  broadcast and all-gather across the worker group's ranks

Importing this package imports neither torch, Ray nor DeepSpeed: the driver and the worker import
them when they run.
"""

from murmur.train.config import TrainConfig, hyperparameters
from murmur.train.driver import train_models
from murmur.train.records import ProgressFn, TrainProgress, TrainResult
from murmur.train.runfiles import RunFiles

__all__ = [
    "ProgressFn",
    "RunFiles",
    "TrainConfig",
    "TrainProgress",
    "TrainResult",
    "hyperparameters",
    "train_models",
]
