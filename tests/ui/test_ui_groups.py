"""The Decide page's input groups: every group offered, `pii` in one click, the user's own groups, the preview."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.path import BUILTIN_GROUPS, PII_GROUPS

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TEXT = "Dear Zebulon Quackenbush, your parcel for Chicago left. Mail ops@example.org, ref KX-9921."


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240).run()
    assert not at.exception, [e.value for e in at.exception]
    at.text_area(key="pl_w_text").input(TEXT).run()
    return at


def _preview(at: AppTest) -> str:
    return "".join(m.value for m in at.markdown if "pl-withheld" in m.value or "Zebulon" in m.value)


def test_every_group_is_offered_and_pii_is_one_click() -> None:
    at = _app()
    offered = {box.label for box in at.sidebar.checkbox if box.key.startswith("pl_w_group_")}
    assert set(BUILTIN_GROUPS) <= offered
    at.sidebar.button(key="pl_w_pii").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert all(at.sidebar.checkbox(key=f"pl_w_group_{g}").value for g in PII_GROUPS)
    assert "person" in at.session_state["pl_path"] and "organization" not in at.session_state["pl_path"]
    preview = _preview(at)
    assert 'data-group="person"' in preview and 'data-group="email"' in preview and 'data-group="location"' in preview
    counts = {row["group"]: row["spans"] for row in at.table[0].value.to_dict("records")}
    assert counts["person"] == 1 and counts["email"] == 1 and counts["location"] == 1


@pytest.fixture
def fresh_engine_afterwards() -> Iterator[None]:
    """A user's group is offered server-wide: drop the cached engine so that later tests get one without it."""
    yield
    st.cache_resource.clear()


def test_a_regex_that_backtracks_without_end_never_hangs_the_page() -> None:
    at = _app()
    at.sidebar.text_input(key="pl_w_group_name").input("slow").run()
    at.sidebar.radio(key="pl_w_group_kind").set_value("regex").run()
    at.sidebar.text_area(key="pl_w_group_body").input("(a|aa)+$").run()
    at.sidebar.button(key="pl_w_add_group").click().run()
    assert "backtracks without end" in at.sidebar.error[0].value  # refused when defined
    # this one passes the probes but backtracks on "abab…!": the preview says so instead of hanging
    at.sidebar.text_area(key="pl_w_group_body").input("(ab|abab)+$").run()
    at.sidebar.button(key="pl_w_add_group").click().run()
    at.text_area(key="pl_w_text").input("ab" * 40 + "!").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("its regex ran over" in e.value and "was stopped" in e.value for e in at.main.error)


@pytest.mark.usefixtures("fresh_engine_afterwards")
def test_user_group_from_the_page_is_withheld_and_a_bad_regex_is_refused() -> None:
    at = _app()
    at.sidebar.text_input(key="pl_w_group_name").input("refs").run()
    at.sidebar.radio(key="pl_w_group_kind").set_value("regex").run()
    at.sidebar.text_area(key="pl_w_group_body").input("KX-(").run()
    at.sidebar.button(key="pl_w_add_group").click().run()
    assert "the regex does not compile" in at.sidebar.error[0].value
    assert "refs" not in at.session_state["pl_path"]
    at.sidebar.text_area(key="pl_w_group_body").input(r"KX-\d+").run()
    at.sidebar.button(key="pl_w_add_group").click().run()
    assert not at.exception, [e.value for e in at.exception]
    refs = f"refs__{at.session_state['pl_owner']}"
    box = at.sidebar.checkbox(key=f"pl_w_group_{refs}")
    assert box.label == "refs (yours)" and not box.value  # adding a group chooses nothing
    assert at.session_state["pl_path"] == "full"
    box.check().run()
    assert at.session_state["pl_path"] == f"withhold={refs}"
    assert f'data-group="{refs}"' in _preview(at)


@pytest.mark.usefixtures("fresh_engine_afterwards")
def test_two_sessions_add_groups_of_one_name_without_seeing_each_other() -> None:
    first, second = _app(), _app()
    for session, words in ((first, "refund, money back"), (second, "refund")):
        session.sidebar.text_input(key="pl_w_group_name").input("refund").run()
        session.sidebar.text_area(key="pl_w_group_body").input(words).run()
        session.sidebar.button(key="pl_w_add_group").click().run()
        assert not session.exception and not session.sidebar.error, [e.value for e in session.sidebar.error]
    mine, theirs = (f"refund__{s.session_state['pl_owner']}" for s in (first, second))
    assert mine != theirs
    offered = {box.key for box in second.sidebar.checkbox}
    assert f"pl_w_group_{theirs}" in offered and f"pl_w_group_{mine}" not in offered
    second.switch_page("pages/model.py").run()
    graph = next(c for c in second.get("plotly_chart") if "Computation graph" in c.proto.spec)
    assert graph.proto.spec.count("refund (yours)") == 1  # its own group only, by the name it gave
    first.sidebar.button(key="pl_w_add_group").click().run()  # the same name twice in one session is refused
    assert "you have a group 'refund' already" in first.sidebar.error[0].value
