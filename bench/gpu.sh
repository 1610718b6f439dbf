#!/usr/bin/env bash
# Every GPU check and GPU figure of murmur in one command, for a machine lent for a few minutes:
# at most 8 minutes on one H100 or H200, the install included. Each step has its own time limit
# (bench/gpu_run.py); one that fails or runs out of time is recorded and the next one runs.
#
#   bench/gpu.sh [--out FILE]                  on a CUDA machine with torch and transformers
#   bench/gpu.sh --cpu-dry-run [--out FILE]    the same steps at tiny sizes on the CPU (CI, <3 min)
#   bench/gpu.sh --prepare                     here, where pip reaches PyPI: fills .whl/ (below)
#
# What it needs on the GPU machine (Python 3.12 with torch and transformers, no ray, deepspeed or
# wandb, no model hub): the folder .whl/ in the repository root, made by `bench/gpu.sh --prepare`
# (../shared/tools/gpu-wheelhouse's wheels, ~56 MiB, plus .whl/murmur-cache/, the offline tiny
# base, so that it is not rebuilt there in ~70 s). With the device tool: carry [".whl"], command
# `bash bench/gpu.sh`; $OUT gets gpu.json and logs/. murmur itself runs from platform/ (no
# install); ray and deepspeed go to /tmp/murmur-site.
#
# Steps: install; base (a GPT-2 of 124M's shape with the offline tokenizer); tests (pytest -m gpu
# tests/test_gpu.py); train (bench/train_many.py: 8 accounts the size of huggingtweets', 1 and 4
# trainers per GPU, each 3 times round-robin, bf16, torch's AdamW, models deleted once measured); huggingtweets (its own way
# on 3 of those accounts, a fresh process each); serve_full (bench/serve_load.py: 12 LoRA bots
# trained on the base, the endpoint against a server holding every bot) and serve_lora (the same
# bots: the endpoint, the engine in-process, a pipeline per request, the matched decode loop).
#
# Prints one table; writes bench/results/gpu-<date>.json (dry run: gpu-dry-run-<date>.json), keys:
#   date              UTC, ISO 8601
#   machine           {host, cpu, cores, python, memory_gib, torch, threads, gpu} (result_files)
#   commit            git describe of the checkout (+dirty when it differs)
#   command           how it ran: bash bench/gpu.sh [--cpu-dry-run]
#   load_average      {start, end}: the host's 1/5/15-minute load averages
#   mode              "gpu" or "cpu-dry-run"
#   device            the CUDA device's name, or "CPU (N cores)"
#   versions          {python, torch, transformers, ray, deepspeed, peft}
#   seconds           {install, base, tests, train, huggingtweets, serve_full, serve_lora, total}
#   tests             {passed, failed, skipped, errors} of the gpu tests
#   train             one row per setup, medians of 3 repeats: {setup, wandb, trainers,
#                     threads_per_trainer, gpus_per_trainer, accounts, repeats, wall_s,
#                     accounts_per_hour, steady_accounts_per_hour, accounts_per_gpu_hour,
#                     tokens_per_s_per_trainer, val_loss_before, val_loss_after, published_dtype,
#                     seconds_per_model, spread: {wall_s, accounts_per_hour,
#                     steady_accounts_per_hour}: {median, min, max, n, runs}, load_average_at_start}
#   huggingtweets_way one row per account: {account, process_s, imports_s, load_s, tokenize_s,
#                     train_s, save_s, steps, tokens, block, train_loss, tokens_per_s}
#   serve             {full, lora}: {murmur, pipeline: {requests, req_per_s, tokens_per_s, p50_s,
#                     p99_s}, ratio_tokens_per_s, rows (every way serve_load ran, medians)}
#   failures          [{step, error}]: steps that failed or ran out of time (none: [])
set -euo pipefail
cd "$(dirname "$0")/.."
mode=gpu out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu-dry-run) mode=cpu-dry-run ;;
    --prepare) mode=prepare ;;
    --out) out=${2:?--out needs a file}; shift ;;
    *) echo "error: unknown option $1: use --cpu-dry-run, --prepare or --out FILE" >&2; exit 1 ;;
  esac
  shift
done
py=${PYTHON:-$([ -x .venv/bin/python ] && echo .venv/bin/python || echo python3)}

if [ "$mode" = prepare ]; then
  grep -qx '/.whl/' .git/info/exclude 2>/dev/null || echo '/.whl/' >>.git/info/exclude
  bash ../shared/tools/gpu-wheelhouse .whl
  tiny=$(PYTHONPATH=platform "$py" -c 'from murmur.models.base import ensure_tiny_model as e; print(e())' | tail -1)
  mkdir -p .whl/murmur-cache/base && cp -r "$tiny" .whl/murmur-cache/base/
  du -sh .whl
  exit 0
fi

install_s=0
if [ "$mode" = gpu ]; then
  "$py" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' || {
    echo "error: torch sees no CUDA device here: run bench/gpu.sh --cpu-dry-run instead" >&2
    exit 1
  }
  ls .whl/*.whl >/dev/null 2>&1 || {
    echo "error: no wheels in .whl/: run bench/gpu.sh --prepare where pip reaches PyPI, then" \
      "bring .whl/ along (device tool: carry [\".whl\"])" >&2
    exit 1
  }
  t0=$(date +%s)
  "$py" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/murmur-site .whl/*.whl
  export PYTHONPATH=/tmp/murmur-site${PYTHONPATH:+:$PYTHONPATH} PATH=/tmp/murmur-site/bin:$PATH
  if [ -d .whl/murmur-cache ]; then  # a writable copy: the base's build lock lives beside it
    mkdir -p /tmp/murmur-cache && cp -r .whl/murmur-cache/. /tmp/murmur-cache/
    export MURMUR_CACHE=/tmp/murmur-cache
  fi
  install_s=$(($(date +%s) - t0))
fi

day=$(date -u +%Y-%m-%d)
[ -n "$out" ] || out=bench/results/gpu-$([ "$mode" = gpu ] || echo dry-run-)$day.json
logs=()
[ -n "${OUT:-}" ] && logs=(--logs "$OUT/logs")
flag=()
[ "$mode" = cpu-dry-run ] && flag=(--cpu-dry-run)
status=0
"$py" bench/gpu_run.py --out "$out" --install-s "$install_s" "${flag[@]}" "${logs[@]}" || status=$?
[ -n "${OUT:-}" ] && [ -f "$out" ] && cp "$out" "$OUT/gpu.json"
exit $status
