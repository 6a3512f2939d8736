"""Cost of explanations: our IG vs transformers-interpret on the same model, text and n_steps; IG vs n_steps and
text length; every method's time; adaptive IG and AttnLRP against IG at 50 steps on SST-2 dev sentences, with
faithfulness, and on a 10,000-token text. Not a test: prints one table per question, ratios from the same run.

transformers-interpret is a benchmark-only dependency (its pins are old; it runs on transformers 5):
    .venv/bin/pip install --no-deps transformers-interpret==0.10.0   (or --target DIR, then PYTHONPATH=DIR)
    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.explain_cost [--repeats 3]
    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.explain_cost --only fast --sentences 200   # issue 14's tables

Configured alike: transformers-interpret's SequenceClassificationExplainer gets a small *ForSequenceClassification
stand-in that runs the same bundled encoder (plain HF forward, all layers) and the same last-layer exit head, and
accepts only input_ids and attention_mask, so it attributes exactly what we attribute: the softmax probability of
the predicted label, layer IG on the word embeddings, [PAD] baseline keeping [CLS]/[SEP], Gauss-Legendre n_steps.
Its scores are L2-normalised; the cosine similarity is scale-free. Ours runs with score_faithfulness=False here
(faithfulness is timed separately below).
"""

from __future__ import annotations

import argparse
import collections
import copy
import csv
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

from core.explain import ALL_METHODS, Faithfulness, IGOptions, explain
from core.model import LoadedModel, load_model
from core.run import PathEngine

TEXT = (
    "The first half drags and the jokes rarely land, but the last act is a genuinely moving, beautifully acted "
    "piece of cinema that made me forgive almost everything."
)


class ExitHeadClassifier(nn.Module):
    """The bundled encoder + its last exit head behind the interface transformers-interpret expects."""

    base_model_prefix = "bert"

    def __init__(self, model: LoadedModel) -> None:
        super().__init__()
        self.bert = model.base.encoder
        self.heads = model.base.exit_heads
        self.last_layer = model.num_layers - 1
        self.config = copy.deepcopy(model.config)
        self.config.id2label = dict(enumerate(model.labels))
        self.config.label2id = {label: i for i, label in enumerate(model.labels)}

    @property
    def device(self) -> torch.device:
        return torch.device("cpu")

    def get_input_embeddings(self) -> nn.Module:
        return self.bert.embeddings.word_embeddings

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None) -> tuple[torch.Tensor]:
        mask = torch.ones_like(input_ids) if attention_mask is None else attention_mask
        hidden = self.bert(input_ids=input_ids, attention_mask=mask).last_hidden_state  # (B, T, D)
        return (self.heads(self.last_layer, hidden, mask),)


def timed(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Median wall time of `repeats` calls (after one warm-up) and the last result."""
    result = fn()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def versus_transformers_interpret(engine: PathEngine, repeats: int) -> None:
    from transformers_interpret import SequenceClassificationExplainer

    model = engine.model
    spec = engine.parse("full")
    theirs = SequenceClassificationExplainer(ExitHeadClassifier(model), model.tokenizer)
    print("\n## our IG vs transformers-interpret (same model, text, n_steps; median of", repeats, "runs)")
    print("| text | n_steps | tokens | ours s | theirs s | ours/theirs | cosine |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    long_text = _text_of_tokens(engine, (TEXT + " ") * 10, 250)
    for name, text, n_steps in (("review", TEXT, 20), ("review", TEXT, 50), ("250 tokens", long_text, 50)):
        ours_s, ours = timed(
            lambda t=text, n=n_steps: explain(engine, t, spec, ("ig",), ig=IGOptions(n), score_faithfulness=False),
            repeats,
        )
        theirs_s, word_scores = timed(lambda t=text, n=n_steps: theirs(t, n_steps=n), repeats)
        their_scores = np.array([score for _, score in word_scores])[1:-1]
        our_scores = np.array(ours.methods["ig"].scores)
        assert len(their_scores) == len(our_scores), "both must see the same tokens"
        cosine = float(our_scores @ their_scores / (np.linalg.norm(our_scores) * np.linalg.norm(their_scores)))
        ratio = ours_s / theirs_s
        print(
            f"| {name} | {n_steps} | {len(our_scores)} | {ours_s:.3f} | {theirs_s:.3f} | {ratio:.2f} | {cosine:.5f} |"
        )
    theirs_s, word_scores = timed(lambda: theirs(TEXT, n_steps=50), repeats)
    their_scores = np.array([score for _, score in word_scores])[1:-1]
    for path in ("depth=3", "precision=bf16"):
        cheaper = engine.parse(path)
        ours_s, ours = timed(lambda s=cheaper: explain(engine, TEXT, s, ("ig",), score_faithfulness=False), repeats)
        our_scores = np.array(ours.methods["ig"].scores)
        cosine = float(our_scores @ their_scores / (np.linalg.norm(our_scores) * np.linalg.norm(their_scores)))
        times = f"{ours_s:.3f} | {theirs_s:.3f} | {ours_s / theirs_s:.2f}"
        print(f"| review, ours on `{path}` (not alike) | 50 | {len(our_scores)} | {times} | {cosine:.5f} |")


def ig_scaling(engine: PathEngine, repeats: int) -> None:
    spec = engine.parse("full")
    print("\n## IG time vs n_steps (same text)")
    print("| n_steps | seconds | relative delta |")
    print("| --- | --- | --- |")
    for n_steps in (10, 25, 50, 100):
        seconds, result = timed(
            lambda n=n_steps: explain(engine, TEXT, spec, ("ig",), ig=IGOptions(n), score_faithfulness=False), repeats
        )
        print(f"| {n_steps} | {seconds:.3f} | {result.methods['ig'].relative_delta:.2e} |")
    print("\n## IG time vs text length (n_steps=50)")
    print("| content tokens | windows | seconds |")
    print("| --- | --- | --- |")
    words = (TEXT + " ") * 40
    for target_tokens in (16, 64, 128, 254, 600):
        text = _text_of_tokens(engine, words, target_tokens)
        seconds, result = timed(
            lambda t=text: explain(engine, t, spec, ("ig",), ig=IGOptions(50), score_faithfulness=False), 1
        )
        print(f"| {len(result.units)} | {result.windows} | {seconds:.3f} |")


def all_methods(engine: PathEngine) -> None:
    spec = engine.parse("full")
    started = time.perf_counter()
    result = explain(engine, TEXT, spec, ALL_METHODS, ig=IGOptions(50))
    total = time.perf_counter() - started
    attribution = sum(r.seconds for r in result.methods.values())
    print(f"\n## every method on one text ({len(result.units)} tokens, n_steps=50)")
    print("| method | seconds | comprehensiveness | sufficiency |")
    print("| --- | --- | --- | --- |")
    for name, method in result.methods.items():
        figures = method.faithfulness
        assert figures is not None
        print(f"| {name} | {method.seconds:.3f} | {figures.comprehensiveness:.3f} | {figures.sufficiency:.3f} |")
    assert result.random_ranking is not None
    print(
        f"| (random ranking) | - | {result.random_ranking.comprehensiveness:.3f} | "
        f"{result.random_ranking.sufficiency:.3f} |"
    )
    print(f"total {total:.3f} s, of which faithfulness and setup {total - attribution:.3f} s")


FAST_METHODS = ("ig", "gxi", "lrp", "occlusion")  # explained in one call at IG-50; adaptive IG in a second call


def fast_methods(engine: PathEngine, sentences: list[str], with_theirs: int) -> None:
    """Per sentence, side by side: IG at 50 steps, gxi, lrp, occlusion (one call), adaptive IG (a second call).

    Times are each method's own attribution seconds (`MethodResult.seconds`, faithfulness excluded); the first
    `with_theirs` sentences also run transformers-interpret's IG at 50 steps.
    """
    spec = engine.parse("full")
    explainer = _their_explainer(engine) if with_theirs else None
    if with_theirs and explainer is None:
        print(
            "transformers-interpret is not installed: its column is left out (see the module docstring)",
            file=sys.stderr,
        )
    seconds: dict[str, list[float]] = {name: [] for name in ("ig50", "adaptive", "gxi", "lrp", "occlusion", "theirs")}
    figures: dict[str, list[tuple[float, float]]] = {name: [] for name in (*FAST_METHODS, "adaptive", "random")}
    paired: list[tuple[float, float, float]] = []  # (ig50 s, adaptive s, theirs s) for the transformers-interpret rows
    steps, flagged, relative, cosines, tokens = [], 0, [], [], []
    explain(engine, sentences[0], spec, FAST_METHODS, ig=IGOptions(50))  # warm-up
    for index, sentence in enumerate(sentences):
        fixed = explain(engine, sentence, spec, FAST_METHODS, ig=IGOptions(50))
        adaptive = explain(engine, sentence, spec, ("ig",))
        tokens.append(len(fixed.units))
        for name in FAST_METHODS:
            seconds["ig50" if name == "ig" else name].append(fixed.methods[name].seconds)
            figures[name].append(_aopc(fixed.methods[name].faithfulness))
        ours = adaptive.methods["ig"]
        seconds["adaptive"].append(ours.seconds)
        figures["adaptive"].append(_aopc(ours.faithfulness))
        figures["random"].append(_aopc(fixed.random_ranking))
        steps.append(ours.steps or 0)
        flagged += not ours.within_tolerance
        relative.append(ours.relative_delta or 0.0)
        cosines.append(_cosine(np.array(ours.scores), np.array(fixed.methods["ig"].scores)))
        if explainer is not None and index < with_theirs:
            started = time.perf_counter()
            explainer(sentence, n_steps=50)
            seconds["theirs"].append(time.perf_counter() - started)
            paired.append((fixed.methods["ig"].seconds, ours.seconds, seconds["theirs"][-1]))
        if (index + 1) % 10 == 0:
            print(f"{index + 1} of {len(sentences)} sentences", file=sys.stderr, flush=True)
    _print_fast(seconds, figures, paired, steps, flagged, relative, cosines, tokens)


def _print_fast(
    seconds: dict[str, list[float]],
    figures: dict[str, list[tuple[float, float]]],
    paired: list[tuple[float, float, float]],
    steps: list[int],
    flagged: int,
    relative: list[float],
    cosines: list[float],
    tokens: list[int],
) -> None:
    count = len(steps)
    print(
        f"\n## adaptive IG and AttnLRP vs IG at 50 steps ({count} SST-2 dev sentences, "
        f"median {statistics.median(tokens)} tokens)"
    )
    print(
        "| method | median s | ratio of medians to IG-50 | median per-sentence ratio | comprehensiveness "
        "| sufficiency |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    base = statistics.median(seconds["ig50"])
    for name, key in (
        ("ig (50 steps)", "ig50"),
        ("ig (adaptive)", "adaptive"),
        ("lrp", "lrp"),
        ("gxi", "gxi"),
        ("occlusion", "occlusion"),
    ):
        median = statistics.median(seconds[key])
        per_sentence = statistics.median(a / b for a, b in zip(seconds[key], seconds["ig50"], strict=True))
        comp, suff = np.mean(figures["ig" if key == "ig50" else key], axis=0)
        print(f"| {name} | {median:.4f} | {median / base:.3f} | {per_sentence:.3f} | {comp:.4f} | {suff:.4f} |")
    comp, suff = np.mean(figures["random"], axis=0)
    print(f"| (seeded random ranking) | - | - | - | {comp:.4f} | {suff:.4f} |")
    print(
        f"adaptive IG points: median {statistics.median(steps)}, mean {np.mean(steps):.1f}, "
        f"distribution {dict(sorted(collections.Counter(steps).items()))}; flagged (not within 0.05): {flagged}; "
        f"median relative delta {statistics.median(relative):.2e}; min cosine to IG-50 {min(cosines):.5f}"
    )
    if paired:
        ig50, adaptive, theirs = (statistics.median(column) for column in zip(*paired, strict=True))
        print(
            f"transformers-interpret IG-50 on the first {len(paired)} sentences: median {theirs:.4f} s; "
            f"ours IG-50 {ig50:.4f} s ({ig50 / theirs:.3f}x), adaptive {adaptive:.4f} s ({adaptive / theirs:.3f}x), "
            f"lrp {statistics.median(seconds['lrp'][: len(paired)]) / theirs:.3f}x"
        )


def long_text(engine: PathEngine, sentences: list[str], tokens: int, methods: tuple[str, ...]) -> None:
    """A text of `tokens` tokens (dev sentences joined), decided once, then explained with each method.

    The explanation is given the decision (`decided_logits`), as the dashboard and the service do, so it does not
    decide the text again; the decision's own time is its row. Wall seconds, and the process's CPU seconds (on a
    machine shared with other jobs, wall time measures the sharing; CPU seconds measure the work)."""
    spec = engine.parse("full")
    text = _text_of_tokens(engine, " ".join(sentences * (1 + tokens // 200)), tokens)
    print(f"\n## a {tokens:,}-token text (dev sentences joined), explain() without faithfulness")
    print("| method | windows | wall seconds | CPU seconds | notes |")
    print("| --- | --- | --- | --- | --- |")
    started, cpu_started = time.perf_counter(), time.process_time()
    decision = engine.decide(text, spec)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(
        f"| decide (once) | {decision.tokens.windows} | {wall:.1f} | {cpu:.1f} | label {decision.label} |", flush=True
    )
    for method in methods:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = explain(engine, text, spec, (method,), score_faithfulness=False, decided_logits=decision.logits)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        figures = result.methods[method]
        notes = f"{len(result.units)} tokens"
        if method == "ig":
            notes += f"; most points {figures.steps}, worst relative delta {figures.relative_delta:.3g}"
            notes += f", all windows within tolerance: {figures.within_tolerance}"
        name = "ig (adaptive)" if method == "ig" else method
        print(f"| {name} | {result.windows} | {wall:.1f} | {cpu:.1f} | {notes} |", flush=True)


def _aopc(figures: Faithfulness | None) -> tuple[float, float]:
    assert figures is not None
    return figures.comprehensiveness, figures.sufficiency


def _cosine(first: np.ndarray, second: np.ndarray) -> float:
    return float(first @ second / (np.linalg.norm(first) * np.linalg.norm(second)))


def _their_explainer(engine: PathEngine) -> Any:
    """transformers-interpret's explainer on our model, or None when the package is not installed."""
    try:
        from transformers_interpret import SequenceClassificationExplainer
    except ImportError:
        return None

    return SequenceClassificationExplainer(ExitHeadClassifier(engine.model), engine.model.tokenizer)


def dev_sentences(path: str, count: int) -> list[str]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle)][:count]


def _text_of_tokens(engine: PathEngine, words: str, tokens: int) -> str:
    pieces = words.split()
    low, high = 1, len(pieces)
    while low < high:  # the longest word prefix with at most `tokens` content tokens
        middle = (low + high + 1) // 2
        count = len(engine.model.tokenizer(" ".join(pieces[:middle]), add_special_tokens=False)["input_ids"])
        low, high = (middle, high) if count <= tokens else (low, middle - 1)
    return " ".join(pieces[:low])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--only", choices=("all", "classic", "fast", "long"), default="all", help="fast, long: issue 14's tables"
    )
    parser.add_argument("--sentences", type=int, default=200, help="SST-2 dev sentences for the fast tables")
    parser.add_argument("--with-theirs", type=int, default=30, help="of which also run by transformers-interpret")
    parser.add_argument("--long-tokens", type=int, default=10_000)
    parser.add_argument("--long-methods", default="lrp,gxi,ig", help="methods of the long-text table, in order")
    parser.add_argument("--dev", default="../shared/data/sst2/dev.csv")
    args = parser.parse_args()
    engine = PathEngine(load_model())
    print(f"torch threads: {torch.get_num_threads()}")
    if args.only in ("all", "classic"):
        versus_transformers_interpret(engine, args.repeats)
        ig_scaling(engine, args.repeats)
        all_methods(engine)
    sentences = dev_sentences(args.dev, args.sentences)
    if args.only in ("all", "fast"):
        fast_methods(engine, sentences, args.with_theirs)
    if args.only in ("all", "long"):
        long_text(engine, sentences, args.long_tokens, tuple(args.long_methods.split(",")))


if __name__ == "__main__":
    main()
