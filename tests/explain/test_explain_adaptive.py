"""Adaptive IG: the nested Clenshaw-Curtis rule, reuse of evaluations, and agreement with IG at 50 steps."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from core.cli import main
from core.errors import InputError
from core.explain import IGOptions, explain
from core.explain.adaptive_ig import adaptive_ig, clenshaw_curtis
from core.run import Batch, PathEngine, path_logits

SENTENCES = (
    "it 's a charming and often affecting journey .",
    "unflinchingly bleak and desperate",
    "allows us to hope that nolan is poised to embark a major career as a commercial yet inventive filmmaker .",
    "the acting , costumes , music , cinematography and sound are all astounding given the production 's "
    "austere locales .",
    "it 's slow -- very , very slow .",
    "although laced with humor and a few fanciful touches , the film is a refreshingly serious look at young women .",
    "a sometimes tedious film .",
    "or doing last year 's taxes with your ex-wife .",
)


@pytest.mark.parametrize("intervals", [2, 8, 16, 64])
def test_clenshaw_curtis_integrates_polynomials_up_to_its_degree_exactly(intervals: int) -> None:
    nodes, weights = clenshaw_curtis(intervals)
    assert nodes[0] == 0 and math.isclose(nodes[-1], 1) and np.all(np.diff(nodes) > 0)
    for degree in range(intervals + 1):
        assert math.isclose(float(weights @ nodes**degree), 1 / (degree + 1), rel_tol=1e-10, abs_tol=1e-12)
    if intervals > 2:  # nested: the coarser rule's nodes are every other node
        np.testing.assert_allclose(clenshaw_curtis(intervals // 2)[0], nodes[::2], atol=1e-15)


def test_refinement_reuses_every_evaluation_and_converges_on_a_known_integral() -> None:
    """F(alpha) = 100 sin(3 alpha) on token 0 plus 100 alpha^12 on token 1: per-token IG is F_i(1) - F_i(0)."""
    evaluated: list[float] = []

    def gradient_at(alphas: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        a = alphas.double()
        evaluated.extend(a.tolist())
        outputs = 100 * (torch.sin(3 * a) + a**12)
        return outputs, 100 * torch.stack([3 * torch.cos(3 * a), 12 * a**11], dim=1)  # (S,), (S, 2)

    result = adaptive_ig(gradient_at, tolerance=1e-6, max_steps=65)
    assert len(evaluated) == len(set(evaluated)) == result.steps, "no point is evaluated twice"
    assert result.within_tolerance and result.steps in (17, 33, 65)
    np.testing.assert_allclose(result.per_token.numpy(), [100 * math.sin(3), 100.0], rtol=1e-6)
    assert abs(result.delta) <= 1e-6 * abs(result.gap)

    evaluated.clear()
    capped = adaptive_ig(gradient_at, tolerance=1e-12, max_steps=16)
    assert capped.steps == 9 and not capped.within_tolerance and len(evaluated) == 9


def _target_probability(engine: PathEngine, spec_text: str, ids: list[int], target: int) -> float:
    spec = engine.parse(spec_text)
    variant = engine.model.variant(spec.device, spec.precision)
    with torch.no_grad():
        logits = path_logits(variant, Batch(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long)), spec)
    return float(torch.softmax(logits, -1)[0, target])


@pytest.mark.parametrize("spec_text", ["full", "depth=4; heads_off=1.2"])
def test_adaptive_ig_agrees_with_fifty_steps_and_is_complete_or_flagged(
    bundled_engine: PathEngine, spec_text: str
) -> None:
    spec = bundled_engine.parse(spec_text)
    pad = bundled_engine.model.tokenizer.pad_token_id
    for sentence in SENTENCES:
        reference = explain(bundled_engine, sentence, spec, ("ig",), ig=IGOptions(50), score_faithfulness=False)
        adaptive = explain(bundled_engine, sentence, spec, ("ig",), score_faithfulness=False)
        ours, fifty = np.array(adaptive.methods["ig"].scores), np.array(reference.methods["ig"].scores)
        assert ours @ fifty / (np.linalg.norm(ours) * np.linalg.norm(fifty)) >= 0.99, sentence
        result = adaptive.methods["ig"]
        assert result.steps is not None and 9 <= result.steps <= 65
        assert result.relative_delta is not None
        assert result.within_tolerance == (result.relative_delta <= 0.05 or abs(result.convergence_delta) <= 1e-4)
        ids = list(bundled_engine.prepare(sentence, spec).token_ids)
        target = bundled_engine.model.labels.index(adaptive.target)
        gap = _target_probability(bundled_engine, spec_text, ids, target) - _target_probability(
            bundled_engine, spec_text, [ids[0], *[pad] * (len(ids) - 2), ids[-1]], target
        )  # f(x) - f(baseline) from a plain forward, independent of the quadrature
        # compared in probability units: fp32 forwards of the same text agree to ~1e-7, whatever the size of the gap
        assert math.isclose(abs(ours.sum() - gap), abs(result.convergence_delta), rel_tol=1e-3, abs_tol=1e-6)
        assert math.isclose(result.relative_delta, abs(result.convergence_delta) / abs(gap), rel_tol=1e-3)
        assert adaptive.to_json()["methods"]["ig"]["steps"] == result.steps and adaptive.n_steps is None


def test_a_tolerance_out_of_reach_is_flagged_not_hidden(bundled_engine: PathEngine) -> None:
    spec = bundled_engine.parse("full")
    result = explain(
        bundled_engine, SENTENCES[4], spec, ("ig",), score_faithfulness=False, ig=IGOptions(tolerance=1e-9, max_steps=9)
    ).methods["ig"]
    assert result.steps == 9 and result.within_tolerance is False
    assert result.relative_delta is not None and result.relative_delta > 1e-9
    fixed = explain(bundled_engine, SENTENCES[4], spec, ("ig",), ig=IGOptions(7), score_faithfulness=False).methods[
        "ig"
    ]
    assert fixed.steps == 7 and fixed.within_tolerance == (fixed.relative_delta <= 0.05)


def test_bad_ig_options_are_refused(bundled_engine: PathEngine) -> None:
    spec = bundled_engine.parse("full")
    with pytest.raises(InputError, match="tolerance"):
        explain(bundled_engine, SENTENCES[0], spec, ("ig",), ig=IGOptions(tolerance=0))
    with pytest.raises(InputError, match="at least 9"):
        explain(bundled_engine, SENTENCES[0], spec, ("ig",), ig=IGOptions(max_steps=5))


def test_the_command_line_sets_the_tolerance_or_fixed_steps(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["decide", "--text", SENTENCES[0], "--no-record", "--explain", "ig"]
    assert main([*base, "--ig-tolerance", "0.2", "--ig-max-steps", "33"]) == 0
    adaptive = json.loads(capsys.readouterr().out)["explanations"]
    assert adaptive["n_steps"] is None and adaptive["ig_tolerance"] == 0.2
    assert adaptive["methods"]["ig"]["steps"] in (9, 17, 33)
    assert main([*base, "--ig-steps", "7"]) == 0
    fixed = json.loads(capsys.readouterr().out)["explanations"]
    assert fixed["n_steps"] == 7 and fixed["methods"]["ig"]["steps"] == 7
    assert main([*base, "--ig-tolerance", "2"]) == 2
    assert "tolerance" in capsys.readouterr().err
