"""Reading a labelled table (`core.training.read_text_table`): a byte that is not UTF-8 is named by its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import InputError
from core.training import read_text_table


@pytest.mark.parametrize("end", [b"\r", b"\n", b"\r\n"])
def test_a_byte_that_is_not_utf8_is_named_by_its_line_whatever_the_line_ends(tmp_path: Path, end: bytes) -> None:
    """With lone CR line ends the whole file was one line: "line 1"."""
    source = tmp_path / "t.csv"
    source.write_bytes(end.join([b"text,label", b"good,1", b"fine,1", b"ok,0", b"Jos\xe9 liked it,1", b"last,0", b""]))
    with pytest.raises(InputError, match=r"^t\.csv: line 5 \(the header is line 1\) is not valid UTF-8"):
        read_text_table(source)
