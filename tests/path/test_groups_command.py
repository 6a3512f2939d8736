"""`python -m core groups`: offsets of what would be withheld, never the text; clear errors."""

import json
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
