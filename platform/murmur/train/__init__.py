"""Fine-tuning many models in one Ray Train + DeepSpeed run: a job's run starts one worker group
whose ranks form N trainers; each trainer loads the base model once and takes the next model
from the run's queue whenever it finishes one, so N models train at a time.

    config.py       TrainConfig (a recipe, and how the cluster runs it), the card's hyperparameters
    records.py      TrainResult (a model's outcome) and TrainProgress (its status on the way)
    runfiles.py     the run's files in the store (inputs, results)
    training_run.py TrainingRun / train_models: the run, one TorchTrainer.fit(), progress followed
    model_queue.py  the run's queue and control plane: models to take, each one's progress, stop
    worker.py       worker_loop: join a model group, load once, take models until the queue is done
    collectives.py  model groups of K ranks; broadcast and all-gather within one
    context.py      what a rank keeps for every model; a model's clock
    per_model.py    one model on every rank of its group: attempt, seed, engine, steps, verdict
    publishing.py   a trainer's background thread: publish, then record the result
    engine.py       the base model loaded once, a fresh module and DeepSpeed engine per model
    lora.py         `--method lora`: a fresh PEFT adapter per model over the one frozen base
    loop.py         tokenize, pack blocks, plan and run the steps, evaluate
    model_tracker.py  a trainer's W&B thread: one W&B run per model (W&B's settings: core/tracking.py)

Importing this package imports neither torch, Ray nor DeepSpeed: the run and the worker import
them when they start.
"""

from murmur.train.config import RECIPES, TrainConfig, hyperparameters
from murmur.train.records import ProgressFn, TrainProgress, TrainResult
from murmur.train.runfiles import RunFiles
from murmur.train.training_run import TrainingRun, train_models

__all__ = [
    "RECIPES",
    "ProgressFn",
    "RunFiles",
    "TrainConfig",
    "TrainProgress",
    "TrainResult",
    "TrainingRun",
    "hyperparameters",
    "train_models",
]
