"""The PDF writer (chalicelib/web/pdf.py): text folded to what its two fonts draw, lines that
fit and lose nothing, and a file whose cross-reference table points at its objects."""

from __future__ import annotations

import io
import re

from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from chalicelib.web.pdf import Document, printable, width, wrap


def test_other_latin_letters_fold_to_their_base_and_unknown_scripts_print_as_a_question_mark():
    names = "Łukasz Dvořák Nguyễn Şahin Ștefan Őry"
    assert printable(names) == "Lukasz Dvorák Nguyen Sahin Stefan Ory"
    assert printable("محمد 한국 ไทย 😀") == "???? ?? ??? ?"
    # Chinese, and GB 2312's Greek and Cyrillic (without accents)
    assert printable("张敏 Иван Ωμέγα") == "张敏 Иван Ωμεγα"
    # invisible formatting, and a lone accent
    assert printable("a\u200bb\u202ec\ufeffd\u0301e") == "abcde"
    assert printable("line\nbreak\ttab") == "line break tab"
    assert printable("Café ß Œuvre — “quoted” · €5") == "Café ß Œuvre — “quoted” · €5"  # cp1252


@given(st.text(max_size=400), st.sampled_from([8, 10, 13]), st.floats(min_value=40, max_value=500))
def test_wrapped_lines_fit_and_keep_every_printable_character(text, size, room):
    lines = wrap(text, size, room)
    assert all(width(line, size) <= room or len(line) == 1 for line in lines)
    kept = re.sub(r"\s+", "", "".join(lines))
    assert kept == re.sub(r"\s+", "", printable(text))


def test_a_word_longer_than_many_lines_is_cut_into_full_lines():
    lines = wrap("x" * 5000, 8, 339)
    assert "".join(lines) == "x" * 5000
    assert all(width(line, 8) <= 339 for line in lines)
    assert all(width(line + "x", 8) > 339 for line in lines[:-1])  # each as full as it can be


def test_the_cross_reference_table_points_at_each_object():
    doc = Document("Title (with) \\ odd 字")
    doc.text(48, 48, "Hello (world) \\ 你好", 12, bold=True)
    doc.new_page()
    doc.rule(100)
    data = doc.render()
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))
    assert data[start:].startswith(b"xref\n0 ")
    count = int(re.match(rb"xref\n0 (\d+)\n", data[start:]).group(1))
    offsets = re.findall(rb"(\d{10}) 00000 n \n", data[start:])
    assert len(offsets) == count - 1
    for number, offset in enumerate(offsets, 1):
        assert data[int(offset) :].startswith(b"%d 0 obj\n" % number)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    assert reader.pages[0].extract_text() == "Hello (world) \\ 你好"
    assert reader.metadata is not None and reader.metadata.title == "Title (with) \\ odd 字"
