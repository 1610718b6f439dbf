#!/usr/bin/env bash
# Set up murmur in ./.venv: torch (a CPU build unless MURMUR_TORCH says otherwise), then the project
# with its dev, W&B and eval extras. Safe to run again; a second run installs nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip >/dev/null
# A bare `torch` requirement pulls a multi-GB CUDA build; pin the CPU build first (on GPU nodes set
# MURMUR_TORCH to the build you want, e.g. "torch==2.13.0" from the CUDA index).
python -c "import torch" 2>/dev/null || python -m pip install -q "${MURMUR_TORCH:-torch==2.13.0}"
python -m pip install -q -e ".[dev,wandb,eval]"
echo "murmur is set up in .venv ($(python -c 'import murmur, torch; print("murmur", murmur.__version__, "torch", torch.__version__)'))"
