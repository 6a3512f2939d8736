"""The GPU check of the developers' guide ("check and time the GPU path: fp16, every family"), on CUDA.

`HF_HUB_OFFLINE=1 python -m bench.gpu.check --out check.json [--device cuda] [--smoke]`, from the project root.
Every section writes its figures (or the error it met, with its traceback's last lines) to `--out` as it ends, so
a run stopped part-way still says what it found. Sections:
- `tiny`: random BERT, RoBERTa and DistilBERT classifiers as tests/conftest.py builds them, with random exit heads:
  the full path at fp32 against a plain Hugging Face forward (eager attention), fp16 against fp32, and depth=2,
  heads_off, exit policies and withhold run on the device against the same paths on the CPU.
- `shipped`: the bundled MiniLM with sst2, banking77 and fintweets: the full path at fp32 against a plain forward
  (LoRA applied by peft, mean pool, last exit head and temperature), fp16 against fp32 on dev rows, the same paths.
- `audit`: audit rows/s of full, depth=3 and `exit=confidence>=0.9` at fp32 and fp16 (alternating slices of SST-2 dev,
  `bench.exit_policy.audit_both`) and full at several batch sizes.
- `explain`: Integrated Gradients explanations per second (adaptive, and 50 fixed steps).
`--smoke` shrinks every size (a dry run on the CPU with `--device cpu`).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import torch
from peft import LoraConfig, get_peft_model
from safetensors.torch import load_file
from transformers import AutoModel, AutoModelForSequenceClassification, AutoTokenizer

from bench.exit_policy import audit_both
from core.explain import IGOptions, explain
from core.model import (
    ExitHeads,
    LoadedModel,
    bundled_model_dir,
    encoder_fingerprint,
    load_encoder,
    load_model,
    mean_pool,
    save_heads,
)
from core.run import PathEngine

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "core" / "model" / "artifacts"  # the shipped models' adapters and heads
SST2_DEV = ROOT.parent / "shared" / "data" / "sst2" / "dev.csv"
DEV = {  # (dev table, label column) of each shipped model
    "sst2": (SST2_DEV, "label"),
    "banking77": (ROOT / "build" / "splits" / "banking77" / "dev.csv", "category"),
    "fintweets": (ROOT / "build" / "splits" / "fintweets" / "dev.csv", "label"),
}
TINY = ("bert", "roberta", "distilbert")
HALF = {"cuda": "fp16", "cpu": "bf16"}  # the half precision checked: fp16 is CUDA only (bf16 stands in for a dry run)
TEXTS = [
    "A gripping, beautifully acted film.",
    "Dull and far too long; mail me at a.b@example.org",
    "I still haven't received my new card",
    "$AAPL cut to neutral at Morgan Stanley",
    "ok",
    "The plot twists were predictable but the soundtrack carried the whole thing from start to finish.",
]


def _paths(num_layers: int) -> list[str]:
    """The path features checked on the device: depth, heads off, exit policies, withheld input."""
    depth = min(3, num_layers - 1)
    return [
        f"depth={depth}",
        "heads_off=1.0,0.*",
        "exit=confidence>=0.9",
        "exit=patience:2",
        "withhold=email",
        "withhold=email; exit=confidence>=0.5; precision=HALF",
    ]


def _logits(engine: PathEngine, texts: list[str], path: str) -> torch.Tensor:
    """(N, C) logits of `path` on `texts` through the engine (one batched run)."""
    spec = engine.parse(path)
    prepared = [engine.prepare(text, spec) for text in texts]
    return engine.run([spec], [p.token_ids for p in prepared]).outputs[0].float()


def _compare(reference: torch.Tensor, other: torch.Tensor) -> dict[str, Any]:
    """Label agreement, max |Δ probability| and max |Δ logit| of two (N, C) logit tables."""
    return {
        "label_agreement": round(float((reference.argmax(-1) == other.argmax(-1)).float().mean()), 4),
        "max_prob_diff": float((reference.softmax(-1) - other.softmax(-1)).abs().max()),
        "max_logit_diff": float((reference - other).abs().max()),
    }


def _paths_on(engine: PathEngine, texts: list[str], device: str, num_layers: int) -> dict[str, Any]:
    """Each path of `_paths` on `device` against the same path on the CPU (fp32 there when the path asks fp16)."""
    figures = {}
    for path in _paths(num_layers):
        here = _logits(engine, texts, f"{path}; device={device}".replace("HALF", HALF[device]))
        cpu_path = path.replace("; precision=HALF", "")
        figures[path] = _compare(_logits(engine, texts, f"{cpu_path}; device=cpu"), here)
    return figures


def _tiny(device: str, work: Path) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import build_tiny_classifier  # the tests' own tiny checkpoints, built from configs

    tokenizer = AutoTokenizer.from_pretrained(bundled_model_dir())
    figures: dict[str, Any] = {}
    for kind in TINY:
        folder = work / f"tiny-{kind}"
        build_tiny_classifier(kind).save_pretrained(folder)
        tokenizer.save_pretrained(folder)
        heads_dir = work / f"heads-{kind}"
        config, encoder, _, _ = load_encoder(folder)  # the encoder whose fingerprint the heads name
        torch.manual_seed(1)
        heads = ExitHeads(config.num_hidden_layers, config.hidden_size, 3)
        with torch.no_grad():
            heads.weight.normal_(std=0.5)
            heads.bias.normal_(std=0.1)
        save_heads(heads, heads_dir, {"labels": ["a", "b", "c"], "encoder_fingerprint": encoder_fingerprint(encoder)})
        engine = PathEngine(load_model(folder, heads_dir))
        reference = AutoModelForSequenceClassification.from_pretrained(folder, attn_implementation="eager")
        reference = reference.to(device).eval()
        inputs = tokenizer(TEXTS, padding=True, return_tensors="pt").to(device)
        with torch.no_grad():
            plain = reference(**inputs).logits.float().cpu()
        full32 = _logits(engine, TEXTS, f"device={device}")
        full16 = _logits(engine, TEXTS, f"device={device}; precision={HALF[device]}")
        figures[kind] = {
            "full_fp32_vs_hf_max_abs_logit_diff": float((full32 - plain).abs().max()),
            "half_vs_fp32": _compare(full32, full16),
            "paths_vs_cpu": _paths_on(engine, TEXTS, device, config.num_hidden_layers),
        }
    return figures


def _plain_shipped(model: LoadedModel, artifact: Path, texts: list[str], device: str) -> torch.Tensor:
    """(N, C) logits of a plain forward: the encoder with the artifact's LoRA applied by peft (unmerged), mean pool,
    the last exit head divided by its temperature."""
    adapter = model.heads_meta["adapter"]
    encoder = AutoModel.from_pretrained(model.model_dir, attn_implementation="eager").eval()
    lora = LoraConfig(r=adapter["rank"], lora_alpha=adapter["alpha"], target_modules=adapter["target_modules"])
    peft_model = get_peft_model(encoder, lora).eval()
    factors = load_file(str(artifact / "adapter.safetensors"))
    modules = dict(encoder.named_modules())
    with torch.no_grad():
        for name in adapter["target_modules"]:
            modules[name].lora_A["default"].weight.copy_(factors[f"{name}.lora_A"])
            modules[name].lora_B["default"].weight.copy_(factors[f"{name}.lora_B"])
    peft_model = peft_model.to(device)
    inputs = model.tokenizer(texts, padding=True, truncation=True, max_length=model.window, return_tensors="pt")
    inputs = inputs.to(device)
    assert model.base.exit_heads is not None, "a shipped model has exit heads"
    heads = model.base.exit_heads
    with torch.no_grad():
        pooled = mean_pool(peft_model(**inputs).last_hidden_state, inputs["attention_mask"]).float().cpu()
        return (pooled @ heads.weight[-1].T + heads.bias[-1]) / heads.temperature[-1]


def _shipped(device: str, rows: int) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for name, (table, _) in DEV.items():
        model = load_model(name)
        engine = PathEngine(model)
        dev = pd.read_csv(table, keep_default_na=False).head(rows)
        texts = dev["text"].astype(str).tolist()
        full32 = _logits(engine, texts, f"device={device}")
        full16 = _logits(engine, texts, f"device={device}; precision={HALF[device]}")
        plain = _plain_shipped(model, ARTIFACTS / f"minilm-{name}", texts, device)
        figures[name] = {
            "rows": len(texts),
            "full_fp32_vs_plain_max_abs_logit_diff": float((full32 - plain).abs().max()),
            "full_fp32_vs_cpu": _compare(_logits(engine, texts, "device=cpu"), full32),
            "half_vs_fp32": _compare(full32, full16),
            "paths_vs_cpu": _paths_on(engine, texts[:64], device, model.num_layers),
        }
    return figures


def _audit(device: str, rows: int) -> dict[str, Any]:
    engine = PathEngine(load_model("sst2"))
    frame = pd.read_csv(SST2_DEV, keep_default_na=False)[["text", "label"]]
    frame = pd.concat([frame] * (rows // len(frame) + 1), ignore_index=True).iloc[:rows]
    on = f"device={device}"
    paths = [on, f"depth=3; {on}", f"exit=confidence>=0.9; {on}"]
    paths += [f"{p}; precision={HALF[device]}" for p in paths]
    audit_both(engine, frame.iloc[: min(rows, 256)], paths, 256, 64)  # warm-up: CUDA context, kernels, variants
    figures: dict[str, Any] = {"rows": rows, "batch_size": 64, "paths": {}}
    totals = audit_both(engine, frame, paths, max(1, rows // 2), 64)
    for path, total in totals.items():
        figures["paths"][path] = {
            "rows_per_s": round(total["rows"] / total["seconds"], 1),
            "accuracy": round(total["correct"] / total["rows"], 4),
            "mean_layers_run": round(total["layers"] / total["rows"], 3),
        }
    figures["full_by_batch_size"] = {}
    for batch_size in (16, 64, 256):
        for path in (on, f"{on}; precision={HALF[device]}"):
            total = audit_both(engine, frame, [path], rows, batch_size)[path]
            figures["full_by_batch_size"][f"{path} @ {batch_size}"] = round(total["rows"] / total["seconds"], 1)
    return figures


def _explain(device: str, count: int) -> dict[str, Any]:
    engine = PathEngine(load_model("sst2"))
    texts = pd.read_csv(SST2_DEV, keep_default_na=False)["text"].astype(str).tolist()[:count]
    spec = engine.parse(f"device={device}")
    explain(engine, texts[0], spec, methods=("ig",), score_faithfulness=False)  # warm-up
    figures: dict[str, Any] = {"texts": len(texts), "mean_tokens": 0.0}
    for name, options in (("ig_adaptive", IGOptions()), ("ig_50_steps", IGOptions(n_steps=50))):
        started = time.perf_counter()
        deltas = []
        for text in texts:
            result = explain(engine, text, spec, methods=("ig",), ig=options, score_faithfulness=False)
            deltas.append(abs(result.methods["ig"].convergence_delta or 0.0))
        seconds = time.perf_counter() - started
        figures[name] = {"per_s": round(len(texts) / seconds, 2), "max_abs_convergence_delta": max(deltas)}
    figures["mean_tokens"] = round(sum(len(engine.prepare(t, spec).token_ids) for t in texts) / len(texts), 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: a dry run")
    args = parser.parse_args()
    report: dict[str, Any] = {"device": args.device, "torch": torch.__version__}
    if args.device == "cuda":
        report["gpu"] = torch.cuda.get_device_name(0)
    import transformers

    report["transformers"] = transformers.__version__
    rows, shipped_rows, texts = (48, 16, 2) if args.smoke else (1744, 256, 20)
    with tempfile.TemporaryDirectory(prefix="pathlens-gpu-") as work:
        sections: list[tuple[str, Callable[[], dict[str, Any]]]] = [
            ("tiny", lambda: _tiny(args.device, Path(work))),
            ("shipped", lambda: _shipped(args.device, shipped_rows)),
            ("audit", lambda: _audit(args.device, rows)),
            ("explain", lambda: _explain(args.device, texts)),
        ]
        for name, section in sections:
            started = time.perf_counter()
            try:
                report[name] = section()
            except Exception as exc:  # a section's failure is a finding: recorded, and the next section runs
                report[name] = {"error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()[-3000:]}
            report[name]["seconds"] = round(time.perf_counter() - started, 1)
            args.out.write_text(json.dumps(report, indent=2) + "\n")
            print(f"{name}: {report[name]['seconds']} s", flush=True)


if __name__ == "__main__":
    main()
