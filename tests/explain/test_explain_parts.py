"""The parts of an explanation checked against hand-computed or independent references."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from core.explain import IGOptions, explain
from core.explain.attention_maps import LayerMaps, rollout
from core.explain.faithfulness import faithfulness, spearman
from core.explain.units import token_units
from core.model import load_model
from core.run import Batch, PathEngine, path_logits


def test_spearman_matches_pandas_with_ties() -> None:
    rng = np.random.default_rng(0)
    a = rng.integers(0, 5, 40).astype(float)
    b = a + rng.normal(0, 2, 40)
    expected = pd.Series(a).corr(pd.Series(b), method="spearman")
    assert spearman(a, b) == pytest.approx(expected)
    assert spearman(np.ones(5), b[:5]) == 0.0


def test_rollout_by_hand() -> None:
    first = LayerMaps(0, (0, 1), (), np.array([[[1.0, 0.0], [1.0, 0.0]], [[0.0, 1.0], [0.0, 1.0]]]))
    off = LayerMaps(1, (), (0, 1), np.zeros((0, 2, 2)))
    # mean of the heads = 0.5 everywhere; 0.5·A + 0.5·I = [[0.75, 0.25], [0.25, 0.75]]; the off layer is identity
    np.testing.assert_allclose(rollout([first, off], reads_first_token=True), [0.75, 0.25])
    np.testing.assert_allclose(rollout([first, off], reads_first_token=False), [0.5, 0.5])


def test_faithfulness_by_hand() -> None:
    ids = [101, 10, 11, 12, 13, 102]

    def probabilities(token_lists: list[list[int]]) -> np.ndarray:
        # the model believes "positive" exactly as much as the share of token 10 it still sees
        p = np.array([0.9 if 10 in t else 0.1 for t in token_lists])
        return np.stack([1 - p, p], axis=1)

    best = faithfulness(np.array([4.0, 3, 2, 1]), ids, 1, 0.9, probabilities)
    worst = faithfulness(np.array([1.0, 2, 3, 4]), ids, 1, 0.9, probabilities)
    # the top token (1 of 4 for every fraction up to 20 %, 2 of 4 at 50 %) is token 10 for `best`
    assert best.comprehensiveness == pytest.approx(0.8) and best.sufficiency == pytest.approx(0.0)
    assert worst.comprehensiveness == pytest.approx(0.0) and worst.sufficiency == pytest.approx(0.8)


def test_units_map_back_to_the_original_text(bundled_engine: PathEngine) -> None:
    text = "Call 020 7946 0958, or mail a@b.co — thanks!"
    spec = bundled_engine.parse("withhold=phone,email")
    prepared = bundled_engine.prepare(text, spec)
    units = token_units(bundled_engine.model.tokenizer, text, prepared.withheld, prepared.token_ids)
    assert len(units) == len(prepared.token_ids) - 2
    assert [u.withheld for u in units if u.withheld] == ["phone", "email"]
    assert [text[u.start : u.end] for u in units if u.withheld] == ["020 7946 0958", "a@b.co"]
    assert [u.text for u in units if not u.withheld] == ["Call", ",", "or", "mail", "—", "thanks", "!"]


@pytest.mark.parametrize("kind", ["bert", "roberta", "distilbert"])
def test_given_word_embeddings_equal_the_id_lookup(kind: str, tiny_checkpoint: Callable[[str], Path]) -> None:
    model = load_model(tiny_checkpoint(kind))
    spec = PathEngine(model).parse("full")
    ids = torch.tensor([[101, 2023, 3185, 2001, 2307, 102, 0], [101, 2919, 102, 0, 0, 0, 0]])
    mask = (ids != 0).long()
    with torch.no_grad():
        plain = path_logits(model.base, Batch(ids, mask), spec)
        given = path_logits(model.base, Batch(ids, mask, model.base.word_embeddings(ids)), spec)
    torch.testing.assert_close(given, plain)


def test_no_hook_survives_and_a_failing_run_leaves_the_model_clean(bundled_engine: PathEngine) -> None:
    spec = bundled_engine.parse("full")
    modules = list(bundled_engine.model.base.encoder.modules())

    def hooks() -> int:
        return sum(len(m._forward_hooks) + len(m._forward_pre_hooks) + len(m._backward_hooks) for m in modules)

    before = hooks()

    def failing_progress(fraction: float, message: str) -> None:
        if "faithfulness" in message:
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        explain(bundled_engine, "A fine film.", spec, methods=("ig",), ig=IGOptions(4), progress=failing_progress)
    explain(bundled_engine, "A fine film.", spec, methods=("gxi",))
    assert hooks() == before
    assert all(p.grad is None for p in bundled_engine.model.base.encoder.parameters())
