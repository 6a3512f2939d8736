"""PathSpec: grammar, canonical form, JSON, validation messages."""

import time
import tracemalloc

import pytest

from core.errors import InvalidPathError
from core.path import ModelTemplate, PathSpec

TEMPLATE = ModelTemplate(6, 12, ("email", "phone", "card", "number"))
GPU_TEMPLATE = ModelTemplate(6, 12, ("email",), cuda_available=True)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("full", "full"),
        ("", "full"),
        ("layers=0-5", "full"),
        ("depth=6", "full"),
        ("depth=3", "depth=3"),
        ("layers=0,1,2", "depth=3"),
        ("layers=0-2,4", "layers=0-2,4"),
        ("layers=4, 0,1", "layers=4,0,1"),
        ("heads_off=2.3,4.0", "heads_off=2.3,4.0"),
        ("heads_off=1.*", "heads_off=1.*"),
        ("heads_off=1-2.*", "heads_off=1.*,2.*"),
        ("heads_off=3-4.0, 4.1", "heads_off=3.0,4.0,4.1"),
        ("withhold=phone,email", "withhold=email,phone"),
        ("precision=int8", "precision=int8"),
        ("device=cpu; precision=bf16", "precision=bf16; device=cpu"),
        (
            "depth=4; heads_off=1.3,2.*; withhold=email,card; precision=bf16",
            "depth=4; heads_off=1.3,2.*; withhold=card,email; precision=bf16",
        ),
    ],
)
def test_canonical_form_and_round_trip(text: str, canonical: str) -> None:
    spec = PathSpec.parse(text, TEMPLATE)
    assert spec.canonical == canonical
    assert PathSpec.parse(spec.canonical, TEMPLATE) == spec
    assert PathSpec.from_json(spec.to_json(), TEMPLATE) == spec


def test_heads_off_star_expands_to_every_head() -> None:
    spec = PathSpec.parse("heads_off=1.*", TEMPLATE)
    assert spec.active_heads(1) == ()
    assert spec.active_heads(0) == tuple(range(12))
    assert spec.heads_run == 5 * 12


def test_layers_keep_their_order_and_the_last_decides() -> None:
    spec = PathSpec.parse("layers=3,1", TEMPLATE)
    assert spec.layers == (3, 1)
    assert spec.exit_layer == 1


def test_specs_are_hashable_and_path_ids_stable() -> None:
    a, b = PathSpec.parse("depth=2; withhold=email", TEMPLATE), PathSpec.parse("withhold=email;depth=2", TEMPLATE)
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a.path_id("fp1") == b.path_id("fp1") != a.path_id("fp2")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("layers=9", "layer 9 does not exist: this model has layers 0-5"),
        ("depth=7", "this model has depths 1-6"),
        ("depth=0", "this model has depths 1-6"),
        ("heads_off=2.12", "each layer has heads 0-11"),
        ("depth=2; heads_off=0.*,1.*", "every head of every executed layer is off"),
        ("withhold=people", "known groups are pii, email, phone, card, number"),
        ("precision=fp16", "fp16 needs a CUDA GPU"),
        ("device=cuda", "no CUDA GPU"),
        ("precision=fp64", "choose one of fp32, bf16, fp16, int8"),
        ("depth=2; heads_off=4.0", "which this path skips"),
        ("depth=2; depth=3", "appears twice"),
        ("depth=2; layers=0,1", "either depth= or layers="),
        ("layers=0,0", "repeat a layer"),
        ("layers=3-1", "runs backwards"),
        ("speed=fast", "unknown clause"),
        ("depth=two", "whole number"),
        ("heads_off=3", "LAYER.HEAD"),
        ("heads_off=0-5", "a layer range such as 0-2.*"),
        ("heads_off=4-2.*", "runs backwards"),
        ("heads_off=0-9.*", "layer 9 does not exist"),
    ],
)
def test_impossible_paths_are_refused_with_what_is_possible(text: str, message: str) -> None:
    with pytest.raises(InvalidPathError, match=message.replace(".", r"\.").replace("*", r"\*")):
        PathSpec.parse(text, TEMPLATE)


def test_int8_is_refused_on_cuda_and_fp16_accepted() -> None:
    assert PathSpec.parse("precision=fp16", GPU_TEMPLATE).precision == "fp16"
    with pytest.raises(InvalidPathError, match="CPU only"):
        PathSpec.parse("precision=int8", GPU_TEMPLATE)
    assert PathSpec.parse("precision=int8; device=cpu", GPU_TEMPLATE).device == "cpu"


def test_exit_layers_limit_where_a_path_may_end() -> None:
    template = ModelTemplate(3, 4, (), exit_layers=(2,))
    assert PathSpec.parse("full", template).exit_layer == 2
    with pytest.raises(InvalidPathError, match="layer 1 has no exit head"):
        PathSpec.parse("depth=2", template)


def test_replace_drops_heads_of_skipped_layers() -> None:
    spec = PathSpec.parse("heads_off=4.1,0.2; withhold=email", TEMPLATE)
    shorter = spec.replace(layers=(0, 1, 2))
    assert shorter.canonical == "depth=3; heads_off=0.2; withhold=email"


HUGE_RANGES = [
    "layers=0-999999999",
    "block=email@0-999999999",
    "heads_off=999999999.*",
    "emphasize=email@999999999.*",
    "layers=0-" + "9" * 5000,
    "depth=" + "9" * 5000,
    "layers=" + ",".join(["0-5"] * 2000),
]


@pytest.mark.parametrize("text", HUGE_RANGES)
def test_huge_ranges_are_refused_at_once_without_building_them(text: str) -> None:
    """Issue 25, row 1: `layers=0-999999999` grew a server to 21 GB before it was refused."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(InvalidPathError, match=r"this model has (layers 0-5|depths 1-6)"):
            PathSpec.parse(text, TEMPLATE)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 0.1, f"{text[:30]!r} took {elapsed * 1000:.1f} ms to refuse"
    assert peak < 256 * 1024, f"{text[:30]!r} allocated {peak / 1e6:.1f} MB to refuse"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("block=email@0-5,99", "layer 99 does not exist: this model has layers 0-5"),  # issue 25, row 9
        ("block=email@7", "layer 7 does not exist: this model has layers 0-5"),
        ("depth=3; block=email@0-5", "layer 3 does not run on this path"),
        ("heads_off=1.99", "head 1.99 does not exist: each layer has heads 0-11"),
        ("layers=٣", "whole number"),  # only ASCII digits: int() would read Arabic-Indic digits
        ("layers=1_0", "whole number"),
        ("layers=+1", "whole number"),
        ("exit=patience:" + "9" * 5000, "can never fire"),
    ],
)
def test_layers_that_do_not_exist_are_refused_wherever_they_are_named(text: str, message: str) -> None:
    with pytest.raises(InvalidPathError, match=message.replace(".", r"\.")):
        PathSpec.parse(text, TEMPLATE)


def test_a_block_over_exactly_the_executed_layers_is_the_default() -> None:
    assert PathSpec.parse("block=email@0-5", TEMPLATE).canonical == "block=email"
    assert PathSpec.parse("depth=3; block=email@0-2", TEMPLATE).canonical == "depth=3; block=email"


def test_leading_zeros_are_read_whatever_their_number() -> None:
    assert PathSpec.parse("depth=" + "0" * 4400 + "3; heads_off=1." + "0" * 4400, TEMPLATE).canonical == (
        "depth=3; heads_off=1.0"
    )


def test_any_whitespace_in_a_path_is_ignored() -> None:
    assert PathSpec.parse("depth = 3\n;\u00a0withhold=email\r\n", TEMPLATE).canonical == "depth=3; withhold=email"
