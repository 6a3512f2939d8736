"""Explanations on the bundled model: IG against Captum's own call, completeness, paths, withholding, long texts."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from captum.attr import LayerIntegratedGradients

from core.errors import InputError
from core.explain import IGOptions, explain
from core.explain.faithfulness import faithfulness
from core.run import Batch, PathEngine, path_logits

POLAR = "An utterly wonderful, moving and beautiful film: a true masterpiece."
SHORT_POLAR = "The film was wonderful."
STEPS = 24


def _target_probability(engine: PathEngine, spec_text: str, ids: list[int], target: int) -> float:
    spec = engine.parse(spec_text)
    variant = engine.model.variant(spec.device, spec.precision)
    batch = Batch(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long))
    with torch.no_grad():
        return float(torch.softmax(path_logits(variant, batch, spec), -1)[0, target])


@pytest.mark.parametrize("spec_text", ["full", "depth=4; heads_off=1.2"])  # paths where POLAR moves P by > 0.05
def test_ig_equals_captum_reference_and_is_complete(bundled_engine: PathEngine, spec_text: str) -> None:
    spec = bundled_engine.parse(spec_text)
    result = explain(bundled_engine, POLAR, spec, methods=("ig",), ig=IGOptions(STEPS))
    ids = list(bundled_engine.prepare(POLAR, spec).token_ids)
    target = bundled_engine.model.labels.index(result.target)
    variant = bundled_engine.model.variant(spec.device, spec.precision)

    def forward(input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return torch.softmax(path_logits(variant, Batch(input_ids, attention_mask), spec), dim=-1)

    input_ids = torch.tensor([ids])
    baseline = torch.tensor([[ids[0]] + [bundled_engine.model.tokenizer.pad_token_id] * (len(ids) - 2) + [ids[-1]]])
    reference = LayerIntegratedGradients(forward, variant.word_embeddings).attribute(
        input_ids,
        baselines=baseline,
        target=target,
        additional_forward_args=(torch.ones_like(input_ids),),
        n_steps=STEPS,
    )
    expected = reference.sum(-1)[0, 1:-1].detach().numpy()
    np.testing.assert_allclose(np.array(result.methods["ig"].scores), expected, atol=1e-5, rtol=0)

    gap = _target_probability(bundled_engine, spec_text, ids, target) - _target_probability(
        bundled_engine, spec_text, baseline[0].tolist(), target
    )
    assert abs(gap) > 0.05, "the polar sentence should move the probability away from the baseline's"
    assert abs(sum(result.methods["ig"].scores) - gap) < 0.01 * abs(gap)
    assert result.methods["ig"].relative_delta is not None and result.methods["ig"].relative_delta < 0.01


def test_shorter_path_explains_differently_and_has_no_maps_for_what_did_not_run(bundled_engine: PathEngine) -> None:
    methods = ("gxi", "attention")
    full = explain(bundled_engine, POLAR, bundled_engine.parse("full"), methods=methods)
    short = explain(bundled_engine, POLAR, bundled_engine.parse("depth=4; heads_off=1.*,2.3,2.5"), methods=methods)
    for method in methods:  # relative: saturated probabilities make gradients tiny
        full_scores, short_scores = np.array(full.methods[method].scores), np.array(short.methods[method].scores)
        assert np.abs(full_scores - short_scores).max() > 0.05 * np.abs(full_scores).max(), method
    assert short.skipped_layers == (4, 5)
    assert [m.layer for m in short.attention_maps] == [0, 1, 2, 3]
    by_layer = {m.layer: m for m in short.attention_maps}
    assert by_layer[1].heads == () and by_layer[1].weights.shape[0] == 0
    assert by_layer[2].heads_off == (3, 5) and 3 not in by_layer[2].heads and by_layer[2].weights.shape[0] == 10
    assert all(len(m.heads) == 12 for m in full.attention_maps) and len(full.attention_maps) == 6
    encoded = short.to_json()["attention"]
    assert [layer["layer"] for layer in encoded["layers"]] == [0, 1, 2, 3] and encoded["skipped_layers"] == [4, 5]
    assert all(len(layer["maps"]) == len(layer["heads"]) for layer in encoded["layers"])


def test_withheld_text_appears_in_no_explanation(bundled_engine: PathEngine) -> None:
    text = "Loved it, what a film! Write to jane.doe@example.org or call +44 20 7946 0958 today."
    spec = bundled_engine.parse("withhold=email,phone")
    result = explain(
        bundled_engine, text, spec, methods=("ig", "gxi", "saliency", "occlusion", "attention"), ig=IGOptions(8)
    )
    dumped = json.dumps(result.to_json())
    secret_tokens = set(bundled_engine.model.tokenizer.tokenize("jane.doe@example.org +44 20 7946 0958"))
    assert not any(piece in dumped for piece in ("jane", "doe", "example", "7946", "0958"))
    shown = {unit.text for unit in result.units} | set(result.attention_tokens)
    assert not (secret_tokens - {".", "@", "+"}) & shown
    withheld = [unit for unit in result.units if unit.withheld]
    assert [u.withheld for u in withheld] == ["email", "phone"] and all(u.text == "" for u in withheld)
    assert text[withheld[0].start : withheld[0].end] == "jane.doe@example.org"
    assert all(text[u.start : u.end] == u.text for u in result.units if not u.withheld)


def test_ig_comprehensiveness_beats_a_seeded_random_ranking(bundled_engine: PathEngine) -> None:
    spec = bundled_engine.parse("full")
    result = explain(bundled_engine, SHORT_POLAR, spec, methods=("ig",), ig=IGOptions(STEPS))
    ids = bundled_engine.prepare(SHORT_POLAR, spec).token_ids
    target = bundled_engine.model.labels.index(result.target)
    assert result.target == "positive"

    def probabilities(token_lists: list[list[int]]) -> np.ndarray:
        target_probs = [_target_probability(bundled_engine, "full", ids, target) for ids in token_lists]
        return np.array([[1 - p, p] for p in target_probs])

    rng = np.random.default_rng(1234)
    random_scores = rng.permutation(len(result.units)).astype(float)
    full_probability = result.probs[result.target]
    random = faithfulness(random_scores, ids, target, full_probability, probabilities)
    figures, own_random = result.methods["ig"].faithfulness, result.random_ranking
    assert figures is not None and own_random is not None
    assert figures.comprehensiveness > random.comprehensiveness + 0.05
    assert figures.comprehensiveness > own_random.comprehensiveness
    assert figures.sufficiency < own_random.sufficiency


def test_two_thousand_word_text_is_decided_and_explained_over_windows(bundled_engine: PathEngine) -> None:
    sentences = [
        "The acting was wooden and the plot made no sense at all.",
        "I kept checking my watch; the dialogue was painfully dull.",
        "Even the music, usually the best part, felt cheap and lazy.",
    ]
    words = " ".join(sentences[i % 3] for i in range(200)).split()[:2000]
    text = " ".join(words)
    spec = bundled_engine.parse("full")
    decision = bundled_engine.decide(text, spec)
    total = len(bundled_engine.prepare(text, spec).token_ids)
    assert decision.tokens.kept == decision.tokens.total == total and decision.tokens.windows > 1
    assert any("windows" in note for note in decision.notes)
    result = explain(bundled_engine, text, spec, methods=("ig", "attention"), ig=IGOptions(2), score_faithfulness=False)
    assert result.windows == decision.tokens.windows
    assert len(result.units) == total - 2
    assert all(len(m.scores) == total - 2 for m in result.methods.values())
    assert result.label == decision.label
    assert result.attention_maps == () and "attention" in result.to_json()


def test_bad_requests_are_refused_with_what_to_do(bundled_engine: PathEngine) -> None:
    spec = bundled_engine.parse("full")
    with pytest.raises(InputError, match="choose from"):
        explain(bundled_engine, POLAR, spec, methods=("lime",))
    with pytest.raises(InputError, match="labels"):
        explain(bundled_engine, POLAR, spec, methods=("attention",), target="neutral")
    with pytest.raises(InputError, match="int8"):
        explain(bundled_engine, POLAR, bundled_engine.parse("precision=int8"), methods=("ig",))


def test_any_label_can_be_the_target(bundled_engine: PathEngine) -> None:
    spec = bundled_engine.parse("full")
    predicted = explain(bundled_engine, POLAR, spec, methods=("occlusion",))
    other = next(label for label in bundled_engine.model.labels if label != predicted.label)
    flipped = explain(bundled_engine, POLAR, spec, methods=("occlusion",), target=other)
    assert flipped.target == other
    # with two labels, the other label's probability drops exactly where the predicted one rises
    expected = -np.array(predicted.methods["occlusion"].scores)
    np.testing.assert_allclose(flipped.methods["occlusion"].scores, expected, atol=1e-6, rtol=0)
