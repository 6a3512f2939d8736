"""Batch audits (core/audit/) on the bundled model, checked against single decisions."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import torch

from core import cli
from core.audit import AuditResult, check_table, run_audit
from core.audit.io import nothing_read_warning
from core.errors import InputError
from core.run import PathEngine
from core.service import compare_record
from core.store import DecisionStore, open_store

TEXTS = [
    "a charming and often affecting journey",
    "unflinchingly bleak and desperate",
    "the acting is superb , the plot is not",
    "i hated every minute of it , write to me at bob@example.com",
    "a masterpiece",
    "dull , flat and far too long for what it has to say about anything at all",
    "funny",
    "it 's not a bad film , but it 's not a good one either",
    "one of the best films of the year",
    "call +44 20 7946 0958 to get your money back",
    "wonderful",
    "terrible",
]
LABELS = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def labelled_csv(tmp_path: Path) -> Path:
    path = tmp_path / "input.csv"
    pd.DataFrame({"text": TEXTS, "label": LABELS}).to_csv(path, index=False)
    return path


def _read(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)


def _interrupt_after_first_chunk(done: int, total: int | None) -> None:
    if done == 5:
        raise KeyboardInterrupt


def test_rows_match_single_decisions(bundled_engine: PathEngine, labelled_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run_audit(bundled_engine, labelled_csv, "depth=3", against="full", out=out, batch_size=5, chunk_rows=7)
    rows = _read(out)
    executed = bundled_engine.decide_batch(TEXTS, bundled_engine.parse("depth=3"))
    full = bundled_engine.decide_batch(TEXTS, bundled_engine.parse("full"))
    assert rows["row"].tolist() == list(range(len(TEXTS)))
    assert rows["label"].tolist() == [d.label for d in executed]
    expected = torch.tensor([[d.probs["negative"], d.probs["positive"]] for d in executed])
    torch.testing.assert_close(
        torch.tensor(rows[["prob_negative", "prob_positive"]].to_numpy()), expected.double(), atol=1e-5, rtol=0
    )
    flips = [e.label != f.label for e, f in zip(executed, full, strict=True)]
    assert rows["flip"].tolist() == flips
    assert rows["against_label"].tolist() == [d.label for d in full]
    assert set(rows["path"]) == {"depth=3"} and set(rows["layers_run"]) == {3}
    correct = [d.label == ("positive" if g else "negative") for d, g in zip(executed, LABELS, strict=True)]
    assert result.rows == len(TEXTS) and result.bad_rows_total == 0
    assert result.accuracy == round(sum(correct) / len(TEXTS), 4)
    assert result.flip_rate_vs_full == round(sum(flips) / len(TEXTS), 4)
    assert result.compute_saved == pytest.approx(0.5, abs=0.01)  # 3 of 6 equal layers, plus a tiny exit head


@pytest.mark.parametrize("path", ["depth=3", "exit=confidence>=0.9"])
def test_each_row_costs_its_own_tokens_not_its_batch_padding(bundled_engine: PathEngine, path: str) -> None:
    """A short row batched with a long one costs what it costs alone (`decide` on its text), also stopping early."""
    texts = [TEXTS[6], TEXTS[5], TEXTS[4]]  # 1, 15 and 2 words: one padded batch
    rows: list[pd.DataFrame] = []
    result = run_audit(bundled_engine, pd.DataFrame({"text": texts}), path, against="full", on_rows=rows.append)
    alone = [bundled_engine.decide(text, bundled_engine.parse(path)).cost.flops for text in texts]
    full = [bundled_engine.decide(text, bundled_engine.parse("full")).cost.flops for text in texts]
    assert pd.concat(rows)["flops"].tolist() == alone
    assert result.compute_saved == round(1 - sum(alone) / sum(full), 4)


def test_prefix_paths_share_one_pass(bundled_engine: PathEngine, labelled_csv: Path) -> None:
    spec = bundled_engine.parse("depth=3")
    calls: list[int] = []
    layers = bundled_engine.model.variant("cpu", "fp32").layers
    hooks = [layer.register_forward_hook(lambda *_, i=i: calls.append(i)) for i, layer in enumerate(layers)]
    try:
        run_audit(bundled_engine, labelled_csv, spec, against="full", batch_size=64)
    finally:
        for hook in hooks:
            hook.remove()
    assert calls == [0, 1, 2, 3, 4, 5]  # one pass of 6 layers for both paths, not 3 + 6


def test_against_path_keeps_withheld_groups(bundled_engine: PathEngine, labelled_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run_audit(bundled_engine, labelled_csv, "depth=2; withhold=email,phone", against="full", out=out)
    assert result.against == "withhold=email,phone"
    rows = _read(out)
    full_withheld = bundled_engine.decide_batch(TEXTS, bundled_engine.parse("withhold=email,phone"))
    assert rows["against_label"].tolist() == [d.label for d in full_withheld]


def test_bad_rows_are_reported_and_skipped(bundled_engine: PathEngine, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(
        b"text,label\n"
        b"good film,1\n"
        b",1\n"  # row 1: empty text
        b"caf\xe9 au lait,0\n"  # row 2: Latin-1, not UTF-8
        b"no label here,\n"  # row 3: missing label
        b"   ,0\n"  # row 4: blank text
        b'"a film\nover two lines",0\n'  # row 5: a quoted newline is one row
    )
    out = tmp_path / "out.parquet"
    result = run_audit(bundled_engine, path, "full", against=None, out=out, chunk_rows=2)
    assert [(b.row, b.reason) for b in result.bad_rows] == [
        (1, "text is empty"),
        (2, "text is not valid UTF-8"),
        (3, "label is missing"),
        (4, "text is empty"),
    ]
    assert result.rows == 2 and result.rows_read == 6 and result.bad_rows_total == 4
    assert _read(out)["row"].tolist() == [0, 5]


def test_missing_column_fails_before_any_work(bundled_engine: PathEngine, labelled_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    with pytest.raises(InputError, match=r"no column .review.*--text-col"):
        run_audit(bundled_engine, labelled_csv, "full", text_col="review", out=out)
    with pytest.raises(InputError, match="no column 'gold'"):
        run_audit(bundled_engine, labelled_csv, "full", label_col="gold", out=out)
    assert not out.exists()


def test_a_missing_column_names_the_file_as_the_other_file_errors_do(labelled_csv: Path) -> None:
    """It named the whole path (`/home/.../input.csv has no column 'review'`), the others the file (`t.csv: line 3`)."""
    with pytest.raises(InputError) as refused:
        check_table(labelled_csv, "review", None)
    assert str(refused.value).startswith("input.csv has no column 'review'")
    assert str(labelled_csv.parent) not in str(refused.value)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_interrupted_audit_resumes_without_duplicates(
    bundled_engine: PathEngine, labelled_csv: Path, tmp_path: Path, suffix: str
) -> None:
    complete_out, out = tmp_path / f"complete{suffix}", tmp_path / f"out{suffix}"
    reference = run_audit(bundled_engine, labelled_csv, "depth=4", out=complete_out, chunk_rows=5)
    earlier = b"an earlier run's results"
    out.write_bytes(earlier)
    with pytest.raises(KeyboardInterrupt):
        run_audit(bundled_engine, labelled_csv, "depth=4", out=out, chunk_rows=5, progress=_interrupt_after_first_chunk)
    assert out.read_bytes() == earlier  # an unfinished audit leaves --out as it was (it was emptied, then cut short)
    progress_file = out.with_name(out.name + ".progress.json")
    assert progress_file.is_file()
    done: list[tuple[int, int | None]] = []
    resumed = run_audit(
        bundled_engine, labelled_csv, "depth=4", out=out, chunk_rows=5, progress=lambda d, t: done.append((d, t))
    )
    assert resumed.resumed_at_row == 5 and done == [(10, 12), (12, 12)]
    assert (resumed.rows, resumed.accuracy, resumed.flip_rate_vs_full) == (
        reference.rows,
        reference.accuracy,
        reference.flip_rate_vs_full,
    )
    pd.testing.assert_frame_equal(_read(out), _read(complete_out))
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(  # the progress file stayed beside OUT
        [complete_out.name, out.name, labelled_csv.name]
    )
    again = run_audit(bundled_engine, labelled_csv, "depth=4", out=out, chunk_rows=5)  # finished: starts afresh
    assert again.resumed_at_row == 0 and len(_read(out)) == len(TEXTS)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_rerun_whose_rows_written_so_far_are_gone_starts_afresh(
    bundled_engine: PathEngine, labelled_csv: Path, tmp_path: Path, suffix: str
) -> None:
    """Resuming onto a deleted output wrote the saved byte count as NUL bytes (CSV) or left its rows out (Parquet)."""
    out = tmp_path / f"out{suffix}"
    with pytest.raises(KeyboardInterrupt):
        run_audit(bundled_engine, labelled_csv, "depth=4", out=out, chunk_rows=5, progress=_interrupt_after_first_chunk)
    written = out.with_name(out.name + (".parts" if suffix == ".parquet" else ".partial"))
    shutil.rmtree(written) if written.is_dir() else written.unlink()
    result = run_audit(bundled_engine, labelled_csv, "depth=4", out=out, chunk_rows=5)
    assert result.resumed_at_row == 0 and result.rows == len(TEXTS)
    assert _read(out)["row"].tolist() == list(range(len(TEXTS)))
    assert not written.exists() and not out.with_name(out.name + ".partial").exists()


@pytest.mark.parametrize("earlier", [None, b"row,label\n0,positive\n"])
def test_sigterm_in_the_first_chunk_leaves_out_as_it_was(tmp_path: Path, earlier: bytes | None) -> None:
    """Stopped by SIGTERM while scoring its first chunk, an audit left a 0-byte --out, or emptied the one there was."""
    source, out = tmp_path / "input.csv", tmp_path / "out.csv"
    pd.DataFrame({"text": [TEXTS[5]] * 4000}).to_csv(source, index=False)  # one chunk of a few seconds' scoring
    if earlier is not None:
        out.write_bytes(earlier)
    command = [sys.executable, "-m", "core", "audit", "--input", str(source), "--out", str(out), "--no-record"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stderr is not None
    seen, deadline = b"", time.monotonic() + 180
    while b"audit:" not in seen and process.poll() is None and time.monotonic() < deadline:
        seen += os.read(process.stderr.fileno(), 4096)  # the audit's bar: its first chunk is being scored
    assert process.poll() is None, "the audit ended before it could be stopped: give it more rows"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143 and b"terminated" in stderr
    assert (out.read_bytes() if out.exists() else None) == earlier
    assert sorted(path.name for path in tmp_path.iterdir()) == ["input.csv"] + ["out.csv"] * (earlier is not None)


def test_changed_arguments_start_afresh(bundled_engine: PathEngine, labelled_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"

    def interrupt(done: int, total: int | None) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_audit(bundled_engine, labelled_csv, "depth=4", out=out, chunk_rows=5, progress=interrupt)
    result = run_audit(bundled_engine, labelled_csv, "depth=2", out=out, chunk_rows=5)
    assert result.resumed_at_row == 0
    assert _read(out)["row"].tolist() == list(range(len(TEXTS)))


def test_frame_and_parquet_input_agree(bundled_engine: PathEngine, tmp_path: Path) -> None:
    frame = pd.DataFrame({"review": TEXTS, "stars": ["positive" if y else "negative" for y in LABELS]})
    parquet = tmp_path / "input.parquet"
    frame.to_parquet(parquet, index=False)
    calls: list[tuple[int, int | None]] = []
    from_frame = run_audit(
        bundled_engine,
        frame,
        "depth=2",
        text_col="review",
        label_col="stars",
        progress=lambda d, t: calls.append((d, t)),
    )
    from_file = run_audit(bundled_engine, parquet, "depth=2", text_col="review", label_col="stars")
    assert calls == [(len(TEXTS), len(TEXTS))]
    assert from_frame.accuracy == from_file.accuracy is not None
    assert from_frame.flip_rate_vs_full == from_file.flip_rate_vs_full


def test_cli_audit_prints_summary(
    bundled_engine: PathEngine,
    labelled_csv: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli.common, "load", lambda args: bundled_engine)
    out = tmp_path / "out.csv"
    code = cli.main(["audit", "--input", str(labelled_csv), "--path", "depth=3", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0
    summary = json.loads(captured.out)
    assert {"rows", "accuracy", "flip_rate_vs_full", "compute_saved", "rows_per_s", "bad_rows"} <= summary.keys()
    assert summary["rows"] == len(TEXTS) and "audit" in captured.err  # tqdm progress on stderr
    code = cli.main(["audit", "--input", str(labelled_csv), "--text-col", "review"])
    assert code == 2 and "no column 'review'" in capsys.readouterr().err


def test_cli_audit_takes_the_old_engine_flag_with_a_note(
    bundled_engine: PathEngine,
    labelled_csv: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli.common, "load", lambda args: bundled_engine)
    old = cli.main(["audit", "--input", str(labelled_csv), "--path", "depth=1", "--engine", "local"])
    old_run = capsys.readouterr()
    new = cli.main(["audit", "--input", str(labelled_csv), "--path", "depth=1", "--backend", "local"])
    new_run = capsys.readouterr()
    assert old == new == 0
    assert "--engine is now --backend" in old_run.err and "--engine" not in new_run.err
    assert json.loads(old_run.out)["rows"] == json.loads(new_run.out)["rows"] == len(TEXTS)


def test_cli_audit_of_cells_that_are_not_utf8_lists_bad_rows(
    bundled_engine: PathEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 25, row 3: a label cell of bytes that are not UTF-8 ended the audit with a 41-line traceback."""
    monkeypatch.setattr(cli.common, "load", lambda args: bundled_engine)
    source = tmp_path / "b.csv"
    source.write_bytes(
        b"text,label\nnice film,\xff\xfe\nbad film,0\n\xe2\x80\x8b\xe2\x80\x8b,1\n\x07,0\n\xef\xbb\xbfok,\n"
    )
    store = tmp_path / "record.sqlite"
    code = cli.main(["audit", "--input", str(source), "--path", "depth=1", "--store", str(store)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    summary = json.loads(captured.out)
    assert summary["bad_rows"] == [
        {"row": 0, "reason": "label is not valid UTF-8"},
        {"row": 2, "reason": "text holds no content, only control, format or zero-width characters"},
        {"row": 3, "reason": "text holds no content, only control, format or zero-width characters"},
        {"row": 4, "reason": "label is missing"},
    ]
    assert summary["rows"] == summary["recorded"] == 1 and summary["bad_rows_total"] == 4
    assert audited_rows(open_store(store), summary["audit_id"]) == [1]


@pytest.mark.parametrize(
    "content",
    [
        b"text,label\n" + bytes(range(256)) * 64,  # binary: NUL bytes
        b"text,label\n" + bytes(b % 128 + 128 for b in range(4096)),  # mostly not UTF-8
    ],
)
def test_a_file_that_is_not_text_is_refused_before_anything_is_recorded(
    bundled_engine: PathEngine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    content: bytes,
) -> None:
    monkeypatch.setattr(cli.common, "load", lambda args: bundled_engine)
    source, store = tmp_path / "upload.csv", tmp_path / "record.sqlite"
    source.write_bytes(content)
    code = cli.main(["audit", "--input", str(source), "--path", "depth=1", "--store", str(store)])
    err = capsys.readouterr().err
    assert code == 2 and "upload.csv is not a text file" in err and "Traceback" not in err
    assert not store.exists()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_refused_as_utf16(
    bundled_engine: PathEngine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    encoding: str,
) -> None:
    """UTF-16 text holds NUL bytes: it was called "not a text file", which it is (a user's trial)."""
    monkeypatch.setattr(cli.common, "load", lambda args: bundled_engine)
    source, store = tmp_path / "upload.csv", tmp_path / "record.sqlite"
    source.write_bytes("text,label\ngood film,1\nbad one,0\n".encode(encoding))
    code = cli.main(["audit", "--input", str(source), "--path", "depth=1", "--store", str(store)])
    err = capsys.readouterr().err
    assert code == 2 and "upload.csv is UTF-16 text, not UTF-8: re-save it as UTF-8" in err
    assert not store.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"text,label\ngood film,1\nso good, really,1\n", "line 3 (the header is line 1"),
        (b"review,label\ngood film,1\n", "no column 'text'"),
    ],
)
def test_a_refused_file_makes_no_store_and_leaves_one_there_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, content: bytes, message: str
) -> None:
    """The store was created, empty, before the file was read and refused (and the model loaded for nothing)."""

    def no_model(args: object) -> None:
        raise AssertionError("the model was loaded before the file was refused")

    monkeypatch.setattr(cli.common, "load", no_model)
    source, new, existing = tmp_path / "bad.csv", tmp_path / "new.db", tmp_path / "old.sqlite"
    source.write_bytes(content)
    code = cli.main(["audit", "--input", str(source), "--store", str(new)])
    err = capsys.readouterr().err
    assert code == 2 and message in err and list(tmp_path.glob("new.db*")) == []
    open_store(existing)
    before = existing.read_bytes()
    assert cli.main(["audit", "--input", str(source), "--store", str(existing)]) == 2
    assert existing.read_bytes() == before


@pytest.mark.parametrize(
    "content", [b"text,label\n", b"text,label\n ,1\n,0\n", "text,label\n\u200b,1\n\x01\u00a0,0\n".encode()]
)
def test_a_table_without_a_row_of_text_is_refused_as_evaluate_refuses_it_and_makes_no_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    """It was audited, exit 0 with "rows": 0, and the new store was made; `evaluate` refused it. Zero-width and control
    characters only are no text either (each row was a bad row, and the store was made)."""

    def no_model(args: object) -> None:
        raise AssertionError("the model was loaded before the file was refused")

    monkeypatch.setattr(cli.common, "load", no_model)
    source, store = tmp_path / "empty.csv", tmp_path / "new.db"
    source.write_bytes(content)
    code = cli.main(["audit", "--input", str(source), "--store", str(store)])
    captured = capsys.readouterr()
    assert code == 2 and not captured.out and list(tmp_path.glob("new.db*")) == []
    assert "empty.csv has no row with text in column 'text': give a table with rows to read" in captured.err
    parquet = tmp_path / "empty.parquet"
    pd.read_csv(source, keep_default_na=False).to_parquet(parquet, index=False)
    with pytest.raises(InputError, match=r"empty\.parquet has no row with text in column 'text'"):
        check_table(parquet, "text", None)


def test_an_audit_of_which_no_row_can_be_read_fails_with_its_summary(
    bundled_engine: PathEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole export in Latin-1: every row a bad row, and exit 0 read like a clean audit to a script; the summary is
    printed, the reason is the error line, the exit code 2."""
    monkeypatch.setattr(cli.common, "load", lambda args: bundled_engine)
    source = tmp_path / "latin1.csv"
    source.write_bytes("text,label\nJosé liked it,1\nMuñoz did not,0\n".encode("latin-1"))
    code = cli.main(["audit", "--input", str(source), "--path", "depth=1", "--no-record"])
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert code == 2 and summary["rows"] == 0
    warning = "none of the 2 rows was read, e.g. text is not valid UTF-8; re-save the file as UTF-8"
    assert summary["read_warning"] == warning and f"error: {warning}" in captured.err
    assert "Jos" not in captured.err


def test_a_table_that_breaks_mid_file_is_refused_before_anything_is_recorded(
    bundled_engine: PathEngine, tmp_path: Path
) -> None:
    source = tmp_path / "broken.csv"
    source.write_text("text,label\n" + "good film,1\n" * 50 + 'a,"b\n')  # an unclosed quote at the end
    store = open_store(tmp_path / "record.sqlite")
    with pytest.raises(InputError, match=r"broken\.csv could not be read as a CSV table"):
        run_audit(bundled_engine, source, "depth=1", store=store, chunk_rows=10)
    assert store.count() == (0, 0)


def test_a_row_with_more_fields_than_the_header_is_refused_before_anything_is_recorded(
    bundled_engine: PathEngine, tmp_path: Path
) -> None:
    """Unquoted, "so good, really" would be read as "so good" with the label " really" (pandas cuts the row)."""
    source = tmp_path / "ragged.csv"
    source.write_text("text,label\n" + "good film,1\n" * 30 + "so good, really,1\n" + "bad film,0\n" * 30)
    store = open_store(tmp_path / "record.sqlite")
    with pytest.raises(InputError, match=r"ragged\.csv: line 32 .* more fields than the header"):
        run_audit(bundled_engine, source, "depth=1", store=store, chunk_rows=10)
    assert store.count() == (0, 0)


# -- the audit in the decision record (--store) ----------------------------------------------------------------------
def audited_rows(store: DecisionStore, audit_id: str | None) -> list[int]:
    """Input rows recorded for an audit, one entry per stored decision (duplicates would show twice)."""
    return sorted(r.audit_row for r in store.history(limit=1000, audit_id=audit_id) if r.audit_row is not None)


def test_store_gets_one_record_per_good_row_with_its_against_alternative(
    bundled_engine: PathEngine, tmp_path: Path
) -> None:
    texts = [*TEXTS[:6], "", *TEXTS[6:]]  # row 6 is bad: skipped, not recorded
    path = tmp_path / "input.csv"
    pd.DataFrame({"text": texts}).to_csv(path, index=False)
    store, out = open_store(tmp_path / "record.sqlite"), tmp_path / "out.csv"
    spec = "depth=3; withhold=email,phone"
    result = run_audit(bundled_engine, path, spec, out=out, store=store, chunk_rows=5, batch_size=4)
    assert (result.recorded, result.already_recorded, result.store) == (len(TEXTS), 0, store.location)
    assert store.count() == (len(TEXTS), len(TEXTS))
    records = {r.audit_row: r for r in store.history(limit=100, audit_id=result.audit_id)}
    rows = _read(out)
    assert sorted(records) == rows["row"].tolist() == [i for i in range(len(texts)) if i != 6]
    executed = bundled_engine.decide_batch(TEXTS, bundled_engine.parse(spec))
    against = bundled_engine.decide_batch(TEXTS, bundled_engine.parse("withhold=email,phone"))
    for (row, record), decision, reference, flip in zip(
        sorted(records.items()), executed, against, rows["flip"], strict=True
    ):
        assert (record.path, record.label, record.withheld) == (spec, decision.label, decision.withheld)
        torch.testing.assert_close(torch.tensor(record.logits), torch.tensor(decision.logits), atol=1e-4, rtol=0)
        assert record.text is None and record.input_fingerprint == store.input_fingerprint(texts[row])
        (alternative,) = record.alternatives
        assert (alternative.path, alternative.status, alternative.label) == (against[0].path, "done", reference.label)
        torch.testing.assert_close(torch.tensor(alternative.logits), torch.tensor(reference.logits), atol=1e-4, rtol=0)
        assert compare_record(record).alternatives[0].flip == flip
    assert records[3].withheld == {"email": 1} and records[10].withheld == {"phone": 1}


def test_resumed_audit_writes_no_duplicate_records(
    bundled_engine: PathEngine, labelled_csv: Path, tmp_path: Path
) -> None:
    store, out = open_store(tmp_path / "record.sqlite"), tmp_path / "out.csv"

    def audit(**options: Any) -> AuditResult:
        return run_audit(bundled_engine, labelled_csv, "depth=2", out=out, store=store, chunk_rows=5, **options)

    with pytest.raises(KeyboardInterrupt):
        audit(progress=_interrupt_after_first_chunk)
    assert store.count() == (5, 5)
    resumed = audit()
    assert resumed.resumed_at_row == 5 and (resumed.recorded, resumed.already_recorded) == (12, 0)
    assert audited_rows(store, resumed.audit_id) == list(range(len(TEXTS)))

    with pytest.raises(KeyboardInterrupt):  # a crash after the store's commit, before the progress was saved
        audit(progress=_interrupt_after_first_chunk)
    out.with_name(out.name + ".progress.json").unlink()
    again = audit()
    assert again.resumed_at_row == 0 and (again.recorded, again.already_recorded) == (0, len(TEXTS))
    assert store.count() == (len(TEXTS), len(TEXTS))
    assert audited_rows(store, again.audit_id) == list(range(len(TEXTS)))
    other = run_audit(bundled_engine, labelled_csv, "depth=3", store=store)  # another audit: recorded anew
    assert other.audit_id != again.audit_id and other.recorded == len(TEXTS)


def test_a_resume_into_a_store_deleted_in_between_starts_afresh(
    bundled_engine: PathEngine, labelled_csv: Path, tmp_path: Path
) -> None:
    """Resuming would record only the rows after the interruption: the new store would miss the first chunk's."""
    location, out = tmp_path / "record.sqlite", tmp_path / "out.csv"

    def audit(**options: Any) -> AuditResult:
        return run_audit(
            bundled_engine,
            labelled_csv,
            "depth=2",
            out=out,
            store=lambda: open_store(location),
            chunk_rows=5,
            **options,
        )

    with pytest.raises(KeyboardInterrupt):
        audit(progress=_interrupt_after_first_chunk)
    for file in tmp_path.glob("record.sqlite*"):
        file.unlink()
    resumed = audit()
    assert resumed.resumed_at_row == 0 and (resumed.rows, resumed.recorded) == (len(TEXTS), len(TEXTS))
    assert audited_rows(open_store(location), resumed.audit_id) == list(range(len(TEXTS)))
    assert _read(out)["row"].tolist() == list(range(len(TEXTS)))


def test_no_raw_text_in_the_store_file_without_keep_text(bundled_engine: PathEngine, tmp_path: Path) -> None:
    path = tmp_path / "input.csv"
    pd.DataFrame({"text": TEXTS}).to_csv(path, index=False)
    secrets = [text.encode() for text in TEXTS] + [b"bob@example.com", b"7946 0958"]
    hashed, kept = tmp_path / "hashed.sqlite", tmp_path / "kept.sqlite"
    run_audit(bundled_engine, path, "depth=2; withhold=email,phone", store=open_store(hashed))
    stored = b"".join(file.read_bytes() for file in tmp_path.glob("hashed.sqlite*"))
    assert open_store(hashed).count()[0] == len(TEXTS)
    assert [secret for secret in secrets if secret in stored] == []
    run_audit(bundled_engine, path, "depth=2", store=open_store(kept), keep_text=True)
    assert {r.text for r in open_store(kept).history(limit=100)} == set(TEXTS)
    with pytest.raises(InputError, match=r"--keep-text.*--store"):
        run_audit(bundled_engine, path, "depth=2", keep_text=True)


def test_cli_audit_records_in_pathlens_store_unless_told_not_to(
    bundled_engine: PathEngine,
    labelled_csv: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli.common, "load", lambda args: bundled_engine)
    record = tmp_path / "team.sqlite"
    monkeypatch.setenv("PATHLENS_STORE", str(record))
    audit = ["audit", "--input", str(labelled_csv), "--path", "depth=3"]
    assert cli.main(audit) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["store"], summary["recorded"]) == (str(record), len(TEXTS))
    assert cli.main([*audit, "--no-record"]) == 0
    assert json.loads(capsys.readouterr().out)["store"] is None
    other = tmp_path / "other.sqlite"
    assert cli.main([*audit, "--store", str(other), "--keep-text"]) == 0
    assert json.loads(capsys.readouterr().out)["store"] == str(other)
    assert open_store(record).count() == open_store(other).count() == (len(TEXTS), len(TEXTS))
    monkeypatch.delenv("PATHLENS_STORE")
    assert cli.main(audit) == 0
    assert json.loads(capsys.readouterr().out)["recorded"] == 0
    assert cli.main([*audit, "--keep-text"]) == 2
    assert "--keep-text keeps the texts" in capsys.readouterr().err


def test_accuracy_is_over_known_labels_and_unknown_ones_are_reported(
    bundled_engine: PathEngine, tmp_path: Path
) -> None:
    path = tmp_path / "unknown.csv"
    gold = ["positive", "negative", "maybe", "positive", "MAYBE", "maybe"]
    pd.DataFrame({"text": TEXTS[:6], "label": gold}).to_csv(path, index=False)
    result = run_audit(bundled_engine, path, "full", chunk_rows=4)
    decided = [d.label for d in bundled_engine.decide_batch(TEXTS[:6], bundled_engine.parse("full"))]
    known = [(d, g) for d, g in zip(decided, gold, strict=True) if g in ("positive", "negative")]
    assert result.labelled == 3 and result.accuracy == round(sum(d == g for d, g in known) / 3, 4)
    assert result.unknown_labels == {"count": 3, "values": ["MAYBE", "maybe"]}
    assert result.to_json()["unknown_labels"]["count"] == 3


def test_the_flip_rate_is_named_for_the_path_it_compares_against(bundled_engine: PathEngine, tmp_path: Path) -> None:
    path = tmp_path / "pii.csv"
    pd.DataFrame({"text": TEXTS}).to_csv(path, index=False)
    withheld = run_audit(bundled_engine, path, "withhold=pii", against="full").to_json()
    assert withheld["against"] == withheld["path"]  # withheld groups stay withheld on the path it is compared with
    assert withheld["flip_rate_vs_against"] is not None and withheld["flip_rate_vs_full"] is None
    assert "flip_rate_vs_against" in withheld["deprecated"]["flip_rate_vs_full"]
    plain = run_audit(bundled_engine, path, "depth=2", against="full").to_json()
    assert plain["flip_rate_vs_full"] == plain["flip_rate_vs_against"]  # the old name, kept one release


def test_progress_moves_with_every_batch_not_only_every_chunk(bundled_engine: PathEngine, labelled_csv: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    chunks: list[int] = []
    run_audit(
        bundled_engine,
        labelled_csv,
        "depth=2",
        batch_size=5,
        progress=lambda done, _: chunks.append(done),
        batch_progress=lambda done, total: seen.append((done, total)),
    )
    assert chunks == [12]  # one chunk
    assert seen == [(5, 12), (10, 12), (12, 12), (12, 12)]  # its three batches, then the chunk's end


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--batch-size", "0"], "--batch-size must be at least 1, not 0"),
        (["--chunk-rows", "-1"], "--chunk-rows must be at least 1, not -1"),
        (["--out", "rows.csv"], "is the input file"),
        (["--out", "."], "is a folder: give a file's path"),  # was a traceback after every row was scored
        (["--path", "depth=99"], "depth=99 is impossible"),
        (["--path", "withhold=nonsense"], "unknown input group nonsense"),
        (["--out", "new.db"], "is the decision record (--store)"),  # the rows replaced the store, exit 0
    ],
)
def test_an_impossible_option_makes_no_store(
    bundled_engine: PathEngine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    options: list[str],
    message: str,
) -> None:
    """The store was made, empty, before run_audit refused the option."""
    monkeypatch.setattr(cli.common, "load", lambda args: bundled_engine)
    monkeypatch.chdir(tmp_path)
    Path("rows.csv").write_text("text,label\ngood film,1\n")
    code = cli.main(["audit", "--input", "rows.csv", "--store", "new.db", *options])
    assert code == 2 and message in capsys.readouterr().err and list(tmp_path.glob("new.db*")) == []


def test_out_that_is_the_input_file_is_refused_and_the_input_kept(bundled_engine: PathEngine, tmp_path: Path) -> None:
    """The rows were written over the input file, which was gone, exit 0."""
    source = tmp_path / "rows.csv"
    source.write_text("text,label\ngood film,1\nbad film,0\n")
    before = source.read_bytes()
    with pytest.raises(InputError, match="is the input file"):
        run_audit(bundled_engine, source, "depth=1", against=None, out=source)
    assert source.read_bytes() == before


def test_out_that_is_a_decision_record_is_refused_and_the_record_kept(
    bundled_engine: PathEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows were written over the store: exit 0, "recorded" in the summary, every decision gone."""
    monkeypatch.setattr(cli.common, "load", lambda args: bundled_engine)
    source, record = tmp_path / "rows.csv", tmp_path / "record.sqlite"
    source.write_text("text,label\ngood film,1\nbad film,0\n")
    run_audit(bundled_engine, source, "depth=1", store=open_store(record))
    before = record.read_bytes()
    for extra, message in (([], "is a SQLite database"), (["--store", str(record)], "is the decision record")):
        code = cli.main(["audit", "--input", str(source), "--path", "depth=1", "--out", str(record), *extra])
        assert code == 2 and message in capsys.readouterr().err
    code = cli.main(["groups", "--input", str(source), "--groups", "email", "--out", str(record)])
    assert code == 2 and "SQLite database" in capsys.readouterr().err
    assert record.read_bytes() == before and open_store(record).count() == (2, 2)


def test_a_header_that_is_not_utf8_is_refused_naming_its_line(tmp_path: Path) -> None:
    source = tmp_path / "header.csv"
    source.write_bytes("t\xe9xt,label\nrow,1\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"header\.csv: its header \(line 1\) is not valid UTF-8"):
        check_table(source, "text", None)


def test_a_parquet_file_under_a_csvs_name_is_read_as_parquet(bundled_engine: PathEngine, tmp_path: Path) -> None:
    """An API upload is kept as input.csv whatever it holds: Parquet is told by its first bytes."""
    upload = tmp_path / "input.csv"
    pd.DataFrame({"text": ["a fine film", "dull and slow"]}).to_parquet(upload)
    result = run_audit(bundled_engine, upload, "depth=1", against=None)
    assert result.rows == 2 and result.bad_rows_total == 0


def test_a_one_row_files_unread_row_is_named_so() -> None:
    reason = "text has 200,005 characters, more than 200,000"
    assert nothing_read_warning(1, 1, [reason]) == f"the file's one row was not read: {reason}"
    assert nothing_read_warning(3, 3, [reason] * 3) == f"none of the 3 rows was read, e.g. {reason}"
    assert nothing_read_warning(3, 2, [reason] * 2) is None
