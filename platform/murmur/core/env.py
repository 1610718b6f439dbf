"""Boolean environment variables, read the one way the Hugging Face libraries read them.

transformers (`utils.import_utils.ENV_VARS_TRUE_VALUES`) and huggingface_hub (`constants._is_true`)
take "1", "ON", "YES" and "TRUE", in any case, as true: `WANDB_DISABLED=yes` turns W&B off there,
so it must here too (transformers' `is_wandb_available`; axolotl#168 is the report of a reader that
did not). Every boolean variable murmur reads goes through `env_flag`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

# https://github.com/huggingface/transformers/blob/main/src/transformers/utils/import_utils.py
TRUE_VALUES = frozenset({"1", "ON", "YES", "TRUE"})


def is_true(value: str | None) -> bool:
    """Whether a variable's value means true: "1", "on", "yes", "true" in any case, blanks
    around them ignored; anything else (unset, "", "0", "no", "maybe") is false."""
    return value is not None and value.strip().upper() in TRUE_VALUES


def env_flag(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the environment variable `name` is set to a true value (`is_true`); `environ`
    defaults to this process's environment."""
    return is_true((os.environ if environ is None else environ).get(name))
