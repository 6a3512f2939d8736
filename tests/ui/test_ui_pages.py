"""Every dashboard page under Streamlit's AppTest, driving the real core on the bundled model."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.explain import explain
from core.run import PathEngine
from core.service import compare_decision
from core.store import AlternativeRecord, AlternativeResult, DecisionRecord, open_store, worker_id
from core.ui import format_flops
from tests.conftest import decision_record, explanation_json

APP = str(Path(__file__).resolve().parents[2] / "app.py")
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
    at.multiselect(key="pl_w_methods").set_value(["ig", "gxi", "saliency", "lrp", "occlusion", "attention"]).run()
    at.button(key="pl_w_decide").click().run()
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
    record = open_store().get(at.session_state["pl_opened"])  # recorded through the DecisionService
    assert (record.path, record.label, record.text) == (PATH, expected.label, None)
    assert record.withheld == {"card": 1, "phone": 1}
    assert set(record.explanations["methods"]) == {"ig", "gxi", "saliency", "lrp", "occlusion", "attention"}
    html = "".join(m.value for m in at.markdown)
    assert 'data-group="card"' in html and 'data-group="phone"' in html
    heatmap = at.markdown[-1].value
    assert heatmap.count('class="pl-score"') > 5 and heatmap.count('class="pl-withheld"') == 2
    assert "7946" in heatmap  # shown to the analyst struck through; the model read the placeholder

    reference = explain(bundled_engine, TEXT, spec, methods=("occlusion",))
    cost = at.dataframe[0].value
    assert list(cost["measure"]) == ["layers", "heads", "FLOPs"]  # exact counts lead; no ms ratio among them
    assert cost.set_index("measure").loc["FLOPs", "this path"] == format_flops(expected.cost.flops)  # "191.9 MFLOP"
    timing = at.dataframe[1].value
    assert list(timing["path"]) == ["this path", "full path"] and timing["warm time"].str.contains("warm runs").all()
    faithfulness = at.dataframe[2].value.set_index("method")
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


def test_the_explanation_exports_as_one_offline_html_file(decided: AppTest, bundled_engine: PathEngine) -> None:
    from core import ui

    view = decided.session_state["pl_decision"]
    explanation = ui.explanation_of(view)
    page = ui.decision_html(view, explanation, 6, 12)
    assert page.startswith("<!DOCTYPE html>") and page.count("<script>") >= 1
    assert "<script src" not in page and 'src="http' not in page  # plotly.js is inline: the file opens offline
    assert "Plotly.newPlot" in page and len(page) > 3_000_000
    assert page.count('class="plotly-graph-div"') == len(explanation.methods) + 4 + bool(explanation.maps)
    assert page.count('class="pl-score"') >= len(explanation.methods) * 5
    body = page.split("</head>", 1)[1]  # after plotly.js
    # withheld spans are masked in the file; a whole number, not digits inside plotly's floats (0.179461...)
    assert not re.search(r"(?<![\d.])(7946|4111)(?![\d.])", body)
    assert "Awful" in body and all(ui.METHOD_NAMES[m] in body for m in explanation.methods)

    compared = ui.comparison(decided.session_state["pl_service"], view.decision_id)
    table = ui.comparison_html(compared)
    assert all(ui.html_escape(row["path"]) in table for row in compared.rows)


def test_decide_page_draws_each_method_over_the_text(decided: AppTest) -> None:
    at = decided
    at.switch_page("pages/decide.py").run()
    radio = at.radio(key="pl_w_method")
    assert radio.options == [
        "Attention rollout",
        "Gradient × Input",
        "Saliency",
        "AttnLRP",
        "Occlusion",
        "Integrated Gradients",
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


def test_decide_is_off_while_the_path_is_refused_and_runs_exactly_the_shown_path(store_env: Path) -> None:
    at = _app()
    decide = at.button(key="pl_w_decide")
    assert not decide.disabled
    at.sidebar.text_input(key="pl_w_path").input("heads_off=0.*,1.*,2.*,3.*,4.*,5.*").run()
    assert at.sidebar.error and at.button(key="pl_w_decide").disabled
    at.sidebar.text_input(key="pl_w_path").input("depth=2").run()
    assert not at.button(key="pl_w_decide").disabled
    at.sidebar.pills(key="pl_w_layers").set_value([]).run()  # every layer switched off
    assert "no layer is switched on" in at.sidebar.error[0].value
    assert at.button(key="pl_w_decide").disabled
    at.sidebar.pills(key="pl_w_layers").set_value([1]).run()
    shown = at.sidebar.text_input(key="pl_w_path").value
    assert shown == "layers=1" and not at.button(key="pl_w_decide").disabled
    at.multiselect(key="pl_w_methods").set_value(["gxi"]).run()
    at.button(key="pl_w_decide").click().run()
    assert not at.exception, [e.value for e in at.exception]
    record = open_store().get(at.session_state["pl_opened"])
    assert record.path == shown
    assert set(record.explanations["methods"]) == {"gxi"}  # only the chosen method ran


def test_explanation_target_and_int8_methods(store_env: Path, bundled_engine: PathEngine) -> None:
    at = _app()
    at.text_area(key="pl_w_text").input(TEXT).run()
    at.sidebar.selectbox(key="pl_w_precision").select("int8").run()
    assert at.sidebar.text_input(key="pl_w_path").value == "precision=int8"
    methods = at.multiselect(key="pl_w_methods")
    assert methods.options == ["Attention rollout", "Occlusion"]  # int8 has no gradients
    methods.set_value(["occlusion"]).run()
    expected = bundled_engine.decide(TEXT, bundled_engine.parse("precision=int8"))
    other = next(label for label in expected.probs if label != expected.label)
    at.selectbox(key="pl_w_target").select(other).run()
    assert "1 window(s) × 1 method(s)" in " ".join(c.value for c in at.caption)
    at.button(key="pl_w_decide").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    record = open_store().get(at.session_state["pl_opened"])
    assert record.explanations["target"] == other and set(record.explanations["methods"]) == {"occlusion"}
    reference = explain(bundled_engine, TEXT, bundled_engine.parse("precision=int8"), ("occlusion",), target=other)
    assert record.explanations["methods"]["occlusion"]["scores"] == pytest.approx(
        list(reference.methods["occlusion"].scores), abs=1e-6
    )
    at.sidebar.checkbox(key="pl_w_explain_all").check().run()  # alternatives explained too: same int8-safe methods
    at.button(key="pl_w_decide").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert set(open_store().get(at.session_state["pl_opened"]).explanations["methods"]) == {"occlusion"}


def test_a_cancelled_explanation_leaves_the_decision_recorded(store_env: Path) -> None:
    at = _app()
    at.button(key="pl_w_decide").click().run()
    view = at.session_state["pl_decision"]
    at.session_state["pl_decision"] = view.without_explanation()
    at.session_state["pl_explain_cancelled"] = view.decision_id  # what the Cancel button's callback sets
    at.run()
    assert not at.exception
    assert "Explanation cancelled" in at.info[0].value
    assert open_store().get(view.decision_id).label == view.label
    at.button(key="pl_w_explain").click().run()
    assert at.session_state["pl_decision"].explanation is not None


def test_also_compare_errors_name_their_field() -> None:
    at = _app()
    at.sidebar.text_input(key="pl_w_extra").input("depth=2 | depth=9").run()
    at.button(key="pl_w_decide").click().run()
    assert "Also compare: the path 'depth=9' is refused" in at.error[0].value


def test_a_corrupt_store_leaves_the_pages_usable_and_says_nothing_is_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("PATHLENS_STORE", str(corrupt))
    at = _app()
    assert "cannot be opened" in at.warning[0].value
    at.multiselect(key="pl_w_methods").set_value(["gxi"]).run()
    at.button(key="pl_w_decide").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric[0].label == "Label" and at.metric[1].label == "Confidence"
    assert any("not recorded" in w.value for w in at.warning)
    assert not at.get("page_link")  # no Compare link for a decision that was not recorded
    at.switch_page("pages/model.py").run()
    assert not at.exception and at.dataframe
    at.switch_page("pages/history.py").run()
    assert "no decision record is open" in at.error[0].value
    assert corrupt.read_bytes() == b"this is not a database" * 100  # never overwritten


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
    title = "Cost vs confidence (★ executed, red: label flipped; numbers as in the table)"
    charts = _charts(at)
    assert {"Probabilities per path", title} <= set(charts)
    scatter = charts[title]
    points, layout = scatter["data"][0], scatter["layout"]
    assert layout["xaxis"]["range"][1] > max(points["x"])  # room for the labels at the right edge
    assert points["text"] == [str(i) for i in range(7)] and points["hovertext"][0] == PATH
    low, high = layout["yaxis"]["range"]
    ticks = [f"{low + (high - low) * k / 5:{layout['yaxis']['tickformat']}}" for k in range(6)]
    assert len(set(ticks)) == len(ticks), ticks  # no "100%, 100%, 100%"
    assert list(table["#"]) == list(range(7))
    times = table.set_index("path")["ms (estimated from FLOPs)"]
    expected = {f"▶ {PATH}": stored.executed.estimated_ms} | {a.path: a.estimated_ms for a in stored.alternatives}
    assert times.to_dict() == pytest.approx(expected)  # the figures `python -m core compare` prints
    depths = [times[f"depth={d}; withhold=card,phone"] for d in range(1, 6)] + [times["withhold=card,phone"]]
    assert depths == sorted(depths)  # a shallower path never shows more time


def _record(engine: PathEngine, path: str, alternatives: tuple[AlternativeRecord, ...] = (), **extra) -> DecisionRecord:
    decision = engine.decide(TEXT, engine.parse(path))
    return decision_record(
        decision.decision_id,
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
    mine = explanation_json(words, {"gxi": [0.9, 0.8, 0.7, 0.6, 0.5, 0.0, 0.0]})  # top 5: 0-4
    theirs = explanation_json(words, {"gxi": [0.9, 0.8, 0.7, 0.6, 0.0, -0.5, 0.0]})  # 0-3, 5
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
    at.button(key="pl_w_audit_open").click().run()  # opens the decision the audit recorded, not a new one
    assert not at.exception, [e.value for e in at.exception]
    opened = open_store().get(at.session_state["pl_opened"])
    assert (opened.audit_row, opened.path) == (int(first["row"]), "depth=3")
    assert at.dataframe[0].value["path"].iloc[0] == "▶ depth=3"
    assert len(open_store().history(limit=100, path="depth=3")) == 20  # nothing decided again


def test_an_unrecorded_audit_row_opens_on_decide(store_env: Path) -> None:
    at = _app()
    at.switch_page("pages/audit.py").run()
    at.text_input(key="pl_w_audit_path").input("depth=2").run()
    at.button[0].click().run()
    row = at.session_state["pl_audit"].rows.iloc[3]
    at.selectbox[-1].select(row["row"]).run()
    at.button(key="pl_w_audit_open").click().run()
    assert not at.exception
    assert at.text_area(key="pl_w_text").value == row["text"]
    assert at.sidebar.text_input(key="pl_w_path").value == "depth=2"


def test_the_audit_page_skips_and_lists_bad_rows_like_the_cli(
    bundled_engine: PathEngine, store_env: Path, tmp_path: Path
) -> None:
    from core import ui
    from core.audit import run_audit as cli_audit
    from core.service import DecisionService

    data = b"review,stars\nGreat film,5\n\xff\xfe broken bytes,1\nDull and slow,2\n"
    assert list(ui.read_table(data, "reviews.csv").columns) == ["review", "stars"]  # not refused as a whole
    unrecorded = DecisionService(bundled_engine, None)
    view = ui.run_audit(unrecorded, data, "reviews.csv", "review", None, "depth=2", lambda f, m: None)
    (tmp_path / "reviews.csv").write_bytes(data)
    reference = cli_audit(bundled_engine, tmp_path / "reviews.csv", "depth=2", text_col="review").to_json()
    assert view.summary["bad_rows"] == reference["bad_rows"] == [{"row": 1, "reason": "text is not valid UTF-8"}]
    assert list(view.rows["row"]) == [0, 2] and view.summary["rows"] == reference["rows"] == 2
    assert view.summary["read_warning"] is None  # some rows were read
    latin1 = ui.run_audit(
        unrecorded, "text\nJosé\nMuñoz\n".encode("latin-1"), "l.csv", "text", None, "full", lambda f, m: None
    )
    assert latin1.summary["read_warning"].startswith("none of the 2 rows was read, e.g. text is not valid UTF-8")


def test_the_audit_page_gets_the_warning_when_the_gold_labels_do_not_fit_the_model(bundled_engine: PathEngine) -> None:
    from core import ui
    from core.service import DecisionService

    data = b"text,label\nGreat film,1\nDull and slow,2\n"  # 1-2 stars: 2 is no position of negative, positive
    service = DecisionService(bundled_engine, None)
    view = ui.run_audit(service, data, "s.csv", "text", "label", "full", lambda f, m: None)
    warning = view.summary["gold_warning"]
    assert warning.startswith("none of the gold labels (1, 2) is one of the model's labels")
    assert "The model's labels are negative, positive" in warning and view.summary["accuracy"] is None


def test_audit_page_reports_an_impossible_path() -> None:
    at = _app()
    at.switch_page("pages/audit.py").run()
    at.text_input(key="pl_w_audit_path").input("depth=0").run()
    at.button[0].click().run()
    assert not at.exception
    assert "depth=0 is impossible" in at.error[0].value


def test_history_counts_every_matching_decision_not_the_listed_ones(
    bundled_engine: PathEngine, store_env: Path
) -> None:
    store = open_store()
    for _ in range(12):
        store.insert(_record(bundled_engine, "depth=2"))  # a fresh decision id each
    at = _app()
    at.switch_page("pages/history.py").run()
    at.number_input(key="pl_w_hist_limit").set_value(10).run()
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["Decisions"] == "12" and len(at.dataframe[0].value) == 10
    assert "The newest 10 are listed" in " ".join(c.value for c in at.caption)
    assert at.dataframe[0].value["flops"].iloc[0].endswith("FLOP")


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
