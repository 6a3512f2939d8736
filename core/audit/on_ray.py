"""The audit's scoring as a Ray Data pipeline: `map_batches` over an actor pool of model actors.

Each actor loads the model once (one GPU per actor where the cluster has GPUs, else CPU actors) and scores
batches with the same `score_rows` as the local engine, so both give the same per-row results (each `ScoredRow`
travels back as JSON in one column). The driver keeps
reading, checking, writing and resuming; every chunk of rows is one Ray Data execution. Ray connects to
`RAY_ADDRESS` when it is set (an existing cluster), else starts a local instance.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.audit.scoring import AuditPlan, ScoredRow, score_rows
from core.errors import PathLensError
from core.run import PathEngine

EngineLoader = Callable[[], PathEngine]


@dataclass(frozen=True)
class ModelSource:
    """Where actors load the model from: the same arguments as `load_model` (paths must exist on every node)."""

    model_dir: str | None = None
    heads_dir: str | None = None
    group_options: tuple[str, ...] = field(default=())

    def __call__(self) -> PathEngine:
        from core.model import load_model
        from core.path import parse_group_option

        groups = tuple(parse_group_option(option) for option in self.group_options)
        return PathEngine(load_model(self.model_dir, self.heads_dir, groups))


class _ModelActor:
    """One model per actor; called by Ray Data with pandas batches of (`row`, `text`)."""

    def __init__(self, loader: EngineLoader, fingerprint: str, plan: AuditPlan, batch_size: int, threads: int):
        import torch

        torch.set_num_threads(max(1, threads))
        self.engine = loader()
        if self.engine.model.fingerprint != fingerprint:
            raise PathLensError(
                f"a Ray worker loaded model {self.engine.model.fingerprint}, the driver has {fingerprint}: "
                "give every node the same --model/--heads paths (or PATHLENS_MODEL/PATHLENS_HEADS)"
            )
        self.plan = plan
        self.batch_size = batch_size

    def __call__(self, frame: pd.DataFrame) -> pd.DataFrame:
        scored = score_rows(self.engine, frame["row"].tolist(), frame["text"].tolist(), self.plan, self.batch_size)
        return pd.DataFrame({"row": [s.row for s in scored], "scored": [json.dumps(s.to_json()) for s in scored]})


class RayScorer:
    """Scores chunks on Ray; use as a context manager (it shuts down a Ray instance it started itself)."""

    def __init__(
        self,
        loader: EngineLoader,
        fingerprint: str,
        plan: AuditPlan,
        batch_size: int,
        actors: int | None = None,
        rows_per_call: int = 1024,
    ) -> None:
        self.loader, self.fingerprint, self.plan, self.batch_size = loader, fingerprint, plan, batch_size
        self.actors, self.rows_per_call = actors, rows_per_call
        self._started = False

    def __enter__(self) -> RayScorer:
        import ray

        if not ray.is_initialized():
            try:
                ray.init(
                    address=os.environ.get("RAY_ADDRESS"),
                    include_dashboard=False,
                    log_to_driver=False,
                    logging_level=logging.WARNING,
                    runtime_env={"py_modules": [str(Path(__file__).parents[1])], "env_vars": _forwarded_env()},
                )
            except (ConnectionError, RuntimeError) as exc:
                raise PathLensError(
                    f"could not start or reach Ray ({exc}): unset RAY_ADDRESS for a local instance, "
                    "or point it at a running cluster's head (ray://HOST:10001 or HOST:6379)"
                ) from None
            self._started = True
        import ray.data

        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._started:
            import ray

            ray.shutdown()

    def _pool(self) -> tuple[int, float, float]:
        """(actors, GPUs per actor, CPUs per actor) from the cluster's resources."""
        import ray

        resources = ray.cluster_resources()
        gpus, cpus = int(resources.get("GPU", 0)), max(1, int(resources.get("CPU", 1)))
        if gpus:
            return (self.actors or gpus), 1.0, 1.0
        count = self.actors or max(1, cpus // 2)
        return count, 0.0, max(1.0, float(cpus // count))

    def __call__(self, rows: Sequence[int], texts: Sequence[str]) -> list[ScoredRow]:
        import ray.data

        frame = pd.DataFrame({"row": list(rows), "text": list(texts)})
        count, gpus, cpus = self._pool()
        dataset = ray.data.from_pandas(frame).map_batches(
            _ModelActor,
            fn_constructor_args=(self.loader, self.fingerprint, self.plan, self.batch_size, int(cpus)),
            batch_format="pandas",
            batch_size=self.rows_per_call,
            compute=ray.data.ActorPoolStrategy(size=min(count, -(-len(frame) // self.rows_per_call))),
            num_gpus=gpus,
            num_cpus=cpus,
        )
        scores = dataset.to_pandas().sort_values("row", kind="stable")
        return [ScoredRow.from_json(json.loads(data)) for data in scores["scored"]]


def _forwarded_env() -> dict[str, str]:
    """Model locations and offline mode travel to the workers."""
    names = ("PATHLENS_MODEL", "PATHLENS_HEADS", "HF_HUB_OFFLINE")
    env = {name: os.environ[name] for name in names if name in os.environ}
    env.setdefault("HF_HUB_OFFLINE", "1")
    return env


def default_loader(engine: PathEngine) -> ModelSource:
    """A loader for the driver's model by its directory (heads from PATHLENS_HEADS or the bundled default)."""
    return ModelSource(model_dir=str(Path(engine.model.model_dir)))
