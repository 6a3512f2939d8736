"""Personal-data groups: recall and precision on labelled messages, cost on benign text, audit speed, placeholders.

Run from the project root: `HF_HUB_OFFLINE=1 .venv/bin/python -m bench.pii_recall [--messages 1500] [--rows 8000]`.
`--tune` scores the tuning set instead of the held-out one (bench/pii_data.py). Every figure comes from this one
run. A gold span counts as withheld only when every letter and digit of it is withheld (a half-withheld name
leaks); precision is the share of withheld letters and digits that lie inside some gold span.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from bench.pii_data import NAME_LOCALES, LabelledText, generate, load_handwritten
from core.audit import run_audit
from core.model import load_model
from core.path import NER_GROUPS, PII_GROUPS, GroupSet
from core.path.name_list import find_listed_names
from core.run import PathEngine

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "sst2" / "dev.csv"


def _mask(length: int, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    mask = np.zeros(length, dtype=bool)
    for start, end in spans:
        mask[start:end] = True
    return mask


def _alnum(text: str) -> np.ndarray:
    return np.array([ch.isalnum() for ch in text], dtype=bool)


def score(
    group_set: GroupSet, messages: Sequence[LabelledText], withheld_groups: Sequence[str], gold_groups: Sequence[str]
) -> dict[str, float]:
    """Recall over gold spans of `gold_groups` and precision of withheld characters, withholding `withheld_groups`."""
    found = group_set.find_many([m.text for m in messages], withheld_groups)
    covered = total = withheld_chars = withheld_in_gold = 0
    for message, spans in zip(messages, found, strict=True):
        alnum = _alnum(message.text)
        withheld = _mask(len(message.text), [(s.start, s.end) for s in spans]) & alnum
        gold_any = _mask(len(message.text), [(start, end) for _, start, end in message.spans])
        withheld_chars += int(withheld.sum())
        withheld_in_gold += int((withheld & gold_any).sum())
        for group, start, end in message.spans:
            if group in gold_groups:
                total += 1
                covered += bool(withheld[start:end][alnum[start:end]].all())
    return {
        "gold_spans": total,
        "recall": covered / total if total else float("nan"),
        "char_precision": withheld_in_gold / withheld_chars if withheld_chars else float("nan"),
    }


def recall_table(group_set: GroupSet, messages: Sequence[LabelledText]) -> pd.DataFrame:
    labelled = sorted({group for m in messages for group, _, _ in m.spans})
    rows = [{"group": g, **score(group_set, messages, [g], [g])} for g in labelled]
    personal = [g for g in labelled if g in PII_GROUPS]
    rows.append({"group": "pii (all personal-data spans)", **score(group_set, messages, PII_GROUPS, personal)})
    with_org = [*PII_GROUPS, "organization"]
    rows.append({"group": "pii,organization (+ org spans)", **score(group_set, messages, with_org, labelled)})
    rows.append({"group": "person under pii", **score(group_set, messages, PII_GROUPS, ["person"])})
    for label, other in (("English-locale names", False), ("other-locale names", True)):
        subset = [m for m in messages if (m.name_locale in NAME_LOCALES) == other]
        rows.append({"group": f"person under pii, {label}", **score(group_set, subset, PII_GROUPS, ["person"])})
    return pd.DataFrame(rows)


def entity_scores(
    group_set: GroupSet, messages: Sequence[LabelledText], withheld_groups: Sequence[str]
) -> dict[str, str]:
    """Per labelled entity, "recall (spans)": the share of its spans of which at least half the letters and digits
    are withheld (the maintainers' rule of issue 27); `all` over every span; `char_precision` as in `score`."""
    found = group_set.find_many([m.text for m in messages], withheld_groups)
    caught: dict[str, list[bool]] = {}
    withheld_chars = withheld_in_gold = 0
    for message, spans in zip(messages, found, strict=True):
        alnum = _alnum(message.text)
        withheld = _mask(len(message.text), [(s.start, s.end) for s in spans]) & alnum
        gold_any = _mask(len(message.text), [(start, end) for _, start, end in message.spans])
        withheld_chars += int(withheld.sum())
        withheld_in_gold += int((withheld & gold_any).sum())
        for entity, start, end in message.spans:
            letters = alnum[start:end]
            caught.setdefault(entity, []).append(bool(withheld[start:end][letters].sum() * 2 >= letters.sum()))
    every = [hit for hits in caught.values() for hit in hits]
    table = {entity: f"{np.mean(hits):.3f} ({len(hits)})" for entity, hits in sorted({**caught, "all": every}.items())}
    table["char_precision"] = f"{withheld_in_gold / withheld_chars:.3f}" if withheld_chars else "-"
    return table


def handwritten_table(group_set: GroupSet, parts: Sequence[str]) -> pd.DataFrame:
    """Recall per entity (>= half of a span withheld) under `pii` and under `pii,organization`, on the hand-written
    messages (bench/pii_handwritten) and on the Faker held-out set, side by side."""
    sets = {part: load_handwritten(part) for part in parts}
    sets["faker held-out"] = generate(600, held_out=True)
    columns = {}
    for name, messages in sets.items():
        columns[f"{name}: pii"] = entity_scores(group_set, messages, PII_GROUPS)
        columns[f"{name}: +org"] = entity_scores(group_set, messages, [*PII_GROUPS, "organization"])
    return pd.DataFrame(columns).fillna("")


def benign_table(engine: PathEngine, dev: pd.DataFrame) -> pd.DataFrame:
    """Per group: share of SST-2 dev sentences with something withheld, and the accuracy change it causes."""
    texts = dev["text"].astype(str).tolist()
    base = run_audit(engine, dev, "full", against=None, label_col="label").accuracy or 0.0
    rows = []
    for group in [*PII_GROUPS, "organization", "pii"]:
        groups = PII_GROUPS if group == "pii" else [group]
        hit = float(np.mean([bool(spans) for spans in engine.model.groups.find_many(texts, groups)]))
        accuracy = base if hit == 0 else run_audit(engine, dev, f"withhold={group}", against=None).accuracy or 0.0
        rows.append({"group": group, "sentences_withheld": hit, "accuracy": accuracy, "change": accuracy - base})
    listed = float(np.mean([bool(find_listed_names(text)) for text in texts]))
    rows.append({"group": "person: first-name list alone", "sentences_withheld": listed})
    return pd.DataFrame(rows)


def benign_pii(engine: PathEngine, dev: pd.DataFrame) -> dict[str, float]:
    """The `pii` row of `benign_table` alone (two audits, not one a group): the share of SST-2 dev sentences with
    something withheld under `pii`, and accuracy with nothing withheld and with `withhold=pii`."""
    texts = dev["text"].astype(str).tolist()
    hit = [bool(spans) for spans in engine.model.groups.find_many(texts, PII_GROUPS)]
    return {
        "sentences_withheld": float(np.mean(hit)),
        "sentences": int(np.sum(hit)),
        "accuracy_full": run_audit(engine, dev, "full", against=None, label_col="label").accuracy or 0.0,
        "accuracy_pii": run_audit(engine, dev, "withhold=pii", against=None, label_col="label").accuracy or 0.0,
    }


def throughput(engine: PathEngine, dev: pd.DataFrame, rows: int) -> dict[str, float]:
    """Audit rows/s with withhold=pii and with no withholding, side by side on the same repeated file."""
    frame = pd.concat([dev] * (rows // len(dev) + 1), ignore_index=True).iloc[:rows]
    timings = {}
    for path in ("full", "withhold=pii", "withhold=email,url,ip,iban,card,ssn,id_number,phone,date,address"):
        started = time.perf_counter()
        result = run_audit(engine, frame, path, against=None)
        timings[path] = rows / (time.perf_counter() - started)
        assert result.rows == rows
    return timings


def recogniser_ms(texts: Sequence[str]) -> dict[str, float]:
    """Milliseconds per text to find the spans: patterned groups only (no NER), and all of pii (one NER batch)."""
    group_set = GroupSet()
    patterned = [g for g in PII_GROUPS if g not in NER_GROUPS]
    group_set.find_many(texts[:8], PII_GROUPS)  # load Presidio and spaCy outside the timing
    timings = {}
    for name, groups in (("patterned pii groups, one text at a time", patterned), ("all pii groups, batched", None)):
        started = time.perf_counter()
        if groups is None:
            group_set.find_many(texts, PII_GROUPS)
        else:
            for text in texts:
                group_set.find(text, groups)
        timings[name] = (time.perf_counter() - started) * 1000 / len(texts)
    return timings


def _labels(engine: PathEngine, frame: pd.DataFrame, path: str) -> tuple[float | None, np.ndarray]:
    """Accuracy along `path` and the predicted label of every row."""
    chunks: list[pd.DataFrame] = []
    audit = run_audit(engine, frame, path, against=None, on_rows=chunks.append)
    return audit.accuracy, pd.concat(chunks)["label"].to_numpy()


def placeholders(dev: pd.DataFrame) -> pd.DataFrame:
    """SST-2 dev accuracy with names withheld as the unknown token vs a typed word, on all rows and on the rows
    that name somebody (spaCy + cues find the same names for both styles), and how many answers each placeholder
    changes against reading the names (the figure a placeholder should keep low)."""
    engines = {style: PathEngine(load_model(placeholder_style=style)) for style in ("unknown", "typed")}
    spans = engines["typed"].model.groups.find_many(dev["text"].astype(str).tolist(), ["person"])
    rows = []
    for subset, frame in (("all rows", dev), ("rows naming a person", dev[[bool(s) for s in spans]])):
        accuracy, read = _labels(engines["typed"], frame, "full")
        row: dict[str, object] = {"rows": subset, "n": len(frame), "nothing withheld": accuracy}
        for style, engine in engines.items():
            accuracy, withheld = _labels(engine, frame, "withhold=person")
            row[f"person as {style}"] = accuracy
            row[f"{style}: answers changed"] = int((withheld != read).sum())
        rows.append(row)
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1500)
    parser.add_argument("--rows", type=int, default=8000, help="rows of repeated SST-2 dev for the audit speed")
    parser.add_argument("--tune", action="store_true", help="score the tuning set, not the held-out one")
    parser.add_argument(
        "--sections",
        default="recall,handwritten,benign,speed,placeholders",
        help="which parts to run (also benign-pii: the pii row of benign alone)",
    )
    parser.add_argument(
        "--handwritten",
        default="dev,dev2,dev3,dev4,dev5",
        help="hand-written parts to score: dev,dev2,dev3,dev4,dev5 (tuned on); test and the heldout sets only once, at "
        "the end of a round",
    )
    args = parser.parse_args()
    sections = set(args.sections.split(","))
    pd.set_option("display.width", 160)
    if "recall" in sections:
        messages = generate(args.messages, held_out=not args.tune)
        spans = sum(len(m.spans) for m in messages)
        print(f"## Recall/precision: {len(messages)} {'tuning' if args.tune else 'held-out'} messages, {spans} spans")
        print(recall_table(GroupSet(), messages).round(3).to_string(index=False), flush=True)
    if "handwritten" in sections:
        parts = args.handwritten.split(",")
        print(f"\n## Hand-written messages ({', '.join(parts)}) and the Faker held-out set: recall per entity")
        print(handwritten_table(GroupSet(), parts).to_string(), flush=True)
    if not sections & {"benign", "benign-pii", "speed", "placeholders"}:
        return
    dev = pd.read_csv(DEV)
    engine = PathEngine(load_model())
    if "benign" in sections:
        print(f"\n## Benign text: {len(dev)} SST-2 dev sentences")
        print(benign_table(engine, dev).round(4).to_string(index=False), flush=True)
    if "benign-pii" in sections:
        print(f"\n## Benign text under pii: {len(dev)} SST-2 dev sentences")
        print(benign_pii(engine, dev), flush=True)
    if "speed" in sections:
        print(f"\n## Audit rows/s, SST-2 dev repeated to {args.rows} rows")
        for path, rate in throughput(engine, dev, args.rows).items():
            print(f"{path:>80}: {rate:8.1f} rows/s", flush=True)
        for name, ms in recogniser_ms(dev["text"].astype(str).tolist()).items():
            print(f"recognisers, {name}: {ms:.3f} ms/text", flush=True)
    if "placeholders" in sections:
        print("\n## Placeholders (withhold=person)")
        print(placeholders(dev).round(4).to_string(index=False), flush=True)


if __name__ == "__main__":
    main()
