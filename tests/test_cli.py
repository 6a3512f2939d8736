"""`python -m core`: JSON on stdout, one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXPLAIN_CHOICES = "give each method once, separated by commas, from ig,gxi,saliency,lrp,occlusion,attention,heads"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else {}), err


def test_decide_prints_the_design_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, result, _ = run_cli(
        capsys, "decide", "--text", "Loved it! Mail me: a.b@example.org", "--path", "depth=3;withhold=email"
    )
    assert code == 0
    assert {"label", "probs", "path", "path_id", "decision_id", "cost", "withheld"} <= result.keys()
    assert result["path"] == "depth=3; withhold=email"
    assert result["withheld"] == {"email": 1}
    assert result["cost"]["layers_run"] == 3 and result["cost"]["heads_run"] == 36
    assert {"flops", "latency_ms", "device", "precision"} <= result["cost"].keys()
    assert sum(result["probs"].values()) == pytest.approx(1.0, abs=1e-5)


def test_user_defined_group_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, result, _ = run_cli(
        capsys, "decide", "--text", "Alice was great", "--path", "withhold=friends", "--group", "friends=words:Alice"
    )
    assert code == 0 and result["withheld"] == {"friends": 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["decide", "--text", "fine", "--path", "layers=9"], "layer 9 does not exist: this model has layers 0-5"),
        (["decide", "--text", "   "], "the text is empty"),
        (["decide", "--text", "\u200b\u200b"], "the text holds no content"),  # issue 25, row 10
        (["decide", "--text", "\ufeff"], "the text holds no content"),
        (["decide", "--text", "fine", "--path", "layers=0-999999999"], "layer 999999999 does not exist"),  # row 1
        (["decide", "--text", "x", "--model", "/nonexistent/model"], "does not exist"),
        (["evaluate", "--input", "/nonexistent.csv"], "does not exist"),
        (["decide", "--text", "x", "--explain", ""], f"--explain names no method: {EXPLAIN_CHOICES}"),
        (["decide", "--text", "x", "--explain", " , "], f"--explain names no method: {EXPLAIN_CHOICES}"),
        (["decide", "--text", "x", "--explain", "ig,"], f"an empty method name in 'ig,': {EXPLAIN_CHOICES}"),
        (["decide", "--text", "x", "--explain", "ig,gxi,ig"], f"--explain names ig more than once: {EXPLAIN_CHOICES}"),
        (["decide", "--text", "x", "--explain", "IG,ig"], f"--explain names ig more than once: {EXPLAIN_CHOICES}"),
    ],
)
def test_errors_are_one_actionable_line(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, _, err = run_cli(capsys, *args)
    assert code == 2
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "99999"], "--port: 99999 is not a whole number from 0 to 65535 (0: any free port)"),  # bind()
        (["--port", "70000"], "--port: 70000 is not a whole number from 0 to 65535 (0: any free port)"),
        (["--port", "eighty"], "--port: eighty is not a whole number from 0 to 65535 (0: any free port)"),
        (["--max-body-kb", "-5"], "--max-body-kb: -5 is not a whole number from 1 to 1048576"),  # was accepted
    ],
)
def test_serve_refuses_impossible_numbers_before_it_starts(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", *args])
    [line] = capsys.readouterr().err.splitlines()  # one line, not argparse's usage block and a garbled message
    assert exited.value.code == 2 and line == f"error: argument {message}; see python -m core serve --help"


def test_long_text_is_read_in_windows_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, result, _ = run_cli(capsys, "decide", "--text", "great film " * 400, "--no-record")
    assert code == 0
    assert result["tokens"]["total"] == result["tokens"]["kept"] == 802
    assert result["tokens"]["windows"] > 1
    assert any("overlapping windows" in note for note in result["notes"])


def test_csv_without_the_named_column_and_invalid_utf8(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("review,label\ngood,1\n")
    code, _, err = run_cli(capsys, "evaluate", "--input", str(table))
    assert code == 2 and "no column 'text'" in err and "review" in err
    table.write_bytes(b'text,label\ngood,1\n"a film\nover two lines",0\nJos\xe9 liked it,1\n')
    code, _, err = run_cli(capsys, "evaluate", "--input", str(table))
    assert code == 2 and "t.csv: line 5 (the header is line 1) is not valid UTF-8" in err  # was "(byte 3)"
    assert "byte" not in err and "Jos" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"text,label\n", "has no row with text in column 'text'"),  # reported accuracy 0.0 at every depth
        (b"text,label\ngood film,1\nso good, really,1\n", "line 3 (the header is line 1"),  # pandas' raw error
        (b"", "is empty: give a CSV whose first line names its columns"),
        (b"text;label\ngood;1\n", "reads as one column"),
    ],
)
def test_evaluate_refuses_what_an_audit_refuses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, message: str
) -> None:
    table = tmp_path / "t.csv"
    table.write_bytes(content)
    code, _, err = run_cli(capsys, "evaluate", "--input", str(table))
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1 and "good" not in err


def test_module_entry_point_runs_as_a_process() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "core", "decide", "--text", "what a bore", "--path", "depth=1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["path"] == "depth=1"


def test_decide_exits_3_when_the_decision_was_made_but_not_recorded(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from core.store import open_store

    location = tmp_path / "locked.sqlite"
    open_store(location)  # create it, then hold its write lock while `decide` runs
    monkeypatch.setenv("PATHLENS_STORE_TIMEOUT", "0.2")
    holder = sqlite3.connect(location, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code = main(["decide", "--text", "Great film", "--path", "depth=2", "--store", str(location)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    out, err = capsys.readouterr()
    assert code == 3
    printed = json.loads(out)  # the answer is still printed in full
    assert printed["label"] in ("negative", "positive") and printed["record"]["status"] == "failed"
    assert err.startswith("error: the decision was printed but NOT recorded") and err.count("\n") == 1
    assert open_store(location).count() == (0, 0)


def test_a_non_utf8_argument_is_a_one_line_error() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "core", "decide", "--text", b"caf\xe9 ok".decode("utf-8", "surrogateescape")],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.decode().count("\n") == 1 and b"the value of --text is not valid UTF-8" in done.stderr
    assert b"Traceback" not in done.stderr and b"caf" not in done.stderr  # the text is no part of the error


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path) -> None:
    source = tmp_path / "many.csv"
    source.write_text("text\n" + "mail ann@example.com\n" * 20_000)  # ~1 MB of JSON lines: more than a pipe holds
    proc = subprocess.Popen(
        [sys.executable, "-m", "core", "groups", "--input", str(source), "--groups", "email"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = json.loads(proc.stdout.readline())  # what `| head -1` reads
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert first["row"] == 0 and first["spans"][0]["group"] == "email"
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_compare_times_every_path_one_way(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    store = str(tmp_path / "d.sqlite")
    code, result, _ = run_cli(capsys, "compare", "--text", "Dull, slow and far too long. " * 40, "--store", store)
    assert code == 0 and result["complete"] and "FLOPs" in result["time_basis"]
    times = {alt["path"]: alt["estimated_ms"] for alt in result["alternatives"]}
    ordered = [times[f"depth={depth}"] for depth in range(1, 6)] + [result["executed"]["estimated_ms"]]
    assert ordered == sorted(ordered)  # the figures the Compare page shows (core.service.comparison)


def test_reproduce_refuses_a_missing_text_before_loading_a_model(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.cli import common

    store = str(tmp_path / "d.sqlite")
    code, decided, _ = run_cli(capsys, "decide", "--text", "Great film", "--path", "depth=2", "--store", store)
    assert code == 0  # its text is not kept: only a salted hash is

    def no_model(*_: object) -> None:
        raise AssertionError("a model was loaded before the missing text was refused")

    monkeypatch.setattr(common, "load", no_model)
    for command in ("reproduce", "resume"):
        code, _, err = run_cli(capsys, command, "--decision", decided["decision_id"], "--store", store)
        assert code == 2 and "was not kept: pass it again with --text" in err
    code, _, err = run_cli(capsys, "reproduce", "--decision", "no-such-id", "--store", store)
    assert code == 2 and "no-such-id" in err
