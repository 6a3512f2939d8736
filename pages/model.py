"""Model: the computation graph template with the current path highlighted, fingerprint, accuracy by depth."""

import streamlit as st

from core import ui
from core.ui import figures
from core.ui import state as ui_state

state = st.session_state
engine, _ = ui_state.resources(state)
template = ui.template_view(engine)
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
        template.groups,
        template.exit_layers,
        executed,
        heads_off,
        controls.withhold,
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
        f"({report.get('train_rows', '?')} rows), measured on {report.get('dev_rows', '?')} dev rows."
    )
else:
    st.info(
        "This model's exit heads carry no training report: "
        "train them with `python -m core train-heads` to see accuracy by depth."
    )
cost = ui.cost_by_depth(engine)
st.dataframe(cost, hide_index=True)
st.caption("Cost by depth: FLOPs of one 64-token text on each depth (counted from the executed shapes).")
