"""Decide & explain: build a path in the sidebar, decide a text on it, see its cost and why it decided."""

import streamlit as st

from core import figures, ui, ui_state

ui_state.init(st.session_state)
state = st.session_state
engine = st.cache_resource(ui.load_engine, show_spinner="Loading the model…")()
template = ui.template_view(engine)
shape = ui.controls_from_path(engine, "full")


def apply_path_text() -> None:
    """The path string was edited: canonicalise it and move the widgets to match, or say why it is refused."""
    try:
        path = ui.canonical(engine, state[ui_state.W_PATH])
    except ui.UserError as exc:
        state[ui_state.PATH_ERROR] = f"Path refused: {exc}"
        return
    ui_state.write_controls(state, ui.controls_from_path(engine, path), path)
    state[ui_state.PATH_ERROR] = ""


def apply_widgets() -> None:
    """A widget changed: rebuild the canonical path from all of them."""
    try:
        path = ui.path_from_controls(engine, ui_state.read_controls(state, shape))
    except ui.UserError as exc:
        state[ui_state.PATH_ERROR] = f"Path refused: {exc}"
        return
    state[ui_state.PATH] = state[ui_state.W_PATH] = path
    state[ui_state.PATH_ERROR] = ""


if ui_state.W_DEPTH not in state:  # first visit, or back from another page: widgets follow the stored path
    ui_state.write_controls(state, ui.controls_from_path(engine, state[ui_state.PATH]), state[ui_state.PATH])
if ui_state.W_TEXT not in state:
    state[ui_state.W_TEXT] = state[ui_state.TEXT]

with st.sidebar:
    st.header("Path")
    st.text_input("Canonical path (editable)", key=ui_state.W_PATH, on_change=apply_path_text)
    if state[ui_state.PATH_ERROR]:
        st.error(state[ui_state.PATH_ERROR])
    depth = st.slider("Depth (layers up to)", 1, template.num_layers, key=ui_state.W_DEPTH, on_change=apply_widgets)
    running = st.pills(
        "Layers that run",
        list(range(template.num_layers)),
        selection_mode="multi",
        key=ui_state.W_LAYERS,
        on_change=apply_widgets,
    )
    with st.expander("Attention heads on (layer × head)", expanded=True):
        for layer in range(template.num_layers):
            st.pills(
                f"Layer {layer}",
                list(range(template.num_heads)),
                selection_mode="multi",
                key=ui_state.heads_key(layer),
                on_change=apply_widgets,
                disabled=layer >= depth or layer not in running,
            )
    st.caption("Withhold input groups (the model never reads them)")
    group_columns = st.columns(2)
    for index, group in enumerate(template.groups):
        group_columns[index % 2].checkbox(group, key=ui_state.group_key(group), on_change=apply_widgets)
    st.selectbox("Precision", template.precisions, key=ui_state.W_PRECISION, on_change=apply_widgets)
    st.selectbox("Device", template.devices, key=ui_state.W_DEVICE, on_change=apply_widgets)

st.title("Decide & explain")
samples = ui.sample_texts()
sample = st.selectbox("Sample messages (made-up personal data)", ["(type your own)", *samples], key=ui_state.W_SAMPLE)
if sample != "(type your own)" and state[ui_state.LAST_SAMPLE] != sample:
    state[ui_state.W_TEXT] = sample
state[ui_state.LAST_SAMPLE] = sample
text = st.text_area("Text to decide", key=ui_state.W_TEXT, height=110)
state[ui_state.TEXT] = text
path = state[ui_state.PATH]
spec_controls = ui.controls_from_path(engine, path)
st.markdown(f"**Path** `{path}` · what the model will read (withheld spans boxed):")
st.markdown(ui.preview_html(engine, text, spec_controls.withhold), unsafe_allow_html=True)

methods = ui.attribution_methods()
method = st.radio("Attribution method", list(methods), format_func=methods.get, horizontal=True, key="pl_w_method")
if st.button("Decide", type="primary"):
    try:
        state[ui_state.DECISION] = ui.decide(engine, text, path)
        state[ui_state.EXPLANATION] = {}
    except ui.UserError as exc:
        st.error(str(exc))

view: ui.DecisionView | None = state[ui_state.DECISION]
if view is None:
    st.info("Choose a path in the sidebar, then press **Decide**.")
    st.stop()

left, right = st.columns([1, 2])
left.metric("Label", view.label, f"{view.confidence:.1%} confident", delta_color="off")
left.caption(f"path `{view.decision['path']}` · decision `{view.decision['decision_id'][:12]}`")
for note in view.decision["notes"]:
    left.warning(note)
left.plotly_chart(figures.probabilities(view.decision["probs"]), key="probs")
right.dataframe(
    view.cost_rows(),
    hide_index=True,
    column_config={"share": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1)},
)
right.plotly_chart(figures.cost_shares(view.cost_rows()), key="cost")

explanations: dict = state[ui_state.EXPLANATION]
if method not in explanations:
    bar = st.progress(0.0, text=f"Explaining with {methods[method]}…")
    try:
        explanations[method] = ui.explain(engine, view, method, lambda f, msg: bar.progress(min(f, 1.0), text=msg))
    except ui.UserError as exc:
        st.error(str(exc))
        st.stop()
    bar.empty()
attribution = explanations[method]
st.subheader(f"Why: {methods[method]} over the original text")
st.caption("Red supports the label, blue opposes it; withheld spans are boxed and were never read.")
st.markdown(ui.segments_html(attribution.segments), unsafe_allow_html=True)
st.plotly_chart(
    figures.token_scores(attribution.tokens, attribution.scores, attribution.withheld, "Token attribution"),
    key="tokens",
)
if attribution.delta is not None:
    st.caption(f"Integrated Gradients convergence delta: {attribution.delta:.2e} (small means complete)")

st.subheader("Attention of the heads that ran")
if "attention" not in explanations:
    explanations["attention"] = ui.attention(engine, view)
attention = explanations["attention"]
st.plotly_chart(
    figures.attention_grid(attention.maps, template.num_layers, template.num_heads, attention.executed), key="grid"
)
heads = [f"{layer}.{head}" for layer, head in sorted(attention.maps)]
focus = st.selectbox("Enlarge one head (layer.head)", ["rollout", *heads], key="pl_w_focus")
if focus == "rollout":
    st.plotly_chart(
        figures.attention_map(attention.rollout, attention.tokens, "Attention rollout over the executed layers"),
        key="focus",
    )
else:
    layer, head = (int(x) for x in focus.split("."))
    st.plotly_chart(
        figures.attention_map(attention.maps[(layer, head)], attention.tokens, f"Layer {layer}, head {head}"),
        key="focus",
    )
