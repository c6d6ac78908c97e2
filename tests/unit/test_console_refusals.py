"""Every error code the API can answer has its Chinese sentence in the console
(web/console/words/refusals.ts), and the table keeps no code the API no longer answers.

The codes are read from chalicelib's syntax, not grepped: a `code=` keyword with a string, a
`code = "..."` in a class (the DomainError hierarchy), the code given to `error_response`, and
the values of a module's `..._CODES` table that maps an outside service's error to ours. A
code made at run time cannot be read; each such place is listed below with the codes it can
make, and a new such place fails the test until it is listed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "web" / "console" / "words" / "refusals.ts"

# (file, the expression given as the code) -> the codes it can be, and why.
MADE_AT_RUN_TIME: dict[tuple[str, str], tuple[frozenset[str], str]] = {
    ("chalicelib/reports/services/export_runs.py", "exc.code"): (
        frozenset(),
        "a failed export's reason: the code of the domain error that stopped it, made (and "
        "listed) where that error is raised",
    ),
    ("chalicelib/customers/services/import_checks.py", "refused.code"): (
        frozenset(),
        "an import row's refusal by its offering's rules: the code of the domain error that "
        "placing raises, made (and listed) where that error is raised",
    ),
    ("chalicelib/booking/domain/folio_changes.py", "code"): (
        frozenset({"discounts_exceed_lines", "charge_needed_by_discount"}),
        "a tax rate left below nothing: by a shorter stay, or by a void",
    ),
    ("chalicelib/catalog/adapters/catalog_store.py", "f'{kind}_exists'"): (
        frozenset({"resource_exists", "offering_exists"}),
        "the catalog store writes the two kinds, resource and offering",
    ),
    ("chalicelib/tenancy/adapters/cognito.py", "_INVALID_CODES[code]"): (
        frozenset(),
        "the values of _INVALID_CODES, read from the module",
    ),
    ("chalicelib/web/middleware.py", "code"): (
        frozenset({"error"}),
        "the values of _CHALICE_CODES, read from the module, else 'error'",
    ),
    ("chalicelib/tenancy/domain/business.py", "code"): (
        frozenset(),
        "one_line and public_url pass on the code their callers give as code='...'",
    ),
    ("chalicelib/web/errors.py", "error.code"): (
        frozenset(),
        "the DomainError's own code, read from the classes and raises",
    ),
    ("chalicelib/booking/api/bulk_models.py", "r.code"): (
        frozenset(),
        "a bulk job's result repeats the code one request got",
    ),
    ("chalicelib/booking/adapters/bulk_store.py", "item['code']['S']"): (
        frozenset(),
        "a stored bulk result's code, as above",
    ),
    ("chalicelib/customers/api/import_models.py", "r.code"): (
        frozenset(),
        "an import row's result repeats the code of the refusal that made it (listed there)",
    ),
    ("chalicelib/customers/adapters/import_store.py", "item['code']['S']"): (
        frozenset(),
        "a stored import result's code, as above",
    ),
    ("chalicelib/payments/services/payments.py", "payment.error"): (
        frozenset(),
        "an event's field (the card processor's decline code), not a refusal",
    ),
    ("chalicelib/payments/services/collect.py", "decline"): (
        frozenset(),
        "an event's field (the card processor's decline code), not a refusal",
    ),
    ("chalicelib/payments/services/refunds.py", "intent.error_code"): (
        frozenset(),
        "an event's field (the card processor's code), not a refusal",
    ),
}


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _given(node: ast.AST) -> list[ast.expr]:
    """What this node gives as an error code, if anything."""
    if isinstance(node, ast.Call):
        given = [k.value for k in node.keywords if k.arg == "code"]
        if ast.unparse(node.func).endswith("error_response") and len(node.args) > 1:
            given.append(node.args[1])
        return given
    if isinstance(node, ast.ClassDef):
        return [
            s.value
            for s in node.body
            if isinstance(s, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "code" for t in s.targets)
        ]
    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if any(re.fullmatch(r"_?[A-Z_]*_CODES", n) for n in names):
            return [v for v in node.value.values if v is not None]
    return []


def scan() -> tuple[set[str], set[tuple[str, str]]]:
    """The codes chalicelib names, and the places that make one at run time."""
    codes: set[str] = set()
    made: set[tuple[str, str]] = set()
    for path in sorted((ROOT / "chalicelib").rglob("*.py")):
        where = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(), filename=where)):
            for value in _given(node):
                text = _text(value)
                if text is None:
                    made.add((where, ast.unparse(value)))
                elif text:  # "" is a result's "no code", not one
                    codes.add(text)
    return codes, made


def api_codes() -> set[str]:
    codes, made = scan()
    unlisted = made - MADE_AT_RUN_TIME.keys()
    assert not unlisted, f"codes made at run time: list them in MADE_AT_RUN_TIME: {unlisted}"
    for listed, _reason in MADE_AT_RUN_TIME.values():
        codes |= listed
    return codes


def table() -> dict[str, str]:
    text = TABLE.read_text()
    start = text.index("const zh")
    body = text[start : text.index("\n};", start)]
    entries = re.findall(r'^ {2}([a-z][a-z0-9_]*): "([^"]+)",$', body, flags=re.M)
    lines = [line for line in body.splitlines()[1:] if line.strip()]
    assert len(entries) == len(lines), 'one entry a line: `  code: "sentence",`'
    return dict(entries)


def test_every_code_the_api_answers_has_chinese_words():
    assert sorted(api_codes() - table().keys()) == []


def test_the_table_names_no_code_the_api_no_longer_answers():
    assert sorted(table().keys() - api_codes()) == []


def test_the_scan_finds_the_codes_it_is_meant_to():
    codes = api_codes()
    assert len(codes) > 200
    # a raise, a class of the hierarchy, error_response, a ..._CODES table, and a listed one
    assert {"order_not_found", "unavailable"} <= codes
    assert {"malformed_json", "invalid_password", "method_not_allowed", "resource_exists"} <= codes


def test_each_sentence_is_chinese():
    han = re.compile(r"[\u4e00-\u9fff]")
    assert [code for code, said in table().items() if not han.search(said)] == []


def test_every_made_at_run_time_place_still_exists():
    _codes, made = scan()
    assert sorted(MADE_AT_RUN_TIME.keys() - made) == []
