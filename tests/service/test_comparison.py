"""The comparison set: which paths, prefix sharing (layer executions counted by hooks), and the comparison."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from core.explain import ExplanationSet
from core.path import PathSpec
from core.run import PathEngine, pad_ids, path_logits, run_paths
from core.service import compare_record, comparison_set, compute_alternatives, redact_tokens, top_tokens
from core.store import AlternativeRecord, DecisionRecord
from tests.conftest import decision_record, explanation_json

TEXT = "A warm, funny film; write to ann@example.org or call +44 20 7946 0958."


def test_default_set_is_full_and_every_shorter_depth_keeping_withheld_groups(bundled_engine: PathEngine) -> None:
    executed = bundled_engine.parse("depth=3; withhold=email,phone")
    paths = [p.canonical for p in comparison_set(executed)]
    assert paths == [f"{d}withhold=email,phone" for d in ("", "depth=1; ", "depth=2; ", "depth=4; ", "depth=5; ")]
    assert [p.canonical for p in comparison_set(bundled_engine.parse("full"))] == [f"depth={d}" for d in range(1, 6)]


def test_added_paths_keep_the_executed_withholding_and_precision(bundled_engine: PathEngine) -> None:
    executed = bundled_engine.parse("depth=2; withhold=card; precision=bf16")
    extra = [bundled_engine.parse("layers=0,2; withhold=email"), bundled_engine.parse("depth=2; precision=int8")]
    added = comparison_set(executed, extra)[-2:]
    assert [p.canonical for p in added] == [
        "layers=0,2; withhold=card,email; precision=bf16",
        "depth=2; withhold=card; precision=int8",
    ]


def _count_layer_calls(engine: PathEngine, specs: list[PathSpec]) -> int:
    """Layer executions, counted by forward hooks on each layer's feed-forward (run whichever heads are on)."""
    layers = engine.model.variant("cpu", "fp32").layers
    calls: list[int] = []
    hooks = [layer.intermediate.register_forward_hook(lambda *_: calls.append(1)) for layer in layers]
    try:
        compute_alternatives(engine, [TEXT], specs)
    finally:
        for hook in hooks:
            hook.remove()
    return len(calls)


def test_default_set_of_a_six_layer_model_runs_six_layers_not_twenty_one(bundled_engine: PathEngine) -> None:
    specs = list(comparison_set(bundled_engine.parse("depth=2")))
    assert len(specs) == 5 and bundled_engine.model.num_layers == 6
    assert _count_layer_calls(bundled_engine, specs) == 6
    assert sum(len(s.layers) for s in specs) == 6 + 5 + 4 + 3 + 1  # what running each path alone would cost


def test_paths_share_only_identical_prefixes(bundled_engine: PathEngine) -> None:
    specs = [bundled_engine.parse(p) for p in ("depth=3", "layers=0,2", "depth=3; heads_off=1.0")]
    # 0,1,2 | 0 shared -> 2 | 0 shared -> 1 (heads differ) -> 2
    assert _count_layer_calls(bundled_engine, specs) == 3 + 1 + 2


def test_shared_pass_gives_each_path_its_own_logits(bundled_engine: PathEngine) -> None:
    texts = [TEXT, "Dull."]
    specs = [bundled_engine.parse(p) for p in ("full", "depth=1", "layers=0,2,1", "depth=4; heads_off=3.*,0.2")]
    variant = bundled_engine.model.variant("cpu", "fp32")
    ids = [bundled_engine.prepare(t, specs[0]).token_ids for t in texts]
    batch = pad_ids(ids, bundled_engine.model.pad_id, variant.device)
    with torch.inference_mode():
        shared = run_paths(variant, batch, specs)
        for spec, logits in zip(specs, shared, strict=True):
            torch.testing.assert_close(logits, path_logits(variant, batch, spec))
    results = compute_alternatives(bundled_engine, texts, specs)
    alone = bundled_engine.decide(texts[1], specs[3])
    assert results[1][3].label == alone.label
    assert results[1][3].logits == pytest.approx(alone.logits, abs=1e-4)
    assert results[1][3].cost["flops"] == alone.cost.flops


def _record(alternatives: tuple[AlternativeRecord, ...], explanations: dict | None = None) -> DecisionRecord:
    return decision_record(
        "d",
        label="negative",
        probs={"negative": 0.7, "positive": 0.3},
        logits=(0.4, -0.4),
        cost={"flops": 100},
        tokens={"total": 3, "kept": 3},
        explanations=explanations,
        alternatives=alternatives,
    )


def test_comparison_reports_flips_probability_change_cost_saved_and_pending() -> None:
    scores = explanation_json(["dull", "plot", "fine"], {"ig": [0.9, -0.1, 0.5]})
    done = AlternativeRecord(
        path="full",
        path_id="f",
        status="done",
        label="positive",
        probs={"negative": 0.2, "positive": 0.8},
        logits=(0.0, 1.0),
        cost={"flops": 400},
        explanations=explanation_json(["dull", "plot", "fine"], {"ig": [0.1, 0.2, -0.8]}),
    )
    pending = AlternativeRecord(path="depth=1", path_id="d1")
    comparison = compare_record(_record((done, pending), scores))
    full = comparison.alternatives[0]
    assert full.flip is True and comparison.flips == 1
    assert full.prob_change == {"negative": pytest.approx(-0.5), "positive": pytest.approx(0.5)}
    assert full.cost_saved_flops == 300 and full.cost_saved_fraction == 0.75
    change = full.top_tokens[0].to_json()
    assert change["executed"][:2] == ["dull@0", "fine@2"] and change["alternative"][0] == "fine@2"
    assert comparison.pending == ("depth=1",) and comparison.to_json()["complete"] is False


def test_redacted_explanations_keep_scores_and_drop_every_token_text() -> None:
    explanation = explanation_json(["secret", "words"], {"ig": [1.0, 2.0]})
    assert top_tokens(ExplanationSet.from_json(explanation), "ig") == ("words@1", "secret@0")
    redacted = redact_tokens(explanation)
    assert "secret" not in str(redacted) and "words" not in str(redacted)
    assert redacted["methods"]["ig"]["scores"] == [1.0, 2.0]
    assert top_tokens(ExplanationSet.from_json(redacted), "ig") == ("#1@1", "#0@0")


def test_every_path_is_timed_one_way_and_a_shallower_path_never_shows_more_time() -> None:
    """The stored batch shares (background paths share a batch's time) are not what is compared: every path's time is
    its FLOPs at the executed run's measured rate on this text, so times order as FLOPs do."""
    shares = {"depth=1": (100, 1678.5), "depth=3": (300, 5035.5), "full": (600, 90.0)}  # shares, not measurements
    alternatives = tuple(
        AlternativeRecord(
            path=path,
            path_id=path,
            status="done",
            label="negative",
            probs={"negative": 0.7, "positive": 0.3},
            logits=(0.4, -0.4),
            cost={"flops": flops, "latency_ms": share_ms, "latency_estimated": True},
        )
        for path, (flops, share_ms) in shares.items()
    )
    record = replace(_record(alternatives), cost={"flops": 200, "latency_ms": 40.0})
    comparison = compare_record(record)
    assert comparison.executed.estimated_ms == 40.0
    times = {alt.path: alt.estimated_ms for alt in comparison.alternatives}
    assert times == {"depth=1": 20.0, "depth=3": 60.0, "full": 120.0}
    assert comparison.to_json()["alternatives"][0]["estimated_ms"] == 20.0
    assert "FLOPs" in comparison.to_json()["time_basis"]
