"""app.py's first page on a cold server: a title and a progress bar that says what is loading, step by step."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.ui import models as ui_models

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_the_loading_page_says_when_it_opens_the_decision_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped while the record opens, the cold server's first page names that step on its progress bar."""

    def record_that_does_not_open(_engine: object, _location: str, _name: str) -> object:
        raise RuntimeError("the test stops the first visit here")

    monkeypatch.setattr(ui_models, "open_model_service", record_that_does_not_open)
    st.cache_resource.clear()  # a cold server: the model has not been loaded by any visit yet
    try:
        at = AppTest.from_file(APP, default_timeout=240).run()
        steps = [(bar.proto.value, bar.proto.text) for bar in at.get("progress")]
    finally:
        st.cache_resource.clear()  # later tests start from a server that really opened its record
    assert at.title[0].value == "PathLens"
    assert steps == [(90, "Opening the decision record…")]
    assert "the test stops the first visit here" in at.exception[0].message
