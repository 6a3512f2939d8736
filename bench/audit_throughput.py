"""Audit throughput: `run_audit` vs a plain Hugging Face batched forward, peak memory vs file size, local vs Ray.

Run from the project root: `HF_HUB_OFFLINE=1 .venv/bin/python -m bench.audit_throughput [--rows 20000] [--ray]`.
The input is ../shared/data/sst2/dev.csv repeated to `--rows` rows, written to a temporary folder (never into
the project).
Every figure comes from this one run; ratios are against the plain forward at the full path.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import torch
from transformers import AutoModel

from core.audit import run_audit
from core.model import load_model, mean_pool
from core.run import PathEngine
from core.store import DecisionStore, open_store

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "sst2" / "dev.csv"

_MEMORY_CHILD = """
import json, sys, threading
from core.audit import run_audit
from core.run.engine import PathEngine
from core.model.loading import load_model

def rss_mib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024

engine = PathEngine(load_model())
samples, done = [rss_mib()], threading.Event()
def sample():
    while not done.wait(0.05):
        samples.append(rss_mib())
sampler = threading.Thread(target=sample)
sampler.start()
result = run_audit(engine, sys.argv[1], "depth=1", against=None, out=sys.argv[2], chunk_rows=2048)
done.set()
sampler.join()
print(json.dumps({"rows": result.rows, "after_load_mib": samples[0], "peak_mib": max(samples)}))
"""


def repeated_csv(rows: int, folder: Path, name: str) -> Path:
    dev = pd.read_csv(DEV)
    frame = pd.concat([dev] * (rows // len(dev) + 1), ignore_index=True).iloc[:rows]
    path = folder / name
    frame.to_csv(path, index=False)
    return path


def plain_forward(engine: PathEngine, path: Path, batch_size: int, sort: bool) -> float:
    """Rows/s of reading the CSV, tokenizing, a plain HF forward and the last exit head, writing labels."""
    model = AutoModel.from_pretrained(engine.model.model_dir, local_files_only=True).eval()
    heads = engine.model.base.exit_heads
    assert heads is not None, "the bundled model has exit heads"
    last = engine.model.num_layers - 1
    tokenizer = engine.model.tokenizer
    started = time.perf_counter()
    texts = pd.read_csv(path)["text"].astype(str).tolist()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i])) if sort else list(range(len(texts)))
    labels: list[int] = [0] * len(texts)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            index = order[start : start + batch_size]
            encoded = tokenizer(
                [texts[i] for i in index],
                padding=True,
                truncation=True,
                max_length=engine.model.window,
                return_tensors="pt",
            )
            hidden = model(**encoded).last_hidden_state
            logits = mean_pool(hidden, encoded["attention_mask"]) @ heads.weight[last].T + heads.bias[last]
            for i, label in zip(index, logits.argmax(-1).tolist(), strict=True):
                labels[i] = label
    with tempfile.NamedTemporaryFile(suffix=".csv") as out:
        pd.DataFrame({"label": labels}).to_csv(out.name, index=False)
    return len(texts) / (time.perf_counter() - started)


def audit_rate(
    engine: PathEngine,
    path: Path,
    spec: str,
    against: str | None,
    out: Path,
    backend: str = "local",
    chunk_rows: int = 4096,
    store: DecisionStore | None = None,
) -> float:
    """Rows/s of a whole audit, wall clock (reading, tokenizing, scoring, writing, recording in `store`)."""
    started = time.perf_counter()
    result = run_audit(
        engine, path, spec, against=against, out=out, backend=backend, chunk_rows=chunk_rows, store=store
    )
    return result.rows / (time.perf_counter() - started)


def peak_memory(path: Path, folder: Path) -> dict[str, float]:
    """Peak resident memory (MiB) of a fresh process auditing `path` at depth=1."""
    output = subprocess.run(
        [sys.executable, "-c", _MEMORY_CHILD, str(path), str(folder / f"{path.stem}.mem.csv")],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--ray", action="store_true", help="also time --backend ray on a local Ray instance")
    parser.add_argument("--memory-only", action="store_true", help="only the peak memory of rows/10 and rows")
    args = parser.parse_args()
    torch.manual_seed(0)
    engine = PathEngine(load_model())
    with tempfile.TemporaryDirectory(prefix="pathlens-bench-") as tmp:
        folder = Path(tmp)
        if not args.memory_only:
            throughput(engine, repeated_csv(args.rows, folder, "input.csv"), folder, args)
        print("peak resident memory while a fresh process audits (depth=1, chunks of 2,048 rows)")
        for rows in (args.rows // 10, args.rows):
            small = repeated_csv(rows, folder, f"mem{rows}.csv")
            memory = peak_memory(small, folder)
            size_mib = small.stat().st_size / 2**20
            print(
                f"{rows:>7} rows ({size_mib:5.1f} MiB file): after model load {memory['after_load_mib']:7.1f} MiB, "
                f"peak during the audit {memory['peak_mib']:7.1f} MiB"
            )


def throughput(engine: PathEngine, path: Path, folder: Path, args: argparse.Namespace) -> None:
    """Rows/s of the plain forward and of audits on the same file, printed side by side."""
    rates = {
        "plain HF forward, file order": plain_forward(engine, path, args.batch_size, sort=False),
        "plain HF forward, length-sorted": plain_forward(engine, path, args.batch_size, sort=True),
        "audit full (no comparison)": audit_rate(engine, path, "full", None, folder / "a.csv"),
        "audit depth=3 (no comparison)": audit_rate(engine, path, "depth=3", None, folder / "b.csv"),
        "audit depth=3 vs full (one shared pass)": audit_rate(engine, path, "depth=3", "full", folder / "c.csv"),
        "audit depth=3 vs full, --store SQLite": audit_rate(
            engine, path, "depth=3", "full", folder / "e.csv", store=open_store(folder / "record.sqlite")
        ),
    }
    if args.ray:
        rates["audit full, --engine ray (local, 2 CPUs)"] = audit_rate(
            engine, path, "full", None, folder / "d.parquet", backend="ray", chunk_rows=args.rows
        )
    plain = rates["plain HF forward, file order"]
    print(f"rows: {args.rows}, batch size {args.batch_size}, torch threads {torch.get_num_threads()}")
    print(f"{'run':<44} {'rows/s':>8} {'vs plain':>9}")
    for name, rate in rates.items():
        print(f"{name:<44} {rate:8.1f} {rate / plain:8.2f}x")
    print()


if __name__ == "__main__":
    main()
