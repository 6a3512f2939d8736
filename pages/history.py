"""History: the decision record, filtered by time, path, label and model; open, reproduce and export decisions."""

import streamlit as st

from core import ui
from core.ui import models as ui_models
from core.ui import state as ui_state

state = st.session_state
engine, service = ui_state.resources(state)
may_read_text = ui.may_read_text(ui_state.role(state))
template = ui.template_view(engine, ui_state.owner(state))

st.title("History")
st.caption(f"The decision record `{ui.store_location()}`: counts of withheld spans, never their text.")
cols = st.columns(5)
path = cols[0].text_input("Path (canonical)", key="pl_w_hist_path")
label = cols[1].selectbox("Label", ["(any)", *template.labels], key="pl_w_hist_label")
since = cols[2].date_input("Since", value=None, key="pl_w_hist_since")
model_options = ui_models.history_models(service)
model = cols[3].selectbox("Model", list(model_options), key=ui_models.W_HISTORY_MODEL)
limit = cols[4].number_input("At most", 10, 10_000, value=200, step=50, key="pl_w_hist_limit")
try:
    filters = {
        "path": ui.canonical(engine, path) if path.strip() else None,
        "label": None if label == "(any)" else label,
        "since": since.isoformat() if since else None,
        "model": model_options[model],
    }
    records = ui.history(service, limit=int(limit), **filters)
    matching = ui.history_count(service, **filters)
except ui.UserError as exc:
    st.error(str(exc))
    st.stop()
if records.empty:
    st.info("No stored decisions match: decisions made on Decide & explain or with `python -m core decide` land here.")
    st.stop()

st.metric("Decisions", f"{matching:,}")
if matching > len(records):
    st.caption(f"The newest {len(records):,} are listed: raise *At most* to list more.")
st.dataframe(
    records.assign(flops=records["flops"].map(ui.format_flops)),
    hide_index=True,
    column_config={"confidence": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1)},
)
left, right = st.columns(2)
left.download_button("Export (CSV)", records.to_csv(index=False), "decisions.csv", "text/csv")
right.download_button(
    "Export full records (JSON)",
    ui.records_json(service, list(records["decision_id"]), redact=not may_read_text),
    "decisions.json",
    "application/json",
)

st.subheader("One decision")
chosen = st.selectbox("Decision", list(records["decision_id"]), key="pl_w_hist_open")
row = records[records["decision_id"] == chosen].iloc[0]
kept = ui.stored_text(service, chosen) if may_read_text else None
st.markdown(
    f"`{chosen}` on path `{ui.html_escape(str(row['path']))}` decided **{ui.html_escape(str(row['label']))}** "
    f"({row['confidence']:.1%}); alternatives {row['alternatives']}; text {'kept' if row['text kept'] else 'not kept'}."
)
if not may_read_text:
    st.info("A viewer key reads decisions without their texts: opening and reproducing need an analyst key.")
    st.stop()
left, middle, _ = st.columns(3)
if left.button("Open in Compare paths", key="pl_w_hist_compare"):
    state[ui_state.OPENED] = chosen
    st.switch_page("pages/compare.py")
if middle.button("Open in Decide & explain", key="pl_w_hist_decide"):
    state[ui_state.PATH] = str(row["path"])
    state[ui_state.DECISION] = None  # Decide shows the path and text; pressing Decide makes a new decision
    state.pop(ui_state.W_DEPTH, None)  # the path builder is redrawn from the path
    if kept is not None:
        state[ui_state.TEXT] = kept
        state.pop(ui_state.W_TEXT, None)
    st.switch_page("pages/decide.py")

text = kept
if kept is None:
    text = st.text_area("The text was not kept: paste it to reproduce the decision", key="pl_w_hist_text")
if st.button("Reproduce", key="pl_w_hist_reproduce", disabled=not text):
    try:
        result = ui.reproduce(service, chosen, text)
    except ui.UserError as exc:
        st.error(str(exc))
    else:
        cols = st.columns(3)
        cols[0].metric("Reproduced", "yes" if result.matches else "no")
        cols[1].metric("Label now / stored", f"{result.label} / {result.stored_label}")
        cols[2].metric("Max logit difference", f"{result.max_abs_logit_diff:.1e}", f"tolerance {result.tolerance:.0e}")
        st.caption(f"{result.alternatives_matching} of {result.alternatives_checked} stored alternatives match.")
