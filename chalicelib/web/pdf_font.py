"""PDF pages drawn in one EMBEDDED TrueType font, for documents that must show their text on
any reader: invoices and credit notes in English and Chinese.

The printouts (pdf.py) name fonts a reader is expected to have (Helvetica, Adobe's
STSong-Light); a reader without the Asian font pack shows boxes for the Chinese. Here the font
travels in the file: WenQuanYi Micro Hei cut to Latin, Greek, Cyrillic, every CJK ideograph
it has (simplified and traditional), kana and Hangul (`fonts/`, its README says how and its
licence), of which each file carries only the glyphs it draws. The subset keeps
the font's own glyph ids (the glyphs not drawn are left empty), so a glyph id is the
character's code in the page (Identity-H) and its CID (CIDToGIDMap Identity) with no
renumbering; a ToUnicode map gives every drawn glyph its character back, so copying or
extracting the text gives what was written. Composite glyphs (many hanzi are built of
components) keep their components. No library: the few tables a PDF font needs are read and
written with `struct`.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from chalicelib.web.pdf import A4, MARGIN, _cmap, _file, _stream

FONT_FILE = Path(__file__).parent / "fonts" / "wqy-microhei-cjk.ttf"
# The tables written into the subset: what a reader needs to draw glyphs by id, and the
# font's names and metrics (some readers check them).
_KEPT = ("OS/2", "cmap", "head", "hhea", "hmtx", "loca", "glyf", "maxp", "name", "post")
_ARGS_ARE_WORDS, _HAS_SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO = 0x1, 0x8, 0x20, 0x40, 0x80
# A wide character (ideographs, kana, full-width forms, CJK punctuation) a line may break after.
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_TOKENS = re.compile(rf"\s+|[{_WIDE}]|[^\s{_WIDE}]+")


class TrueType:
    """The parts of a TrueType (glyf) font a PDF needs: the character map (format 4), advance
    widths, the bounding box and vertical metrics, and each glyph's outline bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        count = struct.unpack_from(">H", data, 4)[0]
        self.tables: dict[str, tuple[int, int]] = {}
        for n in range(count):
            tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * n)
            self.tables[tag.decode("latin-1")] = (offset, length)
        head = self._at("head")
        self.units_per_em = struct.unpack_from(">H", data, head + 18)[0]
        self.bbox = struct.unpack_from(">hhhh", data, head + 36)
        long_loca = struct.unpack_from(">h", data, head + 50)[0] == 1
        hhea = self._at("hhea")
        self.ascent, self.descent = struct.unpack_from(">hh", data, hhea + 4)
        metrics = struct.unpack_from(">H", data, hhea + 34)[0]
        self.glyphs = struct.unpack_from(">H", data, self._at("maxp") + 4)[0]
        hmtx = self._at("hmtx")
        advances = [struct.unpack_from(">H", data, hmtx + 4 * i)[0] for i in range(metrics)]
        self.advances = advances + [advances[-1]] * (self.glyphs - metrics)
        loca = self._at("loca")
        if long_loca:
            self.loca = list(struct.unpack_from(f">{self.glyphs + 1}I", data, loca))
        else:
            self.loca = [2 * o for o in struct.unpack_from(f">{self.glyphs + 1}H", data, loca)]
        self.cmap = self._character_map()
        os2 = self._at("OS/2")
        version = struct.unpack_from(">H", data, os2)[0]
        self.cap_height = struct.unpack_from(">h", data, os2 + 88)[0] if version >= 2 else 0

    def _at(self, tag: str) -> int:
        return self.tables[tag][0]

    def _character_map(self) -> dict[int, int]:
        """Unicode (BMP) -> glyph id, from the Windows Unicode subtable (format 4)."""
        base = self._at("cmap")
        count = struct.unpack_from(">H", self.data, base + 2)[0]
        for n in range(count):
            platform, encoding, offset = struct.unpack_from(">HHI", self.data, base + 4 + 8 * n)
            at = base + offset
            if (platform, encoding) in ((3, 1), (0, 3)) and self._u16(at) == 4:
                return self._format4(at)
        raise ValueError("The font has no Unicode character map of format 4.")

    def _u16(self, at: int) -> int:
        return int(struct.unpack_from(">H", self.data, at)[0])

    def _format4(self, at: int) -> dict[int, int]:
        segments = self._u16(at + 6) // 2
        ends, starts = at + 14, at + 16 + 2 * segments
        deltas, ranges = starts + 2 * segments, starts + 4 * segments
        found: dict[int, int] = {}
        for s in range(segments):
            end, start = self._u16(ends + 2 * s), self._u16(starts + 2 * s)
            delta, offset = self._u16(deltas + 2 * s), self._u16(ranges + 2 * s)
            for code in range(start, min(end, 0xFFFE) + 1):
                if offset == 0:
                    gid = (code + delta) & 0xFFFF
                else:
                    gid = self._u16(ranges + 2 * s + offset + 2 * (code - start))
                    gid = (gid + delta) & 0xFFFF if gid else 0
                if gid:
                    found[code] = gid
        return found

    def outline(self, gid: int) -> bytes:
        start = self._at("glyf")
        return self.data[start + self.loca[gid] : start + self.loca[gid + 1]]

    def components(self, gid: int) -> list[int]:
        """The glyphs a composite glyph is built of (none for a simple one)."""
        glyph = self.outline(gid)
        if len(glyph) < 10 or struct.unpack_from(">h", glyph, 0)[0] >= 0:
            return []
        found, at = [], 10
        while True:
            flags, part = struct.unpack_from(">HH", glyph, at)
            found.append(part)
            at += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
            at += (
                2
                if flags & _HAS_SCALE
                else 4
                if flags & _XY_SCALE
                else 8
                if flags & _TWO_BY_TWO
                else 0
            )
            if not flags & _MORE:
                return found

    def width(self, gid: int) -> int:
        """The advance in thousandths of the size, as PDF measures."""
        return round(self.advances[gid] * 1000 / self.units_per_em)

    def subset(self, gids: set[int]) -> bytes:
        """The font with only `gids` (and their components) drawn, glyph ids unchanged."""
        keep, todo = {0}, list(gids)
        while todo:
            gid = todo.pop()
            if gid not in keep:
                keep.add(gid)
                todo += self.components(gid)
        glyf, loca = bytearray(), []
        for gid in range(self.glyphs):
            loca.append(len(glyf))
            if gid in keep:
                glyf += self.outline(gid)
                glyf += b"\0" * (-len(glyf) % 4)
        loca.append(len(glyf))
        tables = {tag: self.data[o : o + n] for tag, (o, n) in self.tables.items() if tag in _KEPT}
        head = bytearray(tables["head"])
        struct.pack_into(">I", head, 8, 0)  # checkSumAdjustment: not kept up
        struct.pack_into(">h", head, 50, 1)  # long loca offsets
        tables.update(head=bytes(head), glyf=bytes(glyf), loca=struct.pack(f">{len(loca)}I", *loca))
        return _font_file(tables)


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _font_file(tables: dict[str, bytes]) -> bytes:
    tags = sorted(tables)
    power = 1 << (len(tags).bit_length() - 1)
    header = struct.pack(
        ">IHHHH",
        0x00010000,
        len(tags),
        power * 16,
        power.bit_length() - 1,
        (len(tags) - power) * 16,
    )
    offset = 12 + 16 * len(tags)
    directory, body = b"", b""
    for tag in tags:
        data = tables[tag]
        directory += struct.pack(
            ">4sIII", tag.encode(), _checksum(data), offset + len(body), len(data)
        )
        body += data + b"\0" * (-len(data) % 4)
    return header + directory + body


@cache
def font() -> TrueType:
    """The shipped font, read once per process (about 1.3 MB)."""
    return TrueType(FONT_FILE.read_bytes())


def printable(text: str) -> str:
    """`text` as the font can draw it: controls and invisible marks dropped, a character the
    font lacks as its base letter if it has that (Dvořák), else "?"."""
    out = []
    for c in text:
        if c.isspace():
            out.append(" ")
        elif unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        elif ord(c) in font().cmap:
            out.append(c)
        else:
            base = "".join(
                f for f in unicodedata.normalize("NFKD", c) if not unicodedata.combining(f)
            )
            known = base and all(ord(f) in font().cmap for f in base)
            out.append(base if known else "" if unicodedata.category(c).startswith("M") else "?")
    return "".join(out)


def width(text: str, size: float) -> float:
    f = font()
    return sum(f.width(f.cmap.get(ord(c), 0)) for c in printable(text)) * size / 1000


def wrap(text: str, size: float, room: float) -> list[str]:
    """Printable lines at most `room` points wide: broken at spaces and between wide
    characters, a word longer than the line cut where it must."""
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(printable(text)):
        if width(line + token, size) <= room:
            line += token
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = ""
        if token.isspace():
            continue
        for c in token:
            if line and width(line + c, size) > room:
                lines.append(line)
                line = ""
            line += c
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


@dataclass
class _Page:
    ops: list[bytes] = field(default_factory=list)


class EmbeddedDocument:
    """A4 pages of positioned text (one embedded font; bold drawn filled and stroked) and
    rules; `render()` gives the file. Coordinates are points from the page's top left."""

    def __init__(self, title: str) -> None:
        self.title = printable(title)
        self.pages: list[_Page] = [_Page()]
        self.used: dict[int, str] = {}  # glyph id -> the character it draws

    def new_page(self) -> None:
        self.pages.append(_Page())

    def text(
        self, x: float, top: float, text: str, size: float = 10, bold: bool = False, page: int = -1
    ) -> None:
        f = font()
        codes = bytearray()
        for c in printable(text):
            gid = f.cmap.get(ord(c), f.cmap.get(ord("?"), 0))
            self.used.setdefault(gid, c)
            codes += struct.pack(">H", gid)
        mode = b"2 Tr %.2f w" % (size / 30) if bold else b"0 Tr"
        y = A4[1] - top - size
        self.pages[page].ops.append(
            b"BT /E1 %.1f Tf %s %.2f %.2f Td <%s> Tj ET" % (size, mode, x, y, codes.hex().encode())
        )

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
        tree = add(b"")
        resources = b"<< /Font << /E1 %d 0 R >> >>" % _font_objects(add, self.used)
        kids = []
        for page in self.pages:
            content = add(_stream(b"\n".join(page.ops)))
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


def _font_objects(put: Callable[[bytes], int], used: dict[int, str]) -> int:
    f = font()
    program = f.subset(set(used))
    packed = zlib.compress(program)
    # A subset's name starts with six capitals of its own (PDF 32000, 9.6.4).
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(program).digest()[:6])
    name = f"{tag}+WenQuanYiMicroHei".encode()
    file = put(
        b"<< /Length %d /Length1 %d /Filter /FlateDecode >>\nstream\n" % (len(packed), len(program))
        + packed
        + b"\nendstream"
    )
    scale = 1000 / f.units_per_em
    box = b" ".join(b"%d" % round(v * scale) for v in f.bbox)
    descriptor = put(
        b"<< /Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [%s] /ItalicAngle 0 "
        b"/Ascent %d /Descent %d /CapHeight %d /StemV 80 /FontFile2 %d 0 R >>"
        % (
            name,
            box,
            round(f.ascent * scale),
            round(f.descent * scale),
            round((f.cap_height or f.ascent) * scale),
            file,
        )
    )
    widths = b" ".join(b"%d [%d]" % (gid, f.width(gid)) for gid in sorted(used))
    cid = put(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor %d 0 R /DW 1000 /W [%s] /CIDToGIDMap /Identity >>"
        % (name, descriptor, widths)
    )
    entries = [
        b"<%04X> <%04X> <%s>" % (gid, gid, c.encode("utf-16-be").hex().upper().encode())
        for gid, c in sorted(used.items())
    ]
    to_unicode = put(_stream(_cmap(b"<0000> <FFFF>", entries)))
    return put(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (name, cid, to_unicode)
    )
