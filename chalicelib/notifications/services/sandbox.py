"""Rendering templates, tenants' included, so that a template can neither run code nor eat the
shared workers' memory or CPU.

Layers, each of which alone refuses `{{ ''.__class__.__mro__[1].__subclasses__() }}`:
1. a static check of the parsed template, before anything runs: at most 20,000 characters a
   part; no attribute or item whose name starts with `_`, no `format`/`format_map`, no string
   starting with `__`, no filter or test outside the allow-list, no include/import/extends, no
   blocks, macros, block sets, filter blocks, recursive loops or autoescape switches (the ways
   output is buffered inside the template rather than streamed, or escaping turned off)
   (template_check.py holds the allow-lists and the tree check);
2. Jinja2's ImmutableSandboxedEnvironment (no `_` attributes, no mutating methods), with an
   allow-list of string methods (no `format`, `format_map`, `translate`, `expandtabs`) and
   StrictUndefined, so a refused attribute is an error rather than "";
3. no globals at all (no range, lipsum, dict, cycler, namespace): loops can only walk the
   message data and what the allowed filters and methods make of it;
4. a budget per rendering, counted inside the renderer (a context variable, so it holds in
   `chalice local`'s threads, where signals do not work): every call, filter, operator, `~`
   and loop step is an operation (at most 10,000), every value made is measured before or just
   after it is made (at most 100,000 characters each, 1,000,000 in all; `replace`, `join`, `+`
   and `~` are checked before they allocate), numbers stay below 10**100, and a wall-clock
   deadline is checked at each operation as a backstop (template_budget.py);
5. output is streamed (`generate()`) and rendering stops once it passes 100,000 characters.
Compile-time constant folding is off (`optimized=False` and a context-passing `finalize`), so
nothing is evaluated outside the budget. The parsed tree is instrumented before compiling: each
loop's iterable and each `~` go through internal filters that count and measure.

A tenant's template is checked when it is saved (rendered against several sample messages; any
error is a 422 naming the part and line) and rendered again in the same sandbox when sending;
if that fails or overruns, the built-in template is used instead (send.py), so a message is
never lost to a bad template.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.notifications.services import template_budget as budget
from chalicelib.notifications.services.template_budget import BudgetExceeded
from chalicelib.notifications.services.template_check import (
    FILTERS,
    FORMATTERS,
    MAX_SOURCE_CHARS,
    STR_METHODS,
    TESTS,
    check_tree,
    refuse,
    unknown_placeholder,
)

MAX_OUTPUT_CHARS = 100_000
# Internal filters the instrumentation inserts; a template cannot name them (not allow-listed).
_LOOP, _CONCAT = "sandbox_loop_step", "sandbox_concat"


class _Instrument(NodeTransformer):
    """Route every loop's iterable and every `~` through the metering filters."""

    def visit_For(self, node: nodes.For) -> nodes.Node:  # noqa: N802 - Jinja's visitor names
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, _LOOP, [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        values = nodes.Tuple(node.nodes, "load", lineno=node.lineno)
        return nodes.Filter(values, _CONCAT, [], [], None, None, lineno=node.lineno)


class TemplateSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def __init__(self, *, html: bool) -> None:
        super().__init__(
            autoescape=html,
            undefined=StrictUndefined,
            keep_trailing_newline=False,
            optimized=False,
            finalize=budget.finalize,
        )
        full = self.filters
        self.filters = {name: budget.metered(name, full[name]) for name in FILTERS}
        self.filters[_LOOP] = budget.loop_step
        self.filters[_CONCAT] = budget.concat
        self.tests = {name: self.tests[name] for name in TESTS}
        self.globals = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr in FORMATTERS or (isinstance(obj, str) and attr not in STR_METHODS):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> None:
        """Jinja would hand out a "safe" `str.format`, which still pads to any width before
        anything can measure it; here `format` and `format_map` are simply not there."""
        return None

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        budget.current().spend()
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right))
        if numbers:
            budget.check_number(left)
            budget.check_number(right)
            if operator == "**" and abs(right) > budget.MAX_POWER:
                raise SecurityError(f"powers above {budget.MAX_POWER} are not allowed")
            result = super().call_binop(context, operator, left, right)
            budget.check_number(result)
            return result
        sequences = isinstance(left, str | list | tuple) and isinstance(right, type(left))
        if operator == "+" and sequences:
            if budget.measure(left) + budget.measure(right) > budget.MAX_VALUE_CHARS:
                raise BudgetExceeded(
                    f"`+` would make more than {budget.MAX_VALUE_CHARS} characters"
                )
            return budget.made(super().call_binop(context, operator, left, right))
        raise SecurityError(f"the operator {operator!r} is allowed on small numbers only")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        budget.current().spend()
        budget.check_arguments(args, kwargs)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            method = getattr(__obj, "__name__", "")
            if method == "replace":
                budget.check_replace(owner, *args, **kwargs)
            elif method == "join" and args:
                args = (list(args[0]), *args[1:])
                budget.check_join(owner, args[0])
        return budget.made(super().call(__context, __obj, *args, **kwargs))


_TEXT = TemplateSandbox(html=False)
_HTML = TemplateSandbox(html=True)


def _env(part: str) -> TemplateSandbox:
    return _HTML if part == "html" else _TEXT


def static_check(part: str, source: str) -> Any:
    """Parse and inspect without running anything; the parsed tree, or InvalidInput."""
    if len(source) > MAX_SOURCE_CHARS:
        raise refuse(part, f"longer than {MAX_SOURCE_CHARS} characters")
    env = _env(part)
    try:
        tree = env.parse(source)
    except TemplateSyntaxError as exc:
        raise refuse(part, exc.message or "syntax error", exc.lineno) from None
    except RecursionError:
        raise refuse(part, "nested too deeply") from None
    check_tree(part, tree)
    return tree


@lru_cache(maxsize=128)
def _compiled(part: str, source: str) -> Any:
    """Checked, instrumented and compiled once per (part, source); the compiled template
    keeps no state between renderings (the budget is per rendering)."""
    env = _env(part)
    tree = _Instrument().visit(static_check(part, source))
    tree.set_environment(env)
    return env.from_string(tree)


def render_part(part: str, source: str, context: dict[str, Any]) -> str:
    """Render one part in the sandbox, within the budget. Raises InvalidInput (code
    template_refused) for anything refused, failing or over budget."""
    token = budget.BUDGET.set(
        budget.RenderingBudget(deadline=time.monotonic() + budget.MAX_SECONDS)
    )
    chunks: list[str] = []
    size = 0
    stream = None
    try:
        try:
            stream = _compiled(part, source).generate(context)
            for chunk in stream:
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise BudgetExceeded(f"it renders more than {MAX_OUTPUT_CHARS} characters")
                chunks.append(chunk)
        except InvalidInput:
            raise
        except TemplateSyntaxError as exc:
            raise refuse(part, exc.message or "syntax error", exc.lineno) from None
        except (SecurityError, TemplateError) as exc:
            missing = unknown_placeholder(part, static_check(part, source), str(exc))
            raise (missing or refuse(part, str(exc))) from None
        except RecursionError:
            raise refuse(part, "nested too deeply") from None
        except Exception as exc:  # noqa: BLE001 - a template's own error, e.g. a TypeError
            raise refuse(part, f"{type(exc).__name__}: {exc}") from None
    finally:
        if stream is not None:
            stream.close()
        budget.BUDGET.reset(token)
    return "".join(chunks)


def render(parts: dict[str, str], context: dict[str, Any]) -> dict[str, str]:
    return {part: render_part(part, source, context) for part, source in parts.items()}
