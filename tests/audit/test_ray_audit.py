"""The Ray Data engine of the audit (core/audit/on_ray.py) on a local 2-CPU Ray instance: same rows as local."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import core
from core.audit import run_audit
from core.run import PathEngine

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={"py_modules": [str(Path(core.__file__).parent)], "env_vars": {"HF_HUB_OFFLINE": "1"}},
    )
    try:
        yield
    finally:
        ray.shutdown()


@pytest.mark.parametrize("spec", ["depth=3", "exit=confidence>=0.97"])
def test_ray_engine_gives_the_local_rows(
    local_ray: None, bundled_engine: PathEngine, tmp_path: Path, spec: str
) -> None:
    words = ["wonderful", "dull", "moving", "painfully slow", "sharp and funny", "a mess"]
    texts = [f"{words[i % 6]} , {'and ' * (i % 5)}the cast is {words[(i * 7) % 6]}" for i in range(30)]
    texts[4] = "   "  # a bad row travels the same way on both engines
    source = pd.DataFrame({"text": texts, "label": [int(i % 6 in (0, 2, 4)) for i in range(30)]})
    path = tmp_path / "input.csv"
    source.to_csv(path, index=False)
    local_out, ray_out = tmp_path / "local.parquet", tmp_path / "ray.parquet"
    local = run_audit(bundled_engine, path, spec, out=local_out, batch_size=8, chunk_rows=16)
    remote = run_audit(
        bundled_engine, path, spec, out=ray_out, batch_size=8, chunk_rows=16, backend="ray", ray_actors=1
    )
    assert remote.engine == "ray" and ray.is_initialized()  # the instance it found was left running
    local_rows, ray_rows = pd.read_parquet(local_out), pd.read_parquet(ray_out)
    pd.testing.assert_frame_equal(local_rows, ray_rows, atol=1e-6)
    assert ("exit_layer" in ray_rows) == spec.startswith("exit")  # where each row stopped, on both engines
    assert (remote.rows, remote.bad_rows, remote.accuracy, remote.flip_rate_vs_full, remote.compute_saved) == (
        local.rows,
        local.bad_rows,
        local.accuracy,
        local.flip_rate_vs_full,
        local.compute_saved,
    )
    assert remote.rows == 29 and [b.row for b in remote.bad_rows] == [4]
