"""Scoring an audit's rows: the plan (executed path, the path it is compared with, shared work) and the batched
forward passes that score a frame of rows. Used in-process and by the Ray actors alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from core.cost import path_flops, row_exit_flops
from core.engine import PathEngine, pad_batch
from core.executor import Batch, run_adaptive, run_layers
from core.exit_policy import RowExit
from core.model import Variant
from core.paths import PathSpec


@dataclass(frozen=True)
class AuditPlan:
    """What to run: the executed path, the path it is compared with (or None), and whether one pass does both."""

    spec: PathSpec
    against: PathSpec | None
    shared: bool

    @classmethod
    def make(cls, engine: PathEngine, spec: PathSpec, against: PathSpec | None) -> AuditPlan:
        """Groups the executed path withholds stay withheld in the `against` path too."""
        if against is None:
            return cls(spec, None, False)
        against = against.replace(withhold=against.withhold | spec.withhold)
        model = engine.model
        short, long = sorted((spec, against), key=lambda s: len(s.layers))
        same_variant = (model.resolve_device(spec.device), spec.precision) == (
            model.resolve_device(against.device),
            against.precision,
        )
        shared = (
            spec.exit is None
            and against.exit is None
            and same_variant
            and spec.withhold == against.withhold
            and long.layers[: len(short.layers)] == short.layers
            and all(short.active_heads(layer) == long.active_heads(layer) for layer in short.layers)
        )
        return cls(spec, against, shared)


def gold_index(value: str, labels: Sequence[str]) -> int | None:
    """A gold label given as a name ('positive') or an index ('1'); None if it is neither."""
    if value in labels:
        return labels.index(value)
    if value.isdigit() and int(value) < len(labels):
        return int(value)
    return None


def _prepare_ids(
    engine: PathEngine, texts: Sequence[str], spec: PathSpec
) -> tuple[list[list[int]], list[dict[str, int]]]:
    """Withhold the path's groups and tokenize all texts in one tokenizer call (untruncated, specials added).

    Returns the token ids and, per text, how many spans of each group were withheld.
    """
    model = engine.model
    if not texts:
        return [], []
    counts: list[dict[str, int]] = [{} for _ in texts]
    if spec.withhold:
        withheld = [model.groups.withhold(text, spec.withhold, model.placeholder) for text in texts]
        texts, counts = [w.text for w in withheld], [w.counts for w in withheld]
    return model.tokenizer(list(texts), add_special_tokens=True, truncation=False)["input_ids"], counts


def score_frame(engine: PathEngine, frame: pd.DataFrame, plan: AuditPlan, batch_size: int) -> pd.DataFrame:
    """Score rows (columns `row`, `text`) in batches of similar length; plain numbers out, in the input's order.

    Columns: `row`, `p0..p{C-1}` and logits `z0..` (executed path), `a0..` and `az0..` (against path, if any),
    `tokens`, `kept`, `flops`, `full_flops`, `against_flops` (FLOPs per row of the padded batch it ran in) and
    `withheld_<group>` (spans withheld per group of the executed path).
    """
    texts = frame["text"].tolist()
    model = engine.model
    num_labels = len(model.labels)
    config = model.config
    ffn = int(getattr(config, "intermediate_size", None) or config.hidden_dim)
    sizes = (config.hidden_size, ffn, num_labels)  # path_flops(spec, rows, tokens, *sizes)
    full = PathSpec.full(model.template)
    pad_id = int(model.tokenizer.pad_token_id or 0)
    ids, withheld = _prepare_ids(engine, texts, plan.spec)
    against_ids = ids if plan.against is None or plan.against.withhold == plan.spec.withhold else None
    if plan.against is not None and against_ids is None:
        against_ids, _ = _prepare_ids(engine, texts, plan.against)
    logits_out = {target: np.zeros((len(texts), num_labels)) for target in ("p", "a")}
    flops, full_flops = np.zeros(len(texts), dtype=np.int64), np.zeros(len(texts), dtype=np.int64)
    against_flops = np.zeros(len(texts), dtype=np.int64)
    kept = np.zeros(len(texts), dtype=np.int64)
    exits = np.zeros((len(texts), 3))  # executed path with an exit policy: position, trigger value, triggered
    order = np.argsort([len(x) for x in ids], kind="stable")
    for start in range(0, len(order), batch_size):
        index = order[start : start + batch_size]
        for pass_spec, targets in _passes(plan):
            executed_pass = any(target == "p" for target, _ in targets)
            pass_ids = ids if executed_pass or against_ids is None else against_ids
            variant = model.variant(pass_spec.device, pass_spec.precision)
            batch, infos = pad_batch([pass_ids[i] for i in index], model.window, pad_id, variant.device)
            with torch.inference_mode():
                logits, row_exits = _run_pass(variant, batch, pass_spec, [position for _, position in targets])
            rows, tokens = len(index), batch.input_ids.shape[1]
            for target, position in targets:
                logits_out[target][index] = logits[position].float().cpu().numpy()
                if target == "a" and plan.against is not None:
                    against_flops[index] = _row_flops(plan.against, row_exits, rows, tokens, sizes)
            if executed_pass:
                kept[index] = [info.kept for info in infos]
                flops[index] = _row_flops(plan.spec, row_exits, rows, tokens, sizes)
                full_flops[index] = path_flops(full, rows, tokens, *sizes) // rows
                if plan.spec.exit is not None:
                    exits[index] = [[e.position, e.value, e.triggered] for e in row_exits]
    result = {"row": frame["row"].to_numpy(dtype=np.int64)}
    probs = torch.softmax(torch.from_numpy(logits_out["p"]).float(), dim=-1).numpy()
    result.update({f"p{c}": probs[:, c] for c in range(num_labels)})
    result.update({f"z{c}": logits_out["p"][:, c] for c in range(num_labels)})
    if plan.against is not None:
        against_probs = torch.softmax(torch.from_numpy(logits_out["a"]).float(), dim=-1).numpy()
        result.update({f"a{c}": against_probs[:, c] for c in range(num_labels)})
        result.update({f"az{c}": logits_out["a"][:, c] for c in range(num_labels)})
    result.update(tokens=np.array([len(x) for x in ids]), kept=kept, flops=flops, full_flops=full_flops)
    result["against_flops"] = against_flops
    if plan.spec.exit is not None:
        result.update(
            exit_position=exits[:, 0].astype(np.int64), exit_value=exits[:, 1], exit_triggered=exits[:, 2] > 0
        )
    for group in sorted(plan.spec.withhold):
        result[f"withheld_{group}"] = np.array([counts.get(group, 0) for counts in withheld], dtype=np.int64)
    return pd.DataFrame(result)


def _run_pass(
    variant: Variant, batch: Batch, spec: PathSpec, positions: list[int]
) -> tuple[dict[int, torch.Tensor], tuple[RowExit, ...]]:
    """Logits at the exit positions of one pass; a path with an exit policy runs adaptively (one target only)."""
    if spec.exit is None:
        return run_layers(variant, batch, spec, exits=positions), ()
    run = run_adaptive(variant, batch, spec)
    return {positions[0]: run.logits}, run.exits


def _row_flops(
    spec: PathSpec, row_exits: tuple[RowExit, ...], rows: int, tokens: int, sizes: tuple[int, int, int]
) -> np.ndarray | int:
    """Per-row FLOPs of `spec` in a pass: what each row ran when it stopped early, else its share of the batch."""
    if spec.exit is not None:
        return np.array([row_exit_flops(spec, e, *sizes) for e in row_exits], dtype=np.int64)
    return path_flops(spec, rows, tokens, *sizes) // rows


def _passes(plan: AuditPlan) -> list[tuple[PathSpec, list[tuple[str, int]]]]:
    """Layer passes to run: (spec to run, [(target 'p'|'a', exit position)]); one pass when work is shared."""
    executed = ("p", len(plan.spec.layers) - 1)
    if plan.against is None:
        return [(plan.spec, [executed])]
    against = ("a", len(plan.against.layers) - 1)
    if plan.shared:
        longer = plan.spec if len(plan.spec.layers) >= len(plan.against.layers) else plan.against
        return [(longer, [executed, against])]
    return [(plan.spec, [executed]), (plan.against, [against])]
