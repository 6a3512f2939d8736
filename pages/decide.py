"""Decide & explain: build a path in the sidebar, decide a text on it, see its cost and why it decided."""

import streamlit as st

from core import ui
from core.ui import figures
from core.ui import state as ui_state

state = st.session_state
engine, auditor = ui_state.resources(state)
template = ui.template_view(engine)
changed = {"on_change": ui_state.apply_widgets, "args": (state, engine)}

if ui_state.W_DEPTH not in state:  # first visit, or back from another page: widgets follow the stored path
    ui_state.write_controls(state, ui.controls_from_path(engine, state[ui_state.PATH]), state[ui_state.PATH])
if ui_state.W_TEXT not in state:
    state[ui_state.W_TEXT] = state[ui_state.TEXT]

with st.sidebar:
    st.header("Path")
    st.text_input(
        "Canonical path (editable)", key=ui_state.W_PATH, on_change=ui_state.apply_path_text, args=(state, engine)
    )
    if state[ui_state.PATH_ERROR]:
        st.error(state[ui_state.PATH_ERROR])
    depth = st.slider("Depth (layers up to)", 1, template.num_layers, key=ui_state.W_DEPTH, **changed)
    running = st.pills(
        "Layers that run",
        list(range(template.num_layers)),
        selection_mode="multi",
        key=ui_state.W_LAYERS,
        **changed,
    )
    with st.expander("Attention heads on (layer × head)", expanded=True):
        for layer in range(template.num_layers):
            st.pills(
                f"Layer {layer}",
                list(range(template.num_heads)),
                selection_mode="multi",
                key=ui_state.heads_key(layer),
                **changed,
                disabled=layer >= depth or layer not in running,
            )
    st.caption("Withhold input groups (the model never reads them)")
    group_columns = st.columns(2)
    for index, group in enumerate(template.groups):
        group_columns[index % 2].checkbox(group, key=ui_state.group_key(group), **changed)
    st.selectbox("Precision", template.precisions, key=ui_state.W_PRECISION, **changed)
    st.selectbox("Device", template.devices, key=ui_state.W_DEVICE, **changed)
    with st.expander("Record and paths not taken"):
        st.text_input("Also compare (paths separated by `|`)", key=ui_state.W_EXTRA, placeholder="layers=0,2,4")
        st.checkbox("Keep the text in the record", key=ui_state.W_KEEP_TEXT)
        st.checkbox("Explain the paths not taken too (background, slower)", key=ui_state.W_EXPLAIN_ALL)
        st.number_input("Integrated Gradients steps (0 = adaptive)", 0, 300, value=0, key=ui_state.W_STEPS)
        st.number_input(
            "IG tolerance (adaptive: |relative delta|)", 0.001, 0.5, value=0.05, key=ui_state.W_IG_TOLERANCE
        )

st.title("Decide & explain")
samples = ui.sample_texts()
sample = st.selectbox("Sample messages (made-up personal data)", ["(type your own)", *samples], key=ui_state.W_SAMPLE)
if sample != "(type your own)" and state[ui_state.LAST_SAMPLE] != sample:
    state[ui_state.W_TEXT] = sample
state[ui_state.LAST_SAMPLE] = sample
text = st.text_area("Text to decide", key=ui_state.W_TEXT, height=110)
state[ui_state.TEXT] = text
path = state[ui_state.PATH]
st.markdown(f"**Path** `{path}` · what the model will read (withheld spans boxed):")
st.markdown(ui.preview_html(engine, text, ui.controls_from_path(engine, path).withhold), unsafe_allow_html=True)

if st.button("Decide", type="primary"):
    bar = st.progress(0.0, text="Deciding…")
    try:
        state[ui_state.DECISION] = ui.decide(
            auditor,
            text,
            path,
            keep_text=state[ui_state.W_KEEP_TEXT],
            extra_paths=[p.strip() for p in state[ui_state.W_EXTRA].split("|") if p.strip()],
            explain_alternatives=state[ui_state.W_EXPLAIN_ALL],
            progress=lambda f, msg: bar.progress(min(f, 1.0), text=f"Explaining: {msg}"),
        )
        state[ui_state.OPENED] = state[ui_state.DECISION].decision_id
    except ui.UserError as exc:
        st.error(str(exc))
    bar.empty()

view: ui.DecisionView | None = state[ui_state.DECISION]
if view is None:
    st.info("Choose a path in the sidebar, then press **Decide**.")
    st.stop()

left, right = st.columns([1, 2])
left.metric("Label", view.label, f"{view.confidence:.1%} confident", delta_color="off")
left.caption(f"path `{view.decision['path']}` · decision `{view.decision_id[:12]}` · record: {view.record_status}")
left.page_link("pages/compare.py", label="Compare with the paths not taken", icon=":material/compare_arrows:")
for note in view.decision["notes"]:
    left.warning(note)
left.plotly_chart(figures.probabilities(view.decision["probs"]), key="probs")
right.dataframe(
    view.cost_rows(),
    hide_index=True,
    column_config={"share": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1)},
)
right.plotly_chart(figures.cost_shares(view.cost_rows()), key="cost")

if view.explanation is None:
    bar = st.progress(0.0, text="Explaining…")
    try:
        view = ui.explain_decision(
            auditor,
            view,
            int(state[ui_state.W_STEPS]),
            lambda f, m: bar.progress(f, text=m),
            ig_tolerance=float(state[ui_state.W_IG_TOLERANCE]),
        )
    except ui.UserError as exc:
        st.error(str(exc))
        st.stop()
    state[ui_state.DECISION] = view
    bar.empty()
explanation = ui.explanation_of(engine, view)
method = st.radio(
    "Attribution method",
    list(explanation.methods),
    format_func=ui.METHOD_NAMES.get,
    horizontal=True,
    key=ui_state.W_METHOD,
)
st.subheader(f"Why: {ui.METHOD_NAMES[method]} over the original text (target: {explanation.target})")
st.caption("Red supports the label, blue opposes it; withheld spans are boxed and were never read.")
st.markdown(ui.segments_html(explanation.segments(view.text, method)), unsafe_allow_html=True)
scores = explanation.methods[method]
st.plotly_chart(
    figures.token_scores(explanation.unit_texts, scores.scores, explanation.withheld_flags(), "Score per token"),
    key="tokens",
)
if scores.convergence_delta is not None:
    st.caption(f"IG convergence delta {scores.convergence_delta:.2e} (relative {scores.relative_delta or 0.0:.1%})")
st.caption(" · ".join(explanation.notes))

st.subheader("Faithfulness: does the model bear the explanation out?")
left, right = st.columns(2)
left.dataframe(explanation.faithfulness_rows(), hide_index=True)
left.plotly_chart(figures.faithfulness(explanation.faithfulness_rows(False), explanation.random_floor), key="faith")
right.plotly_chart(figures.agreement(*explanation.agreement_matrix()), key="agreement")

st.subheader("Attention of the heads that ran")
if not explanation.maps:
    st.info("Attention maps are drawn for texts that fit in one window; the rollout is in the method list above.")
    st.stop()
st.plotly_chart(
    figures.attention_grid(explanation.maps, template.num_layers, template.num_heads, explanation.executed_layers),
    key="grid",
)
heads = [f"{layer}.{head}" for layer, head in sorted(explanation.maps)]
focus = st.selectbox("Enlarge one head (layer.head) or the rollout", ["rollout", *heads], key=ui_state.W_FOCUS)
if focus == "rollout":
    rollout = explanation.methods["attention"].scores
    chart = figures.token_scores(explanation.unit_texts, rollout, explanation.withheld_flags(), "Attention rollout")
else:
    layer, head = (int(x) for x in focus.split("."))
    chart = figures.attention_map(
        explanation.maps[(layer, head)], explanation.map_tokens, f"Layer {layer}, head {head}"
    )
st.plotly_chart(chart, key="focus")
