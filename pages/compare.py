"""Compare paths: the executed decision beside the paths not taken (full path and every shorter depth)."""

import pandas as pd
import streamlit as st

from core import figures, ui, ui_state

ui_state.init(st.session_state)
state = st.session_state
engine = st.cache_resource(ui.load_engine, show_spinner="Loading the model…")()

st.title("Compare paths")
view: ui.DecisionView | None = state[ui_state.DECISION]
if view is None:
    st.info("No decision yet: make one on the Decide & explain page first.")
    st.page_link("pages/decide.py", label="Go to Decide & explain", icon=":material/explore:")
    st.stop()

st.markdown(f"Executed path `{view.decision['path']}` decided **{ui.html_escape(view.label)}** on:")
st.markdown(
    ui.preview_html(engine, view.text, ui.controls_from_path(engine, view.decision["path"]).withhold),
    unsafe_allow_html=True,
)
extra_text = st.text_input("Add paths (one per `|`, e.g. `depth=2; heads_off=0.*` | `layers=0,2,4`)", key="pl_w_extra")
extra = [p.strip() for p in extra_text.split("|") if p.strip()]
try:
    with st.spinner("Computing the paths not taken…"):
        rows = ui.compare_paths(engine, view, extra)
except ui.UserError as exc:
    st.error(f"{exc}")
    st.stop()

flips = sum(row["flipped"] for row in rows)
left, middle, right = st.columns(3)
left.metric("Paths compared", len(rows))
middle.metric("Label flips vs executed", flips)
full_row = next(row for row in rows if row["full"])
right.metric("Compute saved vs full", f"{full_row['cost_saved']:.0%}")
if flips:
    st.warning(f"{flips} path(s) decide differently from the executed one: they are marked ⚠ below.")

table = pd.DataFrame(
    [
        {
            "path": ("▶ " if row["executed"] else "") + row["path"],
            "label": ("⚠ " if row["flipped"] else "") + row["label"],
            f"P({view.label})": row["confidence"],
            "FLOPs": row["flops"],
            "FLOPs vs executed": row["flops_ratio"],
        }
        for row in rows
    ]
)
st.dataframe(
    table,
    hide_index=True,
    column_config={
        f"P({view.label})": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1),
        "FLOPs vs executed": st.column_config.NumberColumn(format="%.2f×"),
    },
)
left, right = st.columns(2)
left.plotly_chart(figures.path_probabilities(rows, list(view.decision["probs"])), key="paths")
right.plotly_chart(figures.cost_vs_confidence(rows), key="scatter")
