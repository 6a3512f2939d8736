"""Executor overhead per architecture family: PathLens's full path vs a plain Hugging Face forward, one run.

For each family a randomly initialised classifier is built from a config (tiny: 2 layers × 64 hidden; small:
4 layers × 256 hidden, 4 heads, feed-forward 1024), saved, and loaded twice: by PathLens (`load_model`, its own
attention function) and by plain transformers (`AutoModelForSequenceClassification`, default sdpa attention;
DeBERTa has only its own). Rounds interleave the two (order alternated) on the same padded batch (8 texts, 16-48
tokens); the figure is the ratio of median wall times (executor / plain).

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.family_overhead [--rounds 60]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import torch
from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer
from transformers.utils import logging as hf_logging

from core.model import bundled_model_dir, load_model
from core.run import Batch, PathEngine, path_logits

SIZES = {"tiny": (2, 64, 4, 128), "small": (4, 256, 4, 1024)}  # layers, hidden, heads, feed-forward
FAMILY_CONFIGS = {
    "bert": {},
    "distilbert": {},
    "modernbert": {"global_attn_every_n_layers": 2, "local_attention": 16},
    "deberta-v2": {"relative_attention": True, "position_buckets": 64, "max_relative_positions": 128,
                   "pos_att_type": ["p2c", "c2p"], "share_att_key": True, "norm_rel_ebd": "layer_norm",
                   "position_biased_input": False},
    "qwen2": {"num_key_value_heads": 2},
    "llama": {"num_key_value_heads": 2},
    "gpt2": {},
}  # fmt: skip
NAMES = {"distilbert": ("n_layers", "dim", "n_heads", "hidden_dim"), "gpt2": ("n_layer", "n_embd", "n_head", "n_inner")}
DEFAULT_NAMES = ("num_hidden_layers", "hidden_size", "num_attention_heads", "intermediate_size")


def build(kind: str, size: str, directory: Path) -> None:
    torch.manual_seed(0)
    names = NAMES.get(kind, DEFAULT_NAMES)
    config = AutoConfig.for_model(
        kind, vocab_size=30522, max_position_embeddings=512, num_labels=2, pad_token_id=0, bos_token_id=101,
        eos_token_id=102, **dict(zip(names, SIZES[size], strict=True)), **FAMILY_CONFIGS[kind],
    )  # fmt: skip
    AutoModelForSequenceClassification.from_config(config).eval().save_pretrained(directory)
    AutoTokenizer.from_pretrained(bundled_model_dir()).save_pretrained(directory)


def batch_of(tokenizer: object) -> Batch:
    torch.manual_seed(1)
    lengths = torch.randint(16, 49, (8,)).tolist()
    ids = torch.zeros(8, max(lengths), dtype=torch.long)
    mask = torch.zeros_like(ids)
    for row, length in enumerate(lengths):
        ids[row, :length] = torch.randint(1000, 30000, (length,))
        mask[row, :length] = 1
    return Batch(ids, mask)


def measure(kind: str, size: str, rounds: int) -> tuple[float, float]:
    """Median ms of (plain HF forward, executor full path)."""
    with tempfile.TemporaryDirectory() as directory:
        build(kind, size, Path(directory))
        model = load_model(directory)
        plain = AutoModelForSequenceClassification.from_pretrained(directory).eval()
    batch, spec = batch_of(model.tokenizer), PathEngine(model).parse("full")
    times: dict[str, list[float]] = {"plain": [], "executor": []}
    runs = {
        "plain": lambda: plain(input_ids=batch.input_ids, attention_mask=batch.attention_mask),
        "executor": lambda: path_logits(model.base, batch, spec),
    }
    with torch.no_grad():
        for round_index in range(rounds + 5):
            order = ["plain", "executor"] if round_index % 2 else ["executor", "plain"]
            for name in order:
                started = time.perf_counter()
                runs[name]()
                if round_index >= 5:  # warm-up rounds are not counted
                    times[name].append((time.perf_counter() - started) * 1000)
    return statistics.median(times["plain"]), statistics.median(times["executor"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    torch.set_num_threads(1)
    hf_logging.disable_progress_bar()
    print(f"{args.rounds} interleaved rounds, 1 thread, batch of 8 texts (16-48 tokens), fp32 CPU\n")
    print("| family | size | plain HF ms | executor ms | executor / plain |")
    print("| --- | --- | --- | --- | --- |")
    for size in SIZES:
        for kind in FAMILY_CONFIGS:
            plain, executor = measure(kind, size, args.rounds)
            print(f"| {kind} | {size} | {plain:.2f} | {executor:.2f} | {executor / plain:.2f} |", flush=True)


if __name__ == "__main__":
    main()
