"""One batched run of token lists on paths (core/run/runner.py): every caller reads a long text the same way.

The references are independent of the runner: a path run alone on an explicitly padded batch (`run_layers`), the
token-weighted mean of windows computed by hand, and `decide` itself for what the comparison set, audits and
evaluation store.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import torch

from core.audit import run_audit
from core.model import path_flops
from core.run import PathEngine, pad_ids, plan_windows, run_adaptive, run_layers, run_token_lists
from core.service import DecisionService
from core.store import open_store
from core.training import evaluate_depths

# 490 tokens: three windows of the bundled model's 256; the opening praise fills most of the first window
LONG_REVIEW = (
    "An absolutely wonderful, moving and beautifully acted film. " * 18
    + "But then it collapses: the plot is dull, the dialogue is painfully bad and the ending is a mess. " * 14
)
SHORT = ["a charming and often affecting journey", "unflinchingly bleak and desperate"]


def _close(probs: dict[str, float], expected: dict[str, float]) -> None:
    assert probs.keys() == expected.keys()
    torch.testing.assert_close(
        torch.tensor(list(probs.values())), torch.tensor([expected[k] for k in probs]), atol=1e-5, rtol=0
    )


def test_the_long_review_takes_several_windows(bundled_engine: PathEngine) -> None:
    tokens = len(bundled_engine.prepare(LONG_REVIEW, bundled_engine.parse("full")).token_ids)
    assert tokens > bundled_engine.model.window
    assert bundled_engine.decide(LONG_REVIEW, bundled_engine.parse("full")).tokens.windows == 3


def test_several_paths_in_one_run_equal_each_path_alone(bundled_engine: PathEngine) -> None:
    model = bundled_engine.model
    specs = [bundled_engine.parse(p) for p in ("full", "depth=2", "layers=0,2,1", "depth=4; heads_off=3.*,0.2")]
    ids = [list(bundled_engine.prepare(t, specs[0]).token_ids) for t in [*SHORT, LONG_REVIEW]]
    run = run_token_lists(model.base, specs, ids, model.window, model.pad_id, windows_per_batch=2)
    plan = plan_windows(len(ids[2]) - 2, model.window)
    weights = torch.tensor(plan.weights)
    for spec, outputs in zip(specs, run.outputs, strict=True):
        last = len(spec.layers) - 1
        with torch.no_grad():
            short = run_layers(model.base, pad_ids(ids[:2], model.pad_id, model.base.device), spec)[last]
            pieces = torch.stack(
                [
                    run_layers(
                        model.base,
                        pad_ids([[ids[2][0], *ids[2][1 + a : 1 + b], ids[2][-1]]], 0, model.base.device),
                        spec,
                    )[last][0]
                    for a, b in plan.spans
                ]
            )
        torch.testing.assert_close(outputs[:2], short, atol=1e-5, rtol=1e-5)
        torch.testing.assert_close(outputs[2], (pieces * weights[:, None]).sum(0), atol=1e-5, rtol=1e-5)
    assert [t.windows for t in run.texts] == [1, 1, len(plan)]
    assert [t.kept for t in run.texts] == [len(x) for x in ids] and not run.first_window_only


def test_an_adaptive_path_runs_adaptively_with_the_same_windows_beside_fixed_paths(
    bundled_engine: PathEngine,
) -> None:
    model = bundled_engine.model
    adaptive, fixed = bundled_engine.parse("exit=confidence>=0.9"), bundled_engine.parse("depth=2")
    ids = [list(bundled_engine.prepare(t, fixed).token_ids) for t in [*SHORT, LONG_REVIEW]]
    run = run_token_lists(model.base, [fixed, adaptive], ids, model.window, model.pad_id)
    plan = plan_windows(len(ids[2]) - 2, model.window)
    with torch.no_grad():
        short = run_adaptive(model.base, pad_ids(ids[:2], model.pad_id, model.base.device), adaptive)
        pieces = [
            run_adaptive(
                model.base, pad_ids([[ids[2][0], *ids[2][1 + a : 1 + b], ids[2][-1]]], 0, model.base.device), adaptive
            )
            for a, b in plan.spans
        ]
    weights = torch.tensor(plan.weights)
    long = (torch.stack([piece.logits[0] for piece in pieces]) * weights[:, None]).sum(0)
    torch.testing.assert_close(run.outputs[1], torch.cat([short.logits, long[None]]), atol=1e-5, rtol=1e-5)
    assert run.exits[0] is None
    assert run.exits[1] == ((short.exits[0],), (short.exits[1],), tuple(piece.exits[0] for piece in pieces))


def test_first_window_only_is_asked_for_and_said(bundled_engine: PathEngine) -> None:
    model = bundled_engine.model
    spec = bundled_engine.parse("depth=3")
    ids = list(bundled_engine.prepare(LONG_REVIEW, spec).token_ids)
    run = run_token_lists(model.base, [spec], [ids], model.window, model.pad_id, first_window_only=True)
    cut = [*ids[: model.window - 1], ids[-1]]
    with torch.no_grad():
        expected = run_layers(model.base, pad_ids([cut], model.pad_id, model.base.device), spec)[2]
    torch.testing.assert_close(run.outputs[0], expected)
    text = run.texts[0]
    assert run.first_window_only and text.truncated and (text.tokens, text.kept, text.windows) == (len(ids), 256, 1)


def test_loaded_model_predictions_and_flops(bundled_engine: PathEngine) -> None:
    model = bundled_engine.model
    logits = torch.tensor([[0.3, -1.2], [2.0, 2.5]])
    predictions = model.predictions(logits)
    manual = logits.exp() / logits.exp().sum(-1, keepdim=True)
    assert [p.label for p in predictions] == [model.labels[0], model.labels[1]]
    for prediction, row, row_logits in zip(predictions, manual, logits, strict=True):
        assert list(prediction.probs.values()) == pytest.approx(row.tolist(), abs=1e-6)
        assert prediction.logits == pytest.approx(row_logits.tolist())
    spec = bundled_engine.parse("depth=2; heads_off=1.0")
    config = model.config
    expected = path_flops(spec, 3, 17, config.hidden_size, config.intermediate_size, len(model.labels))
    assert model.path_flops(spec, 17, rows=3) == expected and model.pad_id == model.tokenizer.pad_token_id


def test_stored_alternatives_of_a_multi_window_decision_equal_deciding_each_path(
    bundled_engine: PathEngine, tmp_path: Path
) -> None:
    store = open_store(tmp_path / "long.sqlite")
    service = DecisionService(bundled_engine, store)
    try:
        extra = [bundled_engine.parse("layers=0,2,1"), bundled_engine.parse("precision=int8")]
        audited = service.decide(LONG_REVIEW, bundled_engine.parse("depth=3"), extra_paths=extra)
        assert audited.decision.tokens.windows == 3
        assert service.wait(120)
        record = store.get(audited.decision.decision_id)
    finally:
        service.close()
    assert {alt.path for alt in record.alternatives} >= {"full", "depth=1", "layers=0,2,1", "precision=int8"}
    for alt in record.alternatives:
        assert alt.status == "done" and alt.probs is not None and alt.cost is not None
        direct = bundled_engine.decide(LONG_REVIEW, bundled_engine.parse(alt.path))
        assert alt.label == direct.label, alt.path
        _close(alt.probs, direct.probs)
        assert alt.cost["flops"] == direct.cost.flops


def test_audited_rows_equal_decide_also_for_a_multi_window_text(bundled_engine: PathEngine, tmp_path: Path) -> None:
    texts = [SHORT[0], LONG_REVIEW, SHORT[1], "call +44 20 7946 0958 , " + LONG_REVIEW]
    source = tmp_path / "rows.csv"
    pd.DataFrame({"text": texts}).to_csv(source, index=False)
    out, store = tmp_path / "rows_out.csv", open_store(tmp_path / "audit.sqlite")
    spec, against = "depth=2; withhold=phone", "full"
    parts: list[pd.DataFrame] = []
    run_audit(bundled_engine, source, spec, against=against, out=out, batch_size=3, store=store, on_rows=parts.append)
    rows = pd.read_csv(out)
    handed = pd.concat(parts, ignore_index=True)
    assert handed["label"].tolist() == rows["label"].tolist() and handed["row"].tolist() == rows["row"].tolist()
    pd.testing.assert_frame_equal(handed.filter(like="prob_"), rows.filter(like="prob_"))
    executed = [bundled_engine.decide(t, bundled_engine.parse(spec)) for t in texts]
    compared = [bundled_engine.decide(t, bundled_engine.parse(f"{against}; withhold=phone")) for t in texts]
    labels = bundled_engine.model.labels
    for (_, row), decision, other in zip(rows.iterrows(), executed, compared, strict=True):
        assert row["label"] == decision.label and row["against_label"] == other.label
        _close({label: row[f"prob_{label}"] for label in labels}, decision.probs)
        assert row["tokens"] == decision.tokens.total and not row["truncated"]
    records = sorted(store.history(limit=10), key=lambda r: r.audit_row or 0)
    for record, decision, other in zip(records, executed, compared, strict=True):
        _close(record.probs, decision.probs)
        assert record.tokens["windows"] == decision.tokens.windows and record.notes == decision.notes
        assert record.withheld == decision.withheld
        (alternative,) = record.alternatives
        assert alternative.probs is not None
        _close(alternative.probs, other.probs)
    assert [r.tokens["windows"] for r in records] == [1, 3, 1, 3]


def test_evaluation_reads_long_texts_as_decide_does(bundled_engine: PathEngine, tmp_path: Path) -> None:
    texts = [*SHORT, LONG_REVIEW]
    decided = [bundled_engine.decide(t, bundled_engine.parse("full")) for t in texts]
    source = tmp_path / "eval.csv"
    pd.DataFrame({"text": texts, "label": [d.label for d in decided]}).to_csv(source, index=False)
    result = evaluate_depths(bundled_engine, source, "text", "label", batch_size=2)
    assert result["accuracy_by_depth"]["6"] == 1.0
    shallow = [bundled_engine.decide(t, bundled_engine.parse("depth=1")).label for t in texts]
    expected = sum(s == d.label for s, d in zip(shallow, decided, strict=True)) / len(texts)
    assert result["accuracy_by_depth"]["1"] == round(expected, 4)


def test_an_adaptive_audit_of_a_multi_window_text_equals_decide(bundled_engine: PathEngine, tmp_path: Path) -> None:
    texts = [SHORT[0], LONG_REVIEW]
    source = tmp_path / "rows.csv"
    pd.DataFrame({"text": texts}).to_csv(source, index=False)
    out, store = tmp_path / "rows_out.csv", open_store(tmp_path / "audit.sqlite")
    spec = "exit=confidence>=0.9"
    run_audit(bundled_engine, source, spec, against=None, out=out, batch_size=2, store=store)
    rows = pd.read_csv(out)
    decisions = [bundled_engine.decide(t, bundled_engine.parse(spec)) for t in texts]
    records = sorted(store.history(limit=10), key=lambda r: r.audit_row or 0)
    for (_, row), decision, record in zip(rows.iterrows(), decisions, records, strict=True):
        assert decision.exit is not None and row["label"] == decision.label
        assert row["exit_layer"] == decision.exit.layer and row["layers_run"] == decision.cost.layers_run
        assert record.cost["exit"] == decision.exit.to_json() and record.cost["flops"] == decision.cost.flops
        _close(record.probs, decision.probs)
