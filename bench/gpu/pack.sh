#!/usr/bin/env bash
# Make the folder that the device call carries (with main's tracked files, 64 MiB at most): DIR/repo.tar.xz (this
# commit's core/, bench/, tests/, pyproject.toml, the dev splits and SST-2 dev), DIR/minilm-fp16 (the bundled encoder
# in fp16: its fp32 weights alone are 88 MB) and DIR/whl (captum, sqlalchemy: missing from the device's image).
# Usage, from the project root: bash bench/gpu/pack.sh DIR   (DIR: /work/main/.gpu, ignored there by
# .git/info/exclude; the run tool carries it with carry [".gpu"]). It prints the dry-run and device command lines.
set -euo pipefail
DIR=${1:?name the folder to make}
ROOT=$(git rev-parse --show-toplevel)
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
git -C "$ROOT" archive --prefix=repo/ HEAD core bench tests pyproject.toml | tar -x -C "$STAGE"
mkdir -p "$STAGE/repo/build/splits" "$STAGE/shared/data/sst2"
cp -r "$ROOT/build/splits/banking77" "$ROOT/build/splits/fintweets" "$STAGE/repo/build/splits/"
cp "$ROOT/../shared/data/sst2/dev.csv" "$STAGE/shared/data/sst2/"
rm -rf "$DIR" && mkdir -p "$DIR/whl"
tar -cJf "$DIR/repo.tar.xz" -C "$STAGE" repo shared
HF_HUB_OFFLINE=1 "$ROOT/.venv/bin/python" -m bench.gpu.encoder half "$DIR/minilm-fp16"
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation py --platform any \
    -d "$DIR/whl" captum==0.9.0 sqlalchemy==2.1.9
du -sh "$DIR" "$DIR"/*
echo "dry run here: cd $DIR && rm -rf /tmp/w /tmp/site && mkdir -p /tmp/w && tar -xJf repo.tar.xz -C /tmp/w && OUT=\$(mktemp -d) DEVICE=cpu SMOKE=1 LIMIT=1500 PARALLEL=2 PY=$ROOT/.venv/bin/python EXTRA_PYTHONPATH=/tmp/w/repo/bench/gpu/device_image bash /tmp/w/repo/bench/gpu/device.sh"
echo "device: cd .gpu && rm -rf /tmp/w && mkdir -p /tmp/w && tar -xJf repo.tar.xz -C /tmp/w && bash /tmp/w/repo/bench/gpu/device.sh"
