"""History: the decision record, filtered by time, path and label; export it."""

import streamlit as st

from core import ui, ui_state

ui_state.init(st.session_state)
state = st.session_state
engine = st.cache_resource(ui.load_engine, show_spinner="Loading the model…")()
template = ui.template_view(engine)

st.title("History")
st.caption(
    "The decision record (`PATHLENS_STORE`, default `.pathlens/decisions.sqlite`): "
    "counts of withheld spans, never their text."
)
left, middle, right, far = st.columns(4)
path = left.text_input("Path (canonical)", key="pl_w_hist_path")
label = middle.selectbox("Label", ["(any)", *template.labels], key="pl_w_hist_label")
since = right.date_input("Since", value=None, key="pl_w_hist_since")
only_this_model = far.checkbox("This model only", value=True, key="pl_w_hist_model")
try:
    records = ui.history(
        path=ui.canonical(engine, path) if path.strip() else None,
        label=None if label == "(any)" else label,
        since=since.isoformat() if since else None,
    )
except ui.UserError as exc:
    st.error(str(exc))
    st.stop()
if only_this_model and not records.empty:
    records = records[records["model"] == template.fingerprint]
if records.empty:
    st.info("No stored decisions match: decisions made with `python -m core decide` are recorded here.")
    st.stop()

st.metric("Decisions", len(records))
st.dataframe(
    records,
    hide_index=True,
    column_config={"confidence": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1)},
)
st.download_button("Export (CSV)", records.to_csv(index=False), "decisions.csv", "text/csv")
chosen = st.selectbox("Open a decision", list(records["decision_id"]), key="pl_w_hist_open")
row = records[records["decision_id"] == chosen].iloc[0]
st.markdown(
    f"Decision `{chosen}` on path `{ui.html_escape(str(row['path']))}` decided **{ui.html_escape(str(row['label']))}**."
)
if st.button("Use this path on Decide & explain"):
    state[ui_state.PATH] = str(row["path"])
    st.switch_page("pages/decide.py")
