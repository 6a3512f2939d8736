"""Personal-data spans as a snapshot: a change to how texts go through spaCy and Presidio must not change them.

Run from the project root: `HF_HUB_OFFLINE=1 .venv/bin/python -m bench.pii_equivalence --write before.json` on the
old tree, then `... --compare before.json` on the new one (exit 1 naming the first texts that differ). The sets are
those tuned on (bench/pii_handwritten dev, dev2, dev3, dev4), the Faker tuning and held-out sets (bench/pii_data.py),
SST-2 dev and the first 5,000 lines of SST-2 train; never the held-out hand-written sets. Per text it keeps the
spans withheld under `pii`, those of `organization` (the NER label `pii` reads only through the person group) and
the NER's own entities of every label (`core.path.ner.find_entities`), all found for the whole set in one batch.
The snapshot keeps the texts, and `--compare` reads those: Faker's dates move with the day the set is generated.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from bench.pii_data import generate, load_handwritten
from core.path import PII_GROUPS, GroupSet
from core.path.ner import LABEL_TO_ENTITY, find_entities

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "sst2" / "dev.csv"
TRAIN = ROOT.parent / "shared" / "data" / "sst2" / "train_full.csv"
TUNED_PARTS = ("dev", "dev2", "dev3", "dev4")


def texts_by_set(train_rows: int) -> dict[str, list[str]]:
    """The texts of every set the snapshot covers, by set name (with the first `train_rows` SST-2 train lines)."""
    sets = {part: [m.text for m in load_handwritten(part)] for part in TUNED_PARTS}
    sets["faker tuning"] = [m.text for m in generate(1500, held_out=False)]
    sets["faker held-out"] = [m.text for m in generate(600, held_out=True)]
    sets["sst2 dev"] = pd.read_csv(DEV)["text"].astype(str).tolist()
    if train_rows:
        sets["sst2 train"] = pd.read_csv(TRAIN, nrows=train_rows)["text"].astype(str).tolist()
    return sets


def snapshot(texts: list[str]) -> list[dict[str, object]]:
    """Per text: the text, its `pii` spans, `organization` spans and the NER's entities ([name, start, end] lists)."""
    group_set = GroupSet()
    pii = group_set.find_many(texts, PII_GROUPS)
    organisations = group_set.find_many(texts, ["organization"])
    entities = find_entities(texts, set(LABEL_TO_ENTITY.values()))
    return [
        {
            "text": text,
            "pii": [[s.group, s.start, s.end] for s in spans],
            "organization": [[s.group, s.start, s.end] for s in orgs],
            "entities": [[e.label, e.start, e.end] for e in found],
        }
        for text, spans, orgs, found in zip(texts, pii, organisations, entities, strict=True)
    ]


def differences(
    before: dict[str, list[dict[str, object]]], now: dict[str, list[dict[str, object]]], shown: int = 5
) -> list[str]:
    """Lines naming the texts whose spans differ between two snapshots (at most `shown` a set)."""
    lines = []
    for name, rows in before.items():
        other = now[name]
        changed = [i for i, (old, new) in enumerate(zip(rows, other, strict=True)) if old != new]
        lines += [f"{name} #{i}: {rows[i]} -> {other[i]}" for i in changed[:shown]]
        lines += [f"{name}: {len(changed)} texts differ in all"] if changed else []
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", type=Path, help="write the snapshot to this JSON file")
    action.add_argument("--compare", type=Path, help="compare with the snapshot in this JSON file")
    parser.add_argument("--sst2-train", type=int, default=5000, help="how many SST-2 train lines to add (--write)")
    args = parser.parse_args()
    before = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare is not None else None
    sets = (
        texts_by_set(args.sst2_train)
        if before is None
        else {name: [row["text"] for row in rows] for name, rows in before.items()}
    )
    now = {name: snapshot(texts) for name, texts in sets.items()}
    counts = {name: sum(len(row["pii"]) for row in rows) for name, rows in now.items()}
    print(f"pii spans per set: {counts}")
    if args.write is not None:
        args.write.write_text(json.dumps(now), encoding="utf-8")
        print(f"written to {args.write}")
        return
    assert before is not None, "--compare names the snapshot it reads"
    lines = differences(before, now)
    print("\n".join(lines) if lines else f"identical to {args.compare}: every set, every text")
    sys.exit(1 if lines else 0)


if __name__ == "__main__":
    main()
