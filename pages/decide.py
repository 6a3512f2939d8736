"""Decide & explain: build a path in the sidebar, decide a text on it, see its cost and why it decided."""

import streamlit as st

from core import ui
from core.ui import figures, head_grid
from core.ui import state as ui_state

state = st.session_state
engine, service = ui_state.resources(state)
template = ui.template_view(engine, ui_state.owner(state))
changed = {"on_change": ui_state.apply_widgets, "args": (state, engine)}

if ui_state.W_DEPTH not in state:  # first visit, or back from another page: widgets follow the stored path
    ui_state.write_controls(state, ui_state.current_spec(state, engine))
if ui_state.W_TEXT not in state:
    state[ui_state.W_TEXT] = state[ui_state.TEXT]
ui_state.restore_choices(state)  # methods, target and the record options chosen on an earlier visit

with st.sidebar:
    st.header("Path")
    st.text_input(
        "Canonical path (editable)",
        key=ui_state.W_PATH,
        on_change=ui_state.apply_path_text,
        args=(state, engine),
        placeholder="no valid path: the controls below make an impossible one",
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
        group_columns[index % 2].checkbox(ui.display_name(group), key=ui_state.group_key(group), **changed)
    st.button(
        "Withhold all personal data (pii)", key=ui_state.W_PII, on_click=ui_state.withhold_pii, args=(state, engine)
    )
    st.caption(
        "person, location, nrp, affiliation, occupation and organization run a spaCy NER pass (a few ms a text)."
    )
    with st.expander("Add your own group"):
        st.caption("Yours alone (this session, or your key): the path names it NAME__yourtag; it starts unticked.")
        st.text_input("Group name", key=ui_state.W_GROUP_NAME, placeholder="customers")
        st.radio("Kind", ui.GROUP_KINDS, key=ui_state.W_GROUP_KIND, horizontal=True)
        st.text_area("Words (comma or line separated) or a regex", key=ui_state.W_GROUP_BODY, height=68)
        st.button("Add group", key=ui_state.W_ADD_GROUP, on_click=ui_state.add_group, args=(state, engine))
        if state[ui_state.GROUP_ERROR]:
            st.error(state[ui_state.GROUP_ERROR])
    with st.expander("Program attention (block or emphasise a group)"):
        st.text_input("Program", key=ui_state.W_PROGRAM, placeholder="block=email@0-2; emphasize=url:0.05", **changed)
        st.radio("Mode", ["block", "emphasize"], horizontal=True, key=ui_state.W_PROGRAM_MODE)
        st.selectbox(
            "Group (built in, yours, or --group NAME=words:… at launch)",
            template.groups,
            key=ui_state.W_PROGRAM_GROUP,
            format_func=ui.display_name,
        )
        st.text_input("Where: layers to block / heads to emphasise (blank = all)", key=ui_state.W_PROGRAM_WHERE)
        st.number_input("Emphasis alpha (0, 1]", 0.0001, 1.0, value=0.01, format="%.4f", key=ui_state.W_PROGRAM_ALPHA)
        add, clear = st.columns(2)
        add.button("Add", on_click=ui_state.apply_program, args=(state, engine))
        clear.button("Clear", on_click=ui_state.apply_program, args=(state, engine, True))
    st.caption("Exit policy: stop a text early once the model is sure (the layers above are the most that run)")
    exit_rule = st.selectbox("Exit policy", ["none", "confidence", "patience"], key=ui_state.W_EXIT_RULE, **changed)
    if exit_rule == "confidence":
        st.slider(
            "Stop when the top probability reaches", 0.5, 1.0, step=0.005, key=ui_state.W_EXIT_THRESHOLD, **changed
        )
    elif exit_rule == "patience":
        st.number_input(
            "Stop when the label is unchanged for (exits)",
            1,
            template.num_layers - 1,
            key=ui_state.W_EXIT_PATIENCE,
            **changed,
        )
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
spec = ui_state.runnable_spec(state, engine)
if spec is None:
    st.error("The path in the sidebar is refused: fix it there (Decide is off until the path is valid).")
else:
    st.markdown(f"**Path** `{spec.canonical}` · what the model will read (withheld spans boxed):")
    with st.container(height=ui.text_box_height(text)):
        try:  # a user's regex that runs over its time limit on this text says so
            st.markdown(ui.preview_html(engine, text, sorted(spec.withhold)), unsafe_allow_html=True)
        except ui.UserError as exc:
            st.error(str(exc))
with st.expander("What each input group finds in this text (before anything runs)"):
    try:
        st.table(ui.group_preview(engine, text, ui_state.owner(state)))
    except ui.UserError as exc:
        st.error(str(exc))

available = ui.methods_for(spec or engine.parse("full"))
state[ui_state.W_METHODS] = [m for m in state.get(ui_state.W_METHODS, ui.default_methods(available)) if m in available]
left, right = st.columns([3, 1])
methods = left.multiselect(
    "Explain with (run cheapest first)",
    available,
    key=ui_state.W_METHODS,
    format_func=ui.METHOD_NAMES.get,
    help="int8 paths have no gradients: only occlusion and attention can explain them.",
)
target = right.selectbox("Explain the label", [ui_state.TARGET_PREDICTED, *template.labels], key=ui_state.W_TARGET)
ui_state.keep_choices(state)
n_steps = int(state[ui_state.W_STEPS])
if spec is not None and methods and text.strip():
    try:
        plan = ui.explain_cost(engine, text, spec, methods, n_steps)
    except ui.UserError as exc:
        st.error(str(exc))
    else:
        st.caption(
            f"Explaining will cost {plan.windows} window(s) × {len(plan.methods)} method(s) = {plan.window_runs} "
            f"window runs, about {plan.passes:,} forward passes of one window ({plan.tokens:,} tokens)."
        )

if st.button("Decide", type="primary", key="pl_w_decide", disabled=spec is None) and spec is not None:
    bar = st.progress(0.0, text="Deciding…")
    try:
        state[ui_state.DECISION] = ui.decide(
            service,
            text,
            spec,
            keep_text=state[ui_state.W_KEEP_TEXT],
            extra_paths=ui.extra_paths(engine, state[ui_state.W_EXTRA]),
            explain_alternatives=state[ui_state.W_EXPLAIN_ALL],
            progress=lambda f, msg: bar.progress(min(f, 1.0), text=f"Explaining: {msg}"),
            methods=ui.cheapest_first(methods or ui.default_methods(available)),
        )
        state[ui_state.OPENED] = state[ui_state.DECISION].decision_id
        state[ui_state.CANCELLED] = None
    except ui.UserError as exc:
        st.error(str(exc))
    bar.empty()

view: ui.DecisionView | None = state[ui_state.DECISION]
if view is None:
    st.info("Choose a path in the sidebar, then press **Decide**.")
    st.stop()

left, right = st.columns([1, 2])
label_col, confidence_col = left.columns(2)
label_col.metric("Label", view.label)
confidence_col.metric("Confidence", f"{view.confidence:.1%}")
left.caption(f"path `{view.decision.path}` · decision `{view.decision_id[:12]}`")
if view.record_status == "stored":
    left.page_link("pages/compare.py", label="Compare with the paths not taken", icon=":material/compare_arrows:")
else:
    left.warning(f"This decision was made but **not recorded** ({view.record_status}): nothing to compare.")
if view.stopped:
    left.info(view.stopped)
for note in view.decision.notes:
    left.warning(note)
left.plotly_chart(figures.probabilities(view.decision.probs), key="probs")
right.dataframe(
    view.cost.readable_rows(),
    hide_index=True,
    column_config={"share": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1)},
)
right.plotly_chart(figures.cost_shares(view.cost_rows()), key="cost")
right.dataframe(view.cost.timing_rows(), hide_index=True)
timed_alike = "" if view.cost.own_reference else " Both paths are timed alike on this text;"
right.caption(
    f"{view.cost.time_verdict()}{timed_alike} The first run of a path includes its one-time set-up (building a pruned "
    "or quantised variant), reported apart."
)

st.subheader("Which heads this decision rests on")
st.caption(
    "Each head's effect on the decided label's logit if it were switched off (attribution patching: red supports "
    "the label, blue opposes it, grey did not run). Click a head to switch it off and decide again."
)
weights = head_grid.importance_of(state, engine, view)
st.markdown(head_grid.grid_css(weights), unsafe_allow_html=True)
for layer, row in enumerate(weights.heads):
    cells = st.columns([1] + [2] * len(row), gap=None)
    cells[0].caption(f"L{layer}")
    for head, value in enumerate(row):
        cells[head + 1].button(
            head_grid.head_label(value),
            key=head_grid.head_key(layer, head),
            on_click=head_grid.switch_off,
            args=(state, engine, layer, head),
            disabled=value is None,
            help=f"head {layer}.{head}",
            use_container_width=True,
        )
change = state.get(head_grid.CHANGE)
if change is not None and change.decision_id == view.decision_id:
    st.info(change.summary())

if view.explanation is None and state[ui_state.CANCELLED] == view.decision_id:
    st.info(f"Explanation cancelled. The decision above stands (record: {view.record_status}).")
    st.button("Explain with the chosen methods", key="pl_w_explain", on_click=ui_state.explain_again, args=(state,))
    st.stop()
if view.explanation is None:
    if not methods:
        st.info("Choose at least one explanation method above to see why it decided.")
        st.stop()
    cancel = st.empty()
    cancel.button("Cancel explanation", on_click=ui_state.cancel_explanation, args=(state, view.decision_id))
    bar = st.progress(0.0, text="Explaining…")
    chosen_target = None if target == ui_state.TARGET_PREDICTED else target
    try:
        view = ui.explain_decision(
            service,
            view,
            n_steps,
            lambda f, m: bar.progress(f, text=m),
            ui.cheapest_first(methods),
            chosen_target,
            ig_tolerance=float(state[ui_state.W_IG_TOLERANCE]),
        )
    except ui.UserError as exc:
        st.error(str(exc))
        st.stop()
    state[ui_state.DECISION] = view
    cancel.empty()
    bar.empty()
explanation = ui.explanation_of(view)
st.download_button(
    "Export this explanation (HTML, opens offline)",
    lambda: ui.decision_html(view, explanation, template.num_layers, template.num_heads),
    f"pathlens-{view.decision_id[:12]}.html",
    "text/html",
    key="pl_w_export",
    on_click="ignore",
    help="Heatmaps and figures in one file; withheld spans are masked. PNG of one figure: its camera icon.",
)
if state.get(ui_state.W_METHOD) not in explanation.methods:
    state.pop(ui_state.W_METHOD, None)
method = st.radio(
    "Attribution method",
    list(explanation.methods),
    format_func=ui.METHOD_NAMES.get,
    horizontal=True,
    key=ui_state.W_METHOD,
)
st.subheader(f"Why: {ui.METHOD_NAMES[method]} over the original text (target: {explanation.target})")
st.caption("Red supports the label, blue opposes it; withheld spans are boxed and were never read.")
with st.container(height=ui.text_box_height(view.text)):
    st.markdown(ui.segments_html(explanation.segments(view.text, method)), unsafe_allow_html=True)
scores = explanation.methods[method]
st.plotly_chart(
    figures.token_scores(explanation.unit_texts, scores.scores, explanation.withheld_flags(), "Score per token"),
    key="tokens",
)
if scores.convergence_delta is not None:
    st.caption(f"IG convergence delta {scores.convergence_delta:.2e} (relative {scores.relative_delta or 0.0:.1%})")
st.caption(" · ".join(explanation.notes))
if set(explanation.methods) != set(methods) or explanation.target != (
    view.label if target == ui_state.TARGET_PREDICTED else target
):
    st.button("Explain again with the chosen methods and label", on_click=ui_state.explain_again, args=(state,))

st.subheader("Faithfulness: does the model bear the explanation out?")
left, right = st.columns(2)
left.dataframe(explanation.faithfulness_rows(), hide_index=True)
left.plotly_chart(figures.faithfulness(explanation.faithfulness_rows(False), explanation.random_floor), key="faith")
right.plotly_chart(figures.agreement(*explanation.agreement_matrix()), key="agreement")

st.subheader("Attention of the heads that ran")
if "attention" not in explanation.methods:
    st.info("Add Attention rollout to the methods above to see the attention maps of the heads that ran.")
    st.stop()
if not explanation.maps:
    st.info("Attention maps are drawn for texts that fit in one window; the rollout is in the method list above.")
    st.stop()
st.plotly_chart(
    figures.attention_grid(
        explanation.maps, template.num_layers, template.num_heads, explanation.executed_layers, explanation.programmed
    ),
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
