#!/usr/bin/env bash
# Run murmur's test suite (unit tests, Ray tests on one shared local cluster, the browser test),
# then the cluster tests.
# The browser test drives Debian's Chromium: where it is missing, this installs it as .ci/run does
# when it can (apt-get, as root); else pytest ends by naming the skipped tests and the command.
set -euo pipefail
cd "$(dirname "$0")/.."
. .venv/bin/activate
export DS_ACCELERATOR=${DS_ACCELERATOR:-cpu} WANDB_MODE=${WANDB_MODE:-disabled}
export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false RAY_USAGE_STATS_ENABLED=0
export PYTHONUNBUFFERED=1  # pytest's progress reaches a CI log as it happens, not at the end
if [ -z "${MURMUR_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 \
  && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing Debian's chromium for the browser test (apt-get) ..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null) \
    || echo "warning: could not install chromium; the browser tests will be skipped" >&2
fi
# The cluster tests (a 2-node Ray and an S3 server, tests/test_cluster.py) run in a pytest process
# of their own, after the main suite: a process joins one Ray only.
python -m pytest --timeout=900 --durations=25 -m "not cluster" "$@"
if [ "$#" -eq 0 ]; then
  python -m pytest --timeout=900 -m cluster tests/test_cluster.py
fi
