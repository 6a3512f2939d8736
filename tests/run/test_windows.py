"""Reading long texts over overlapping windows: the plan covers every token, and logits combine as documented."""

from __future__ import annotations

import pytest
import torch

from core.run import Batch, PathEngine, pad_ids, plan_windows, run_layers, run_token_lists, window_ids


@pytest.mark.parametrize("content", [1, 254, 255, 400, 1000, 2601])
def test_plan_covers_every_token_with_overlap_and_bounded_windows(content: int) -> None:
    plan = plan_windows(content, 256)
    covered = [0] * content
    for start, end in plan.spans:
        assert 0 <= start < end <= content and end - start <= 254
        for i in range(start, end):
            covered[i] += 1
    assert min(covered) >= 1 and plan.spans[-1][1] == content
    assert all(b[0] < a[1] for a, b in zip(plan.spans, plan.spans[1:], strict=False)), "windows must overlap"
    assert sum(plan.weights) == pytest.approx(1.0)


def test_short_texts_run_exactly_as_one_padded_batch(bundled_engine: PathEngine) -> None:
    spec = bundled_engine.parse("depth=3")
    variant = bundled_engine.model.variant("cpu", "fp32")
    texts = ["A fine film.", "Dreadful, from the first minute to the last one."]
    ids = [list(bundled_engine.prepare(t, spec).token_ids) for t in texts]
    batch = pad_ids(ids, bundled_engine.model.pad_id, variant.device)
    run = run_token_lists(variant, [spec], ids, 256, 0)
    with torch.no_grad():
        expected = run_layers(variant, batch, spec)[2]
    torch.testing.assert_close(run.outputs[0], expected)
    assert [t.windows for t in run.texts] == [1, 1]


def test_long_text_logits_are_the_token_weighted_mean_of_its_windows(bundled_engine: PathEngine) -> None:
    spec = bundled_engine.parse("full")
    variant = bundled_engine.model.variant("cpu", "fp32")
    text = " ".join(f"Scene {i} was slow but the ending moved me." for i in range(25))
    ids = list(bundled_engine.prepare(text, spec).token_ids)
    plan = plan_windows(len(ids) - 2, 128)
    assert len(plan) > 2
    run = run_token_lists(variant, [spec], [ids], 128, 0, windows_per_batch=2)
    with torch.no_grad():
        singles = []
        for span in plan.spans:
            window = torch.tensor([window_ids(ids, span)])
            singles.append(run_layers(variant, Batch(window, torch.ones_like(window)), spec)[5][0])
    sizes = torch.tensor([end - start for start, end in plan.spans], dtype=torch.float32)
    expected = (torch.stack(singles) * (sizes / sizes.sum())[:, None]).sum(0)
    torch.testing.assert_close(run.outputs[0][0], expected, atol=1e-5, rtol=1e-5)
    assert run.texts[0].windows == len(plan) and all(rows <= 2 and tokens <= 128 for rows, tokens in run.shapes)
