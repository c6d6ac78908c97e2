"""Rendering templates, tenants' included, so that a template can neither run code nor eat the
shared workers' memory or CPU.

Layers, each of which alone refuses `{{ ''.__class__.__mro__[1].__subclasses__() }}`:
1. a static check of the parsed template, before anything runs: at most 20,000 characters a
   part; no attribute or item whose name starts with `_`, no `format`/`format_map`, no string
   starting with `__`, no filter or test outside the allow-list, no include/import/extends, no
   blocks, macros, block sets, filter blocks, recursive loops or autoescape switches (the ways
   output is buffered inside the template rather than streamed, or escaping turned off);
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
   deadline is checked at each operation as a backstop;
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
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache, update_wrapper
from typing import Any

from jinja2 import StrictUndefined, nodes, pass_eval_context
from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from chalicelib.domain.errors import InvalidInput

MAX_SOURCE_CHARS = 20_000  # a part; all parts of a template together: MAX_TEMPLATE_CHARS
MAX_TEMPLATE_CHARS = 20_000
MAX_OUTPUT_CHARS = 100_000
MAX_VALUE_CHARS = 100_000  # any one string or list a template makes
MAX_PRODUCED_CHARS = 1_000_000  # everything a rendering makes, together
MAX_OPERATIONS = 10_000  # calls, filters, operators, `~` and loop steps
MAX_SECONDS = 2.0  # a backstop: the operation budget stops real templates long before
MAX_INT_ARGUMENT = 10_000
MAX_NUMBER = 10**100
MAX_POWER = 64
MAX_NESTING = 32

_FILTERS = frozenset(
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
_TESTS = ("defined", "undefined", "none")
_STR_METHODS = frozenset(
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
_FORMATTERS = frozenset({"format", "format_map"})
# Internal filters the instrumentation inserts; a template cannot name them (not allow-listed).
_LOOP, _CONCAT = "sandbox_loop_step", "sandbox_concat"


class BudgetExceeded(SecurityError):
    """The rendering used up its operations, its characters or its time."""


@dataclass
class _Budget:
    deadline: float
    operations: int = 0
    produced: int = 0

    def spend(self) -> None:
        self.operations += 1
        if self.operations > MAX_OPERATIONS:
            raise BudgetExceeded(
                f"it needs more than {MAX_OPERATIONS} operations (calls, filters, loop steps)"
            )
        if time.monotonic() > self.deadline:
            raise BudgetExceeded(f"it takes longer than {MAX_SECONDS} seconds")

    def produce(self, size: int) -> None:
        if size > MAX_VALUE_CHARS:
            raise BudgetExceeded(f"it makes a value of more than {MAX_VALUE_CHARS} characters")
        self.produced += size
        if self.produced > MAX_PRODUCED_CHARS:
            raise BudgetExceeded(f"it makes more than {MAX_PRODUCED_CHARS} characters in all")


_BUDGET: ContextVar[_Budget | None] = ContextVar("template_budget", default=None)


def _budget() -> _Budget:
    budget = _BUDGET.get()
    if budget is None:  # every rendering goes through render_part, which sets one
        raise SecurityError("templates render only inside the sandbox's budget")
    return budget


def _size(value: Any, limit: int = MAX_VALUE_CHARS, depth: int = 0) -> int:
    """About how many characters `value` is as text, counted only up to just past `limit`."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | tuple | set | frozenset | dict):
        if depth > MAX_NESTING:
            return limit + 1
        total = len(value)
        items = value.items() if isinstance(value, dict) else value
        for item in items:
            if total > limit:
                break
            total += _size(item, limit - total, depth + 1)
        return total
    if isinstance(value, int) and not isinstance(value, bool):
        return 1 + abs(value).bit_length() // 3  # a bit more than its digits: no str() needed
    return 8


def _made(value: Any) -> Any:
    """Measure a value a template just made (sizes of containers are what they hold)."""
    _budget().produce(_size(value))
    return value


def _check_number(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
        raise SecurityError("numbers in templates stay below 10**100")


def _check_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT_ARGUMENT:
            raise SecurityError("a call's number argument is too large")


def _check_replace(text: Any, old: Any, new: Any, count: Any = None) -> None:
    """A replacement's result size, before it is made ('' matches between every character)."""
    text, old, new = str(text), str(old), str(new)
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
        found = min(found, count)
    if len(text) + found * max(0, len(new) - len(old)) > MAX_VALUE_CHARS:
        raise BudgetExceeded(f"a replacement would make more than {MAX_VALUE_CHARS} characters")


def _check_join(separator: Any, items: list[Any]) -> None:
    total = max(0, len(items) - 1) * len(str(separator)) + _size(items)
    if total > MAX_VALUE_CHARS:
        raise BudgetExceeded(f"a join would make more than {MAX_VALUE_CHARS} characters")


def _metered(name: str, func: Any) -> Any:
    """An allow-listed filter that spends an operation, checks what it would make where that
    can be large (replace, join) and measures what it made."""
    passes = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _budget().spend()
        _check_arguments(args[passes + 1 :], kwargs)
        rest = list(args[passes:])
        if name == "replace":
            _check_replace(*rest[:4], **kwargs)
        elif name == "join" and rest:
            rest[0] = list(rest[0])  # once: the check and the join see the same items
            separator = rest[1] if len(rest) > 1 else kwargs.get("d", "")
            _check_join(separator, rest[0])
            args = (*args[:passes], *rest)
        return _made(func(*args, **kwargs))

    return update_wrapper(wrapper, func)


@pass_eval_context
def _loop_step(eval_ctx: Any, iterable: Any) -> Any:
    """Each loop's iterable, instrumented in: every item taken is an operation."""
    budget = _budget()
    for item in iterable:
        budget.spend()
        yield item


@pass_eval_context
def _concat(eval_ctx: Any, values: tuple[Any, ...]) -> str:
    """`a ~ b`, instrumented in: measured before the join."""
    budget = _budget()
    budget.spend()
    if sum(_size(v) for v in values) > MAX_VALUE_CHARS:
        raise BudgetExceeded(f"`~` would make more than {MAX_VALUE_CHARS} characters")
    joined = markup_join(values) if eval_ctx.autoescape else str_join(values)
    budget.produce(len(joined))
    return joined


@pass_eval_context
def _finalize(eval_ctx: Any, value: Any) -> Any:
    """What `{{ }}` prints: never more than a value may be. (Passing the eval context also
    stops Jinja from rendering constant output at compile time, outside the budget.)"""
    if _size(value) > MAX_VALUE_CHARS:
        raise BudgetExceeded(f"it prints a value of more than {MAX_VALUE_CHARS} characters")
    return value


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
            finalize=_finalize,
        )
        full = self.filters
        self.filters = {name: _metered(name, full[name]) for name in _FILTERS}
        self.filters[_LOOP] = _loop_step
        self.filters[_CONCAT] = _concat
        self.tests = {name: self.tests[name] for name in _TESTS}
        self.globals = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr in _FORMATTERS or (isinstance(obj, str) and attr not in _STR_METHODS):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> None:
        """Jinja would hand out a "safe" `str.format`, which still pads to any width before
        anything can measure it; here `format` and `format_map` are simply not there."""
        return None

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _budget().spend()
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right))
        if numbers:
            _check_number(left)
            _check_number(right)
            if operator == "**" and abs(right) > MAX_POWER:
                raise SecurityError(f"powers above {MAX_POWER} are not allowed")
            result = super().call_binop(context, operator, left, right)
            _check_number(result)
            return result
        sequences = isinstance(left, str | list | tuple) and isinstance(right, type(left))
        if operator == "+" and sequences:
            if _size(left) + _size(right) > MAX_VALUE_CHARS:
                raise BudgetExceeded(f"`+` would make more than {MAX_VALUE_CHARS} characters")
            return _made(super().call_binop(context, operator, left, right))
        raise SecurityError(f"the operator {operator!r} is allowed on small numbers only")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _budget().spend()
        _check_arguments(args, kwargs)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            method = getattr(__obj, "__name__", "")
            if method == "replace":
                _check_replace(owner, *args, **kwargs)
            elif method == "join" and args:
                args = (list(args[0]), *args[1:])
                _check_join(owner, args[0])
        return _made(super().call(__context, __obj, *args, **kwargs))


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


def static_check(part: str, source: str) -> Any:
    """Parse and inspect without running anything; the parsed tree, or InvalidInput."""
    if len(source) > MAX_SOURCE_CHARS:
        raise _refuse(part, f"longer than {MAX_SOURCE_CHARS} characters")
    env = _env(part)
    try:
        tree = env.parse(source)
    except TemplateSyntaxError as exc:
        raise _refuse(part, exc.message or "syntax error", exc.lineno) from None
    except RecursionError:
        raise _refuse(part, "nested too deeply") from None
    _check_names(part, tree)
    _check_forms(part, tree)
    return tree


def _check_names(part: str, tree: nodes.Template) -> None:
    """Only the allowed filters and tests; no dunder strings, private or formatting names."""
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        known = _FILTERS if isinstance(node, nodes.Filter) else _TESTS
        if node.name not in known:
            raise _refuse(part, f"{node.name!r} is not allowed", node.lineno)
    for const in tree.find_all(nodes.Const):
        if isinstance(const.value, str) and const.value.startswith("__"):
            raise _refuse(part, f"the string {const.value!r} is not allowed", const.lineno)
    for found in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(found, nodes.Getattr):
            name = found.attr
        else:  # a Getitem: only a constant key can be checked before running
            name = _constant(getattr(found, "arg", None))
        if isinstance(name, str) and (name.startswith("_") or name in _FORMATTERS):
            raise _refuse(part, f"the name {name!r} is not allowed", found.lineno)


def _check_forms(part: str, tree: nodes.Template) -> None:
    """No recursive loops and none of the forbidden statements."""
    for loop in tree.find_all(nodes.For):
        if loop.recursive:
            raise _refuse(part, "recursive loops are not allowed", loop.lineno)
    for found in tree.find_all(_FORBIDDEN_NODES):
        raise _refuse(part, f"{type(found).__name__.lower()} is not allowed", found.lineno)


def _constant(node: nodes.Node | None) -> Any:
    return node.value if isinstance(node, nodes.Const) else None


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
    token = _BUDGET.set(_Budget(deadline=time.monotonic() + MAX_SECONDS))
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
            raise _refuse(part, exc.message or "syntax error", exc.lineno) from None
        except (SecurityError, TemplateError) as exc:
            raise _refuse(part, str(exc)) from None
        except RecursionError:
            raise _refuse(part, "nested too deeply") from None
        except Exception as exc:  # noqa: BLE001 - a template's own error, e.g. a TypeError
            raise _refuse(part, f"{type(exc).__name__}: {exc}") from None
    finally:
        if stream is not None:
            stream.close()
        _BUDGET.reset(token)
    return "".join(chunks)


def render(parts: dict[str, str], context: dict[str, Any]) -> dict[str, str]:
    return {part: render_part(part, source, context) for part, source in parts.items()}
