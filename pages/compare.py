"""Compare paths: the executed decision beside every stored path not taken; pending ones update by themselves."""

import pandas as pd
import streamlit as st

from core import ui
from core.ui import figures
from core.ui import models as ui_models
from core.ui import state as ui_state

state = st.session_state
engine, service = ui_state.resources(state)

st.title("Compare paths")
decision_id: str | None = state[ui_state.OPENED]
if decision_id is None:
    st.info("No decision yet: make one on Decide & explain, or open a stored one from History.")
    st.page_link("pages/decide.py", label="Go to Decide & explain", icon=":material/explore:")
    st.stop()
view: ui.DecisionView | None = state[ui_state.DECISION]
own = view if view is not None and view.decision_id == decision_id else None
explained = ui.explanation_of(own) if own is not None else None
unit_texts = explained.unit_texts if explained is not None else ()
try:
    first = ui.comparison(service, decision_id, unit_texts)
except ui.UserError as exc:
    st.error(str(exc))
    st.stop()
if note := ui_models.other_model_note(service, decision_id):
    st.warning(note)


@st.fragment(run_every=2.0 if first.pending else None)
def show_comparison() -> None:
    """The comparison, re-read from the record every two seconds while some paths are still computing."""
    compared = ui.comparison(service, decision_id, unit_texts)
    if first.pending and not compared.pending:
        st.rerun()  # everything is in: draw once more without the timer
    rows = compared.rows
    st.markdown(f"Decision `{decision_id}` on the executed path `{rows[0]['path']}` decided **{compared.label}**.")
    if own is not None:  # a long text scrolls in its own box above the table
        with st.container(height=ui.text_box_height(own.text), border=True):
            st.markdown(ui.preview_html(engine, own.text, own.withheld_groups), unsafe_allow_html=True)
    cols = st.columns(4)
    cols[0].metric("Paths compared", len(rows))
    cols[1].metric("Still computing", compared.pending)
    cols[2].metric("Label flips vs executed", compared.flips)
    saved = compared.saved_vs_full
    cols[3].metric("Compute saved vs full", "–" if saved is None else f"{saved:.1%}")
    if compared.pending:
        st.info(f"{compared.pending} path(s) still computing in the background: this view refreshes by itself.")
        st.button("Refresh now", key="pl_w_compare_refresh")
    if compared.flips:
        st.warning(f"{compared.flips} path(s) decide differently from the executed one: they are marked ⚠ below.")
    label = compared.label
    time_column = "ms (estimated from FLOPs)"
    table = pd.DataFrame(
        [
            {
                "#": index,
                "path": ui.compared_path_name(row),
                "status": row["status"],
                "label": ("⚠ " if row["flipped"] else "") + (row["label"] or "–"),
                f"P({label})": row["confidence"],
                "FLOPs": ui.format_flops(row["flops"]),
                "FLOPs vs executed": None if row["flops"] is None else row["flops"] / rows[0]["flops"],
                time_column: row["time_ms"],
                "top tokens gained": row["gained"],
                "top tokens lost": row["lost"],
            }
            for index, row in enumerate(rows)
        ]
    )
    st.dataframe(
        table.style.apply(lambda r: ["background-color:#fde2e1" if "⚠" in str(r["label"]) else ""] * len(r), axis=1),
        hide_index=True,
        column_config={
            f"P({label})": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1),
            "FLOPs vs executed": st.column_config.NumberColumn(format="%.2f×"),
            time_column: st.column_config.NumberColumn(format="%.1f", help=compared.time_basis),
        },
    )
    st.caption(f"Times are {compared.time_basis}: every row is timed the same way, as `python -m core compare` prints.")
    if not any(row["gained"] or row["lost"] for row in rows):
        st.caption(
            "Top tokens gained/lost appear when the paths not taken were explained too "
            "(Decide & explain → Record and paths not taken)."
        )
    st.download_button(
        "Export this comparison (HTML, opens offline)",
        lambda: ui.comparison_html(compared),
        f"pathlens-compare-{decision_id[:12]}.html",
        "text/html",
        key="pl_w_compare_export",
        on_click="ignore",
        disabled=bool(compared.pending),
        help="The table and figures in one file (ready once no path is still computing).",
    )
    left, right = st.columns(2)
    left.plotly_chart(figures.path_probabilities(rows, compared.labels), key="paths")
    right.plotly_chart(figures.cost_vs_confidence(rows), key="scatter")


show_comparison()
