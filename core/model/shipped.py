"""The models PathLens ships, by name: each is the bundled encoder with one artifact (adapter, exit heads,
calibration) from `core/model/artifacts/`. `--model NAME|DIR` and `PATHLENS_MODEL` take a name or a directory.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from core.errors import ModelLoadError

ARTIFACTS_DIR = Path(__file__).parent / "artifacts"


@dataclass(frozen=True)
class ShippedModel:
    """A shipped model: its name, what it decides, its artifact folder and the data it was trained on."""

    name: str
    task: str
    artifact: str  # folder under core/model/artifacts/
    data: str  # what it was trained on, with the data's licence

    @property
    def heads_dir(self) -> Path:
        return ARTIFACTS_DIR / self.artifact


SHIPPED: dict[str, ShippedModel] = {
    model.name: model
    for model in (
        ShippedModel("sst2", "movie-review sentiment (negative, positive)", "minilm-sst2", "SST-2 (GLUE)"),
        ShippedModel(
            "banking77",
            "customer-service intents of online banking (77 intents)",
            "minilm-banking77",
            "Banking77, PolyAI (CC BY 4.0)",
        ),
        ShippedModel(
            "fintweets",
            "financial news sentiment (bearish, bullish, neutral)",
            "minilm-fintweets",
            "Twitter Financial News Sentiment, zeroshot (MIT)",
        ),
    )
}
DEFAULT_MODEL = "sst2"


@dataclass(frozen=True)
class ModelChoice:
    """What `--model` named: a shipped model (no directory: the bundled encoder) or a checkpoint directory."""

    name: str  # the shipped name, or the directory's own name
    model_dir: Path | None  # None: the bundled encoder
    heads_dir: Path | None  # the shipped artifact; None: --heads, PATHLENS_HEADS or the checkpoint's own

    @property
    def shipped(self) -> bool:
        return self.model_dir is None


def resolve_model(model: str | Path | None = None) -> ModelChoice:
    """`model`, else `PATHLENS_MODEL`, else the default shipped name: a shipped name or an existing directory.

    A name that is neither is refused in one line listing the shipped names.
    """
    given = str(model or os.environ.get("PATHLENS_MODEL") or DEFAULT_MODEL)
    if given in SHIPPED:
        return ModelChoice(given, None, SHIPPED[given].heads_dir)
    path = Path(given)
    if path.is_dir():
        return ModelChoice(path.resolve().name, path, None)
    if path.exists() or os.sep in given or given.startswith("."):
        raise ModelLoadError(f"model directory {given} does not exist: pass a local Hugging Face checkpoint")
    raise ModelLoadError(
        f"unknown model {given!r}: give a shipped model ({', '.join(SHIPPED)}) or a local checkpoint directory"
    )


CONFIGURED_ENV = "PATHLENS_MODEL_DIRS"  # the operator's own checkpoint folders, separated by os.pathsep


@dataclass(frozen=True)
class ModelInfo:
    """What the model picker and `GET /v1/models` show of one model, read without loading its weights."""

    name: str  # what `--model` takes: a shipped name or a directory
    task: str
    labels: tuple[str, ...]
    shipped: bool
    data: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "task": self.task,
            "labels": list(self.labels),
            "shipped": self.shipped,
            "data": self.data,
        }


def _labels_of(directory: Path) -> tuple[str, ...]:
    """Labels from an exit-heads artifact's heads.json, else a checkpoint's `id2label` (a bare encoder: none)."""
    for meta in (directory / "heads.json", directory / "pathlens_heads" / "heads.json"):
        if meta.is_file():
            return tuple(str(label) for label in json.loads(meta.read_text()).get("labels") or ())
    config = directory / "config.json"
    if config.is_file():
        id2label = json.loads(config.read_text()).get("id2label") or {}
        return tuple(str(id2label[key]) for key in sorted(id2label, key=int))
    return ()


def configured_dirs() -> tuple[Path, ...]:
    """The checkpoint folders the operator listed in `PATHLENS_MODEL_DIRS` (and `PATHLENS_MODEL` if a folder)."""
    listed = [part for part in os.environ.get(CONFIGURED_ENV, "").split(os.pathsep) if part.strip()]
    single = os.environ.get("PATHLENS_MODEL", "")
    if single and single not in SHIPPED:
        listed.insert(0, single)
    missing = [part for part in listed if not Path(part).is_dir()]
    if missing:
        raise ModelLoadError(f"{CONFIGURED_ENV} names {', '.join(missing)}, which is not a folder: fix the list")
    return tuple(dict.fromkeys(Path(part) for part in listed))


def catalog() -> tuple[ModelInfo, ...]:
    """Every model a user may pick: the shipped ones, then the operator's configured checkpoint folders."""
    shipped = tuple(
        ModelInfo(model.name, model.task, _labels_of(model.heads_dir), True, model.data) for model in SHIPPED.values()
    )
    local = tuple(
        ModelInfo(str(folder), f"local checkpoint {folder.name}", _labels_of(folder), False)
        for folder in configured_dirs()
    )
    return shipped + local


def shipped_labels_text() -> str:
    """Each shipped model's labels, for API documentation: 'sst2: negative, positive; banking77: ...'."""
    return "; ".join(f"{model.name}: {', '.join(_labels_of(model.heads_dir))}" for model in SHIPPED.values())
