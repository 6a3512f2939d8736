"""Audit input and output: chunked CSV/Parquet reading with row checks, per-chunk output, the progress file, and the
progress bar of a pass over a table's rows.

Rows are numbered from 0 in file order, the header excluded. Memory stays flat: one chunk is held at a time.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import sys
import warnings
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from core.errors import InputError, has_content, missing_columns, text_problem
from core.path import holds_a_listed_name

MAX_BAD_ROWS_KEPT = 1000  # bad rows listed by number; beyond this only counted
TEXT_SAMPLE_BYTES = 1 << 16  # what is read of a CSV to tell text from a binary file
CHECK_ROWS = 16_384  # rows read at a time by the check of a whole table


@dataclass(frozen=True)
class BadRow:
    """A row that was skipped, and why (0-based row number, header excluded)."""

    row: int
    reason: str


@dataclass(frozen=True)
class Chunk:
    """Valid rows of one chunk (row numbers, texts, raw gold labels or None) and the chunk's bad rows."""

    end_row: int  # rows [0, end_row) of the file have been read once this chunk is done
    rows: list[int]
    texts: list[str]
    gold: list[str] | None
    bad: list[BadRow]


def _is_parquet(path: Path) -> bool:
    """By its name, or by its first bytes ("PAR1"): an API upload is kept under a CSV's name whatever it holds."""
    if path.suffix.lower() in (".parquet", ".pq"):
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"PAR1"
    except OSError:
        return False


def check_columns(path: Path, text_col: str, label_col: str | None) -> tuple[str | None, int | None]:
    """Fail before any work if the file or a named column is missing; returns (label column used, row count).

    `label_col=None` uses a column named `label` when the file has one. The row count is None for CSV.
    """
    columns, total = table_columns(path)
    wanted = [text_col] + ([label_col] if label_col else [])
    refuse_repeated_columns(path, wanted)
    missing = [name for name in wanted if name not in columns]
    if missing:
        raise missing_columns(path.name, missing, list(columns), label_col, holds_a_listed_name)
    if label_col is None and "label" in columns:
        label_col = "label"
    return label_col, total


def check_table(
    path: Path, text_col: str, label_col: str | None, *, require_text: bool = True
) -> tuple[str | None, int]:
    """`check_columns`, then the row count: for a CSV one pass through the file, which refuses a row with more fields
    than its header or a table that breaks further on, so that a file is refused before anything is made of it. With
    `require_text`, a table of which no row has text in `text_col` (only a header, or blank cells) is refused too."""
    label_col, total = check_columns(path, text_col, label_col)
    has_text = False
    if total is None:
        total = 0
        for frame in _raw_chunks(path, [text_col], CHECK_ROWS):
            total += len(frame)
            has_text = has_text or _has_text(frame[text_col])
    elif require_text:  # a Parquet file's rows are counted in its footer: its column is read up to a text only
        has_text = any(_has_text(frame[text_col]) for frame in _raw_chunks(path, [text_col], CHECK_ROWS))
    if require_text and not has_text:
        raise InputError(f"{path.name} has no row with text in column {text_col!r}: give a table with rows to read")
    return label_col, total


def _has_text(cells: pd.Series) -> bool:
    """Whether a cell holds content: not missing, nor only white space, control or zero-width characters (one that
    is not UTF-8 has text: a bad row, not none)."""
    return any(
        not _is_missing(cell) and (bool(cell.strip()) if isinstance(cell, bytes) else has_content(str(cell)))
        for cell in cells
    )


_JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")


def table_columns(path: Path) -> tuple[list[str], int | None]:
    """The table's column names and its row count (None for CSV); an `InputError` where it is no readable table."""
    if path.is_dir():
        raise InputError(f"input {path} is a folder: give one CSV or Parquet file")
    if not path.is_file():
        raise InputError(f"input file {path} does not exist")
    if path.suffix.lower() in _JSON_SUFFIXES:
        raise InputError(
            f"{path.name} is a JSON file: PathLens reads CSV and Parquet tables; save it as one (e.g. "
            "pandas.read_json(path, lines=True).to_csv(new_path, index=False) for JSON Lines)"
        )
    if not _is_parquet(path):
        _check_is_text(path)
    try:
        if _is_parquet(path):
            parquet = pq.ParquetFile(path)
            return list(parquet.schema_arrow.names), int(parquet.metadata.num_rows)
        columns = list(pd.read_csv(path, nrows=0, encoding="utf-8", encoding_errors="surrogateescape").columns)
    except UnicodeError:  # pandas re-encodes a header with a byte that is not UTF-8 and fails
        raise InputError(f"{path.name}: its header (line 1) is not valid UTF-8: re-save the file as UTF-8") from None
    except pd.errors.EmptyDataError:
        raise InputError(f"{path.name} is empty: give a CSV whose first line names its columns") from None
    except (pa.ArrowException, pd.errors.ParserError, ValueError, OSError) as exc:
        raise InputError(f"{path} could not be read as a CSV or Parquet table: {exc}") from None
    if len(columns) == 1 and any(mark in columns[0] for mark in (";", "\t", "|")):
        raise InputError(
            f"{path.name} reads as one column: PathLens reads comma-separated files; save it with commas (e.g. "
            "pandas.read_csv(path, sep=';').to_csv(new_path, index=False)) or as Parquet"
        )
    return columns, None


_SQLITE_HEADER = b"SQLite format 3\x00"


def refuse_a_database(out: Path) -> None:
    """Refuse to write results over a SQLite database: a decision record named as the output by mistake would be
    replaced, every decision in it lost."""
    try:
        with out.open("rb") as existing:
            head = existing.read(len(_SQLITE_HEADER))
    except OSError:  # none there yet, or unreadable: the writer says what is wrong
        return
    if head == _SQLITE_HEADER:
        raise InputError(
            f"--out {out} is a SQLite database (a decision record?): writing results there would destroy it; "
            "give another path, e.g. --out audit.csv"
        )


def refuse_repeated_columns(path: Path, wanted: Collection[str] | None = None) -> None:
    """An `InputError` where a CSV's header names one of the `wanted` columns (any, if None) more than once: pandas
    reads the second "email" as "email.1", a name the file does not have, and `--text-col email` the first only."""
    if _is_parquet(path):
        return
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        try:
            header = next(csv.reader(handle), [])
        except csv.Error:  # a header cell over the csv module's field limit (131,072 characters): no column's name
            raise InputError(
                f"{path.name}'s first line is not a header (a cell of over {csv.field_size_limit():,} characters): "
                "start the file with the columns' names, e.g. text"
            ) from None
    names = [name.strip() for name in header if name.strip()]
    repeated = sorted({name for name in names if names.count(name) > 1 and (wanted is None or name in wanted)})
    if repeated:
        raise InputError(
            f"{path.name} has more than one column named {repeated[0]!r}: rename them so that each name is used once"
        )


def _check_is_text(path: Path) -> None:
    """Refuse a CSV that is not text at all before any row is read: its first 64 KiB hold a NUL byte (binary files
    and UTF-16 text do; UTF-8 text never does) or are mostly not UTF-8. A few bad bytes only make bad rows."""
    with path.open("rb") as handle:
        sample = handle.read(TEXT_SAMPLE_BYTES)
    undecodable = sample.decode("utf-8", errors="replace").count("\ufffd") - sample.count("\ufffd".encode())
    if _reads_as_utf16(sample):
        raise InputError(f"{path.name} is UTF-16 text, not UTF-8: re-save it as UTF-8 (or give a Parquet file)")
    if b"\x00" in sample or undecodable > 0.3 * max(len(sample), 1):
        raise InputError(
            f"{path.name} is not a text file (its first bytes are binary, or not UTF-8): give a UTF-8 CSV or a Parquet "
            "file"
        )


def _reads_as_utf16(sample: bytes) -> bool:
    """Whether bytes are UTF-16 text: its byte-order mark, or a NUL in every other byte of a Latin text's characters."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    pairs = len(sample) // 2
    return pairs >= 8 and max(sample[0::2].count(0), sample[1::2].count(0)) > 0.9 * pairs


def nothing_read_warning(rows: int, skipped: int, reasons: Sequence[str]) -> str | None:
    """What to say where every one of a file's rows was skipped (`reasons`: theirs, or the first of them): a summary
    that lists every row as skipped and finds nothing reads like a clean file, as a whole export in Latin-1 did."""
    if not (rows and skipped == rows and reasons):
        return None
    reason = Counter(reasons).most_common(1)[0][0]
    advice = "; re-save the file as UTF-8" if "UTF-8" in reason else ""
    if rows == 1:
        return f"the file's one row was not read: {reason}{advice}"
    return f"none of the {rows:,} rows was read, e.g. {reason}{advice}"


def _raw_chunks(path: Path, columns: list[str], chunk_rows: int) -> Iterator[pd.DataFrame]:
    """Object-dtype frames of the wanted columns; CSV bytes that are not UTF-8 become lone surrogates."""
    if _is_parquet(path):
        for record_batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_rows, columns=columns):
            yield pd.DataFrame({name: record_batch.column(name).to_pylist() for name in columns}, dtype=object)
        return
    # Every column is parsed (no `usecols`, which cuts a row with more fields than the header silently: "hello, world"
    # unquoted would read as "hello" and its label as " world"). Such a row is then pandas' ParserError, or on the first
    # row (where `index_col=False` drops the extra field) its ParserWarning, made an error here; a file whose every line
    # ends with a delimiter still reads. The row count's full pass finds either before anything is recorded.
    reader = pd.read_csv(
        path,
        dtype=object,
        keep_default_na=False,
        encoding="utf-8",
        encoding_errors="surrogateescape",
        chunksize=chunk_rows,
        index_col=False,
    )
    frames = iter(reader)
    while True:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            try:
                frame = next(frames)
            except StopIteration:
                return
            except pd.errors.ParserWarning:
                raise _too_many_fields(path, "its first row") from None
            except pd.errors.ParserError as exc:
                match = _FIELD_COUNT.search(str(exc))
                if match is None:
                    raise InputError(f"{path.name} could not be read as a CSV table: {exc}") from None
                where = f"line {match.group(1)} (the header is line 1; line breaks within quotes not counted)"
                raise _too_many_fields(path, where) from None
        yield frame[columns]


_FIELD_COUNT = re.compile(r"Expected \d+ fields in line (\d+), saw \d+")  # pandas names counts and a line, no cell


def _too_many_fields(path: Path, where: str) -> InputError:
    return InputError(
        f"{path.name}: {where} has more fields than the header, so its cells cannot be told apart: put a cell that "
        'holds a comma in double quotes ("hello, world"), or give a Parquet file'
    )


def _undecodable(value: Any) -> bool:
    """Whether a cell held bytes that are not UTF-8 (bytes, or the lone surrogates surrogateescape made of them)."""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return True
    return isinstance(value, str) and any("\udc80" <= ch <= "\udcff" for ch in value)


def _text_problem(value: Any) -> str | None:
    """Why a text cell is a bad row: missing, bytes that are not UTF-8, or `core.errors.text_problem`'s rule."""
    if value is None or (isinstance(value, float) and value != value):
        return "text is missing"
    if _undecodable(value):
        return "text is not valid UTF-8"
    problem = text_problem(_as_text(value))
    return problem.reason if problem is not None else None


def _label_problem(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value) or not str(value).strip():
        return "label is missing"
    if _undecodable(value):
        return "label is not valid UTF-8"
    return None


def _as_text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def read_chunks(
    path: Path, text_col: str, label_col: str | None, chunk_rows: int, start_row: int = 0
) -> Iterator[Chunk]:
    """Chunks of checked rows from `start_row` on: a text `core.errors.text_problem` refuses, a missing text, and a
    missing label or a cell that is not UTF-8 make a bad row."""
    columns = [text_col] + ([label_col] if label_col and label_col != text_col else [])
    first = 0
    for frame in _raw_chunks(path, columns, chunk_rows):
        end = first + len(frame)
        if end <= start_row:
            first = end
            continue
        rows, texts, gold, bad = [], [], [], []
        for offset, (text, label) in enumerate(
            zip(frame[text_col], frame[label_col] if label_col else [None] * len(frame), strict=True)
        ):
            row = first + offset
            if row < start_row:
                continue
            problem = _text_problem(text) or (_label_problem(label) if label_col else None)
            if problem is not None:
                bad.append(BadRow(row, problem))
                continue
            rows.append(row)
            texts.append(_as_text(text))
            gold.append(_as_text(label).strip() if label_col else "")
        yield Chunk(end, rows, texts, gold if label_col else None, bad)
        first = end


@dataclass(frozen=True)
class RowChunk:
    """Rows of one chunk with every column's cell as text ("" for a blank or missing cell, and for a cell that is not
    UTF-8, whose column is listed in `unreadable`)."""

    rows: list[int]
    cells: list[list[str]]
    unreadable: list[list[str]]


def read_rows(path: Path, columns: list[str], chunk_rows: int) -> Iterator[RowChunk]:
    """Chunks of whole rows (the named columns, in order); a cell that is not UTF-8 is read as blank and named, so that
    the rest of its row is still read."""
    first = 0
    for frame in _raw_chunks(path, columns, chunk_rows):
        rows, cells, unreadable = [], [], []
        for offset, values in enumerate(frame.itertuples(index=False, name=None)):
            rows.append(first + offset)
            bad = [_undecodable(value) for value in values]
            unreadable.append([name for name, is_bad in zip(columns, bad, strict=True) if is_bad])
            cells.append(
                [
                    "" if is_bad or _is_missing(value) else _as_text(value)
                    for value, is_bad in zip(values, bad, strict=True)
                ]
            )
        yield RowChunk(rows, cells, unreadable)
        first += len(frame)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def label_values(path: Path, label_col: str, chunk_rows: int = 16_384) -> Iterator[str]:
    """Every gold value of the file as `read_chunks` reads it (stripped; a missing or undecodable cell left out), in
    one streaming pass over the label column: the file's labels are read by one rule (`core.audit.gold`)."""
    for frame in _raw_chunks(path, [label_col], chunk_rows):
        for value in frame[label_col]:
            if _label_problem(value) is None:
                yield _as_text(value).strip()


def row_bar(total: int | None, desc: str, shown: bool = True, initial: int = 0) -> tqdm:
    """A progress bar of rows on stderr, shown whenever `shown`, terminal or not: tqdm's own choice (`disable=None`)
    hides it where stderr is a pipe or a script's log, and a long run there was silent."""
    return tqdm(total=total, initial=initial, desc=desc, unit="row", file=sys.stderr, disable=not shown)


@dataclass
class AuditCheckpoint:
    """What an audit has done so far; saved after every chunk so that a rerun continues where it stopped, and removed
    once the audit is finished."""

    key: str
    rows_read: int = 0
    out_size: int = 0  # CSV: bytes written; Parquet: parts written
    decided: int = 0
    labelled: int = 0
    correct: int = 0
    unknown_labels: dict[str, int] = field(default_factory=dict)  # gold values the model has no label for: rows
    compared: int = 0
    flips: int = 0
    flops: int = 0
    full_flops: int = 0
    elapsed_s: float = 0.0
    bad_total: int = 0
    bad_rows: list[BadRow] = field(default_factory=list)
    recorded: int = 0  # decision records written to the store
    already_recorded: int = 0  # rows the store held already (written before an interruption): not written again

    def add_bad(self, bad: list[BadRow]) -> None:
        self.bad_total += len(bad)
        self.bad_rows.extend(bad[: max(0, MAX_BAD_ROWS_KEPT - len(self.bad_rows))])

    def save(self, path: Path) -> None:
        """Atomic: a crash leaves either the previous or this state."""
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(asdict(self)))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, key: str) -> AuditCheckpoint | None:
        """The saved progress of an audit with this key, else None."""
        try:
            data = json.loads(path.read_text())
            progress = cls(**{**data, "bad_rows": [BadRow(**b) for b in data.get("bad_rows", [])]})
        except (OSError, ValueError, TypeError):
            return None
        return progress if progress.key == key else None


def audit_key(path: Path, parts: dict[str, Any]) -> str:
    """Hash of the audit's arguments and of the input file's content (not its name or time: the same rows sent
    again, e.g. uploaded anew after a crash, are the same audit and are never recorded twice)."""
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode())
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:24]


class ResultWriter:
    """Writes per-row results chunk by chunk beside `out` (CSV: `OUT.partial`, appended and fsynced; Parquet: parts in
    `OUT.parts/`), and makes them `out` in one rename when the audit finishes: an interrupted audit leaves `out` as it
    was (absent, or an earlier run's, never empty or cut short) and its rows so far for a rerun to resume from."""

    def __init__(self, out: Path, resume_size: int) -> None:
        self.out = out
        self.parquet = _is_parquet(out)
        self.partial = _partial(out)
        self.parts_dir = _parts_dir(out)
        self.size = resume_size
        out.parent.mkdir(parents=True, exist_ok=True)
        if self.parquet:
            for part in self.parts_dir.glob("part-*.parquet"):
                if int(part.stem.split("-")[1]) >= resume_size:
                    part.unlink()  # written after the last saved progress: redone now
            self.partial.unlink(missing_ok=True)  # a join cut short: made anew
        elif resume_size:
            with self.partial.open("r+b") as handle:
                handle.truncate(resume_size)  # drop anything written after the last saved progress
        else:
            self.partial.unlink(missing_ok=True)  # an earlier run's, not resumed: made anew at the first chunk

    @staticmethod
    def holds(out: Path, size: int) -> bool:
        """Whether what a saved progress says was written (`size`: CSV bytes, Parquet parts) is still there to resume
        from (a deleted `OUT.partial` would be resumed as NUL bytes, a deleted part as rows missing)."""
        if _is_parquet(out):
            return all(_part(out, index).is_file() for index in range(size))
        partial = _partial(out)
        return not size or (partial.is_file() and partial.stat().st_size >= size)

    def write(self, frame: pd.DataFrame) -> None:
        if self.parquet:
            self.parts_dir.mkdir(exist_ok=True)
            frame.to_parquet(_part(self.out, self.size), index=False)
            self.size += 1
            return
        with self.partial.open("ab") as handle:
            frame.to_csv(handle, header=self.size == 0, index=False, lineterminator="\n")
            handle.flush()
            os.fsync(handle.fileno())
            self.size = handle.tell()

    def finish(self) -> None:
        """Make the rows written `out` (Parquet parts joined one at a time first), replacing it in one rename; an audit
        of no rows writes a table of the `row` column alone, not an empty file."""
        if not self.size:
            self.write(pd.DataFrame({"row": pd.Series(dtype="int64")}))
        if self.parquet:
            self._join_parts()
        os.replace(self.partial, self.out)
        if self.parquet:
            shutil.rmtree(self.parts_dir)

    def _join_parts(self) -> None:
        writer: pq.ParquetWriter | None = None
        try:
            for part in sorted(self.parts_dir.glob("part-*.parquet")):
                table = pq.read_table(part)
                if writer is None:
                    writer = pq.ParquetWriter(self.partial, table.schema)
                writer.write_table(table.cast(writer.schema))
        finally:
            if writer is not None:
                writer.close()


def _partial(out: Path) -> Path:
    return out.with_name(out.name + ".partial")


def _parts_dir(out: Path) -> Path:
    return out.with_name(out.name + ".parts")


def _part(out: Path, index: int) -> Path:
    return _parts_dir(out) / f"part-{index:06d}.parquet"
