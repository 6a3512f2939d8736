"""A user's regex group runs under a time limit: catastrophic patterns are refused when defined, and a text that
makes a defined one backtrack too long stops with a clear error instead of hanging the command or the dashboard."""

import re
import time

import pytest

from core.errors import InputError
from core.path import GroupSet, custom_group, parse_group_option
from core.path.groups import USER_REGEX_SECONDS


@pytest.mark.parametrize("pattern", [r"(a|aa)+$", r"(\w+\s?)+$", r"(a+)+$"])
def test_nested_repeats_are_refused_when_defined(pattern: str) -> None:
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"backtracks without end.*repeat inside a repeat"):
        parse_group_option(f"slow=regex:{pattern}")
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("pattern", [r"ACC-\d+", r"(?i)order\s*#?\d+", r"\b[A-Z]{2}\d{6}\b", r".*secret.*", r"\w+$"])
def test_ordinary_patterns_are_accepted_and_match_as_before(pattern: str) -> None:
    group = custom_group("mine", regex=pattern)
    text = "ref ACC-991, Order #12, id AB123456 secret\nlast"
    assert group.find(text) == [m.span() for m in re.finditer(pattern, text)]


def test_a_text_that_makes_a_defined_pattern_backtrack_is_stopped() -> None:
    # "(ab|abab)+$" passes the probes (runs of one character), but "abab…!" can be split in exponentially many ways
    group = custom_group("slow", regex=r"(ab|abab)+$")
    groups = GroupSet([group])
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"group 'slow': its regex ran over .* and was stopped; simplify it"):
        groups.find("ab" * 40 + "!", ["slow"])
    assert time.perf_counter() - started < 10 * USER_REGEX_SECONDS
    assert groups.find("x ab", ["slow"])[0].group == "slow"  # a text it can read still works
