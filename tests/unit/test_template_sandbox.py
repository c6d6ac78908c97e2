"""Tenant templates render in the sandbox for real here (nothing replaced): what a template may
not do is refused, and what would eat the shared workers (memory, CPU) is stopped by the
renderer's own counted budget (operations, characters) in a few megabytes, never by the
wall-clock deadline, which is only a backstop: a refusal that came from the deadline means the
counting let the work through (no timing assertion, so a loaded machine cannot fail it)."""

from __future__ import annotations

import tracemalloc
from datetime import datetime
from unittest import mock

import pytest

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.notifications.services import sandbox, template_budget
from chalicelib.notifications.services.content import sample_context
from chalicelib.notifications.services.manage import save_template
from chalicelib.notifications.services.templates import builtin
from tests.stage import Stage

LONG = "customer.name.ljust(9000)"  # 9,000 characters, within the argument limit


def _refused(source: str, *, part: str = "text", limit_mb: float = 20.0) -> InvalidInput:
    """Render for real; it must be refused by the operation budget and without allocating
    much. The wall-clock deadline (a backstop) is put out of reach here: on a loaded machine
    it fired first (2 s) and the test failed for the machine's speed, not the sandbox's."""
    tracemalloc.start()
    try:
        with (
            mock.patch.object(template_budget, "MAX_SECONDS", 600.0),
            pytest.raises(InvalidInput) as refused,
        ):
            sandbox.render_part(part, source, sample_context("en"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.code == "template_refused"
    assert "seconds" not in refused.value.message, "stopped by the deadline, not the budget"
    assert peak < limit_mb * 1e6, f"peak {peak / 1e6:.1f} MB"
    return refused.value


@pytest.mark.parametrize(
    "source",
    [
        "{{ '{:>300000000}'.format(1)|length }}",
        "{{ '{x:>300000000}'.format_map({'x': 1})|length }}",
        "{{ customer.name.format(1) }}",
        "{{ (customer.name|e).format(1) }}",
        "{% set f = '{:>300000000}'.format %}{{ f(1)|length }}",
        "{{ '{:>300000000}'['format'](1)|length }}",
    ],
)
def test_str_format_is_refused(source):
    _refused(source)
    _refused(source, part="html")


def test_percent_formatting_with_a_huge_width_is_refused():
    _refused("{{ '%300000000d' % 1 }}")
    _refused("{{ '%*d' % (300000000, 1) }}")


def test_nested_loops_are_stopped_by_the_operation_budget():
    error = _refused(f"{{% for a in {LONG} %}}{{% for b in {LONG} %}}{{% endfor %}}{{% endfor %}}")
    assert "operations" in error.message


def test_a_loop_over_a_big_list_is_stopped_by_the_operation_budget():
    _refused(f"{{% for c in ({LONG} ~ {LONG})|list %}}{{{{ c }}}}{{% endfor %}}")


def test_there_is_no_range_to_loop_over():
    _refused("{% for i in range(100000) %}x{% endfor %}")
    _refused("{{ range(10)|length }}")


def test_output_is_capped_while_rendering_not_after():
    filler = "y" * 15_000  # template text, not a computed value
    _refused(f"{{% for a in {LONG} %}}{filler}{{% endfor %}}", limit_mb=5)


@pytest.mark.parametrize(
    "source",
    [
        f"{{{{ {LONG} | replace(' ', {LONG}) | length }}}}",
        f"{{{{ {LONG}.replace(' ', {LONG}) | length }}}}",
        f"{{{{ {LONG} | list | join({LONG}) | length }}}}",
        f"{{{{ {LONG}.join({LONG}) | length }}}}",
        f"{{% set a = {LONG} %}}" + "{% set a = a ~ a ~ a ~ a %}" * 8 + "{{ a|length }}",
        f"{{% set a = {LONG} %}}" + "{% set a = a + a + a + a %}" * 8 + "{{ a|length }}",
        "{{ " + " ~ ".join([LONG] * 200) + " }}",
        "{{ [" + ", ".join([LONG] * 200) + "] }}",
        "{{ 10 ** 64 ** 64 ** 64 }}",
        f"{{{{ {LONG}.translate({{32: {LONG}}}) | length }}}}",
        f"{{{{ ({LONG} ~ '\t').expandtabs(9000) | length }}}}",
    ],
)
def test_amplifying_operations_are_refused_before_they_allocate(source):
    _refused(source, limit_mb=8)


@pytest.mark.parametrize(
    "source",
    [
        "{% set s %}" + "{% for c in customer.name %}x{% endfor %}" + "{% endset %}{{ s }}",
        "{% filter upper %}x{% endfilter %}",
        "{% for c in order.lines recursive %}{{ loop(c) }}{% endfor %}",
        "{% autoescape false %}{{ customer.name }}{% endautoescape %}",
        "{{ " + "[" * 3000 + "]" * 3000 + " }}",
    ],
)
def test_constructs_that_buffer_output_or_disable_escaping_are_refused(source):
    _refused(source)


def test_a_part_or_a_template_over_the_size_limit_is_refused_at_save():
    stage = Stage()
    with pytest.raises(InvalidInput) as refused:
        save_template(
            stage.ctx, "held", "sms", "en", {"text": "x" * (sandbox.MAX_SOURCE_CHARS + 1)}
        )
    assert refused.value.code == "template_too_large"
    with pytest.raises(InvalidInput) as refused:
        sandbox.render_part("text", "x" * (sandbox.MAX_SOURCE_CHARS + 1), sample_context("en"))
    assert refused.value.code == "template_refused"
    third = sandbox.MAX_SOURCE_CHARS // 3 + 10
    with pytest.raises(InvalidInput) as refused:
        save_template(
            stage.ctx,
            "held",
            "email",
            "en",
            {"subject": "x", "text": "x" * third * 2, "html": "y" * third},
        )
    assert refused.value.code == "template_too_large"
    assert stage.data.templates.list() == {}


@pytest.mark.parametrize(
    ("kind", "source"),
    [
        ("confirmed", "{{ 60 // hold.minutes }}"),  # only a held message has a hold
        ("held", "{{ order.lines[1].name }}"),  # an order of one line
        ("confirmed", "{{ customer.name[60] }}"),  # a short name
        (  # fine for one short line, over budget for a long order
            "confirmed",
            "{% for l in order.lines %}{% for a in l.name %}{% for b in l.name %}"
            "{% endfor %}{% endfor %}{% endfor %}",
        ),
        ("confirmed", "{{ customer.name.split()[1] }}"),  # a name in Chinese has no space
        ("confirmed", "{{ order.lines[0].with[0] }}"),  # a line without resources
    ],
)
def test_the_save_check_renders_several_samples_not_only_the_full_one(kind, source):
    stage = Stage()
    with pytest.raises(InvalidInput) as refused:
        save_template(stage.ctx, kind, "sms", "en", {"text": source})
    assert refused.value.code == "template_refused"


def test_ordinary_templates_and_every_built_in_one_render_within_the_budget():
    source = (
        "{% for line in order.lines %}{% for c in line.name %}{{ c|upper }}{% endfor %}"
        "{{ loop.index }}/{{ loop.length }} {{ line.when|truncate(40) }}{% endfor %}"
        "{{ customer.name.ljust(30)|trim }} {{ (order.total ~ '!')|replace('!', '?') }}"
    )
    assert sandbox.render_part("text", source, sample_context("en")).startswith("DOUBLE ROOM1/1")
    for kind in ("held", "confirmed", "cancelled", "reminder"):
        for locale in ("en", "zh-Hans"):
            sandbox.render(builtin(kind, "email", locale), sample_context(locale))


def test_a_stored_template_that_overruns_at_send_time_gives_way_and_the_tenant_is_told():
    stage = Stage()
    nested = f"{{% for a in {LONG} %}}{{% for b in {LONG} %}}{{% endfor %}}{{% endfor %}}"
    stage.data.templates.put("held", "sms", "en", {"text": nested}, "2026-11-24T09:00Z")
    stage.book()
    stage.book(start=datetime(2026, 12, 1, 11, 0))
    stage.drain()
    texts = [text for _, text in stage.c.sms.sent]
    assert len(texts) == 2 and all("held for" in t for t in texts)  # the built-in template
    told = [e for e in stage.data.audit.entries.values() if e.action == "template.fallback"]
    assert len(told) == 1  # once a day per template, however many messages
    assert told[0].target == "template:held/sms/en"
    assert "operations" in told[0].details["reason"]
