"""Privacy with the personal-data groups: with withhold=pii no withheld value reaches the classifier's input, the
decision record, a log, an audit output or an export (byte scans, as for the patterned groups)."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from core.audit import run_audit
from core.model import load_model
from core.run import PathEngine
from core.store import open_store
from tests.conftest import recorded_bytes

SECRETS = {
    "person": "Zebulon Quackenbush",
    "location": "Reykjavik",
    "address": "6962 Jesus Avenue Apt. 858, Conradbury, IA 41524",
    "age": "83 years old",
    "date": "2000-04-16 11:34:35",
    "ssn": "744-04-8645",
    "id_number": "P36625851",
    "email": "zq@example.org",
    "phone": "555-123-4567",
    "ip": "fe80::1ff:fe23:4567:890a",
    "iban": "GB82 WEST 1234 5698 7654 32",
}
TEXT = (
    f"Dear {SECRETS['person']}, the hotel in {SECRETS['location']} was dreadful; I am {SECRETS['age']}. Ship the "
    f"refund to {SECRETS['address']} by {SECRETS['date']}; SSN {SECRETS['ssn']}, passport {SECRETS['id_number']}, "
    f"IBAN {SECRETS['iban']}. Mail {SECRETS['email']}, call {SECRETS['phone']}, logged from {SECRETS['ip']}."
)
# Every value, and the distinctive words of each, in both cases the tokenizer might produce.
NEEDLES = [
    piece
    for value in SECRETS.values()
    for piece in (value, *[word for word in value.replace(",", "").split() if len(word) > 5])
    for piece in (piece, piece.lower())
]


def _leaks(blob: bytes) -> list[str]:
    return [needle for needle in NEEDLES if needle.encode() in blob]


def test_every_personal_value_is_withheld_before_the_classifier(bundled_engine: PathEngine) -> None:
    spec = bundled_engine.parse("withhold=pii")
    prepared = bundled_engine.prepare(TEXT, spec)
    assert set(prepared.withheld.counts) == set(SECRETS)  # each group found its value
    model_input = prepared.withheld.text + bundled_engine.model.tokenizer.decode(list(prepared.token_ids))
    assert _leaks(model_input.encode()) == []


def test_withheld_values_never_reach_the_store_logs_or_export(
    bundled_engine: PathEngine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    audited, blob = recorded_bytes(bundled_engine, tmp_path, TEXT, "depth=3; withhold=pii", [], caplog)
    assert set(audited.decision.withheld) == set(SECRETS)
    assert _leaks(blob) == []


def test_audit_with_pii_withheld_writes_no_personal_value(
    bundled_engine: PathEngine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = tmp_path / "in.csv"
    pd.DataFrame({"text": [TEXT, "A fine film.", TEXT.replace("dreadful", "lovely")]}).to_csv(source, index=False)
    out, stored = tmp_path / "out.csv", tmp_path / "audit.sqlite"
    caplog.set_level(logging.DEBUG)
    result = run_audit(bundled_engine, source, "depth=2; withhold=pii", out=out, store=open_store(stored))
    assert result.rows == 3 and result.recorded == 3
    withheld = sorted(record.withheld.get("person", 0) for record in open_store(stored).history(limit=10))
    assert withheld == [0, 1, 1]
    blob = out.read_bytes() + caplog.text.encode()
    blob += b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("audit.sqlite"))
    assert _leaks(blob) == []


def test_typed_placeholder_is_selectable_and_part_of_the_fingerprint(bundled_engine: PathEngine) -> None:
    typed = PathEngine(load_model(placeholder_style="typed"))
    assert typed.model.fingerprint != bundled_engine.model.fingerprint
    spec = typed.parse("withhold=person,email")
    assert typed.prepare(TEXT, spec).withheld.text.startswith("Dear person, the hotel")
    unknown = bundled_engine.prepare(TEXT, bundled_engine.parse("withhold=person,email")).withheld.text
    assert unknown.startswith(f"Dear {bundled_engine.model.tokenizer.unk_token}, the hotel")
