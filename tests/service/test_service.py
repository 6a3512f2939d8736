"""The DecisionService as the one entry point: deciding with the full-path reference, explaining and attaching.

References: `PathEngine.decide` on the full path, and `core.explain.explain` called directly.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import core.service.decisions as decisions
from core.errors import InputError
from core.explain import IGOptions, explain
from core.run import PathEngine
from core.service import DecisionService
from core.store import StoreFullError, open_store

TEXT = "Slow and rude service, write to jane.roe@example.com, but the food was lovely."


def test_decide_with_reference_gives_the_full_path_on_the_same_input(
    bundled_engine: PathEngine, tmp_path: Path
) -> None:
    store = open_store(tmp_path / "reference.sqlite")
    service = DecisionService(bundled_engine, store)
    spec = bundled_engine.parse("depth=2; heads_off=1.0; withhold=email; precision=int8")
    audited = service.decide(TEXT, spec, compare=False, reference=True)
    expected = bundled_engine.decide(TEXT, bundled_engine.parse("withhold=email; precision=int8"))
    assert audited.spec == spec and audited.reference is not None
    reference = audited.reference
    assert (reference.path, reference.label, reference.withheld) == (expected.path, expected.label, {"email": 1})
    assert reference.probs == pytest.approx(expected.probs, abs=1e-6)
    assert reference.cost.flops == expected.cost.flops > audited.decision.cost.flops
    assert store.count()[0] == 1, "the reference is not recorded"
    full = service.decide(TEXT, bundled_engine.parse("withhold=email"), compare=False, reference=True)
    assert full.reference is full.decision
    assert "reference" not in service.decide(TEXT, spec, compare=False).to_json()


@pytest.mark.parametrize("keep_text", [False, True])
def test_explain_attaches_the_explanation_redacted_unless_the_text_was_kept(
    bundled_engine: PathEngine, tmp_path: Path, keep_text: bool
) -> None:
    store = open_store(tmp_path / f"explain-{keep_text}.sqlite")
    service = DecisionService(bundled_engine, store)
    spec = bundled_engine.parse("depth=3; withhold=email")
    audited = service.decide(TEXT, spec, keep_text=keep_text, compare=False)
    explained = service.explain(audited, TEXT, methods=("occlusion",), ig=IGOptions(4))
    direct = explain(bundled_engine, TEXT, spec, methods=("occlusion",), ig=IGOptions(4)).to_json()
    assert explained.explanations is not None and explained.record.status == "stored"
    assert explained.explanations["methods"]["occlusion"]["scores"] == direct["methods"]["occlusion"]["scores"]
    stored = store.get(audited.decision.decision_id).explanations
    assert stored is not None
    assert stored["methods"]["occlusion"]["scores"] == direct["methods"]["occlusion"]["scores"]
    stored_texts = [unit.get("text") for unit in stored["units"]]
    if keep_text:
        assert "lovely" in stored_texts
    else:
        assert not any(stored_texts) and "lovely" not in str(stored)


def test_explain_keeps_the_explanation_when_the_store_write_fails(
    bundled_engine: PathEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(tmp_path / "failing.sqlite")
    service = DecisionService(bundled_engine, store)
    audited = service.decide(TEXT, bundled_engine.parse("depth=1"), compare=False)

    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise StoreFullError("the disk is full")

    monkeypatch.setattr(store, "attach_explanations", full_disk)
    explained = service.explain(audited, TEXT, methods=("occlusion",))
    assert explained.explanations is not None and "occlusion" in explained.explanations["methods"]
    assert explained.record.status == "failed" and "explanation not stored" in str(explained.record.error)
    assert store.get(audited.decision.decision_id).explanations is None


def test_explain_without_a_store_only_explains(bundled_engine: PathEngine) -> None:
    service = DecisionService(bundled_engine, None)
    audited = service.decide(TEXT, bundled_engine.parse("depth=2"))
    explained = service.explain(audited, TEXT, methods=("attention",))
    assert explained.record.status == "off" and explained.explanations is not None


def test_background_work_waits_while_the_user_waits_for_an_explanation(
    bundled_engine: PathEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = DecisionService(bundled_engine, open_store(tmp_path / "gate.sqlite"))
    audited = service.decide(TEXT, bundled_engine.parse("depth=2"), compare=False)
    explaining = decisions.explain_json
    background_held: list[bool] = []

    def explain_while_a_worker_waits(*args: object, **kwargs: object) -> dict:
        worker = threading.Thread(target=service.gate.wait_idle)  # what the comparison worker does before a layer
        worker.start()
        worker.join(timeout=0.5)
        background_held.append(worker.is_alive())
        return explaining(*args, **kwargs)

    monkeypatch.setattr(decisions, "explain_json", explain_while_a_worker_waits)
    service.explain(audited, TEXT, methods=("occlusion",))
    assert background_held == [True]
    idle = threading.Thread(target=service.gate.wait_idle)
    idle.start()
    idle.join(timeout=5)
    assert not idle.is_alive(), "once the explanation is back, background work goes on"
    service.close(timeout_s=60)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("x \ud800 y", "text is not valid Unicode"),  # issue 25, row 2: a tokenizer TypeError / UnicodeEncodeError
        ("\u0000\u0000", "text holds no content"),  # issue 25, row 10: decided and recorded on special tokens alone
        ("\u200b\u200b", "text holds no content"),
        ("\ufeff", "text holds no content"),
    ],
)
def test_every_entry_point_refuses_a_text_that_cannot_be_decided(
    bundled_engine: PathEngine, tmp_path: Path, text: str, reason: str
) -> None:
    store = open_store(tmp_path / "refused.sqlite")
    service = DecisionService(bundled_engine, store)
    spec = bundled_engine.parse("depth=2")
    with pytest.raises(InputError, match=f"^the {reason}"):
        service.decide(text, spec)
    assert store.count() == (0, 0)
    stored = service.decide("a fine film", spec, compare=False)
    with pytest.raises(InputError, match=f"^the {reason}"):
        service.reproduce(stored.decision.decision_id, text)
    with pytest.raises(InputError, match=f"^the {reason}"):
        service.explain(stored, text, methods=("occlusion",))


def test_explain_stored_holds_background_work_off_and_attaches_adaptive_ig(
    bundled_engine: PathEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(tmp_path / "stored.sqlite")
    service = DecisionService(bundled_engine, store)
    spec = bundled_engine.parse("depth=3")
    decision_id = service.decide(TEXT, spec, compare=False).decision.decision_id
    explaining = decisions.explain_json
    background_held: list[bool] = []

    def explain_while_a_worker_waits(*args: object, **kwargs: object) -> dict:
        worker = threading.Thread(target=service.gate.wait_idle)
        worker.start()
        worker.join(timeout=0.5)
        background_held.append(worker.is_alive())
        return explaining(*args, **kwargs)

    monkeypatch.setattr(decisions, "explain_json", explain_while_a_worker_waits)
    with pytest.raises(InputError, match="was not kept: send it"):
        service.explain_stored(decision_id, methods=("ig",), resend="send it")
    data = service.explain_stored(decision_id, TEXT, methods=("ig",))
    direct = explain(bundled_engine, TEXT, spec, methods=("ig",)).to_json()["methods"]["ig"]
    assert background_held == [True]
    assert data["methods"]["ig"]["steps"] == direct["steps"] and data["methods"]["ig"]["within_tolerance"] is not None
    stored = store.get(decision_id).explanations
    assert stored is not None and not any(unit.get("text") for unit in stored["units"])  # text not kept: redacted
    assert service.stored_text(decision_id) is None
    with pytest.raises(InputError, match="no decision record is open"):
        DecisionService(bundled_engine, None).require_store()
    service.close(timeout_s=60)
