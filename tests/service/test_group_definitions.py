"""The user's own input groups in the record: a salted fingerprint of each definition a decision read, checked
before a decision is reproduced, explained again or its comparison set resumed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from core.audit import run_audit
from core.errors import InputError
from core.model import load_model
from core.path import custom_group
from core.run import PathEngine
from core.service import DecisionService
from core.store import AlternativeRecord, open_store
from tests.store.test_store import make_record

ROOT = Path(__file__).parents[2]
TEXT = "Maria Lopez was rude, Luis Ortega was lovely."
WORDS = ["Maria Lopez", "Luis Ortega"]


@pytest.fixture(scope="module")
def engines(tiny_checkpoint: Callable[[str], Path]) -> Callable[..., PathEngine]:
    """An engine on a tiny BERT whose session defines `clients` by the given words (none: not defined)."""

    def make(words: list[str] | None = WORDS) -> PathEngine:
        groups = () if words is None else (custom_group("clients", words=words),)
        return PathEngine(load_model(tiny_checkpoint("bert"), custom_groups=groups))

    return make


def test_a_decision_records_a_salted_fingerprint_of_each_own_group_it_read(
    engines: Callable[..., PathEngine], tmp_path: Path
) -> None:
    engine = engines()
    store = open_store(tmp_path / "groups.sqlite")
    service = DecisionService(engine, store)
    withheld = service.decide(TEXT, engine.parse("withhold=clients,email"), compare=False).decision
    blocked = service.decide(TEXT, engine.parse("block=clients"), compare=False).decision
    builtin = service.decide(TEXT, engine.parse("withhold=email"), compare=False).decision
    recorded = store.get(withheld.decision_id).group_definitions
    assert list(recorded) == ["clients"] and len(recorded["clients"]) == 32
    assert store.get(blocked.decision_id).group_definitions == recorded
    assert store.get(builtin.decision_id).group_definitions == {}, "built-in groups are fixed by the code"
    other = open_store(tmp_path / "other.sqlite")
    assert other.group_fingerprints({"clients": "regex:x"}) != store.group_fingerprints({"clients": "regex:x"})
    assert store.group_fingerprints({"clients": "regex:x"}) != store.group_fingerprints({"vip": "regex:x"})
    service.close(timeout_s=60)
    assert b"Maria" not in (tmp_path / "groups.sqlite").read_bytes(), "neither the text nor the word list is stored"


def test_reproduce_refuses_a_group_defined_otherwise_or_missing_and_accepts_the_same_words(
    engines: Callable[..., PathEngine], tmp_path: Path
) -> None:
    engine, store = engines(), open_store(tmp_path / "reproduce.sqlite")
    service = DecisionService(engine, store)
    decision_id = service.decide(
        TEXT, engine.parse("heads_off=0.0; withhold=clients"), keep_text=True
    ).decision.decision_id
    assert service.close(timeout_s=120)
    with pytest.raises(InputError, match="clients defined otherwise than then"):
        DecisionService(engines(["Maria Lopez"]), store).reproduce(decision_id)
    with pytest.raises(InputError, match="clients not defined here"):
        DecisionService(engines(None), store).reproduce(decision_id)
    same = DecisionService(engines(list(reversed(WORDS))), store)  # the same words in another order
    reproduced = same.reproduce(decision_id)
    assert reproduced.matches and reproduced.alternatives_checked == reproduced.alternatives_matching > 0


def test_a_process_without_the_group_fails_the_orphans_it_cannot_resume_and_still_starts(
    engines: Callable[..., PathEngine], tmp_path: Path
) -> None:
    engine, store = engines(), open_store(tmp_path / "orphans.sqlite")
    record = replace(
        make_record("d000001", text=TEXT),
        model_fingerprint=engine.model.fingerprint,
        path="withhold=clients",
        alternatives=(AlternativeRecord("heads_off=0.0; withhold=clients", "a0"),),
        group_definitions=store.group_fingerprints(engine.model.groups.definitions(["clients"])),
    )
    store.insert(record, worker=f"{socket.gethostname()}:999999999")  # left pending by a process that died
    restarted = DecisionService(engines(None), store)  # before the fix, parsing the orphan's path stopped it here
    assert restarted.resumed == 0
    (alternative,) = store.get("d000001").alternatives
    assert alternative.status == "failed" and "clients not defined here" in (alternative.error or "")


def test_a_restart_without_the_group_computes_the_paths_that_do_not_read_it_and_fails_only_the_others(
    engines: Callable[..., PathEngine], tmp_path: Path
) -> None:
    """A dashboard restarts knowing none of its users' groups: the orphans of a decision that blocked one are still
    computed where the path does not read it, and the rest wait, with the reason, for `resume` with the group."""
    engine, store = engines(), open_store(tmp_path / "restart.sqlite")
    fingerprint = engine.model.fingerprint
    paths = ("full", "heads_off=0.0", "withhold=clients")  # only the last reads the user's group
    record = replace(
        make_record("d000002", text=TEXT),
        input_fingerprint=store.input_fingerprint(TEXT),
        model_fingerprint=fingerprint,
        path="block=clients",
        alternatives=tuple(AlternativeRecord(path, engine.parse(path).path_id(fingerprint)) for path in paths),
        group_definitions=store.group_fingerprints(engine.model.groups.definitions(["clients"])),
    )
    store.insert(record, worker=f"{socket.gethostname()}:999999999")  # left pending by a process that died
    restarted = DecisionService(engines(None), store)
    assert restarted.resumed == 1 and restarted.close(timeout_s=120)
    full, headless, withheld = store.get("d000002").alternatives
    expected = engines(None).decide(TEXT, engine.parse("full"))
    assert (full.status, headless.status, full.label) == ("done", "done", expected.label)
    assert full.logits == pytest.approx(expected.logits, abs=1e-5)
    assert withheld.status == "failed" and "clients not defined here" in (withheld.error or "")
    assert "python -m core resume --decision d000002 --group" in (withheld.error or "")
    again = DecisionService(engines(), store)  # the group defined again: `resume` recomputes the one left
    assert again.resume("d000002") == 1 and again.close(timeout_s=120)
    assert [alternative.status for alternative in store.get("d000002").alternatives] == ["done"] * 3


def test_one_word_list_gives_one_definition_in_every_process() -> None:
    words = ["Ana", "Bob", "Eve", "Ian", "Kim", "Lea", "Max", "Zoe"]  # equal lengths: their order was a set's
    script = f"from core.path import custom_group; print(custom_group('x', words={words!r}).definition)"
    definitions = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(definitions) == 1
    assert custom_group("x", words=list(reversed(words))).definition == definitions.pop().strip()


def test_a_recorded_audit_fingerprints_the_groups_of_its_path(
    engines: Callable[..., PathEngine], tmp_path: Path
) -> None:
    engine, store = engines(), open_store(tmp_path / "audit.sqlite")
    rows = pd.DataFrame({"text": [TEXT, "A calm, kind reply."]})
    run_audit(engine, rows, "heads_off=0.0; withhold=clients", store=store)
    expected = store.group_fingerprints(engine.model.groups.definitions(["clients"]))
    assert [record.group_definitions for record in store.history()] == [expected, expected]
