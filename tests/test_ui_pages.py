"""Every dashboard page under Streamlit's AppTest, driving the real core on the bundled model."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.engine import PathEngine
from core.store import DecisionRecord, open_store

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TEXT = "Charged twice on 4111 1111 1111 1111, call +44 20 7946 0958. Awful, slow and rude service."


@pytest.fixture
def store_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    location = tmp_path / "decisions.sqlite"
    monkeypatch.setenv("PATHLENS_STORE", str(location))
    return location


def _decided(bundled_engine: PathEngine) -> AppTest:
    """The app after typing TEXT, switching head 2.3 off, withholding phone and card, and pressing Decide."""
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception
    at.text_area(key="pl_w_text").input(TEXT).run()
    at.sidebar.pills(key="pl_w_heads_2").unselect(3).run()
    at.sidebar.checkbox(key="pl_w_group_phone").check().run()
    at.sidebar.checkbox(key="pl_w_group_card").check().run()
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_decide_page_runs_the_chosen_path(bundled_engine: PathEngine) -> None:
    at = _decided(bundled_engine)
    assert at.sidebar.text_input(key="pl_w_path").value == "heads_off=2.3; withhold=card,phone"
    expected = bundled_engine.decide(TEXT, bundled_engine.parse("heads_off=2.3; withhold=card,phone"))
    assert at.metric[0].value == expected.label
    assert not at.error
    html = "".join(m.value for m in at.markdown)
    assert 'data-group="card"' in html and 'data-group="phone"' in html
    assert html.count('class="pl-score"') > 5  # the attribution heatmap over the text
    charts = {c.proto.id for c in at.get("plotly_chart")}
    assert len(charts) >= 5  # probabilities, cost, token bars, attention grid, enlarged head


def test_decide_page_refuses_an_impossible_path(bundled_engine: PathEngine) -> None:
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.sidebar.text_input(key="pl_w_path").input("depth=9").run()
    assert not at.exception
    assert "this model has depths 1-6" in at.sidebar.error[0].value
    at.sidebar.text_input(key="pl_w_path").input("layers=0-2; withhold=email").run()
    assert at.sidebar.slider(key="pl_w_depth").value == 3
    assert at.sidebar.checkbox(key="pl_w_group_email").value


def test_user_text_is_escaped(bundled_engine: PathEngine) -> None:
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.text_area(key="pl_w_text").input("<script>alert(1)</script><img src=x onerror=alert(2)> great").run()
    html = "".join(m.value for m in at.markdown)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_compare_page_shows_every_depth(bundled_engine: PathEngine) -> None:
    at = _decided(bundled_engine)
    at.switch_page("pages/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric[0].value == "7"  # executed + full + depths 1-5
    table = at.dataframe[0].value
    assert table["path"].iloc[0].startswith("▶ heads_off=2.3")
    assert any("depth=1" in p for p in table["path"])
    executed_flops, full_flops = (
        table["FLOPs"].iloc[0],
        table.loc[table["path"] == "withhold=card,phone", "FLOPs"].iloc[0],
    )
    assert at.metric[2].value == f"{1 - executed_flops / full_flops:.0%}"
    assert table["FLOPs vs executed"].iloc[0] == pytest.approx(1.0)


def test_audit_page_runs_the_sample(bundled_engine: PathEngine) -> None:
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.switch_page("pages/audit.py").run()
    at.text_input(key="pl_w_audit_path").input("depth=3").run()
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rows decided"] == "20"
    assert metrics["Compute saved"] == "50%"
    assert len(at.dataframe[0].value) == 20


def test_audit_page_reports_a_missing_column(bundled_engine: PathEngine) -> None:
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.switch_page("pages/audit.py").run()
    at.selectbox[1].select("label").run()  # the label column as the text column is fine; now break the path
    at.text_input(key="pl_w_audit_path").input("depth=0").run()
    at.button[0].click().run()
    assert not at.exception
    assert "depth=0 is impossible" in at.error[0].value


def test_history_page_lists_stored_decisions(bundled_engine: PathEngine, store_env: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.switch_page("pages/history.py").run()
    assert not at.exception
    assert "No stored decisions" in at.info[0].value
    spec = bundled_engine.parse("depth=2; withhold=card")
    decision = bundled_engine.decide(TEXT, spec)
    store = open_store()
    store.insert(
        DecisionRecord(
            decision_id=decision.decision_id,
            created_at=datetime.now(UTC).isoformat(),
            model_fingerprint=decision.model_fingerprint,
            path=decision.path,
            path_id=decision.path_id,
            input_fingerprint=store.input_fingerprint(TEXT),
            withheld=decision.withheld,
            label=decision.label,
            probs=decision.probs,
            logits=decision.logits,
            cost=decision.cost.to_json(),
            tokens=decision.to_json()["tokens"],
        )
    )
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert list(table["decision_id"]) == [decision.decision_id]
    assert table["withheld"].iloc[0] == "card×1"


def test_model_page_draws_the_current_path(bundled_engine: PathEngine) -> None:
    at = _decided(bundled_engine)
    at.switch_page("pages/model.py").run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Layers"] == "6" and metrics["Heads per layer"] == "12"
    assert bundled_engine.model.fingerprint in at.markdown[0].value
    assert "heads_off=2.3; withhold=card,phone" in at.markdown[0].value
    assert len(at.dataframe[0].value) == 6
