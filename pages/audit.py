"""Batch audit: decide every row of a CSV along the current path and compare it with the full path."""

import streamlit as st

from core import ui
from core.ui import labels as ui_labels
from core.ui import models as ui_models
from core.ui import state as ui_state

state = st.session_state
engine, service = ui_state.resources(state)

st.title("Batch audit")
samples = ui.sample_files()
upload = st.file_uploader("Upload a CSV or Parquet file", type=["csv", "parquet"])
sample = st.selectbox(
    "…or choose a sample",
    list(samples),
    index=list(samples).index(ui_models.sample_for(engine.model.name, list(samples))),
    disabled=upload is not None,
    help="Remove the uploaded file to audit a sample instead.",
)
name = upload.name if upload else sample
data = upload.getvalue() if upload else samples[sample].read_bytes()
st.markdown(f"Auditing {'the uploaded file' if upload else 'the sample'} **{ui.html_escape(name)}**.")
previous: ui.AuditView | None = state[ui_state.AUDIT]
if previous is not None and previous.source != ui.audit_source_key(name, data):
    state[ui_state.AUDIT] = None  # results of another file no longer apply
try:
    frame = ui.read_table(data, name)
except ui.UserError as exc:
    st.error(str(exc))
    st.stop()
if frame.empty:
    st.error("The file has no rows: give a CSV with a header line and one text per row.")
    st.stop()
columns = list(frame.columns)
left, middle, right = st.columns(3)
text_col = left.selectbox(
    "Text column",
    columns,
    index=columns.index("text") if "text" in columns else None,
    placeholder="choose the column with the texts",
)
label_options = ["(none)", *columns]
label_col = middle.selectbox(
    "Label column", label_options, index=label_options.index("label") if "label" in columns else 0
)
path = right.text_input("Path", value=state[ui_state.PATH], key="pl_w_audit_path")
st.caption(f"{len(frame)} rows · compared with the full path (withheld groups stay withheld)")
record = st.checkbox(f"Record every row in the decision record (`{ui.store_location()}`)", key="pl_w_audit_record")

if text_col is None:
    st.warning(f"The file has no column named `text`: choose the text column (its columns: {', '.join(columns)}).")
if st.button("Run audit", type="primary", disabled=text_col is None) and text_col is not None:
    bar = st.progress(0.0, text=f"Auditing {len(frame):,} rows…")
    try:
        state[ui_state.AUDIT] = ui.run_audit(
            service,
            data,
            name,
            text_col,
            None if label_col == "(none)" else label_col,
            path,
            lambda f, m: bar.progress(f, text=m),
            record=record,
        )
    except ui.UserError as exc:
        st.error(str(exc))
    bar.empty()

audit: ui.AuditView | None = state[ui_state.AUDIT]
if audit is None:
    st.info("Pick the columns and a path, then press **Run audit**.")
    st.stop()
summary = audit.summary
cols = st.columns(4)
cols[0].metric("Rows decided", summary["rows"])
cols[1].metric(
    "Accuracy", "–" if summary["accuracy"] is None else f"{summary['accuracy']:.1%}", help=audit.accuracy_note
)
flip_rate = summary["flip_rate_vs_against"]
cols[2].metric(
    "Flip rate vs the compared path",
    "–" if flip_rate is None else f"{flip_rate:.1%}",
    help=f"Compared with `{summary['against']}` (groups this path withholds stay withheld there).",
)
cols[3].metric("Compute saved", f"{summary['compute_saved']:.0%}")
if summary["unknown_labels"]["count"]:
    st.warning(f"Accuracy is {audit.accuracy_note}.")
else:
    st.caption(f"Accuracy {audit.accuracy_note}.")
if summary.get("read_warning"):
    st.error(f"{summary['read_warning'][0].upper()}{summary['read_warning'][1:]}.")
if summary.get("gold_warning"):
    st.warning(f"Gold labels: {summary['gold_warning']}.")
st.caption(f"Flips are counted against `{summary['against']}` (the groups this path withholds stay withheld there).")
if summary.get("store"):
    st.caption(
        f"Recorded in `{summary['store']}` as audit `{summary['audit_id']}` "
        f"({summary['already_recorded']} row(s) were already there): see History."
    )
if summary["bad_rows_total"]:
    st.warning(
        f"{summary['bad_rows_total']} row(s) skipped: "
        + "; ".join(f"row {b['row']}: {b['reason']}" for b in summary["bad_rows"][:5])
    )

left, right = st.columns(2)
shown = left.segmented_control(
    "Show", ["all", "flipped only", "low confidence"], default="all", key="pl_w_audit_filter"
)
by_label = right.selectbox(
    "Decided label", ["(any)", *sorted(audit.rows["label"].astype(str).unique())], key="pl_w_audit_label"
)
rows = audit.filtered(shown or "all", None if by_label == "(any)" else by_label)
st.dataframe(audit.readable(rows), hide_index=True, key="pl_audit_rows")
downloads = st.columns(5)
downloads[0].download_button("Rows (CSV)", audit.rows.to_csv(index=False), "audit_rows.csv", "text/csv")
downloads[1].download_button("Rows (Parquet)", audit.parquet, "audit_rows.parquet", "application/octet-stream")
rows_json = audit.rows.to_json(orient="records", indent=1)
downloads[2].download_button("Rows (JSON)", rows_json, "audit_rows.json", "application/json")
downloads[3].download_button("Summary (JSON)", ui.to_json_text(summary), "audit_summary.json", "application/json")
downloads[4].download_button(
    "Report (HTML, opens offline)",
    lambda: ui.audit_html(audit),
    "audit_report.html",
    "text/html",
    key="pl_w_audit_report",
    on_click="ignore",
    help="Summary, flips by label, accuracy per label and the figures in one file.",
)
if not audit.rows.empty:
    opened = st.selectbox("Open a row", list(audit.rows["row"]), format_func=lambda r: f"row {r}")
    recorded_audit = summary.get("audit_id")
    label = "Open its recorded decision (Compare paths)" if recorded_audit else "Decide it on Decide & explain"
    if st.button(label, key="pl_w_audit_open"):
        recorded = ui.recorded_decision(service, recorded_audit, int(opened)) if recorded_audit else None
        if recorded is not None:
            state[ui_state.OPENED] = recorded
            st.switch_page("pages/compare.py")
        state[ui_state.TEXT] = str(audit.rows.loc[audit.rows["row"] == opened, "text"].iloc[0])
        state.pop(ui_state.W_TEXT, None)
        state[ui_state.PATH] = summary["path"]
        state[ui_state.DECISION] = None
        state.pop(ui_state.W_DEPTH, None)  # the path builder is redrawn from the audit's path
        st.switch_page("pages/decide.py")

per_label = ui_labels.audit_by_label(audit.rows, engine.model.labels)
if per_label is not None:
    st.subheader("By label")
    st.caption(
        f"{per_label.rows} labelled rows · accuracy {per_label.accuracy:.1%} · macro-F1 {per_label.macro_f1:.3f} "
        "(mean of the labels' F1, each label counted once) · worst recall first"
    )
    left, right = st.columns([3, 2])
    left.dataframe(ui_labels.label_table(per_label), hide_index=True, key="pl_audit_per_label")
    confusions = [{"gold": g, "decided as": p, "rows": n} for g, p, n in per_label.confusions]
    right.markdown("**Top confusions**" if confusions else "**No confusions**: every labelled row was right.")
    if confusions:
        right.dataframe(confusions, hide_index=True, key="pl_audit_confusions")
