"""Path cost, measured side by side in one run: executor vs plain HF forward, shorter paths vs full, bf16 vs fp32.

Usage (from the project root): .venv/bin/python -m bench.path_cost [--repeats 30] [--device cpu|cuda]
Each figure is the median of interleaved repeats (the contenders alternate, so machine noise hits both alike).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import torch
from transformers import AutoModel

from core.model import load_model
from core.run import Batch, PathEngine, path_logits

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "sst2" / "dev.csv"


def interleaved(fns: dict[str, Callable[[], object]], repeats: int, device: str) -> dict[str, float]:
    """Median milliseconds of each function, the functions taking turns."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for fn in fns.values():
        fn()  # warm-up
    for _ in range(repeats):
        for name, fn in fns.items():
            if device == "cuda":
                torch.cuda.synchronize()
            start = time.perf_counter()
            fn()
            if device == "cuda":
                torch.cuda.synchronize()
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = parser.parse_args()
    torch.set_grad_enabled(False)
    model = load_model()
    engine = PathEngine(model)
    half_off = ",".join(f"{layer}.{head}" for layer in range(6) for head in range(0, 12, 2))
    specs = {
        "full": engine.parse(f"device={args.device}"),
        "depth=3": engine.parse(f"depth=3; device={args.device}"),
        "half heads off": engine.parse(f"heads_off={half_off}; device={args.device}"),
        "bf16": engine.parse(f"precision=bf16; device={args.device}"),
    }
    reference = AutoModel.from_pretrained(model.model_dir).eval().to(args.device)
    heads = model.variant(args.device, "fp32").exit_heads
    texts = pd.read_csv(DEV)["text"].tolist()
    print(f"device={args.device} torch={torch.__version__} threads={torch.get_num_threads()} repeats={args.repeats}")
    print("| batch | contender | median ms | ratio |")
    print("| --- | --- | --- | --- |")
    for batch_size in (1, 32):
        encoded = model.tokenizer(texts[:batch_size], padding=True, return_tensors="pt").to(args.device)
        batch = Batch(encoded["input_ids"], encoded["attention_mask"])

        def plain_hf(batch: Batch = batch) -> torch.Tensor:
            hidden = reference(input_ids=batch.input_ids, attention_mask=batch.attention_mask).last_hidden_state
            return heads(5, hidden, batch.attention_mask)

        contenders: dict[str, Callable[[], object]] = {"plain HF forward + head": plain_hf}
        for name, spec in specs.items():
            variant = model.variant(spec.device, spec.precision)
            contenders[f"path {name}"] = lambda variant=variant, spec=spec, batch=batch: path_logits(
                variant, batch, spec
            )
        medians = interleaved(contenders, args.repeats, args.device)
        full = medians["path full"]
        rows = [
            ("plain HF forward + head", medians["plain HF forward + head"], "1.00"),
            ("path full", full, f"{full / medians['plain HF forward + head']:.3f}x of plain HF"),
            ("path depth=3", medians["path depth=3"], f"{full / medians['path depth=3']:.2f}x faster than full"),
            (
                "path half heads off",
                medians["path half heads off"],
                f"{full / medians['path half heads off']:.2f}x faster than full",
            ),
            ("path bf16", medians["path bf16"], f"{full / medians['path bf16']:.2f}x faster than fp32"),
        ]
        for name, ms, ratio in rows:
            print(f"| {batch_size} | {name} | {ms:.2f} | {ratio} |")


if __name__ == "__main__":
    main()
