"""Model: the computation graph template with the current path highlighted, fingerprint, accuracy by depth."""

import streamlit as st

from core import ui
from core.ui import advisor, figures
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

st.subheader("Path advisor: the cheapest path that keeps decisions good enough")
advisor.init(state)
st.caption(
    "Searches precision, heads switched off (least important first), depth and exit policies on half of a labelled "
    "table, then measures the best paths on the other half. Budget: accuracy points the path may lose (loss<=0.5)."
)
a_cols = st.columns([2, 2, 1, 1])
a_sample = a_cols[0].selectbox("Labelled sample", list(ui.sample_files()), key="pl_w_advice_sample")
a_budget = a_cols[1].text_input("Budget", "loss<=0.5", key="pl_w_advice_budget")
a_objective = a_cols[2].selectbox("Objective", ["rows_per_s", "flops"], key="pl_w_advice_objective")
a_seed = a_cols[3].number_input("Seed", 0, 2**31 - 1, 0, key="pl_w_advice_seed")
if st.button("Find paths"):
    a_bar = st.progress(0.0, text="Weighing heads…")
    try:
        a_frame = ui.read_table(ui.sample_files()[a_sample].read_bytes(), a_sample)
        state[advisor.ADVICE] = advisor.run_advisor(
            engine, a_frame, a_budget, a_objective, int(a_seed), spec, lambda f, m: a_bar.progress(f, text=m)
        )
    except ui.UserError as exc:
        st.error(str(exc))
    a_bar.empty()
advice = state[advisor.ADVICE]
if advice is not None:
    st.plotly_chart(advisor.frontier_figure(advice, path), key="advice_frontier")
    rec = advice["recommended"]
    st.markdown(
        f"Recommended within `{ui.html_escape(advice['budget'])}`: `{ui.html_escape(rec['path'])}`, "
        f"{rec['speedup_vs_full']:.2f}× the full path's rows/s, {rec['accuracy_change_points']:+.2f} accuracy points "
        f"({advice['rows']['held_out']} held-out rows)."
    )
    if not advice["confident"]:
        st.warning(advice["notes"][0])
    a_paths = [rec["path"], *[p["path"] for p in advice["frontier"] if p["path"] != rec["path"]]]
    a_pick = st.columns([3, 1])
    a_pick[0].selectbox("Frontier path", a_paths, key=advisor.W_ADVICE_PICK)
    a_pick[1].button("Use this path", on_click=advisor.use_path, args=(state, engine))
    st.dataframe(advice["frontier"], hide_index=True)

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
