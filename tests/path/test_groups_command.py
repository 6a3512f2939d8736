"""`python -m core groups`: offsets of what would be withheld, never the text; clear errors."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from core.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_spans_are_offsets_only(capsys: pytest.CaptureFixture[str]) -> None:
    text = "Call Maria Gonzalez on 555-123-4567 or mail maria@example.org"
    code, out, _ = run(capsys, "groups", "--text", text, "--groups", "person,phone,email")
    assert code == 0
    result = json.loads(out)
    assert [(s["group"], text[s["start"] : s["end"]]) for s in result["spans"]] == [
        ("person", "Maria Gonzalez"),
        ("phone", "555-123-4567"),
        ("email", "maria@example.org"),
    ]
    assert "Gonzalez" not in out and "555-123" not in out and "example.org" not in out


def test_file_gives_one_line_per_row_with_skipped_rows(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    texts = ["Mail bob@example.com", "", "Nothing here.", "Ring +44 20 7946 0958 about ACC-12"]
    pd.DataFrame({"body": texts}).to_csv(source, index=False)
    out = tmp_path / "spans.jsonl"
    code, stdout, _ = run(
        capsys, "groups", "--input", str(source), "--text-col", "body", "--groups", "email,phone,acct", "--out",
        str(out), "--group", "acct=regex:ACC-\\d+",
    )  # fmt: skip
    assert code == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["row"] for line in lines] == [0, 1, 2, 3]
    assert lines[1] == {"row": 1, "skipped": "text is empty"}
    assert [s["group"] for s in lines[0]["spans"]] == ["email"] and lines[2]["spans"] == []
    assert [texts[3][s["start"] : s["end"]] for s in lines[3]["spans"]] == ["+44 20 7946 0958", "ACC-12"]
    summary = json.loads(stdout)
    assert summary["rows"] == 4 and summary["spans"] == {"acct": 1, "email": 1, "phone": 1}
    assert "bob@" not in out.read_text()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--text", "x", "--groups", "people"], "unknown input group people: known groups are pii, email"),
        (["--text", "x", "--group", "acct=regex:("], "the regex does not compile"),
        (["--text", "x", "--group", "slow=regex:(a|aa)+$"], "the regex backtracks without end"),
        (["--text", "ab" * 40 + "!", "--groups", "slow", "--group", "slow=regex:(ab|abab)+$"], "and was stopped"),
        (["--input", "/nonexistent.csv"], "does not exist"),
        (["--text", "x", "--out", "o.jsonl"], "--out goes with --input"),
        (["--input", "sample_data/messages.csv", "--groups", "email", "--out", "sample_data"], "is a folder"),
        (["--input", "sample_data/messages.csv", "--groups", "email", "--out", "/no/x.jsonl"], "does not exist"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, out, err = run(capsys, "groups", *argv)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("all_columns", [False, True])
@pytest.mark.parametrize(
    ("rows", "where"),
    [
        ("Call Jane Doe on 555-123-4567,1,oops\nEmail bob.smith@example.com,2\n", "its first row"),
        ("Email bob.smith@example.com,2\nCall Jane Doe, 555-123-4567,1\n", "line 3"),
    ],
)
def test_a_row_with_a_field_too_many_is_refused_before_a_line_is_printed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, rows: str, where: str, all_columns: bool
) -> None:
    """pandas reads such a row cut short ("Call Jane Doe" with the phone number in no column): its spans would be
    missing from the output, unseen."""
    source = tmp_path / "ragged.csv"
    source.write_text("text,id\n" + rows, encoding="utf-8")
    code, out, err = run(
        capsys, "groups", "--input", str(source), "--groups", "phone,email", *(["--all-columns"] * all_columns)
    )
    assert code == 2 and out == ""
    assert f"ragged.csv: {where}" in err and "more fields than the header" in err and "double quotes" in err
    assert "Jane" not in err and "555" not in err


def test_a_file_whose_every_line_ends_with_a_comma_is_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "trailing.csv"
    source.write_text("text,id\nCall 555-123-4567,1,\nEmail bob.smith@example.com,2,\n", encoding="utf-8")
    code, out, _ = run(capsys, "groups", "--input", str(source), "--groups", "phone,email")
    assert code == 0
    assert [[span["group"] for span in json.loads(line)["spans"]] for line in out.splitlines()] == [
        ["phone"],
        ["email"],
    ]


def test_a_file_without_a_header_is_refused_without_repeating_its_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "ticket.txt"
    source.write_text("hi its jenny here, 27 willow lane, call 07911 123456\nthanks\n", encoding="utf-8")
    code, _, err = run(capsys, "groups", "--input", str(source), "--groups", "pii")
    assert code == 2
    assert "jenny" not in err and "07911" not in err and "willow" not in err
    assert "no header" in err and "--text-col" in err


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        ("text,label\n", [], "header.csv has no row with text in column 'text'"),
        ("text,label\n ,1\n,0\n", [], "header.csv has no row with text in column 'text'"),
        ("text,label\n", ["--all-columns"], "header.csv has no row: give a table with rows to read"),
    ],
)
def test_a_table_without_a_row_of_text_is_refused_as_evaluate_refuses_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, options: list[str], message: str
) -> None:
    """It printed nothing and exit 0 (with --out, an empty file and "rows": 0)."""
    source, out_file = tmp_path / "header.csv", tmp_path / "spans.jsonl"
    source.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "groups", "--input", str(source), "--groups", "pii", "--out", str(out_file), *options)
    assert code == 2 and not out and message in err and not out_file.exists()


def test_an_empty_text_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "groups", "--text", "   ", "--groups", "pii")
    assert code == 2 and "empty" in err


def test_an_amount_with_cents_is_no_phone(capsys: pytest.CaptureFixture[str]) -> None:
    text = "Total 11500.00 and 1234567.89 EUR, call 208.555.0196"
    code, out, _ = run(capsys, "groups", "--text", text, "--groups", "phone")
    assert code == 0
    assert [text[s["start"] : s["end"]] for s in json.loads(out)["spans"]] == ["208.555.0196"]


def test_all_columns_judges_each_cell_under_its_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    rows = [
        [
            "1043",
            "Chidi",
            "Okafor",
            "chidi.o@example.com",
            "14/03/1988",
            "Enugu",
            "Called about a refund, spoke to Maria",
        ],
        ["1044", "Ana", "Ruiz", "ana@example.org", "1990-01-02", "Sevilla", "line one\tand\nline two: ana@example.org"],
    ]
    columns = ["id", "first_name", "last_name", "email", "dob", "city", "notes"]
    pd.DataFrame(rows, columns=columns).to_csv(source, index=False)
    out_file = tmp_path / "spans.jsonl"
    code, out, _ = run(capsys, "groups", "--input", str(source), "--all-columns", "--out", str(out_file))
    assert code == 0
    lines = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    found = [
        [(s["column"], s["group"], row[columns.index(s["column"])][s["start"] : s["end"]]) for s in line["spans"]]
        for row, line in zip(rows, lines, strict=True)
    ]
    assert ("city", "location", "Enugu") in found[0] and ("city", "location", "Sevilla") in found[1]
    assert ("notes", "person", "Maria") in found[0]
    assert ("notes", "email", "ana@example.org") in found[1]  # offsets within a cell that held a tab and a line break
    assert all(column != "id" for line in found for column, _, _ in line)
    summary = json.loads(out)
    assert summary["rows"] == 2 and summary["columns"]["city"] == {"location": 2}
    assert "Enugu" not in out_file.read_text(encoding="utf-8")
    # the one-column scan sees "Enugu" alone and misses it: the column's name is what says it is a town
    code, out, _ = run(capsys, "groups", "--input", str(source), "--text-col", "city")
    assert code == 0 and json.loads(out.splitlines()[0])["spans"] == []


def test_all_columns_reads_the_rest_of_a_row_with_a_cell_that_is_not_utf8(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "mixed.csv"
    source.write_bytes(b"name,email\nJo Bloggs,jo@example.com\nBad \xff\xfe,x@example.com\n,\n")
    out_file = tmp_path / "spans.jsonl"
    code, out, _ = run(
        capsys, "groups", "--input", str(source), "--all-columns", "--groups", "email", "--out", str(out_file)
    )
    assert code == 0
    lines = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == {"row": 0, "spans": [{"column": "email", "group": "email", "start": 0, "end": 14}]}
    assert lines[1] == {
        "row": 1,
        "spans": [{"column": "email", "group": "email", "start": 0, "end": 13}],
        "unreadable": ["name"],
    }
    assert lines[2] == {"row": 2, "spans": []}  # a row of blank cells is no bad row
    summary = json.loads(out)
    assert summary["unreadable_cells"] == 1 and summary["skipped_rows"] == 0
    assert summary["columns"] == {"name": {}, "email": {"email": 2}}  # every column, {} where nothing was found


def test_all_columns_finds_what_each_column_alone_finds(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_text("name,email,city\nChidi Okafor,chidi@example.com,London\n", encoding="utf-8")
    code, out, _ = run(capsys, "groups", "--input", str(source), "--all-columns")
    assert code == 0
    spans = {(s["column"], s["start"], s["end"]) for s in json.loads(out.splitlines()[0])["spans"]}
    assert ("name", 0, 12) in spans and ("city", 0, 6) in spans  # the row's reading found "Okafor" alone


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Chidi,Okafor,chidi@example.com,Enugu\nMaria,Gonzalez,maria@example.org,Boise\n", "reads as no header"),
        ("first_name;last_name;email\nChidi;Okafor;chidi@example.com\n", "reads as one column"),
    ],
)
def test_all_columns_refuses_a_file_without_a_header_or_of_another_delimiter(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, message: str
) -> None:
    source = tmp_path / "export.csv"
    source.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "groups", "--input", str(source), "--all-columns")
    assert code == 2 and message in err and not out
    assert "Chidi" not in err and "chidi@" not in err


def test_out_is_never_the_input_a_link_or_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("text\nMail bob@example.com\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(tmp_path / "target.jsonl")
    for out_path, message in ((source, "is the input file"), (link, "a link or a device")):
        code, _, err = run(capsys, "groups", "--input", str(source), "--out", str(out_path))
        assert code == 2 and message in err
    assert source.read_text(encoding="utf-8") == "text\nMail bob@example.com\n"
    code, _, err = run(capsys, "groups", "--input", str(tmp_path), "--all-columns")
    assert code == 2 and "is a folder" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--text", "x", "--all-columns"], "--all-columns goes with --input"),
        (["--text", "x", "--text-col", "body"], "--text-col goes with --input"),
        (["--input", "sample_data/messages.csv", "--all-columns", "--text-col", "text"], "not both"),
    ],
)
def test_all_columns_refuses_what_does_not_go_with_it(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, "groups", *argv)
    assert code == 2 and message in err


def test_input_shows_its_progress_bar_where_stderr_is_no_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """tqdm hid the bar where stderr was no terminal: piped, or run from a script, 300 rows ran 37 s in silence."""
    source = tmp_path / "in.csv"
    pd.DataFrame({"text": [f"Mail ann{i}@example.com" for i in range(300)]}).to_csv(source, index=False)
    code, out, err = run(capsys, "groups", "--input", str(source), "--groups", "email")
    assert code == 0 and len(out.splitlines()) == 300
    assert "recognising" in err and "300/300" in err


def test_sigterm_leaves_no_half_written_out_file(tmp_path: Path) -> None:
    source = tmp_path / "big.csv"
    pd.DataFrame({"text": [f"Mail person{i}@example.com about order {i}" for i in range(400_000)]}).to_csv(
        source, index=False
    )
    out = tmp_path / "spans.jsonl"
    partial = tmp_path / "spans.jsonl.partial"
    command = [sys.executable, "-m", "core", "groups", "--input", str(source), "--groups", "email", "--out", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not partial.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be stopped: give it more rows"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143 and "terminated" in stderr
    assert not partial.exists() and not out.exists()


def test_all_columns_reads_a_row_whose_one_cell_is_too_long(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A notes column over the length of any text blanked the whole row: the e-mail beside it went unreported."""
    source = tmp_path / "export.csv"
    notes = "word " * 50_000  # 250,000 characters
    source.write_text(f"notes,email\n{notes},ana.ruiz@example.com\nshort,bo@example.com\n", encoding="utf-8")
    out_file = tmp_path / "spans.jsonl"
    code, out, _ = run(capsys, "groups", "--input", str(source), "--all-columns", "--out", str(out_file))
    assert code == 0
    lines = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == {
        "row": 0,
        "spans": [{"column": "email", "group": "email", "start": 0, "end": 20}],
        "too_long": ["notes"],
    }
    assert lines[1] == {"row": 1, "spans": [{"column": "email", "group": "email", "start": 0, "end": 14}]}
    summary = json.loads(out)
    assert summary["too_long_cells"] == 1 and summary["skipped_rows"] == 0


@pytest.mark.parametrize("all_columns", [False, True])
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty: give a CSV whose first line names its columns"),
        (b"id;name;text\n1;Ana;call 555-123-4567\n", "reads as one column: PathLens reads comma-separated files"),
        (b"text,id,text\nhello,1,call 555-123-4567\n", "has more than one column named 'text': rename them"),
    ],
)
def test_files_whose_columns_cannot_be_told_are_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, message: str, all_columns: bool
) -> None:
    """pandas read the second "text" column as "text.1", so that --text-col text never saw its phone number."""
    source = tmp_path / "export.csv"
    source.write_bytes(content)
    code, out, err = run(
        capsys, "groups", "--input", str(source), "--groups", "phone", *(["--all-columns"] * all_columns)
    )
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1
    assert "555" not in err and "Ana" not in err


@pytest.mark.parametrize("all_columns", [False, True])
def test_a_first_line_too_long_for_a_header_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, all_columns: bool
) -> None:
    """A text file with no header whose first line held over 131,072 characters ended in the csv module's traceback."""
    source = tmp_path / "notes.txt"
    source.write_bytes(b"Ana call 555-123-4567 " * 7000 + b"\nsecond line\n")
    code, out, err = run(
        capsys, "groups", "--input", str(source), "--groups", "phone", *(["--all-columns"] * all_columns)
    )
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "first line" in err and "Traceback" not in err and "555" not in err


def test_a_file_of_which_no_row_can_be_read_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A whole export in Latin-1 printed every row as skipped and exit 0, which read like a clean file to a script: the
    rows are printed as skipped, the reason is the error line, the exit code 2."""
    source = tmp_path / "latin1.csv"
    source.write_bytes("text\nJosé called\nMuñoz here\n".encode("latin-1"))
    code, out, err = run(capsys, "groups", "--input", str(source), "--groups", "pii")
    assert code == 2 and [json.loads(line)["skipped"] for line in out.splitlines()[:2]]
    assert "error: none of the 2 rows was read" in err and "re-save the file as UTF-8" in err
    assert "Jos" not in err and "Mu" not in err


def test_a_first_line_that_holds_a_persons_name_is_never_repeated(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A plain note read as a CSV: its first line, "Hi Maria Okonkwo,", reads like a header of two cells (a user's
    trial found it repeated in the error); the error says how many fields, never what they hold."""
    source = tmp_path / "note.csv"
    source.write_text("Hi Maria Okonkwo,\nmy card was charged twice\n", encoding="utf-8")
    code, out, err = run(capsys, "groups", "--input", str(source))
    assert code == 2 and not out
    assert "its first line (2 fields) reads as no header" in err and "Maria" not in err and "Okonkwo" not in err


def test_a_json_file_is_named_as_one(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A JSON Lines export read as a CSV was refused as a file whose first line "reads as no header"."""
    source = tmp_path / "messages.jsonl"
    source.write_text('{"text": "Mail bob@example.com"}\n', encoding="utf-8")
    code, _, err = run(capsys, "groups", "--input", str(source))
    assert code == 2 and "messages.jsonl is a JSON file" in err and "bob@" not in err
