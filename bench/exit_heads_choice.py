"""How the shipped adapter and exit heads were chosen: training runs compared on sentences none of them read.

Run from the project root:
`HF_HUB_OFFLINE=1 .venv/bin/python -m bench.exit_heads_choice --candidate NAME=DIR [--candidate ...] [--dev]`.
Every candidate is an artifact trained with `train-heads --adapt lora --hold-out-sentences N` on
../shared/data/sst2/train_full.csv with the same N and seed, so all held out the same complete sentences and every
phrase of them (`core.training.holdout`). Those sentences are cut into two seeded halves; each exit's temperature is
fitted on one half and applied to the other (cross-fitting, so no sentence is judged by a temperature fitted on
it), and every confidence threshold is simulated with the executor's rule. Per candidate and threshold the table
gives accuracy minus the full path's (points), the sentences whose answer differs from the full path's
(discordant: what an exit policy can lose or gain), and mean layers run. `--dev` prints the same for
../shared/data/sst2/dev.csv with each artifact's own temperatures: for the record once the choice is made.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from core.model import LoadedModel, load_model
from core.path import ExitPolicy, simulate
from core.training import read_text_table
from core.training.calibration import exit_logits_of, fit_temperature
from core.training.frozen import encode_labels, layer_features
from core.training.holdout import hold_out_sentences

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "sst2"
THRESHOLDS = (0.85, 0.9, 0.93, 0.95)


def held_out_sentences(model: LoadedModel) -> tuple[list[str], torch.Tensor]:
    """Texts and labels of the complete sentences the artifact's training held out."""
    report = model.heads_meta["report"]
    config = report.get("config") or {}
    if report.get("train_data") != "train_full.csv" or not config.get("hold_out_sentences"):
        raise SystemExit("every candidate must be trained on train_full.csv with --hold-out-sentences")
    frame = read_text_table(DATA / "train_full.csv")
    texts = frame["text"].tolist()
    rows = hold_out_sentences(texts, int(config["hold_out_sentences"]), int(config.get("seed", 0))).sentence_rows
    labels, _ = encode_labels(frame["label"].tolist(), model.labels)
    return [texts[i] for i in rows], labels[rows]


def cross_fitted(logits: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(L, N, C) logits with each seeded half divided by temperatures fitted on the other half; labels reordered."""
    order = torch.randperm(labels.shape[0], generator=torch.Generator().manual_seed(0))
    halves = [order[: len(order) // 2], order[len(order) // 2 :]]
    parts = []
    for own, other in (halves, halves[::-1]):
        temperatures = torch.tensor([fit_temperature(z[other], labels[other]) for z in logits])
        parts.append(logits[:, own] / temperatures[:, None, None])
    return torch.cat(parts, 1), torch.cat([labels[halves[0]], labels[halves[1]]])


def row(name: str, logits: torch.Tensor, labels: torch.Tensor) -> str:
    """One table row: the full path's accuracy, then gap / discordant / mean layers per threshold."""
    full = logits[-1].argmax(-1)
    cells = []
    for threshold in THRESHOLDS:
        chosen = simulate(ExitPolicy("confidence", threshold=threshold), logits)[0]
        answer = logits[chosen, torch.arange(labels.shape[0])].argmax(-1)
        gap = 100 * float((answer == labels).float().mean() - (full == labels).float().mean())
        cells.append(f"{gap:+.2f} / {int((answer != full).sum())} / {float((chosen + 1).float().mean()):.2f}")
    accuracy = float((full == labels).float().mean())
    return f"| {name} | {labels.shape[0]} | {accuracy:.4f} | " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidate", action="append", required=True, metavar="NAME=DIR", help="repeatable")
    parser.add_argument("--dev", action="store_true", help="also the same table on SST-2 dev (own temperatures)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    print("| candidate | sentences | full path | " + " | ".join(f"≥{t}" for t in THRESHOLDS) + " |")
    print("| --- | --- | --- | " + " | ".join("---" for _ in THRESHOLDS) + " |")
    dev = read_text_table(DATA / "dev.csv") if args.dev else None
    for candidate in args.candidate:
        name, _, directory = candidate.partition("=")
        model = load_model(heads_dir=Path(directory))
        assert model.base.exit_heads is not None, "a candidate has exit heads"
        texts, labels = held_out_sentences(model)
        features = layer_features(model.base, model.tokenizer, texts, desc=f"{name}: held-out sentences")
        print(row(f"{name}, held out", *cross_fitted(exit_logits_of(model.base.exit_heads, features), labels)))
        if dev is not None:
            dev_labels, _ = encode_labels(dev["label"].tolist(), model.labels)
            features = layer_features(model.base, model.tokenizer, dev["text"].tolist(), desc=f"{name}: dev")
            heads = model.base.exit_heads
            print(row(f"{name}, dev", exit_logits_of(heads, features) / heads.temperature[:, None, None], dev_labels))


if __name__ == "__main__":
    main()
