"""Personal-data spans on benign corpora: text with (almost) no personal data of private persons, so nearly every
span `withhold=pii` withholds there is a false positive.

Run from the project root: `HF_HUB_OFFLINE=1 .venv/bin/python -m bench.pii_benign` prints, per corpus, the texts
read, the texts with something withheld, the withheld spans by group and the most frequent withheld surface forms
(lower-cased) per group. `--write FILE` keeps every span (corpus, row, group, surface) for a later `--diff FILE`,
which prints the spans withheld before and not now, and the reverse. Corpora: banking77's training queries,
fintweets' training tweets, SST-2 dev and the first `--sst2-train` lines of SST-2 train (reviews: real names of
actors and directors are withheld there on purpose; they are public persons, not private ones, but the detector
cannot tell).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import pandas as pd

from core.path import PII_GROUPS, GroupSet

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPORA = {
    "banking77": DATA / "banking77" / "train.csv",
    "fintweets": DATA / "fintweets" / "train.csv",
    "sst2 dev": DATA / "sst2" / "dev.csv",
    "sst2 train": DATA / "sst2" / "train_full.csv",
}


def corpus_texts(sst2_train: int) -> dict[str, list[str]]:
    """The texts of each corpus (SST-2 train cut to its first `sst2_train` lines)."""
    texts = {}
    for name, path in CORPORA.items():
        frame = pd.read_csv(path, nrows=sst2_train if name == "sst2 train" else None)
        texts[name] = frame["text"].astype(str).tolist()
    return texts


def withheld(texts: dict[str, list[str]]) -> list[tuple[str, int, str, str]]:
    """(corpus, row, group, surface) of every span withheld under `pii`."""
    group_set = GroupSet()
    rows = []
    for name, corpus in texts.items():
        for i, (text, spans) in enumerate(zip(corpus, group_set.find_many(corpus, PII_GROUPS), strict=True)):
            rows += [(name, i, s.group, text[s.start : s.end]) for s in spans]
    return rows


def report(texts: dict[str, list[str]], rows: list[tuple[str, int, str, str]], top: int) -> None:
    for name, corpus in texts.items():
        mine = [row for row in rows if row[0] == name]
        hit = len({row[1] for row in mine})
        groups = Counter(row[2] for row in mine)
        print(
            f"== {name}: {len(corpus)} texts, {hit} with something withheld ({hit / len(corpus):.2%}), "
            f"{len(mine)} spans: {dict(groups.most_common())}"
        )
        for group, _ in groups.most_common():
            forms = Counter(row[3].lower() for row in mine if row[2] == group).most_common(top)
            print(f"   {group}: " + ", ".join(f"{form!r} {count}" for form, count in forms))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sst2-train", type=int, default=5000, help="SST-2 train lines to read")
    parser.add_argument("--top", type=int, default=25, help="surface forms shown per group")
    parser.add_argument("--write", type=Path, help="keep every span in this JSON file")
    parser.add_argument("--diff", type=Path, help="compare with spans kept by --write")
    args = parser.parse_args()
    texts = corpus_texts(args.sst2_train)
    rows = withheld(texts)
    report(texts, rows, args.top)
    if args.write is not None:
        args.write.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    if args.diff is not None:
        before = {tuple(row) for row in json.loads(args.diff.read_text(encoding="utf-8"))}
        now = set(rows)
        for label, changed in (("no longer withheld", before - now), ("newly withheld", now - before)):
            print(f"== {label}: {len(changed)}")
            for name, i, group, surface in sorted(changed):
                print(f"   {name} #{i} {group} {surface!r}: {texts[name][i][:160]!r}")


if __name__ == "__main__":
    main()
