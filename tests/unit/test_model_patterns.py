"""Digits in patterns are ASCII digits. A regular expression's `\\d` over text matches any
script's digits (`١`, `٩`, `１`): a phone of Arabic-Indic digits passed the E.164 pattern and
went to SNS as typed, and `0٩:00` became a working hour. So no pattern of the API (as its
OpenAPI document publishes them, query parameters included) and no regular expression in
the code says `\\d`; they say `[0-9]`."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

ROOT = Path(__file__).resolve().parents[2]
ANY_SCRIPT_DIGIT = re.compile(r"(?<!\\)\\d")


def _patterns(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield where, value
            else:
                yield from _patterns(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _patterns(value, f"{where}/{i}")


def test_no_pattern_of_the_api_takes_any_scripts_digits():
    import app  # noqa: F401  (registers every route)
    from chalicelib.web.openapi import build_document

    patterns = list(_patterns(build_document()))
    assert len(patterns) > 5  # the walk finds them (phone, slug, times, ids ...)
    assert [(where, p) for where, p in patterns if ANY_SCRIPT_DIGIT.search(p)] == []


def _string_value(token: str) -> str:
    try:
        return str(ast.literal_eval(token))  # "\\d" and r"\d" are both the regex \d
    except (SyntaxError, ValueError):
        return token  # an f-string: its text


def test_no_regular_expression_in_the_code_says_backslash_d():
    found = []
    for path in sorted((ROOT / "chalicelib").rglob("*.py")):
        source = path.read_text()
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING and ANY_SCRIPT_DIGIT.search(
                _string_value(token.string)
            ):
                found.append(f"{path.relative_to(ROOT)}:{token.start[0]}")
    assert found == []


@pytest.mark.parametrize(
    ("type_path", "value"),
    [
        ("chalicelib.catalog.api.catalog_models:Time", "0٩:00"),
        ("chalicelib.catalog.api.catalog_models:EndTime", "1٧:00"),
        ("chalicelib.catalog.api.catalog_models:EndTime", "２４:00"),
        ("chalicelib.web.models:Day", "٢٠٢٦-12-24"),
    ],
)
def test_digits_of_other_scripts_are_refused_by_the_shared_types(type_path, value):
    module, name = type_path.split(":")
    adapter = TypeAdapter(getattr(__import__(module, fromlist=[name]), name))
    with pytest.raises(ValidationError):
        adapter.validate_python(value)


def test_a_locale_with_digits_of_another_script_is_refused():
    from chalicelib.kernel.domain.errors import InvalidInput
    from chalicelib.kernel.domain.tenant import validate_locale

    assert validate_locale("es-419") == "es-419"
    with pytest.raises(InvalidInput):
        validate_locale("es-٤١٩")
