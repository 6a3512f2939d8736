"""Train the personal-data tagger of `core/path/learned.py` and write `core/path/pii_tagger.crfsuite`.

    python -m bench.pii_tagger [--out FILE]

It learns from the hand-written messages' development halves (`TRAINING_PARTS`; the test halves never, nor the
fourteenth set, written later to measure it), from messages of `bench/pii_data.py` (Faker, tuning templates), from
messages of our own wording filled with Faker's addresses and towns of other countries, and from ordinary sentences
with nothing to withhold, read from `../shared/data` (SST-2 train, banking77 train, financial news; never SST-2 dev,
which measures the cost). Deterministic: the same data gives the same file. About a minute on two cores.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
import pycrfsuite
from faker import Faker
from tqdm import tqdm

from bench.pii_data import HANDWRITTEN, LabelledText, fill, generate
from core.path.learned import LABELS, MODEL_FILE, NEWLINES, sequence_features, tokens

TRAINING_PARTS = (
    "dev",
    "dev2",
    "dev3",
    "dev4",
    "dev5",
    "heldout",
    "heldout2",
    "heldout3",
    "heldout9-dev",
    "heldout10-dev",
    "heldout11-dev",
    "heldout12-dev",
    "heldout13-dev",
)
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
BENIGN_FILES = ("sst2/train_5k_balanced.csv", "banking77/train.csv", "fintweets/train.csv")
FAKER_MESSAGES = 2000
# Addresses and towns of other countries in Faker's local forms ("Grammova 8\n777 63 Městec Králové", "Skolvägen 76"),
# in sentences of our own: the project's Faker set writes English-speaking countries' only. Not it_IT: its towns
# come in an order that changes with Python's hash seed, and the model would differ from one training to the next.
OTHER_COUNTRY_LOCALES = (
    "cs_CZ", "sk_SK", "sv_SE", "fi_FI", "no_NO", "da_DK", "de_DE", "de_AT", "fr_FR", "fr_CH", "nl_NL", "nl_BE",
    "es_ES", "es_CO", "pt_PT", "pt_BR", "pl_PL", "hu_HU", "ro_RO", "sl_SI", "hr_HR", "id_ID", "en_IN",
    "en_NZ", "en_IE",
)  # fmt: skip
OTHER_COUNTRY_TEMPLATES = (
    "My address is {address}.",
    "Please ship it to {street}, {city}.",
    "{name}\n{address}",
    "I moved to {address} last month, can you update my account?",
    "Delivery to {street} - {city}, ring twice.",
    "The parcel is still at the depot in {city}.",
    "Billing address: {address}",
    "We are from {city}, {country}.",
    "She lives at {street} near the station.",
    "Return to sender: {name}, {address}",
)
OTHER_COUNTRY_MESSAGES = 2000
BENIGN_PER_FILE = 500
SEED = 3
# L1 and L2 weights of CRFsuite's L-BFGS training, and its iterations.
PARAMETERS = {"c1": 0.1, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}


def bio_tags(text: str, spans: Iterable[tuple[str, int, int]]) -> list[str]:
    """One BIO tag per word of `text` (`core.path.learned.tokens`): a word inside a labelled span takes its label;
    a line break is never part of a span."""
    words = tokens(text)
    tags = ["O"] * len(words)
    for entity, start, end in spans:
        label = LABELS.get(entity)
        if label is None:
            continue
        inside = [
            i for i, (first, last, word) in enumerate(words) if first >= start and last <= end and word not in NEWLINES
        ]
        for n, i in enumerate(inside):
            tags[i] = f"{'B' if n == 0 else 'I'}-{label}"
    return tags


def read_parts(parts: Sequence[str]) -> list[LabelledText]:
    messages = []
    for part in parts:
        for line in (HANDWRITTEN / f"{part}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                messages.append(LabelledText(row["text"], tuple((g, s, e) for g, s, e in row["spans"])))
    return messages


def other_country_messages(count: int, seed: int) -> list[LabelledText]:
    """`count` messages of `OTHER_COUNTRY_TEMPLATES`, each filled by the Faker of a random other-country locale."""
    rng = random.Random(seed)
    fakes = [Faker(locale) for locale in OTHER_COUNTRY_LOCALES]
    for index, fake in enumerate(fakes):
        fake.seed_instance(seed + index)
    messages = []
    for _ in range(count):
        fake = rng.choice(fakes)
        messages.append(fill(rng.choice(OTHER_COUNTRY_TEMPLATES), fake, fake, rng))
    return messages


def benign_sentences(shared: Path, per_file: int, seed: int) -> list[str]:
    """`per_file` shuffled texts of each of `BENIGN_FILES`: sentences in which nothing is personal."""
    missing = [name for name in BENIGN_FILES if not (shared / name).is_file()]
    if missing:
        raise SystemExit(f"{shared} lacks {', '.join(missing)}: give --shared the folder of the shared data sets")
    rng = random.Random(seed)
    sentences = []
    for name in BENIGN_FILES:
        texts = pd.read_csv(shared / name)["text"].dropna().astype(str).tolist()
        rng.shuffle(texts)
        sentences += texts[:per_file]
    return sentences


def train(messages: Sequence[LabelledText], benign: Sequence[str], out: Path, parameters: dict) -> int:
    """Fit the CRF on labelled messages and benign sentences (all "O"); returns the number of sequences."""
    trainer = pycrfsuite.Trainer(verbose=False)
    sequences = [(m.text, m.spans) for m in messages] + [(text, ()) for text in benign]
    used = 0
    for text, spans in tqdm(sequences, desc="sequences", unit="text"):
        words = [word for _, _, word in tokens(text)]
        if words:
            trainer.append(sequence_features(words), bio_tags(text, spans))
            used += 1
    trainer.set_params(parameters)
    trainer.train(str(out))
    return used


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder (benign sentences)")
    args = parser.parse_args(argv)
    messages = read_parts(TRAINING_PARTS) + generate(FAKER_MESSAGES, held_out=False, seed=SEED)
    messages += other_country_messages(OTHER_COUNTRY_MESSAGES, SEED)
    used = train(messages, benign_sentences(args.shared, BENIGN_PER_FILE, SEED), args.out, PARAMETERS)
    print(f"{used} sequences -> {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
