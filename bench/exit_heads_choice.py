"""How the shipped exit heads were chosen: candidate refits compared on held-out training sentences, never on dev.

Run from the project root:
`HF_HUB_OFFLINE=1 .venv/bin/python -m bench.exit_heads_choice [--heads DIR] [--features FILE]`.
`--heads` is the artifact whose early heads are the baseline (default: the bundled one). The artifact as first
shipped, before the refit, is in git history: `git show d98ac8a:core/model/artifacts/minilm-sst2/FILE`.
The rows of ../shared/data/sst2/train_full.csv that the shipped artifact's adapter was not trained on are split as
`train-heads --refit` splits them: phrases (fit the early heads) and complete sentences (like dev). The sentences
are cut into two seeded halves; each candidate's temperatures are fitted on one half and applied to the other
(cross-fitting), and every confidence threshold is simulated on all the sentences with the executor's rule. The
table gives, per candidate and threshold, accuracy minus the full path's (points) and mean layers run.
`--features FILE` caches the held-out features (a few minutes to compute on a CPU).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from core.model import ExitHeads, load_model
from core.path import ExitPolicy, simulate
from core.training import read_text_table
from core.training.calibration import fit_temperature
from core.training.frozen import encode_labels, layer_features
from core.training.refit import RefitConfig, exit_logits_of, fit_early_heads, split_rows, untrained_rows

TRAIN = Path(__file__).resolve().parents[2] / "shared" / "data" / "sst2" / "train_full.csv"
THRESHOLDS = (0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.96)
CANDIDATES = {
    "baseline heads (--heads)": None,
    "refit, labels (distill 0)": RefitConfig(distill=0.0),
    "refit, distill 0.5": RefitConfig(distill=0.5),
    "refit, distill 1": RefitConfig(distill=1.0),
    "refit, labels, L2 1e-2": RefitConfig(l2=1e-2),
}


def held_out(
    heads_dir: Path | None, features_file: Path | None
) -> tuple[ExitHeads, torch.Tensor, torch.Tensor, list[int], list[int]]:
    """The artifact's heads, (N, L, D) features and labels of its held-out rows, (phrase, sentence) positions."""
    model = load_model(heads_dir=heads_dir)
    assert model.base.exit_heads is not None, "the bundled model has exit heads"
    frame = read_text_table(TRAIN)
    texts = frame["text"].tolist()
    labels, _ = encode_labels(frame["label"].tolist(), model.labels)
    rows = untrained_rows(len(texts), model.heads_meta["report"], TRAIN.name)
    phrases, sentences = split_rows(texts, rows, seed=0)
    if features_file is not None and features_file.is_file():
        features = torch.load(features_file)
    else:
        features = layer_features(model.base, model.tokenizer, [texts[i] for i in rows], desc="held-out features")
        if features_file is not None:
            torch.save(features, features_file)
    position = {row: i for i, row in enumerate(rows)}
    return (
        model.base.exit_heads,
        features,
        labels[rows],
        [position[r] for r in phrases],
        [position[r] for r in sentences],
    )


def cross_fitted(logits: torch.Tensor, labels: torch.Tensor, halves: list[torch.Tensor], calibrate: bool) -> tuple:
    """(L, N, C) logits of all sentences, each half divided by temperatures fitted on the other half."""
    parts = []
    for own, other in (halves, halves[::-1]):
        temperatures = [fit_temperature(z[other], labels[other]) if calibrate else 1.0 for z in logits]
        parts.append(logits[:, own] / torch.tensor(temperatures)[:, None, None])
    return torch.cat(parts, 1), torch.cat([labels[halves[0]], labels[halves[1]]])


def row(name: str, logits: torch.Tensor, labels: torch.Tensor) -> str:
    full = float((logits[-1].argmax(-1) == labels).float().mean())
    cells = []
    for threshold in THRESHOLDS:
        chosen = simulate(ExitPolicy("confidence", threshold=threshold), logits)[0]
        accuracy = float((logits[chosen, torch.arange(len(labels))].argmax(-1) == labels).float().mean())
        cells.append(f"{100 * (accuracy - full):+.2f} / {float((chosen + 1).float().mean()):.2f}")
    return f"| {name} | {full:.4f} | " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--heads", type=Path, help="artifact whose heads are the baseline (default: bundled)")
    parser.add_argument("--features", type=Path, help="cache file for the held-out features")
    args = parser.parse_args()
    torch.set_num_threads(1)
    shipped, features, labels, phrases, sentences = held_out(args.heads, args.features)
    order = torch.randperm(len(sentences), generator=torch.Generator().manual_seed(0))
    halves = [order[: len(order) // 2], order[len(order) // 2 :]]
    sentence_x, sentence_y = features[sentences], labels[sentences]
    print(f"held-out rows: {len(phrases)} phrases (fit), {len(sentences)} sentences (temperatures, evaluation)")
    print("| candidate | full path | " + " | ".join(f"≥{t}" for t in THRESHOLDS) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in THRESHOLDS) + " |")
    for name, config in CANDIDATES.items():
        heads = shipped if config is None else fit_early_heads(shipped, features[phrases], labels[phrases], config)
        logits = exit_logits_of(heads, sentence_x)
        for calibrate in (False, True):
            print(
                row(
                    name + (" + temperatures" if calibrate else ""),
                    *cross_fitted(logits, sentence_y, halves, calibrate),
                )
            )


if __name__ == "__main__":
    main()
