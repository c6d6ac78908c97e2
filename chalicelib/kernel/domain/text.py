"""One-line text from outside (names, labels, descriptions): what may not be in it.

A name ends up in e-mail headers, SMS, calendar files, CSV exports and log lines. A line break
in a business name once stopped all of a tenant's e-mail (the header refused it). So a name
refuses every control character (Unicode category Cc: tab, CR, LF, NUL, NEL...), the line and
paragraph separators (Zl, Zp), and the bidirectional embedding, override and isolate controls
(U+202A-U+202E, U+2066-U+2069) that make text read other than it is. Other format characters
stay allowed: zero-width joiners are part of Persian names and emoji, and the left-to-right and
right-to-left marks of mixed-script names. A name (`hidden_characters`, not a body of text
nor a partner's guest name, which a BOM pasted in front of should not refuse) refuses the
byte-order mark (U+FEFF, a zero-width no-break space inside text) and tag characters
(U+E0000-U+E007F) but in the one place they belong, an emoji flag's sequence (the flag of
Scotland: U+1F3F4, two to six tag letters or digits, U+E007F): `Ann` followed by invisible
tags, or a BOM before it, showed as "Ann" in e-mails and was another name (an outside
tester's).
"""

from __future__ import annotations

import re
import unicodedata

_REFUSED_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_refused(char: str) -> bool:
    return char in _BIDI_CONTROLS or unicodedata.category(char) in _REFUSED_CATEGORIES


_BOM = "\ufeff"
# An emoji flag of a region: a black flag, its tag letters or digits, and the cancel tag.
_TAG_FLAG = re.compile("\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]{2,6}\U000e007f")


def control_characters(text: str) -> list[str]:
    """The refused characters in `text`, as U+XXXX, in order of appearance (each once)."""
    found: dict[str, None] = {}
    for char in text:
        if is_refused(char):
            found[f"U+{ord(char):04X}"] = None
    return list(found)


def hidden_characters(name: str) -> list[str]:
    """The invisible characters a name may not hide another name behind, as U+XXXX: a BOM,
    and tag characters outside an emoji flag's sequence."""
    bare = _TAG_FLAG.sub("", name)
    return list(
        dict.fromkeys(f"U+{ord(c):04X}" for c in bare if c == _BOM or 0xE0000 <= ord(c) <= 0xE007F)
    )


def body_control_characters(text: str) -> list[str]:
    """As `control_characters`, for a body of text: line breaks and tabs are its own."""
    return [c for c in control_characters(text) if c not in ("U+000A", "U+000D", "U+0009")]


def one_line(text: str) -> str:
    """For output that must be one line whatever came in (a header): each run of refused
    characters and whitespace becomes one space."""
    cleaned = "".join(" " if is_refused(c) else c for c in text)
    return " ".join(cleaned.split())


# Initialisms read letter by letter whose first letter sounds like a vowel: "an SMS", "an MX".
_VOWEL_SOUND_LETTERS = frozenset("AEFHILMNORSX")


def with_article(word: str, *, start: bool = False) -> str:
    """`word` after "a" or "an", as it sounds: "an owner", "a manager", "an SMS", "a URL".
    For messages that name a value (a role, a channel, a status); `start`: capitalised."""
    if len(word) > 1 and word.isupper():
        vowel_sound = word[0] in _VOWEL_SOUND_LETTERS
    else:
        vowel_sound = word[:1].lower() in ("a", "e", "i", "o", "u")
    article = "an" if vowel_sound else "a"
    return f"{article.capitalize() if start else article} {word}"
