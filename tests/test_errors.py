"""The one rule for texts to decide (`core.errors.check_text`), shared by the CLI, the API, the dashboard and audits."""

from __future__ import annotations

import pytest

from core.errors import MAX_TEXT_CHARS, InputError, InvalidPathError, check_text, text_problem


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "text is empty"),
        ("  \t\n", "text is empty"),
        ("\u0000\u0000", "text holds no content"),  # issue 25, row 10: these were decided on special tokens alone
        ("\u200b\u200b", "text holds no content"),
        ("\u0007", "text holds no content"),
        ("\ufeff", "text holds no content"),
        ("\u2060 \u00ad\u200d", "text holds no content"),
        ("\u0301\u0301", "text holds no content"),  # marks with no letter to mark
        ("\ue000", "text holds no content"),  # private use: no vocabulary knows it
        ("\u3164\ufe0f", "text holds no content"),  # default-ignorable: a Hangul filler, a variation selector
        ("x \ud800 y", "text is not valid Unicode: it holds a lone surrogate (U+D800) at character 2"),  # row 2
        ("\udfff", "text is not valid Unicode"),
        ("x" * (MAX_TEXT_CHARS + 1), f"text has {MAX_TEXT_CHARS + 1:,} characters, more than {MAX_TEXT_CHARS:,}"),
        (b"bytes", "text is not a string but bytes"),
        (None, "text is not a string but NoneType"),
    ],
)
def test_texts_that_cannot_be_decided_are_refused_saying_why(text: object, reason: str) -> None:
    problem = text_problem(text)
    assert problem is not None and problem.reason.startswith(reason)
    with pytest.raises(InputError, match="^the " + reason.replace("(", r"\(").replace(")", r"\)").replace("+", r"\+")):
        check_text(text)


@pytest.mark.parametrize(
    "text", ["a", "great film", " ok ", "😀", "x\u200b", "\u0000ok", "café", "ภาษาไทย", "٣", "x" * MAX_TEXT_CHARS]
)
def test_texts_with_content_are_accepted(text: str) -> None:
    assert text_problem(text) is None
    assert check_text(text) is text


def test_every_refusal_is_one_line_with_what_to_do() -> None:
    for text in ("", "\u200b", "x \ud800", "x" * (MAX_TEXT_CHARS + 1)):
        problem = text_problem(text)
        assert problem is not None and problem.advice
        assert str(problem) == f"the {problem.reason}: {problem.advice}" and "\n" not in str(problem)


def test_a_bad_path_is_bad_input() -> None:
    assert issubclass(InvalidPathError, InputError)
