"""`ExplanationSet.from_json`, the one reader of stored explanations: it reads back what `to_json` wrote."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.errors import InputError
from core.explain import ExplanationSet, IGOptions, explain
from core.run import PathEngine
from core.service import redact_tokens

TEXT = "A warm, funny film; mail jo@example.com if the ending drags."


def test_stored_explanations_read_back_as_they_were_written(bundled_engine: PathEngine) -> None:
    spec = bundled_engine.parse("depth=4; heads_off=1.2; block=email@2")
    written = explain(bundled_engine, TEXT, spec, ("ig", "attention", "occlusion"), ig=IGOptions(4))
    stored = json.loads(json.dumps(written.to_json()))  # what the record holds
    read = ExplanationSet.from_json(stored)
    assert read.to_json() == stored
    assert read.units == written.units and read.methods["ig"].steps == 4
    assert read.random_ranking is not None and read.random_ranking.fractions == written.random_ranking.fractions
    assert [maps.heads for maps in read.attention_maps] == [maps.heads for maps in written.attention_maps]
    assert any(maps.programmed for maps in read.attention_maps), "the blocked heads are read back"
    for mine, theirs in zip(read.attention_maps, written.attention_maps, strict=True):
        np.testing.assert_allclose(mine.weights, theirs.weights, atol=0.5e-3)  # maps travel in thousandths


def test_redacted_explanations_read_back_without_unit_texts(bundled_engine: PathEngine) -> None:
    written = explain(bundled_engine, TEXT, bundled_engine.parse("full"), ("gxi",), score_faithfulness=False)
    redacted = redact_tokens(written.to_json())
    read = ExplanationSet.from_json(redacted)
    assert read.to_json() == redacted
    assert all(unit.text is None for unit in read.units)
    assert [unit.start for unit in read.units] == [unit.start for unit in written.units]


def test_what_is_not_an_explanation_is_refused_in_one_line() -> None:
    with pytest.raises(InputError, match=r"not an ExplanationSet's JSON \(KeyError: .*\): explain the decision again"):
        ExplanationSet.from_json({"ig": {"tokens": ["dull"], "scores": [0.9]}})
