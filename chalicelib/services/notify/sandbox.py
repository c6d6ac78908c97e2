"""Rendering templates, tenants' included, so that a template cannot run code or eat the host.

Layers, each of which alone refuses `{{ ''.__class__.__mro__[1].__subclasses__() }}`:
1. a static check of the parsed template, before anything runs: no attribute or item whose
   name starts with `_`, no string starting with `__`, no filter or test outside the
   allow-list, no include/import/extends, no blocks or macros;
2. Jinja2's ImmutableSandboxedEnvironment (no `_` attributes, no mutating methods, safe
   `str.format`), with StrictUndefined so a refused attribute is an error rather than "";
3. no globals at all (no range, lipsum, dict, cycler, namespace) and an allow-list of
   filters, so loops can only walk the (small) message data;
4. bounded arithmetic and calls: `*`, `**` and `%` on anything but small numbers, any call
   with an integer argument over 10,000 (`'x'.ljust(10**9)`), and `str.format` (which pads
   to any width) are SecurityErrors;
5. at most 20,000 characters of source per part and 100,000 of output.
A tenant's template is checked when it is saved (render against a sample message; any error is
a 422 naming the part and line) and rendered again in the same sandbox when sending; if that
fails the built-in template is used instead, so a message is never lost to a bad template.
"""

from __future__ import annotations

from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from chalicelib.domain.errors import InvalidInput

MAX_SOURCE_CHARS = 20_000
MAX_OUTPUT_CHARS = 100_000
MAX_INT_ARGUMENT = 10_000
MAX_POWER = 64

_FILTERS = [
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


class TemplateSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *, html: bool) -> None:
        super().__init__(autoescape=html, undefined=StrictUndefined, keep_trailing_newline=False)
        full = self.filters
        self.filters = {name: full[name] for name in _FILTERS}
        self.tests = {name: self.tests[name] for name in ("defined", "undefined", "none")}
        self.globals = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # str.format can pad to any width before the output limit sees it.
        if attr in ("format", "format_map", "expandtabs"):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right))
        if not numbers or (operator == "**" and abs(right) > MAX_POWER):
            raise SecurityError(f"the operator {operator!r} is allowed on small numbers only")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and abs(value) > MAX_INT_ARGUMENT:
                raise SecurityError("a call's number argument is too large")
        return super().call(__context, __obj, *args, **kwargs)


_TEXT = TemplateSandbox(html=False)
_HTML = TemplateSandbox(html=True)


def _env(part: str) -> TemplateSandbox:
    return _HTML if part == "html" else _TEXT


def _refuse(part: str, message: str, line: int | None = None) -> InvalidInput:
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
)


def static_check(part: str, source: str) -> Any:
    """Parse and inspect without running anything; the parsed tree, or InvalidInput."""
    if len(source) > MAX_SOURCE_CHARS:
        raise _refuse(part, f"longer than {MAX_SOURCE_CHARS} characters")
    try:
        tree = _env(part).parse(source)
    except TemplateSyntaxError as exc:
        raise _refuse(part, exc.message or "syntax error", exc.lineno) from None
    env = _env(part)
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        known = env.filters if isinstance(node, nodes.Filter) else env.tests
        if node.name not in known:
            raise _refuse(part, f"{node.name!r} is not allowed", node.lineno)
    for node in tree.find_all(nodes.Const):
        if isinstance(node.value, str) and node.value.startswith("__"):
            raise _refuse(part, f"the string {node.value!r} is not allowed", node.lineno)
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, *_FORBIDDEN_NODES)):
        if isinstance(node, _FORBIDDEN_NODES):
            raise _refuse(part, f"{type(node).__name__.lower()} is not allowed", node.lineno)
        name = node.attr if isinstance(node, nodes.Getattr) else _constant(node.arg)
        if isinstance(name, str) and name.startswith("_"):
            raise _refuse(part, f"the name {name!r} is not allowed", node.lineno)
    return tree


def _constant(node: nodes.Node) -> Any:
    return node.value if isinstance(node, nodes.Const) else None


def render_part(part: str, source: str, context: dict[str, Any]) -> str:
    """Render one part in the sandbox. Raises InvalidInput for anything refused or failing."""
    static_check(part, source)
    env = _env(part)
    try:
        text = env.from_string(source).render(context)
    except TemplateSyntaxError as exc:
        raise _refuse(part, exc.message or "syntax error", exc.lineno) from None
    except (SecurityError, TemplateError) as exc:
        raise _refuse(part, str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - a template's own error, e.g. a TypeError
        raise _refuse(part, f"{type(exc).__name__}: {exc}") from None
    if len(text) > MAX_OUTPUT_CHARS:
        raise _refuse(part, f"renders more than {MAX_OUTPUT_CHARS} characters")
    return text


def render(parts: dict[str, str], context: dict[str, Any]) -> dict[str, str]:
    return {part: render_part(part, source, context) for part, source in parts.items()}
