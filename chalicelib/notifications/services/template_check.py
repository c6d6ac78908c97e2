"""What a template may say, checked on its parsed tree before anything runs (layer 1 of
sandbox.py), and the size of a whole template.

The allow-lists live here: the filters and tests a template may name and the string methods it
may call (no `format`, `format_map`, `translate`, `expandtabs`). The tree check refuses any
attribute or item whose name starts with `_`, `format`/`format_map`, any string starting with
`__`, include/import/extends, blocks, macros, block sets, filter blocks, recursive loops and
autoescape switches (the ways output is buffered inside the template rather than streamed, or
escaping turned off). A refusal is an InvalidInput naming the part and line (a 422).
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import nodes

from chalicelib.kernel.domain.errors import InvalidInput

MAX_SOURCE_CHARS = 20_000  # a part; all parts of a template together: MAX_TEMPLATE_CHARS
MAX_TEMPLATE_CHARS = 20_000

FILTERS = frozenset(
    [
        "abs",
        "capitalize",
        "count",
        "d",
        "default",
        "e",
        "escape",
        "first",
        "int",
        "join",
        "last",
        "length",
        "list",
        "lower",
        "replace",
        "round",
        "sort",
        "string",
        "striptags",
        "title",
        "trim",
        "truncate",
        "upper",
        "wordcount",
    ]
)
TESTS = ("defined", "undefined", "none")
STR_METHODS = frozenset(
    [
        "capitalize",
        "casefold",
        "center",
        "count",
        "endswith",
        "find",
        "index",
        "isalnum",
        "isalpha",
        "isdecimal",
        "isdigit",
        "islower",
        "isnumeric",
        "isspace",
        "istitle",
        "isupper",
        "join",
        "ljust",
        "lower",
        "lstrip",
        "partition",
        "removeprefix",
        "removesuffix",
        "replace",
        "rfind",
        "rindex",
        "rjust",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "swapcase",
        "title",
        "upper",
        "zfill",
    ]
)
FORMATTERS = frozenset({"format", "format_map"})


def refuse(part: str, message: str, line: int | None = None) -> InvalidInput:
    return InvalidInput(
        f"The template's {part} part is refused: {message}",
        code="template_refused",
        part=part,
        line=line,
    )


_FORBIDDEN_NODES = (
    nodes.Include,
    nodes.Import,
    nodes.FromImport,
    nodes.Extends,
    nodes.Block,
    nodes.Macro,
    nodes.CallBlock,
    nodes.AssignBlock,
    nodes.FilterBlock,
    nodes.EvalContextModifier,
)


def check_size(parts: dict[str, str]) -> None:
    """A whole template (all its parts) is at most MAX_TEMPLATE_CHARS characters."""
    total = sum(len(source) for source in parts.values())
    if total > MAX_TEMPLATE_CHARS:
        raise InvalidInput(
            f"A template is at most {MAX_TEMPLATE_CHARS} characters, all parts together "
            f"(this one has {total}).",
            code="template_too_large",
            limit=MAX_TEMPLATE_CHARS,
            size=total,
        )


def check_tree(part: str, tree: nodes.Template) -> None:
    """Refuse a parsed part that names anything outside the allow-lists or uses a forbidden form."""
    _check_names(part, tree)
    _check_forms(part, tree)


def _check_names(part: str, tree: nodes.Template) -> None:
    """Only the allowed filters and tests; no dunder strings, private or formatting names."""
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        known = FILTERS if isinstance(node, nodes.Filter) else TESTS
        if node.name not in known:
            raise refuse(part, f"{node.name!r} is not allowed", node.lineno)
    for const in tree.find_all(nodes.Const):
        if isinstance(const.value, str) and const.value.startswith("__"):
            raise refuse(part, f"the string {const.value!r} is not allowed", const.lineno)
    for found in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(found, nodes.Getattr):
            name = found.attr
        else:  # a Getitem: only a constant key can be checked before running
            name = _constant(getattr(found, "arg", None))
        if isinstance(name, str) and (name.startswith("_") or name in FORMATTERS):
            raise refuse(part, f"the name {name!r} is not allowed", found.lineno)


def _check_forms(part: str, tree: nodes.Template) -> None:
    """No recursive loops and none of the forbidden statements."""
    for loop in tree.find_all(nodes.For):
        if loop.recursive:
            raise refuse(part, "recursive loops are not allowed", loop.lineno)
    for found in tree.find_all(_FORBIDDEN_NODES):
        raise refuse(part, f"{type(found).__name__.lower()} is not allowed", found.lineno)


def _constant(node: nodes.Node | None) -> Any:
    return node.value if isinstance(node, nodes.Const) else None


# Jinja's words for a name it could not find: an attribute or item, or a bare name.
_MISSING = re.compile(r"has no attribute '([^']+)'|^'([^']+)' is undefined")


def unknown_placeholder(part: str, tree: nodes.Template, error: str) -> InvalidInput | None:
    """A placeholder the message has not (StrictUndefined's "'dict object' has no attribute
    'shoe_size'", which an outside tester was shown) as the refusal naming it as written:
    "unknown placeholder customer.shoe_size" (`details.placeholder`). None: not such an error."""
    found = _MISSING.search(error)
    if not found:
        return None
    name = found.group(1) or found.group(2)
    paths = [_dotted(n) for n in tree.find_all((nodes.Getattr, nodes.Name))]
    written = [p for p in paths if p and p.rsplit(".", 1)[-1] == name]
    placeholder = written[0] if written else name
    return InvalidInput(
        f"The template's {part} part is refused: unknown placeholder {placeholder}",
        code="template_refused",
        part=part,
        placeholder=placeholder,
    )


def _dotted(node: nodes.Node) -> str | None:
    """`customer.shoe_size` of the expression that reads it; None for anything else."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        head = _dotted(node.node)
        return f"{head}.{node.attr}" if head else None
    return None
