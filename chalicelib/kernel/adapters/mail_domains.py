"""A domain as DNS and mail name it: an internationalised one in its ASCII form by IDNA 2008
(UTS 46 mapping, not transitional: `straße.de` is `xn--strae-oqa.de`), where Python's own
`idna` codec (IDNA 2003) writes `strasse.de`, another domain with another owner (a
reviewer's). The API refuses an address whose domain cannot be written so (web/models.py
`Email`), and the mailer sends every address in this form
(notifications/adapters/messaging.py)."""

from __future__ import annotations

import idna


def ascii_domain(domain: str) -> str:
    """`domain` in ASCII (an ASCII domain as it is); UnicodeError: none IDNA 2008 can write."""
    if domain.isascii():
        return domain
    return idna.encode(domain, uts46=True, transitional=False).decode("ascii")
