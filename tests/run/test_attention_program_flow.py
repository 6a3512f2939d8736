"""Programmed attention end to end: token marks, decisions, windows, comparison set, record, explanations, audits.

The reference for a block of every executed layer is the unprogrammed path with those tokens masked out of the
attention mask: masking a key for every query and leaving it out of the exit's pooling is what such a block is.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from core.audit import run_audit
from core.audit.scoring import AuditPlan, score_rows
from core.explain import explain
from core.model import load_model
from core.path import PathSpec, custom_group
from core.run import Batch, PathEngine, marks_of, path_logits, plan_windows, window_ids
from core.service import DecisionService, comparison_set, compute_alternatives
from core.store import open_store

PHRASE = custom_group("phrase", words=["but it is boring", "not bad"])
TEXT = "I wanted to love it, but it is boring."
EMAIL_TEXT = "write to bob@example.com: it is not bad at all"


@pytest.fixture(scope="module")
def engine() -> PathEngine:
    return PathEngine(load_model(custom_groups=(PHRASE,)))


def masked_reference(engine: PathEngine, token_ids: list[int], marked: list[bool], spec: PathSpec) -> torch.Tensor:
    """The unprogrammed path with the marked tokens masked out of attention (and pooling): (C,) logits."""
    mask = torch.tensor([[0 if m else 1 for m in marked]])
    with torch.no_grad():
        variant = engine.model.variant(spec.device, spec.precision)
        return path_logits(variant, Batch(torch.tensor([token_ids]), mask), spec.replace(block=None))[0].float()


def test_marks_cover_exactly_the_group_tokens_after_withholding(engine: PathEngine) -> None:
    spec = engine.parse("withhold=email; block=phrase")
    prepared = engine.prepare(EMAIL_TEXT, spec)
    assert prepared.marks is not None
    tokens = engine.model.tokenizer.convert_ids_to_tokens(list(prepared.token_ids))
    assert [t for t, m in zip(tokens, prepared.marks, strict=True) if m] == ["not", "bad"]
    assert engine.model.placeholder in tokens  # the e-mail never reached the tokenizer


@pytest.mark.parametrize(
    "path",
    [
        "block=phrase",
        "depth=4; heads_off=1.*,3.2; withhold=email; block=phrase",
        "heads_off=2.3; block=phrase; precision=int8; device=cpu",  # int8 gates heads inside attention
    ],
)
def test_a_decision_with_a_full_block_equals_masking_the_keys(engine: PathEngine, path: str) -> None:
    spec = engine.parse(path)
    text = EMAIL_TEXT if "withhold" in path else TEXT
    prepared = engine.prepare(text, spec)
    decision = engine.decide(text, spec)
    assert prepared.marks is not None
    expected = masked_reference(engine, list(prepared.token_ids), [bool(m) for m in prepared.marks], spec)
    torch.testing.assert_close(torch.tensor(decision.logits), expected, atol=1e-5, rtol=1e-5)
    assert decision.path == spec.canonical and any("token(s) blocked" in note for note in decision.notes)


def test_blocking_the_clause_flips_this_decision(engine: PathEngine) -> None:
    plain = engine.decide(TEXT, engine.parse("full"))
    blocked = engine.decide(TEXT, engine.parse("block=phrase"))
    early = engine.decide(TEXT, engine.parse("block=phrase@0-2"))
    assert plain.label == "negative" and blocked.label == "positive" and early.label == "negative"


def test_a_group_absent_from_the_text_changes_nothing_and_says_so(engine: PathEngine) -> None:
    text = "a charming and often affecting journey"
    plain = engine.decide(text, engine.parse("full"))
    programmed = engine.decide(text, engine.parse("block=phrase; emphasize=phrase:0.1"))
    assert programmed.logits == pytest.approx(plain.logits, abs=1e-5)
    assert any("does not occur" in note for note in programmed.notes)


def test_long_texts_carry_their_marks_through_every_window(tiny_checkpoint: Callable[[str], Path]) -> None:
    engine = PathEngine(load_model(tiny_checkpoint("bert"), custom_groups=(PHRASE,)))
    text = " ".join(["the plot is not bad but the pace drags"] * 40)
    spec = engine.parse("block=phrase@0,1,2")
    prepared = engine.prepare(text, spec)
    assert prepared.marks is not None and len(prepared.token_ids) > engine.model.window
    plan = plan_windows(len(prepared.token_ids) - 2, engine.model.window)
    plain = engine.parse("full")
    windows = [
        masked_reference(
            engine, window_ids(prepared.token_ids, span), [bool(m) for m in window_ids(prepared.marks, span)], plain
        )
        for span in plan.spans
    ]
    expected = sum(w * logits for w, logits in zip(plan.weights, windows, strict=True))
    decision = engine.decide(text, spec)
    assert decision.tokens.windows == len(plan) > 1
    torch.testing.assert_close(torch.tensor(decision.logits), expected, atol=1e-5, rtol=1e-5)


def test_the_comparison_set_holds_the_same_path_unprogrammed(engine: PathEngine) -> None:
    spec = engine.parse("depth=4; block=phrase")
    alternatives = comparison_set(spec, [engine.parse("emphasize=phrase@5.*:0.05")])
    paths = [alt.canonical for alt in alternatives]
    assert paths[0] == "depth=4" and "full" in paths and "emphasize=phrase@5.*:0.05" in paths
    results = compute_alternatives(engine, [TEXT], alternatives)[0]
    for alt, result in zip(alternatives, results, strict=True):
        alone = engine.decide(TEXT, alt)
        assert result.logits == pytest.approx(alone.logits, abs=1e-5), alt.canonical


def test_a_programmed_decision_is_recorded_compared_and_reproduced(engine: PathEngine, tmp_path: Path) -> None:
    service = DecisionService(engine, open_store(tmp_path / "record.sqlite"))
    try:
        audited = service.decide(TEXT, engine.parse("block=phrase"), keep_text=True)
        assert service.wait(120)
        comparison = service.compare(audited.decision.decision_id)
        unprogrammed = next(alt for alt in comparison.alternatives if alt.path == "full")
        assert unprogrammed.status == "done" and unprogrammed.flip  # blocking the clause flipped the decision
        reproduction = service.reproduce(audited.decision.decision_id)
        assert reproduction.label == audited.decision.label
        assert reproduction.max_abs_logit_diff <= reproduction.tolerance
        assert reproduction.alternatives_matching == reproduction.alternatives_checked > 0
    finally:
        service.close(30)


def test_explanations_run_through_the_program(engine: PathEngine) -> None:
    spec = engine.parse("heads_off=2.*; block=phrase@3-5; emphasize=phrase@0.1,0.4")
    result = explain(engine, TEXT, spec, methods=("attention", "occlusion"), score_faithfulness=True)
    decision = engine.decide(TEXT, spec)
    assert result.probs == pytest.approx(decision.probs, abs=1e-5)
    prepared = engine.prepare(TEXT, spec)
    blocked = np.array([bool(m & 1) for m in prepared.marks or ()])
    for layer_maps in result.attention_maps:
        if layer_maps.layer >= 3:
            assert layer_maps.programmed == layer_maps.heads
            assert np.count_nonzero(layer_maps.weights[:, :, blocked]) == 0
        else:
            assert layer_maps.programmed == ((1, 4) if layer_maps.layer == 0 else ())
            assert layer_maps.heads == () or np.count_nonzero(layer_maps.weights[:, :, blocked]) > 0
    assert result.methods["occlusion"].faithfulness is not None
    assert any("blocked" in note for note in result.notes)


def test_a_batch_audit_decides_each_row_with_the_program(engine: PathEngine) -> None:
    texts = [TEXT, EMAIL_TEXT, "a charming and often affecting journey", "not bad , not bad at all"]
    spec = engine.parse("depth=5; block=phrase")
    frame = pd.DataFrame({"text": texts})
    result = run_audit(engine, frame, spec, against=engine.parse("depth=5"), batch_size=3)
    assert result.rows == len(texts)
    single = engine.decide_batch(texts, spec)
    plain = engine.decide_batch(texts, engine.parse("depth=5"))
    flips = sum(a.label != b.label for a, b in zip(single, plain, strict=True))
    assert result.flip_rate_vs_against == round(flips / len(texts), 4) and flips >= 1


def test_a_programmed_path_and_its_twin_share_one_windowed_run(engine: PathEngine) -> None:
    """The runner windows a text's marks with its ids, and the plain path in the same run ignores them: both equal
    the masked reference window by window, in the engine's run, the comparison set and an audit's shared pass."""
    texts = [TEXT, " ".join(["the plot is not bad but the pace drags"] * 40)]
    spec, plain = engine.parse("block=phrase"), engine.parse("full")
    prepared = [engine.prepare(text, spec) for text in texts]
    assert len(prepared[1].token_ids) > engine.model.window
    expected = {spec: [], plain: []}
    for p in prepared:
        assert p.marks is not None
        plan = plan_windows(len(p.token_ids) - 2, engine.model.window)
        for path, marks in ((spec, p.marks), (plain, (0,) * len(p.token_ids))):
            windows = [
                masked_reference(
                    engine, window_ids(p.token_ids, span), [bool(m) for m in window_ids(marks, span)], plain
                )
                for span in plan.spans
            ]
            expected[path].append(sum(w * logits for w, logits in zip(plan.weights, windows, strict=True)))
    assert all(not torch.allclose(a, b, atol=1e-3) for a, b in zip(expected[spec], expected[plain], strict=True))
    run = engine.run([spec, plain], [p.token_ids for p in prepared], marks=marks_of(prepared))
    for path, outputs in zip((spec, plain), run.outputs, strict=True):
        torch.testing.assert_close(outputs, torch.stack(expected[path]), atol=1e-5, rtol=1e-5)
    alternatives = compute_alternatives(engine, texts, [spec, plain])
    rows = score_rows(engine, [0, 1], texts, AuditPlan.make(spec, plain), batch_size=2)
    for i, (results, row) in enumerate(zip(alternatives, rows, strict=True)):
        for result, path in zip(results, (spec, plain), strict=True):
            torch.testing.assert_close(torch.tensor(result.logits), expected[path][i], atol=1e-5, rtol=1e-5)
        assert row.against is not None and row.windows == run.texts[i].windows
        torch.testing.assert_close(torch.tensor(row.executed.logits), expected[spec][i], atol=1e-5, rtol=1e-5)
        torch.testing.assert_close(torch.tensor(row.against.logits), expected[plain][i], atol=1e-5, rtol=1e-5)
