"""The budget of one rendering, counted inside the renderer, so that a template cannot eat the
shared workers' memory or CPU (layer 4 of sandbox.py).

A context variable holds the budget (so it holds in `chalice local`'s threads, where signals do
not work): every call, filter, operator, `~` and loop step is an operation (at most 10,000),
every value made is measured before or just after it is made (at most 100,000 characters each,
1,000,000 in all; `replace`, `join`, `+` and `~` are checked before they allocate), numbers stay
below 10**100, and a wall-clock deadline is checked at each operation as a backstop. The
sandbox's environment calls these meters; only sandbox.render_part opens a budget.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass
from functools import update_wrapper
from typing import Any

from jinja2 import pass_eval_context
from jinja2.exceptions import SecurityError
from jinja2.runtime import markup_join, str_join

MAX_VALUE_CHARS = 100_000  # any one string or list a template makes
MAX_PRODUCED_CHARS = 1_000_000  # everything a rendering makes, together
MAX_OPERATIONS = 10_000  # calls, filters, operators, `~` and loop steps
MAX_SECONDS = 2.0  # a backstop: the operation budget stops real templates long before
MAX_INT_ARGUMENT = 10_000
MAX_NUMBER = 10**100
MAX_POWER = 64
MAX_NESTING = 32


class BudgetExceeded(SecurityError):
    """The rendering used up its operations, its characters or its time."""


@dataclass
class RenderingBudget:
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


BUDGET: ContextVar[RenderingBudget | None] = ContextVar("template_budget", default=None)


def current() -> RenderingBudget:
    budget = BUDGET.get()
    if budget is None:  # every rendering goes through render_part, which sets one
        raise SecurityError("templates render only inside the sandbox's budget")
    return budget


def measure(value: Any, limit: int = MAX_VALUE_CHARS, depth: int = 0) -> int:
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
            total += measure(item, limit - total, depth + 1)
        return total
    if isinstance(value, int) and not isinstance(value, bool):
        return 1 + abs(value).bit_length() // 3  # a bit more than its digits: no str() needed
    return 8


def made(value: Any) -> Any:
    """Measure a value a template just made (sizes of containers are what they hold)."""
    current().produce(measure(value))
    return value


def check_number(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
        raise SecurityError("numbers in templates stay below 10**100")


def check_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT_ARGUMENT:
            raise SecurityError("a call's number argument is too large")


def check_replace(text: Any, old: Any, new: Any, count: Any = None) -> None:
    """A replacement's result size, before it is made ('' matches between every character)."""
    text, old, new = str(text), str(old), str(new)
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
        found = min(found, count)
    if len(text) + found * max(0, len(new) - len(old)) > MAX_VALUE_CHARS:
        raise BudgetExceeded(f"a replacement would make more than {MAX_VALUE_CHARS} characters")


def check_join(separator: Any, items: list[Any]) -> None:
    total = max(0, len(items) - 1) * len(str(separator)) + measure(items)
    if total > MAX_VALUE_CHARS:
        raise BudgetExceeded(f"a join would make more than {MAX_VALUE_CHARS} characters")


def metered(name: str, func: Any) -> Any:
    """An allow-listed filter that spends an operation, checks what it would make where that
    can be large (replace, join) and measures what it made."""
    passes = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        current().spend()
        check_arguments(args[passes + 1 :], kwargs)
        rest = list(args[passes:])
        if name == "replace":
            check_replace(*rest[:4], **kwargs)
        elif name == "join" and rest:
            rest[0] = list(rest[0])  # once: the check and the join see the same items
            separator = rest[1] if len(rest) > 1 else kwargs.get("d", "")
            check_join(separator, rest[0])
            args = (*args[:passes], *rest)
        return made(func(*args, **kwargs))

    return update_wrapper(wrapper, func)


@pass_eval_context
def loop_step(eval_ctx: Any, iterable: Any) -> Any:
    """Each loop's iterable, instrumented in: every item taken is an operation."""
    budget = current()
    for item in iterable:
        budget.spend()
        yield item


@pass_eval_context
def concat(eval_ctx: Any, values: tuple[Any, ...]) -> str:
    """`a ~ b`, instrumented in: measured before the join."""
    budget = current()
    budget.spend()
    if sum(measure(v) for v in values) > MAX_VALUE_CHARS:
        raise BudgetExceeded(f"`~` would make more than {MAX_VALUE_CHARS} characters")
    joined = markup_join(values) if eval_ctx.autoescape else str_join(values)
    budget.produce(len(joined))
    return joined


@pass_eval_context
def finalize(eval_ctx: Any, value: Any) -> Any:
    """What `{{ }}` prints: never more than a value may be. (Passing the eval context also
    stops Jinja from rendering constant output at compile time, outside the budget.)"""
    if measure(value) > MAX_VALUE_CHARS:
        raise BudgetExceeded(f"it prints a value of more than {MAX_VALUE_CHARS} characters")
    return value
