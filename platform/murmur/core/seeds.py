"""Seeds: the job's default seed and the seed of each model, derived in one place.

A model's seed depends only on the job's seed and the model's name, so its validation split,
epoch shuffles, block order and torch's random state do not depend on the other models in its
job, on their order, or on retries.
"""

from __future__ import annotations

import hashlib

DEFAULT_SEED = 42
"""The job's seed when none is given (huggingtweets' notebooks used 42)."""


def model_seed(job_seed: int, model: str) -> int:
    """The seed of `model` in a job seeded `job_seed`: a 31-bit integer (torch and numpy take it).

    >>> model_seed(42, "alice") == model_seed(42, "alice") != model_seed(42, "bob")
    True
    """
    digest = hashlib.sha256(f"{job_seed}:{model}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFF_FFFF
