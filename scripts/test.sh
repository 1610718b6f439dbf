#!/usr/bin/env bash
# Run murmur's test suite (unit tests, Ray tests on one shared local cluster, the browser test).
set -euo pipefail
cd "$(dirname "$0")/.."
. .venv/bin/activate
export DS_ACCELERATOR=${DS_ACCELERATOR:-cpu} WANDB_MODE=${WANDB_MODE:-disabled}
export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false RAY_USAGE_STATS_ENABLED=0
exec python -m pytest --timeout=900 "$@"
