"""A small PDF writer for the printouts (an order's confirmation, a resource's day): A4 pages
of text in columns, rules, and page numbers, written by hand so a Lambda carries no PDF library,
image library or font file.

Two fonts a PDF reader always has, nothing embedded: Helvetica (bold too) for what WinAnsi
(cp1252) can spell, with Adobe's widths for layout; and STSong-Light, Adobe's standard
Simplified Chinese CID font (Adobe-GB1, UniGB-UCS2-H), for Chinese (and the kana, full-width
forms, Greek and Cyrillic that GB 2312 has: drawn full-width), each glyph taken as 1 em wide.
Text is first folded to what those can draw (`printable`): another Latin letter becomes its
base letter (Dvořák: Dvorak; Łódź: Lodz), and what neither font has (Arabic, Hebrew, Hangul,
Thai, emoji...) prints as "?", never as a code a reader would misread. Bold Chinese is drawn
filled and stroked. Each font gets a ToUnicode map, so what is copied out is what was drawn.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from chalicelib.web.pdf_metrics import HELVETICA, HELVETICA_BOLD

A4 = (595.28, 841.89)  # points
MARGIN = 48.0
CJK_WIDTH = 1000
_LATIN_FONTS = {False: ("F1", HELVETICA), True: ("F2", HELVETICA_BOLD)}
# What STSong-Light's Unicode encoding draws: CJK ideographs and punctuation, kana, bopomofo,
# full-width forms, and GB 2312's Greek and Cyrillic.
_WIDE = re.compile(
    "[\u0391-\u03a1\u03a3-\u03a9\u03b1-\u03c1\u03c3-\u03c9\u0401\u0410-\u044f\u0451\u2e80-\u2fdf\u3000-\u312f\u3190-\u31bf"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)
# Letters with no decomposition to a base letter.
# GB 2312's Greek has no final sigma: it prints as the other sigma.
_BASE = str.maketrans("ŁłĐđĦħıĿŀŦŧƀƁƊƑƒƘƙƚƝƤƫƬƳƴȤȥɓɗɠɦɨʂʐς", "LlDdHhiLlTtbBDFfKklNPtTYyZzbdghiszσ")
# A token a line may break after: a run of spaces, one wide character (written without
# spaces), or a run of anything else.
_TOKENS = re.compile(r"\s+|" + _WIDE.pattern + "|[^\\s" + _WIDE.pattern[1:-1] + "]+")


@lru_cache(maxsize=4096)
def _char(c: str) -> str:
    """`c` as the fonts can draw it: itself, its base letter, or "?"."""
    if c.isspace():
        return " "
    category = unicodedata.category(c)
    if category in ("Cc", "Cf", "Cs", "Co", "Cn"):  # controls, invisible formatting
        return ""
    if _latin(c) or _WIDE.fullmatch(c):
        return c
    folded = "".join(
        f for f in unicodedata.normalize("NFKD", c.translate(_BASE)) if not unicodedata.combining(f)
    )
    if folded and all(_latin(f) or _WIDE.fullmatch(f) for f in folded):
        return folded
    return "" if category.startswith("M") else "?"  # a lone accent: nothing


def printable(text: str) -> str:
    """`text` folded to the two fonts (see the module's doc)."""
    return "".join(_char(c) for c in text)


def _latin(c: str) -> bool:
    try:
        code = c.encode("cp1252")[0]
    except UnicodeEncodeError:
        return False
    return code >= 32 and HELVETICA[code - 32] > 0


def runs(text: str) -> Iterator[tuple[bool, str]]:
    """Printable `text` cut where the font changes: (latin, part)."""
    if not text:
        return
    start = 0
    kind = _latin(text[0])
    for i, c in enumerate(text[1:], 1):
        if _latin(c) != kind:
            yield kind, text[start:i]
            start, kind = i, not kind
    yield kind, text[start:]


def _units(c: str, bold: bool) -> int:
    if _latin(c):
        return _LATIN_FONTS[bold][1][c.encode("cp1252")[0] - 32]
    return CJK_WIDTH


def width(text: str, size: float, bold: bool = False) -> float:
    return sum(_units(c, bold) for c in printable(text)) * size / 1000


def wrap(text: str, size: float, room: float, bold: bool = False) -> list[str]:
    """Printable lines of at most `room` points: broken at spaces and between Chinese
    characters, a word longer than a line cut where it must. One pass, each character
    measured once (a customer's answer may be a 1,000-character word)."""
    limit = room * 1000 / size  # in font units
    lines: list[str] = []
    line, used = "", 0
    for token in _TOKENS.findall(printable(text)):
        units = sum(_units(c, bold) for c in token)
        if used + units <= limit:
            line, used = line + token, used + units
            continue
        if line.strip():
            lines.append(line.rstrip())
        line, used = "", 0
        if token.isspace():
            continue
        for c in token:  # a token wider than the room left: cut it where it must
            step = _units(c, bold)
            if used + step > limit and line:
                lines.append(line)
                line, used = "", 0
            line, used = line + c, used + step
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _literal(data: bytes) -> bytes:
    out = bytearray(b"(")
    for b in data:
        if b in b"()\\":
            out += b"\\" + bytes([b])
        elif 32 <= b < 127:
            out.append(b)
        else:
            out += b"\\%03o" % b
    return bytes(out + b")")


@dataclass
class Page:
    ops: list[bytes] = field(default_factory=list)


class Document:
    """Pages of positioned text and rules; `render()` gives the file. Coordinates are points
    from the page's top left, as a layout thinks of them."""

    def __init__(self, title: str) -> None:
        self.title = printable(title)
        self.pages: list[Page] = []
        self.new_page()

    def new_page(self) -> None:
        self.pages.append(Page())

    def text(
        self, x: float, top: float, text: str, size: float = 10, bold: bool = False, page: int = -1
    ) -> None:
        y = A4[1] - top - size
        parts = [b"BT", b"%.2f %.2f Td" % (x, y)]
        for latin, part in runs(printable(text)):
            if latin:
                parts.append(b"/%s %.1f Tf 0 Tr" % (_LATIN_FONTS[bold][0].encode(), size))
                parts.append(_literal(part.encode("cp1252")) + b" Tj")
            else:
                mode = b"2 Tr %.2f w" % (size / 30) if bold else b"0 Tr"
                parts.append(b"/F3 %.1f Tf " % size + mode)
                parts.append(b"<" + part.encode("utf-16-be").hex().encode() + b"> Tj")
        parts.append(b"ET")
        self.pages[page].ops.append(b" ".join(parts))

    def rule(self, top: float, left: float = MARGIN, right: float = A4[0] - MARGIN) -> None:
        y = A4[1] - top
        self.pages[-1].ops.append(
            b"0.6 w 0.6 G %.2f %.2f m %.2f %.2f l S 0 G" % (left, y, right, y)
        )

    def render(self) -> bytes:
        objects: list[bytes] = []

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        catalog = add(b"<< /Type /Catalog /Pages 2 0 R >>")
        tree = add(b"")  # the page tree, once its pages are numbered
        fonts = _font_objects(add)
        kids: list[int] = []
        resources = b"<< /Font << /F1 %d 0 R /F2 %d 0 R /F3 %d 0 R >> >>" % fonts
        for page in self.pages:
            stream = zlib.compress(b"\n".join(page.ops))
            content = add(
                b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
                + stream
                + b"\nendstream"
            )
            kids.append(
                add(
                    b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] "
                    b"/Resources %s /Contents %d 0 R >>" % (tree, A4[0], A4[1], resources, content)
                )
            )
        info = add(
            b"<< /Title <%s> /Producer (Reservoir) >>"
            % ("\ufeff" + self.title).encode("utf-16-be").hex().encode()
        )
        pages = b" ".join(b"%d 0 R" % k for k in kids)
        objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (pages, len(kids))
        return _file(objects, catalog, info)


def _font_objects(put: Callable[[bytes], int]) -> tuple[int, int, int]:
    latin_unicode = put(_stream(_to_unicode_latin()))
    latin = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /%s "
        b"/Encoding /WinAnsiEncoding /ToUnicode %d 0 R >>"
    )
    f1 = put(latin % (b"Helvetica", latin_unicode))
    f2 = put(latin % (b"Helvetica-Bold", latin_unicode))
    descriptor = put(
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 752 /Descent -271 /CapHeight 737 /StemV 58 >>"
    )
    cid = put(
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        b"/FontDescriptor %d 0 R /DW 1000 >>" % descriptor
    )
    cjk_unicode = put(_stream(_to_unicode_ucs2()))
    f3 = put(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid, cjk_unicode)
    )
    return f1, f2, f3


def _stream(data: bytes) -> bytes:
    packed = zlib.compress(data)
    return (
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    )


def _cmap(codespace: bytes, ranges: list[bytes]) -> bytes:
    head = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Reservoir-UCS def /CMapType 2 def\n"
        b"1 begincodespacerange " + codespace + b" endcodespacerange\n"
    )
    body = b""
    for at in range(0, len(ranges), 100):  # at most 100 entries a section
        chunk = ranges[at : at + 100]
        body += b"%d beginbfrange\n" % len(chunk) + b"\n".join(chunk) + b"\nendbfrange\n"
    return head + body + b"endcmap CMapName currentdict /CMap defineresource pop end end"


def _to_unicode_latin() -> bytes:
    entries = []
    for code in range(32, 256):
        try:
            char = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            continue
        entries.append(b"<%02X> <%02X> <%04X>" % (code, code, ord(char)))
    return _cmap(b"<00> <FF>", entries)


def _to_unicode_ucs2() -> bytes:
    """UCS-2 codes are the characters themselves: one range per high byte (a range may not
    cross one), surrogates left out."""
    entries = [
        b"<%02X00> <%02XFF> <%02X00>" % (hi, hi, hi) for hi in range(256) if not 0xD8 <= hi <= 0xDF
    ]
    return _cmap(b"<0000> <FFFF>", entries)


def _file(objects: list[bytes], root: int, info: int) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % at for at in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        info,
        xref,
    )
    return bytes(out)
