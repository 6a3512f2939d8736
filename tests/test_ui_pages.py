"""Every dashboard page under Streamlit's AppTest, driving the real core on the bundled model."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.engine import PathEngine
from core.explain import explain
from core.service import compare_decision
from core.store import AlternativeRecord, AlternativeResult, DecisionRecord, open_store, worker_id

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TEXT = "Charged twice on 4111 1111 1111 1111, call +44 20 7946 0958. Awful, slow and rude service."
PATH = "heads_off=2.3; withhold=card,phone"


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _charts(at: AppTest) -> dict[str, dict]:
    """Plotly figures on the page by title."""
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {str(f["layout"].get("title", {}).get("text", "")): f for f in figures}


@pytest.fixture(scope="module")
def decided() -> AppTest:
    """The app after typing TEXT, switching head 2.3 off, withholding phone and card, and pressing Decide."""
    at = _app()
    at.text_area(key="pl_w_text").input(TEXT).run()
    at.sidebar.pills(key="pl_w_heads_2").unselect(3).run()
    at.sidebar.checkbox(key="pl_w_group_phone").check().run()
    at.sidebar.checkbox(key="pl_w_group_card").check().run()
    at.sidebar.number_input(key="pl_w_steps").set_value(8).run()
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def store_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    location = tmp_path / "decisions.sqlite"
    monkeypatch.setenv("PATHLENS_STORE", str(location))
    yield location


def test_decide_page_runs_records_and_explains_the_chosen_path(decided: AppTest, bundled_engine: PathEngine) -> None:
    at = decided
    at.switch_page("pages/decide.py").run()
    assert at.sidebar.text_input(key="pl_w_path").value == PATH
    spec = bundled_engine.parse(PATH)
    expected = bundled_engine.decide(TEXT, spec)
    assert at.metric[0].value == expected.label
    assert not at.error
    record = open_store().get(at.session_state["pl_opened"])  # recorded through the Auditor
    assert (record.path, record.label, record.text) == (PATH, expected.label, None)
    assert record.withheld == {"card": 1, "phone": 1}
    assert set(record.explanations["methods"]) == {"ig", "gxi", "saliency", "lrp", "occlusion", "attention"}
    html = "".join(m.value for m in at.markdown)
    assert 'data-group="card"' in html and 'data-group="phone"' in html
    heatmap = at.markdown[-1].value
    assert heatmap.count('class="pl-score"') > 5 and heatmap.count('class="pl-withheld"') == 2
    assert "7946" in heatmap  # shown to the analyst struck through; the model read the placeholder

    reference = explain(bundled_engine, TEXT, spec, methods=("occlusion",))
    faithfulness = at.dataframe[1].value.set_index("method")
    assert faithfulness.loc["Occlusion", "comprehensiveness"] == pytest.approx(
        reference.methods["occlusion"].faithfulness.comprehensiveness, abs=1e-6
    )
    assert faithfulness.loc["random (floor)", "sufficiency"] == pytest.approx(reference.random_ranking.sufficiency)
    charts = _charts(at)
    grid = charts["Attention of the heads that ran (rows: layers, columns: heads)"]
    assert [a["text"] for a in grid["layout"]["annotations"] if a["text"] in ("off", "skipped")] == ["off"]
    assert "Agreement between methods (Spearman)" in charts and "Attention rollout" in charts
    focus = at.selectbox(key="pl_w_focus")
    assert "2.3" not in focus.options and "2.4" in focus.options
    focus.select("2.4").run()
    assert "Layer 2, head 4" in _charts(at)


def test_decide_page_draws_each_method_over_the_text(decided: AppTest) -> None:
    at = decided
    at.switch_page("pages/decide.py").run()
    radio = at.radio(key="pl_w_method")
    assert radio.options == [
        "Integrated Gradients",
        "Gradient × Input",
        "Saliency",
        "AttnLRP",
        "Occlusion",
        "Attention rollout",
    ]
    before = at.markdown[-1].value
    radio.set_value("occlusion").run()
    assert not at.exception
    after = at.markdown[-1].value
    assert after != before and after.count('class="pl-withheld"') == 2
    assert "Why: Occlusion" in " ".join(h.value for h in at.subheader)


def test_decide_page_refuses_an_impossible_path() -> None:
    at = _app()
    at.sidebar.text_input(key="pl_w_path").input("depth=9").run()
    assert not at.exception
    assert "this model has depths 1-6" in at.sidebar.error[0].value
    at.sidebar.text_input(key="pl_w_path").input("layers=0-2; withhold=email").run()
    assert at.sidebar.slider(key="pl_w_depth").value == 3
    assert at.sidebar.checkbox(key="pl_w_group_email").value


def test_user_text_is_escaped() -> None:
    at = _app()
    at.text_area(key="pl_w_text").input("<script>alert(1)</script><img src=x onerror=alert(2)> great").run()
    html = "".join(m.value for m in at.markdown)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_compare_page_shows_every_stored_path(decided: AppTest) -> None:
    at = decided
    decision_id = at.session_state["pl_opened"]
    stored = compare_decision(open_store(), decision_id, wait_s=120)
    assert not stored.pending
    at.switch_page("pages/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Paths compared"] == "7" and metrics["Still computing"] == "0"  # executed + full + depths 1-5
    table = at.dataframe[0].value
    assert table["path"].iloc[0] == f"▶ {PATH}"
    by_path = table.set_index("path")
    for alternative in stored.alternatives:
        assert by_path.loc[alternative.path, "P(negative)"] == pytest.approx(alternative.probs["negative"])
    full = next(a for a in stored.alternatives if a.path == "withhold=card,phone")
    assert metrics["Compute saved vs full"] == f"{1 - stored.executed.cost['flops'] / full.cost['flops']:.1%}"
    assert {"Probabilities per path", "Cost vs confidence (★ executed, red: label flipped)"} <= set(_charts(at))


def _record(engine: PathEngine, path: str, alternatives: tuple[AlternativeRecord, ...] = (), **extra) -> DecisionRecord:
    decision = engine.decide(TEXT, engine.parse(path))
    return DecisionRecord(
        decision_id=decision.decision_id,
        created_at=datetime.now(UTC).isoformat(),
        model_fingerprint=decision.model_fingerprint,
        path=decision.path,
        path_id=decision.path_id,
        input_fingerprint=open_store().input_fingerprint(TEXT),
        withheld=decision.withheld,
        label=decision.label,
        probs=decision.probs,
        logits=decision.logits,
        cost=decision.cost.to_json(),
        tokens=decision.to_json()["tokens"],
        alternatives=alternatives,
        **extra,
    )


def test_compare_page_updates_pending_paths_and_shows_token_changes(
    bundled_engine: PathEngine, store_env: Path
) -> None:
    full = bundled_engine.parse("full")
    words = ["awful", "slow", "rude", "twice", "charged", "fine", "on"]
    units = [{"text": t, "start": 0, "end": 1, "word": i} for i, t in enumerate(words)]
    mine = {"units": units, "methods": {"gxi": {"scores": [0.9, 0.8, 0.7, 0.6, 0.5, 0.0, 0.0]}}}  # top 5: 0-4
    theirs = {"units": units, "methods": {"gxi": {"scores": [0.9, 0.8, 0.7, 0.6, 0.0, -0.5, 0.0]}}}  # 0-3, 5
    record = _record(
        bundled_engine,
        "depth=2",
        (AlternativeRecord("full", full.path_id(bundled_engine.model.fingerprint)),),
        text=TEXT,
        explanations=mine,
    )
    open_store().insert(record, worker_id())  # pending, owned by this (live) process
    at = _app()
    at.session_state["pl_opened"] = record.decision_id
    at.switch_page("pages/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["Still computing"] == "1"
    assert "still computing" in at.info[0].value

    outcome = bundled_engine.decide(TEXT, full)
    result = AlternativeResult(
        outcome.path_id, outcome.label, outcome.probs, outcome.logits, outcome.cost.to_json(), theirs
    )
    open_store().complete(record.decision_id, [result])
    at.button(key="pl_w_compare_refresh").click().run()
    assert {m.label: m.value for m in at.metric}["Still computing"] == "0"
    table = at.dataframe[0].value.set_index("path")
    assert table.loc["full", "status"] == "done"
    assert table.loc["full", "top tokens gained"] == "fine" and table.loc["full", "top tokens lost"] == "charged"
    assert table.loc["full", "FLOPs vs executed"] == pytest.approx(outcome.cost.flops / record.cost["flops"])


def test_audit_page_runs_and_records_the_sample(store_env: Path) -> None:
    at = _app()
    at.switch_page("pages/audit.py").run()
    at.text_input(key="pl_w_audit_path").input("depth=3").run()
    at.checkbox(key="pl_w_audit_record").check().run()
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rows decided"] == "20"
    assert metrics["Compute saved"] == "50%"
    assert len(at.dataframe[0].value) == 20
    assert len(open_store().history(limit=100, path="depth=3")) == 20
    at.segmented_control(key="pl_w_audit_filter").set_value("low confidence").run()
    shown = at.dataframe[0].value
    assert (shown["confidence"] < 0.7).all()

    first = shown.iloc[0] if len(shown) else at.session_state["pl_audit"].rows.iloc[0]
    at.selectbox[-1].select(first["row"]).run()
    at.button[-1].click().run()
    assert not at.exception
    assert at.text_area(key="pl_w_text").value == first["text"]
    assert at.sidebar.text_input(key="pl_w_path").value == "depth=3"


def test_audit_page_reports_an_impossible_path() -> None:
    at = _app()
    at.switch_page("pages/audit.py").run()
    at.text_input(key="pl_w_audit_path").input("depth=0").run()
    at.button[0].click().run()
    assert not at.exception
    assert "depth=0 is impossible" in at.error[0].value


def test_history_page_lists_opens_and_reproduces(bundled_engine: PathEngine, store_env: Path) -> None:
    at = _app()
    at.switch_page("pages/history.py").run()
    assert not at.exception
    assert "No stored decisions" in at.info[0].value
    record = _record(bundled_engine, "depth=2; withhold=card")
    open_store().insert(record)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert list(table["decision_id"]) == [record.decision_id]
    assert table["withheld"].iloc[0] == "card×1" and not table["text kept"].iloc[0]
    at.selectbox(key="pl_w_hist_label").select("positive" if record.label == "negative" else "negative").run()
    assert "No stored decisions" in at.info[0].value
    at.selectbox(key="pl_w_hist_label").select("(any)").run()

    assert at.button(key="pl_w_hist_reproduce").disabled  # the text was not kept: it must be given first
    at.text_area(key="pl_w_hist_text").input(TEXT).run()
    at.button(key="pl_w_hist_reproduce").click().run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Reproduced"] == "yes" and metrics["Label now / stored"] == f"{record.label} / {record.label}"
    at.text_area(key="pl_w_hist_text").input("another text").run()
    at.button(key="pl_w_hist_reproduce").click().run()
    assert "fingerprints differ" in at.error[0].value

    at.button(key="pl_w_hist_compare").click().run()
    assert not at.exception
    assert at.session_state["pl_opened"] == record.decision_id
    assert at.dataframe[0].value["path"].iloc[0] == "▶ depth=2; withhold=card"


def test_model_page_draws_the_current_path(decided: AppTest, bundled_engine: PathEngine) -> None:
    at = decided
    at.switch_page("pages/model.py").run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Layers"] == "6" and metrics["Heads per layer"] == "12"
    assert bundled_engine.model.fingerprint in at.markdown[0].value
    assert PATH in at.markdown[0].value
    assert len(at.dataframe[0].value) == 6
