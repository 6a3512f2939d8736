"""Shared fixtures: the bundled model loaded once, and tiny random BERT-family checkpoints built from configs."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import torch
from transformers import (
    AutoTokenizer,
    BertConfig,
    BertForSequenceClassification,
    BertModel,
    DebertaV2Config,
    DebertaV2ForSequenceClassification,
    DistilBertConfig,
    DistilBertForSequenceClassification,
    GPT2Config,
    GPT2ForSequenceClassification,
    LlamaConfig,
    LlamaForSequenceClassification,
    MistralConfig,
    MistralForSequenceClassification,
    ModernBertConfig,
    ModernBertForSequenceClassification,
    PreTrainedModel,
    Qwen2Config,
    Qwen2ForSequenceClassification,
    Qwen3Config,
    Qwen3ForSequenceClassification,
    RobertaConfig,
    RobertaForSequenceClassification,
)

from core.explain import ExplanationSet, MethodResult, Unit
from core.model import (
    ExitHeads,
    LoadedModel,
    bundled_model_dir,
    encoder_fingerprint,
    load_encoder,
    load_model,
    save_heads,
)
from core.run import PathEngine
from core.service import RecordedDecision
from core.store import DecisionRecord

TINY_ARCHITECTURES = ("bert", "roberta", "distilbert")
TINY_FAMILIES = ("qwen2", "llama", "gpt2", "modernbert", "deberta")  # a tiny checkpoint per non-BERT family


def decision_record(decision_id: str = "d000001", **fields: Any) -> DecisionRecord:
    """A decision record of made-up values (model "model", path depth=2, a fixed time); `fields` replace any of them.
    The one factory of the tests that write records by hand."""
    made_up: dict[str, Any] = {
        "decision_id": decision_id,
        "created_at": "2025-01-01T00:00:00.000000+00:00",
        "model_fingerprint": "model",
        "path": "depth=2",
        "path_id": "p",
        "input_fingerprint": "i",
        "withheld": {},
        "label": "positive",
        "probs": {"positive": 0.75, "negative": 0.25},
        "logits": (1.5, -0.5),
        "cost": {"flops": 10},
        "tokens": {"total": 4, "kept": 4},
    }
    return DecisionRecord(**{**made_up, **fields})


def explanation_json(words: Sequence[str], scores: dict[str, Sequence[float]]) -> dict[str, Any]:
    """The stored JSON of a made-up explanation: one unit per word, `scores` per method (no faithfulness)."""
    return ExplanationSet(
        label="positive",
        target="positive",
        probs={"positive": 0.75, "negative": 0.25},
        path="depth=2",
        path_id="p",
        windows=1,
        n_steps=None,
        ig_tolerance=0.05,
        units=tuple(Unit(word, i, i + 1, i) for i, word in enumerate(words)),
        methods={name: MethodResult(name, tuple(values), 0.1, None) for name, values in scores.items()},
        attention_maps=(),
        attention_tokens=(),
        skipped_layers=(),
        agreement={},
        random_ranking=None,
    ).to_json()


def recorded_bytes(
    engine: PathEngine, directory: Path, text: str, path: str, also: Sequence[str], caplog: pytest.LogCaptureFixture
) -> tuple[RecordedDecision, bytes]:
    """Decide and record `text` along `path` (and `also`, its comparison set) in a fresh SQLite store in `directory`,
    with every log at DEBUG; the decision, and every byte it left behind: the store's files (the WAL's included),
    the logs and the record's export. The one data-leak scan of the decision path: tests look for secrets in it."""
    from core.service import DecisionService, record_json
    from core.store import open_store

    location = directory / "private.sqlite"
    store = open_store(location)
    keeper = sqlite3.connect(location)  # an open reader keeps the WAL file on disk, so its bytes are scanned too
    keeper.execute("SELECT count(*) FROM decisions").fetchone()
    caplog.set_level(logging.DEBUG)
    service = DecisionService(engine, store)
    audited = service.decide(text, engine.parse(path), extra_paths=[engine.parse(extra) for extra in also])
    assert service.close(timeout_s=120)
    assert store.get(audited.decision.decision_id).comparison_status in ("done", "none")
    files = [p for p in directory.iterdir() if p.name.startswith(location.name)]
    assert any(p.name.endswith("-wal") for p in files)
    exported = json.dumps(record_json(store.get(audited.decision.decision_id), redact=False), default=str)
    blob = b"".join(p.read_bytes() for p in files) + caplog.text.encode() + exported.encode()
    keeper.close()
    return audited, blob


@pytest.fixture(autouse=True, scope="session")
def _store_in_a_temporary_directory(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Decisions made by tests (CLI included) go to a throwaway record, never to the working tree."""
    os.environ["PATHLENS_STORE"] = str(tmp_path_factory.mktemp("store") / "decisions.sqlite")


@pytest.fixture(scope="session")
def bundled_model() -> LoadedModel:
    return load_model()


@pytest.fixture(scope="session")
def bundled_engine(bundled_model: LoadedModel) -> PathEngine:
    return PathEngine(bundled_model)


def save_tiny_bert_encoder(directory: Path, num_layers: int) -> Path:
    """A bare random BERT encoder (32 wide, 4 heads) with the bundled tokenizer, saved to `directory`: no classifier,
    so exit heads decide at every layer."""
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=30522,
        hidden_size=32,
        num_hidden_layers=num_layers,
        num_attention_heads=4,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    BertModel(config).eval().save_pretrained(directory)
    AutoTokenizer.from_pretrained(bundled_model_dir()).save_pretrained(directory)
    return directory


def build_tiny_classifier(kind: str, num_labels: int = 3, seed: int = 0) -> PreTrainedModel:
    """A randomly initialised 3-layer, 4-head classifier of the given architecture (no download)."""
    torch.manual_seed(seed)
    vocab = 30522  # the bundled tokenizer's vocabulary, so its tokenizer can be reused
    if kind == "bert":
        config = BertConfig(
            vocab_size=vocab,
            hidden_size=32,
            num_hidden_layers=3,
            num_attention_heads=4,
            intermediate_size=64,
            max_position_embeddings=128,
            num_labels=num_labels,
        )
        return BertForSequenceClassification(config).eval()
    if kind == "roberta":
        config = RobertaConfig(
            vocab_size=vocab,
            hidden_size=32,
            num_hidden_layers=3,
            num_attention_heads=4,
            intermediate_size=64,
            max_position_embeddings=130,
            num_labels=num_labels,
            pad_token_id=0,
            bos_token_id=101,
            eos_token_id=102,
        )
        return RobertaForSequenceClassification(config).eval()
    if kind == "distilbert":
        config = DistilBertConfig(
            vocab_size=vocab,
            dim=32,
            n_layers=3,
            n_heads=4,
            hidden_dim=64,
            max_position_embeddings=128,
            num_labels=num_labels,
            pad_token_id=0,
        )
        return DistilBertForSequenceClassification(config).eval()
    return _build_tiny_family(kind, vocab, num_labels)


def _without(sizes: dict[str, int]) -> dict[str, int]:
    """The sizes GPT-2 names its own way left out."""
    renamed = ("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size")
    return {key: value for key, value in sizes.items() if key not in (*renamed, "max_position_embeddings")}


def _build_tiny_family(kind: str, vocab: int, num_labels: int) -> PreTrainedModel:
    """A 3-layer, 4-head ModernBERT (global attention every 2nd layer, a 4-token local window), DeBERTa-v3, or
    decoder with 2 key/value heads, so that alternating masks and grouped-query attention are exercised."""
    sizes = {
        "vocab_size": vocab,
        "hidden_size": 32,
        "num_hidden_layers": 3,
        "num_attention_heads": 4,
        "intermediate_size": 64,
        "max_position_embeddings": 128,
        "num_labels": num_labels,
        "pad_token_id": 0,
    }
    if kind == "modernbert":
        specials = {"bos_token_id": 101, "eos_token_id": 102, "cls_token_id": 101, "sep_token_id": 102}
        config = ModernBertConfig(local_attention=4, global_attn_every_n_layers=2, **specials, **sizes)
        return ModernBertForSequenceClassification(config).eval()
    if kind.startswith("deberta"):  # v3's layout: shared keys, buckets, c2p and p2c; "deberta-conv": v2-xlarge's conv
        conv = {"conv_kernel_size": 3} if kind == "deberta-conv" else {}
        config = DebertaV2Config(
            relative_attention=True,
            position_buckets=8,
            max_relative_positions=16,
            pos_att_type=["p2c", "c2p"],
            share_att_key=True,
            norm_rel_ebd="layer_norm",
            position_biased_input=False,
            **conv,
            **sizes,
        )
        model = DebertaV2ForSequenceClassification(config).eval()
        with torch.no_grad():  # a trained [PAD] row is not zero; a zero one makes IG's [PAD] baseline degenerate
            model.deberta.embeddings.word_embeddings.weight[0].normal_(std=0.02)
        return model
    if kind == "gpt2":
        config = GPT2Config(n_embd=32, n_layer=3, n_head=4, n_inner=64, n_positions=128, **_without(sizes))
        return GPT2ForSequenceClassification(config).eval()
    if kind == "qwen2":
        return Qwen2ForSequenceClassification(Qwen2Config(num_key_value_heads=2, **sizes)).eval()
    if kind == "llama":
        return LlamaForSequenceClassification(LlamaConfig(num_key_value_heads=2, **sizes)).eval()
    if kind == "qwen3":  # q/k norms inside attention, a head size (16) that is not hidden / heads
        return Qwen3ForSequenceClassification(Qwen3Config(num_key_value_heads=2, head_dim=16, **sizes)).eval()
    if kind == "mistral":  # a 4-token sliding window on every layer
        return MistralForSequenceClassification(MistralConfig(num_key_value_heads=2, sliding_window=4, **sizes)).eval()
    raise ValueError(kind)


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Save a tiny classifier of `kind` with the bundled tokenizer; returns its directory (cached per kind)."""
    tokenizer = AutoTokenizer.from_pretrained(bundled_model_dir())
    made: dict[str, Path] = {}

    def make(kind: str) -> Path:
        if kind not in made:
            directory = tmp_path_factory.mktemp(f"tiny-{kind}")
            build_tiny_classifier(kind).save_pretrained(directory)
            tokenizer.save_pretrained(directory)
            made[kind] = directory
        return made[kind]

    return make


def save_seeded_heads(
    checkpoint: Path, out: Path, labels: Sequence[str], seed: int, weight_std: float, bias_std: float | None = None
) -> Path:
    """Seeded random exit heads at every layer of `checkpoint` (linear read-outs of `labels`), saved to `out`: the
    weights drawn with `weight_std`, the biases with `bias_std` (None: as `ExitHeads` initialises them)."""
    config, encoder, _, _ = load_encoder(checkpoint)
    torch.manual_seed(seed)
    heads = ExitHeads(config.num_hidden_layers, config.hidden_size, len(labels))
    with torch.no_grad():
        heads.weight.normal_(std=weight_std)
        if bias_std is not None:
            heads.bias.normal_(std=bias_std)
    save_heads(heads, out, {"labels": list(labels), "encoder_fingerprint": encoder_fingerprint(encoder)})
    return out


@pytest.fixture(scope="module")
def with_heads(tiny_checkpoint: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory) -> Callable:
    """The tiny checkpoint of `kind` with seeded random exit heads at every layer (linear read-outs), loaded once
    per kind and module."""
    made: dict[str, LoadedModel] = {}

    def make(kind: str) -> LoadedModel:
        if kind not in made:
            directory = tiny_checkpoint(kind)
            out = tmp_path_factory.mktemp(f"heads-{kind}")
            save_seeded_heads(directory, out, ["a", "b", "c"], seed=1, weight_std=0.5, bias_std=0.1)
            made[kind] = load_model(directory, out)
        return made[kind]

    return make
