"""The dashboard's optional login (PATHLENS_DASHBOARD_AUTH=1) with the API's keys: each role sees what it may."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.run import PathEngine
from core.service import DecisionService
from core.store import open_store
from core.store.keys import create_key

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SECRET = "Quokka-velvet-5512 wrote: the film was wonderful"


@pytest.fixture
def keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled_engine: PathEngine) -> dict[str, str]:
    """A store holding one decision whose text was kept, and one key per role; login switched on."""
    location = tmp_path / "decisions.sqlite"
    monkeypatch.setenv("PATHLENS_STORE", str(location))
    monkeypatch.setenv("PATHLENS_DASHBOARD_AUTH", "1")
    store = open_store(location)
    service = DecisionService(bundled_engine, store)
    service.decide(SECRET, bundled_engine.parse("depth=2"), keep_text=True, compare=False)
    service.close()
    return {role: create_key(store, role)[0] for role in ("viewer", "analyst")}


def _logged_in(key: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "PathLens" and len(at.text_input) == 1  # the login form, nothing else
    at.text_input(key="pl_w_login_key").input(key)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_wrong_key_is_refused(keys: dict[str, str]) -> None:
    at = _logged_in("plk_nope_nope")
    assert "unknown or revoked" in at.error[0].value and at.session_state["pl_role"] is None


def test_a_viewer_gets_the_history_without_texts(keys: dict[str, str]) -> None:
    at = _logged_in(keys["viewer"])
    assert at.session_state["pl_role"] == "viewer"
    assert at.title[0].value == "History"  # the first page a viewer may open
    assert bool(at.dataframe[0].value["text kept"].iloc[0])
    rendered = " ".join(str(element.value) for element in [*at.markdown, *at.info, *at.caption])
    assert "A viewer key reads decisions without their texts" in rendered and "Quokka" not in rendered
    assert [b.key for b in at.button if b.key and b.key.startswith("pl_w_hist")] == []
    with pytest.raises(Exception, match=r"pages/decide\.py"):
        at.switch_page("pages/decide.py").run()


def test_an_analyst_gets_every_page_and_the_kept_text(keys: dict[str, str]) -> None:
    at = _logged_in(keys["analyst"])
    assert at.session_state["pl_role"] == "analyst" and at.title[0].value.startswith("Decide")
    assert "Logged in as analyst" in [caption.value for caption in at.sidebar.caption]
    at.switch_page("pages/history.py").run()
    assert not at.exception
    assert at.button(key="pl_w_hist_reproduce") is not None and at.button(key="pl_w_hist_compare") is not None
