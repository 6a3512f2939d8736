"""Exit policies: the grammar, the rule against hand computations, and adaptive execution against fixed paths."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
import torch

from core.audit import run_audit
from core.errors import InvalidPathError
from core.explain import explain
from core.model import LoadedModel, load_model, path_flops
from core.path import ExitPolicy, PathSpec, PolicyState, simulate, step
from core.run import AdaptiveRun, PathEngine, pad_ids, path_logits, run_adaptive, run_layers
from core.service import DecisionService
from core.store import open_store

SAMPLE = Path(__file__).parents[2] / "sample_data" / "audit_sample.csv"


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return pd.read_csv(SAMPLE)["text"].tolist()


def token_lists(model: LoadedModel, texts: list[str]) -> list[list[int]]:
    return model.tokenizer(texts, add_special_tokens=True)["input_ids"]


def run_policy(model: LoadedModel, spec: PathSpec, ids: list[list[int]]) -> AdaptiveRun:
    batch = pad_ids(ids, int(model.tokenizer.pad_token_id or 0), torch.device("cpu"))
    with torch.inference_mode():
        return run_adaptive(model.base, batch, spec)


# -- grammar ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("exit=confidence>=0.9", "exit=confidence>=0.9"),
        ("exit = Confidence >= .95 ; depth=4", "depth=4; exit=confidence>=0.95"),
        ("exit=confidence>=1", "exit=confidence>=1.0"),
        ("exit=confidence>=0.00001", "exit=confidence>=0.00001"),
        ("exit=patience:2; layers=0-2,4; precision=bf16", "layers=0-2,4; precision=bf16; exit=patience:2"),
        ("exit=confidence>=0.9, .8,0.7", "exit=confidence>=0.9,0.8,0.7"),
        ("exit=confidence>=0.9,0.8,0.8,0.8", "exit=confidence>=0.9,0.8"),
        ("exit=confidence>=0.9,0.9", "exit=confidence>=0.9"),
    ],
)
def test_canonical_form_round_trips(bundled_engine: PathEngine, text: str, canonical: str) -> None:
    spec = bundled_engine.parse(text)
    assert spec.canonical == canonical
    assert bundled_engine.parse(canonical) == spec
    assert PathSpec.from_json(spec.to_json(), spec.template) == spec


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("exit=confidence>=0", r"\(0, 1\]"),
        ("exit=confidence>=1.5", r"\(0, 1\]"),
        ("exit=patience:0", "at least 1"),
        ("exit=sure", "confidence>=T"),
        ("exit=patience:6", "use patience 1-5"),
        ("depth=3; exit=patience:3", "use patience 1-2"),
        ("depth=1; exit=confidence>=0.9", "at least two exits"),
        ("exit=confidence>=0.9,0", r"\(0, 1\]"),
        ("exit=confidence>=0.9,", "confidence>=T"),
        ("exit=patience:2,3", "confidence>=T"),
        ("depth=3; exit=confidence>=0.9,0.8,0.7", "gives 3 thresholds and this path has 3 exits"),
        ("exit=confidence>=" + ",".join(["0.9"] * 65), "at most one per exit"),
    ],
)
def test_impossible_policies_are_refused_with_what_is_possible(
    bundled_engine: PathEngine, text: str, message: str
) -> None:
    with pytest.raises(InvalidPathError, match=message):
        bundled_engine.parse(text)


def test_a_model_without_exit_heads_refuses_a_policy(tiny_checkpoint: Callable[[str], Path]) -> None:
    engine = PathEngine(load_model(tiny_checkpoint("bert")))
    with pytest.raises(InvalidPathError, match="needs exit heads, and this model has none"):
        engine.parse("exit=confidence>=0.9")


# -- the rule ---------------------------------------------------------------------------------------------------
def test_step_and_simulate_follow_the_hand_rule() -> None:
    # 3 exits x 3 rows, two labels; probabilities chosen by hand via logits (0, z): p1 = sigmoid(z)
    z = torch.tensor([[3.0, -0.1, 0.5], [2.0, 3.0, -0.5], [-4.0, 0.2, 0.6]])  # (E, B)
    exit_logits_ = torch.stack([torch.zeros_like(z), z], dim=-1)  # (E, B, 2)
    confident = ExitPolicy("confidence", threshold=0.9)
    # row 0: sigmoid(3) = 0.953 at exit 0; row 1: sigmoid(3) at exit 1; row 2: never, decides at the last exit
    chosen, values = simulate(confident, exit_logits_)
    assert chosen.tolist() == [0, 1, 2]
    torch.testing.assert_close(values[:2], torch.sigmoid(torch.tensor([3.0, 3.0])))
    # labels: row 0: 1,1,0; row 1: 0,1,1; row 2: 1,0,1 -> patience 1 fires at the first repeat
    chosen, values = simulate(ExitPolicy("patience", patience=1), exit_logits_)
    assert chosen.tolist() == [1, 2, 2]
    assert values.tolist() == [1.0, 1.0, 0.0]
    stop, value, state = step(confident, PolicyState.start(3, torch.device("cpu")), exit_logits_[0])
    assert stop.tolist() == [True, False, False]
    torch.testing.assert_close(value, torch.sigmoid(z[0]).where(z[0] > 0, torch.sigmoid(-z[0])))
    assert state.previous.tolist() == [1, 0, 1]


def test_a_threshold_schedule_asks_each_exit_its_own_threshold() -> None:
    """exit=confidence>=0.99,0.6: the first exit needs 0.99, every later one 0.6 (the last value holds)."""
    z = torch.tensor([[2.0, 5.0, 0.0], [1.0, 0.0, 0.3], [0.0, 0.0, 0.1]])  # (E, B): p1 = sigmoid(z)
    exit_logits_ = torch.stack([torch.zeros_like(z), z], dim=-1)  # (E, B, 2)
    schedule = ExitPolicy.parse("confidence>=0.99,0.6")
    assert [schedule.threshold_at(i) for i in range(3)] == [0.99, 0.6, 0.6]
    # row 0: 0.88 < 0.99 at exit 0, 0.73 >= 0.6 at exit 1; row 1: 0.993 at exit 0; row 2: 0.57, 0.57, last exit
    assert simulate(schedule, exit_logits_)[0].tolist() == [1, 0, 2]
    assert simulate(ExitPolicy.parse("confidence>=0.99"), exit_logits_)[0].tolist() == [2, 0, 2]
    state = PolicyState.start(3, torch.device("cpu"))
    for exits_seen in range(3):
        assert state.exits_seen == exits_seen
        state = step(schedule, state, exit_logits_[exits_seen])[2]
    assert state.select(torch.tensor([0, 2])).exits_seen == 3


# -- execution --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "policy",
    ["exit=confidence>=0.97", "exit=patience:1", "depth=5; exit=patience:2", "exit=confidence>=0.999,0.97,0.6"],
)
def test_adaptive_row_equals_fixed_path_stopping_at_the_same_layer(
    bundled_model: LoadedModel, bundled_engine: PathEngine, texts: list[str], policy: str
) -> None:
    spec = bundled_engine.parse(policy)
    ids = token_lists(bundled_model, texts)
    run = run_policy(bundled_model, spec, ids)
    assert len({e.position for e in run.exits}) >= 2, "the texts should stop at different layers"
    for row, row_exit in enumerate(run.exits):
        alone = pad_ids([ids[row]], 0, torch.device("cpu"))
        with torch.inference_mode():
            fixed = path_logits(bundled_model.base, alone, spec.stopped_at(row_exit.position))[0]
            every_exit = run_layers(bundled_model.base, alone, spec, exits=spec.exit_positions)
        torch.testing.assert_close(run.logits[row], fixed, atol=1e-5, rtol=1e-5)
        assert row_exit.layer == spec.layers[row_exit.position]
        chosen, value = simulate(spec.exit, torch.stack([every_exit[p] for p in spec.exit_positions]))
        assert spec.exit_positions[int(chosen[0])] == row_exit.position
        assert row_exit.value == pytest.approx(float(value[0]), abs=1e-5)


def test_a_rows_result_does_not_depend_on_the_other_rows(
    bundled_model: LoadedModel, bundled_engine: PathEngine, texts: list[str]
) -> None:
    spec = bundled_engine.parse("exit=confidence>=0.97")
    ids = token_lists(bundled_model, texts)
    together = run_policy(bundled_model, spec, ids)
    order = list(reversed(range(len(ids))))
    reversed_run = run_policy(bundled_model, spec, [ids[i] for i in order])
    half = run_policy(bundled_model, spec, ids[::2])
    for position, row in enumerate(order):
        torch.testing.assert_close(reversed_run.logits[position], together.logits[row], atol=1e-5, rtol=1e-5)
        assert reversed_run.exits[position].position == together.exits[row].position
    for position, row in enumerate(range(0, len(ids), 2)):
        torch.testing.assert_close(half.logits[position], together.logits[row], atol=1e-5, rtol=1e-5)


@pytest.fixture
def rows_per_layer(bundled_model: LoadedModel) -> Iterator[dict[int, int]]:
    """How many batch rows entered each layer module (a forward pre-hook, removed afterwards)."""
    seen: dict[int, int] = {}
    handles = [
        module.register_forward_pre_hook(lambda _m, args, index=index: seen.__setitem__(index, args[0].shape[0]))
        for index, module in enumerate(bundled_model.base.layers)
    ]
    try:
        yield seen
    finally:
        for handle in handles:
            handle.remove()


def test_exited_rows_are_not_computed_any_further(
    bundled_model: LoadedModel, bundled_engine: PathEngine, texts: list[str], rows_per_layer: dict[int, int]
) -> None:
    spec = bundled_engine.parse("exit=confidence>=0.97")
    run = run_policy(bundled_model, spec, token_lists(bundled_model, texts))
    deepest = max(e.position for e in run.exits)
    expected = {layer: sum(e.position >= layer for e in run.exits) for layer in range(deepest + 1)}
    assert rows_per_layer == expected
    assert expected[0] == len(texts) > expected[deepest]


def test_decision_records_where_it_stopped_and_counts_only_what_ran(bundled_engine: PathEngine) -> None:
    model = bundled_engine.model
    text = "A gripping thriller with a clever twist at the end."
    spec = bundled_engine.parse("exit=confidence>=0.9")
    decision = bundled_engine.decide(text, spec)
    assert decision.exit is not None
    position = decision.exit.position
    fixed = bundled_engine.decide(text, spec.stopped_at(position))
    assert decision.logits == pytest.approx(fixed.logits, abs=1e-5)
    assert decision.exit.value == pytest.approx(max(decision.probs.values()), abs=1e-6)
    assert decision.exit.triggered is (decision.exit.value >= 0.9)
    config, labels = model.config, len(model.labels)
    tokens = len(model.tokenizer(text)["input_ids"])
    layers_flops = path_flops(spec.stopped_at(position), 1, tokens, config.hidden_size, config.intermediate_size, 0)
    exit_head = 2 * config.hidden_size * labels
    assert decision.cost.flops == layers_flops + (position + 1) * exit_head
    assert (decision.cost.layers_run, decision.cost.heads_run) == (position + 1, (position + 1) * 12)
    assert decision.path == "exit=confidence>=0.9" and fixed.exit is None


# -- everywhere a path goes -------------------------------------------------------------------------------------
def test_auditor_records_the_stop_stores_full_beside_it_and_reproduces(
    bundled_engine: PathEngine, tmp_path: Path
) -> None:
    store = open_store(tmp_path / "record.sqlite")
    service = DecisionService(bundled_engine, store)
    spec = bundled_engine.parse("exit=confidence>=0.9")
    extra = bundled_engine.parse("exit=patience:1")
    text = "Flat characters and a script that goes nowhere."
    decided = service.decide(text, spec, keep_text=True, extra_paths=[extra])
    assert service.close(timeout_s=120)
    record = store.get(decided.decision.decision_id)
    assert record.cost["exit"] == decided.decision.exit.to_json() and record.cost["layers_run"] == (
        decided.decision.exit.position + 1
    )
    stored = {alt.path: alt for alt in record.alternatives}
    assert stored["full"].status == "done" and "exit" not in stored["full"].cost
    full = bundled_engine.decide(text, bundled_engine.parse("full"))
    assert stored["full"].logits == pytest.approx(full.logits, abs=1e-4)
    patient = stored["exit=patience:1"]
    alone = bundled_engine.decide(text, extra)
    assert patient.cost["exit"]["layer"] == alone.exit.layer and patient.cost["layers_run"] == alone.cost.layers_run
    assert patient.logits == pytest.approx(alone.logits, abs=1e-4)
    reproduction = service.reproduce(record.decision_id)
    assert reproduction.matches and reproduction.alternatives_checked == len(record.alternatives)


def test_audit_rows_stop_as_decisions_do_and_record_it(bundled_engine: PathEngine, tmp_path: Path) -> None:
    frame = pd.read_csv(SAMPLE)
    store = open_store(tmp_path / "audit.sqlite")
    result = run_audit(
        bundled_engine, frame, "exit=confidence>=0.97", out=tmp_path / "out.csv", batch_size=8, store=store
    )
    rows = pd.read_csv(tmp_path / "out.csv")
    spec = bundled_engine.parse("exit=confidence>=0.97")
    decisions = bundled_engine.decide_batch(frame["text"].tolist(), spec)
    assert rows["exit_layer"].tolist() == [d.exit.layer for d in decisions]
    assert rows["layers_run"].tolist() == [d.cost.layers_run for d in decisions]
    assert rows["prob_positive"].tolist() == pytest.approx([d.probs["positive"] for d in decisions], abs=1e-5)
    assert result.compute_saved > 0 and rows["layers_run"].nunique() >= 2
    records = store.history(audit_id=result.audit_id, limit=100)
    by_row = {r.audit_row: r for r in records}
    assert [by_row[i].cost["exit"]["layer"] for i in range(len(frame))] == rows["exit_layer"].tolist()


def test_explanation_is_that_of_the_layer_that_decided(bundled_engine: PathEngine) -> None:
    text = "Flat characters and a script that goes nowhere."
    spec = bundled_engine.parse("exit=patience:1")
    stop = bundled_engine.decide(text, spec).exit
    assert stop is not None
    adaptive = explain(bundled_engine, text, spec, methods=["gxi"], score_faithfulness=False)
    fixed = explain(bundled_engine, text, spec.stopped_at(stop.position), methods=["gxi"], score_faithfulness=False)
    assert adaptive.path == fixed.path == spec.stopped_at(stop.position).canonical
    assert adaptive.methods["gxi"].scores == pytest.approx(fixed.methods["gxi"].scores, abs=1e-6)
    assert f"stopped after layer {stop.layer}" in adaptive.notes[0]


def test_programmed_attention_stays_on_as_rows_exit(bundled_engine: PathEngine) -> None:
    """Marks shrink with the batch: each row equals the fixed programmed path stopping where it stopped."""
    texts = [
        "Mail jo@example.com: a gripping thriller with a clever twist at the end.",
        "Dull.",
        "I wanted to love it, write to me at ann@example.org, but honestly it is boring and far too long for me.",
        "The plot is fine, the acting is uneven, mail me at x@y.com.",
    ]
    spec = bundled_engine.parse("block=email; exit=confidence>=0.95")
    decisions = bundled_engine.decide_batch(texts, spec)
    positions = {decision.exit.position for decision in decisions}
    assert len(positions) >= 2, "the rows should stop at different layers for the batch to shrink"
    for text, decision in zip(texts, decisions, strict=True):
        fixed = bundled_engine.decide(text, spec.stopped_at(decision.exit.position))
        assert "block=email" in fixed.path and "block=email" in fixed.notes[0]
        assert decision.logits == pytest.approx(fixed.logits, abs=1e-5)
