"""The advisor (core/advise/search.py, budget.py, sensitivity.py) on a tiny model, and a layer with every head off."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import torch
from conftest import save_seeded_heads

from core.advise.budget import Budget
from core.advise.search import Candidate, _options, _Table, advise, best, loss_bound, schedules, split_rows
from core.advise.sensitivity import expected_sensitivity
from core.errors import InputError
from core.model import LoadedModel, load_model
from core.path import simulate
from core.run import PathEngine
from core.run.executor import Gates, pad_ids, run_layers

WORDS = [
    "good",
    "bad",
    "film",
    "plot",
    "actors",
    "boring",
    "great",
    "dull",
    "charming",
    "awful",
    "story",
    "music",
    "fine",
    "poor",
]


@pytest.fixture(scope="module")
def tiny(tiny_checkpoint: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory) -> LoadedModel:
    """A tiny random BERT with seeded exit heads at every layer (labels a, b, c)."""
    directory = tiny_checkpoint("bert")
    out = save_seeded_heads(
        directory, tmp_path_factory.mktemp("advise-tiny-heads"), ["a", "b", "c"], seed=2, weight_std=2.0
    )
    return load_model(directory, out)


def table(rows: int, seed: int) -> pd.DataFrame:
    generator = torch.Generator().manual_seed(seed)
    texts = [
        " ".join(WORDS[i] for i in torch.randint(len(WORDS), (6,), generator=generator).tolist()) for _ in range(rows)
    ]
    return pd.DataFrame({"text": texts, "label": torch.randint(3, (rows,), generator=generator).tolist()})


def test_budget_parses_and_refuses() -> None:
    budget = Budget.parse("loss<=0.5, agreement>=0.98")
    assert budget.canonical == "loss<=0.5,agreement>=0.98"
    assert budget.allows(0.885, 0.99, 0.889) and not budget.allows(0.88, 0.99, 0.889)
    assert not budget.allows(0.889, 0.97, 0.889)
    for bad in ("loss>=0.5", "speed<=2", "agreement>=98", "loss<=500"):
        with pytest.raises(InputError):
            Budget.parse(bad)


def test_split_is_seeded_and_disjoint() -> None:
    search, held = split_rows(10, 3, 0.5)
    assert (search, held) == split_rows(10, 3, 0.5) and (search, held) != split_rows(10, 4, 0.5)
    assert sorted(search + held) == list(range(10)) and len(held) == 5


def test_sensitivity_streams_batches_and_does_not_depend_on_them(tiny: LoadedModel) -> None:
    engine = PathEngine(tiny)
    frame = table(12, 0)
    texts, gold = frame.text.tolist(), frame.label.tolist()
    spec = engine.parse("full")
    whole = expected_sensitivity(engine, [(texts, gold)], spec)
    streamed = expected_sensitivity(engine, [(texts[i : i + 5], gold[i : i + 5]) for i in range(0, 12, 5)], spec)
    assert whole.rows == streamed.rows == 12
    torch.testing.assert_close(torch.tensor(whole.heads), torch.tensor(streamed.heads), rtol=1e-4, atol=1e-6)
    assert min(min(row) for row in whole.heads) >= 0
    order = whole.head_order(spec)
    assert len(order) == 12 and len(set(order)) == 12


def test_a_layer_with_every_head_off_skips_attention(tiny: LoadedModel) -> None:
    """heads_off=1.* never enters layer 1's Q/K/V (fp32 and int8) and equals that layer with every head gated to 0."""
    engine = PathEngine(tiny)
    ids = [engine.prepare("a charming and often affecting journey", engine.parse("full")).token_ids]
    for precision in ("fp32", "int8"):
        spec = engine.parse(f"heads_off=1.*; precision={precision}")
        variant = tiny.variant("auto", precision)
        query = variant.family.layers(variant.encoder)[1].attention.self.query
        calls: list[str] = []
        hook = query.register_forward_hook(lambda *_, seen=calls, name=precision: seen.append(name))
        try:
            skipped = engine.run([spec], ids).outputs[0]
        finally:
            hook.remove()
        assert calls == []
        head_gates = torch.ones(1, 3, 4)
        head_gates[0, 1] = 0.0
        batch = pad_ids(ids, tiny.pad_id, torch.device("cpu"))
        with torch.no_grad():
            gated = run_layers(
                variant, batch, spec.replace(heads_off=frozenset()), gates=Gates(head_gates, torch.ones(1, 3))
            )
        torch.testing.assert_close(skipped, gated[2], atol=1e-5, rtol=1e-5)


def run_advice(engine: PathEngine, budget: str, seed: int) -> dict:
    frame = table(40, 1)
    search, held = split_rows(len(frame), seed, 0.5)
    return advise(
        engine,
        frame.iloc[search],
        frame.iloc[held],
        [int(v) for v in frame.label.iloc[search]],
        budget=Budget.parse(budget),
        objective="flops",
        seed=seed,
        sensitivity_rows=10,
        batch_size=8,
    ).to_json()


def test_advise_recommends_a_path_within_budget_on_the_held_out_rows_and_is_reproducible(tiny: LoadedModel) -> None:
    engine = PathEngine(tiny)
    first = run_advice(engine, "loss<=5", seed=7)
    recommended, full = first["recommended"], first["full"]
    spec = engine.parse(recommended["path"])
    assert spec.canonical == recommended["path"]
    assert (full["accuracy"] - recommended["accuracy"]) * 100 <= 5 + 1e-9
    assert recommended["flops"] <= full["flops"]
    assert first["frontier"] and all(
        set(c) >= {"path", "accuracy", "agreement", "rows_per_s", "flops"} for c in first["frontier"]
    )
    costs = [c["flops"] for c in first["frontier"]]
    accuracies = [c["accuracy"] for c in first["frontier"]]
    assert costs == sorted(costs) and accuracies == sorted(accuracies)
    assert first["rows"] == {"search": 20, "held_out": 20, "sensitivity": 10}
    second = run_advice(engine, "loss<=5", seed=7)

    def without_timings(result: dict) -> str:
        drop = {"rows_per_s", "seconds", "speedup_vs_full"}

        def clean(value: object) -> object:
            if isinstance(value, dict):
                return {k: clean(v) for k, v in value.items() if k not in drop}
            if isinstance(value, list):
                return [clean(v) for v in value]
            return value

        return json.dumps(clean({k: v for k, v in result.items() if k != "search_frontier"}), sort_keys=True)

    assert without_timings(first) == without_timings(second)


def test_threshold_schedules_lower_each_later_exit_and_are_simulated_by_the_executors_rule(tiny: LoadedModel) -> None:
    """The search's schedules (issue 29): one threshold per exit before the last, falling to the floor; each option
    predicts what the executor's own rule (`simulate`) predicts for its parsed path."""
    assert [p.canonical for p in schedules(4)][:2] == [
        "confidence>=0.85,0.8,0.75,0.7",
        "confidence>=0.85,0.75,0.65,0.6",
    ]
    assert schedules(1) == []  # one exit before the last: a plain threshold
    engine = PathEngine(tiny)
    full = engine.parse("full")
    exits = len(full.exit_positions)
    logits = torch.randn(exits, 40, 3, generator=torch.Generator().manual_seed(0)) * 3  # (E, N, C)
    table = _Table(full, logits, torch.ones(exits, 40, dtype=torch.float64), 0.01)
    scheduled = [o for o in _options(table) if o.spec.exit is not None and o.spec.exit.later]
    assert scheduled, "the search should try threshold schedules"
    for option in scheduled:
        spec = engine.parse(option.spec.canonical)
        last = spec.exit_positions.index(len(spec.layers) - 1)
        chosen = simulate(spec.exit, logits[: last + 1])[0]
        torch.testing.assert_close(option.predicted, logits[chosen, torch.arange(40)].argmax(-1))


def test_the_margin_adds_one_paired_standard_error_to_the_loss() -> None:
    gold = torch.tensor([1] * 100)
    full = torch.tensor([1] * 90 + [0] * 10)
    same = full.clone()
    assert loss_bound(same, gold, full) == 0.0
    worse = full.clone()
    worse[:4] = 0  # 4 rows lost, none gained: loss 4 points, standard error sqrt(4 - 16/100) / 100
    assert loss_bound(worse, gold, full) == pytest.approx(4 + 100 * (4 - 0.16) ** 0.5 / 100)
    even = worse.clone()
    even[90:94] = 1  # 4 lost and 4 gained: no loss, but one standard error of sqrt(8) rows
    assert loss_bound(even, gold, full) == pytest.approx(8**0.5)


def test_within_timing_noise_the_more_accurate_path_is_recommended_not_the_fewer_flops() -> None:
    int8 = Candidate("precision=int8; exit=confidence>=0.85", 0.8876, 0.977, 150.6, 287e6, measured=True)
    pruned = Candidate("depth=5; heads_off=0.11; exit=confidence>=0.85", 0.8842, 0.969, 140.4, 241e6, measured=True)
    slow = Candidate("exit=confidence>=0.9", 0.8876, 0.993, 100.0, 330e6, measured=True)
    assert best([pruned, int8, slow], "rows_per_s") is int8
    assert best([pruned, int8, slow], "flops") is pruned
    faster = Candidate("depth=4; exit=confidence>=0.8", 0.8807, 0.959, 200.0, 205e6, measured=True)
    assert best([pruned, int8, faster], "rows_per_s") is faster
