"""Model: the computation graph template with the current path highlighted, fingerprint, accuracy by depth."""

import streamlit as st

from core import ui
from core.ui import figures
from core.ui import state as ui_state

state = st.session_state
engine, _ = ui_state.resources(state)
template = ui.template_view(engine, ui_state.owner(state))
spec = ui_state.current_spec(state, engine)
controls = ui.controls_of(spec)
path = spec.canonical

st.title("Model")
cols = st.columns(4)
cols[0].metric("Layers", template.num_layers)
cols[1].metric("Heads per layer", template.num_heads)
cols[2].metric("Labels", len(template.labels))
cols[3].metric("Window (tokens)", template.window)
st.markdown(f"**{ui.html_escape(template.name)}** · fingerprint `{template.fingerprint}` · current path `{path}`")

executed = [layer for layer in range(controls.depth) if controls.layers_on[layer]]
heads_off = {
    (layer, head) for layer in executed for head in range(template.num_heads) if head not in controls.heads_on[layer]
}
st.plotly_chart(
    figures.template_graph(
        template.num_layers,
        template.num_heads,
        [ui.display_name(group) for group in template.groups],
        template.exit_layers,
        executed,
        heads_off,
        [ui.display_name(group) for group in controls.withhold],
    ),
    key="template",
)
if template.accuracy_by_depth:
    st.plotly_chart(
        figures.accuracy_by_depth(
            template.accuracy_by_depth, len(executed) if executed == list(range(len(executed))) else None
        ),
        key="accuracy",
    )
    report = template.report
    st.caption(
        f"Exit heads: {report.get('method', 'unknown method')}; trained on {report.get('train_data', '?')} "
        f"({report.get('train_rows', '?')} rows), measured on {report.get('dev_rows', '?')} dev rows. "
        + ui.html_escape(template.calibration_note)
    )
else:
    st.info(
        "This model's exit heads carry no training report: "
        "train them with `python -m core train-heads` to see accuracy by depth."
    )
cost = ui.cost_by_depth(engine)
st.dataframe(cost, hide_index=True)
st.caption("Cost by depth: FLOPs of one 64-token text on each depth (counted from the executed shapes).")

st.subheader("Exit policy: accuracy vs compute")
st.caption(
    "Every exit's output is computed once per row of a labelled table, along the current path's layers; confidence "
    "thresholds and patiences are then simulated on it. Choose the current policy in the Decide page's path builder."
)
samples = ui.sample_files()
left, right = st.columns(2)
sample = left.selectbox("Labelled sample", list(samples), key="pl_w_tradeoff_sample")
upload = right.file_uploader(
    "…or a CSV/Parquet with `text` and `label` columns", type=["csv", "parquet"], key="pl_w_tradeoff_upload"
)
if st.button("Compute the trade-off"):
    bar = st.progress(0.0, text="Computing every exit…")
    try:
        name = upload.name if upload is not None else sample
        frame = ui.read_table(upload.getvalue() if upload is not None else samples[sample].read_bytes(), name)
        state[ui_state.TRADEOFF] = ui.exit_tradeoff(
            engine, frame, "text", "label", path, name, lambda f: bar.progress(f, text=f"{f:.0%} of the rows")
        )
    except ui.UserError as exc:
        st.error(str(exc))
    bar.empty()
tradeoff: ui.TradeoffView | None = state[ui_state.TRADEOFF]
if tradeoff is None:
    st.info("Press **Compute the trade-off** to sweep exit policies on the chosen table.")
    st.stop()
current = tradeoff.point(engine, path)
st.plotly_chart(
    figures.exit_tradeoff(tradeoff.series("confidence"), tradeoff.series("patience"), tradeoff.without_policy, current),
    key="tradeoff",
)
st.caption(
    f"{tradeoff.rows} rows of `{ui.html_escape(tradeoff.source)}` along `{tradeoff.path}`; "
    + (f"current policy: {current['policy']}." if current else "the current path has no exit policy on these layers.")
)
st.dataframe([tradeoff.without_policy, *tradeoff.policies], hide_index=True)
