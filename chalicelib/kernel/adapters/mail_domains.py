"""A domain as DNS and mail name it: an internationalised one in its ASCII form by IDNA 2008
(UTS 46 mapping, not transitional: `straße.de` is `xn--strae-oqa.de`), where Python's own
`idna` codec (IDNA 2003) writes `strasse.de`, another domain with another owner (a
reviewer's). The API refuses an address whose domain cannot be written so (web/models.py
`Email`), and the mailer sends every address in this form
(notifications/adapters/messaging.py)."""

from __future__ import annotations


def ascii_domain(domain: str) -> str:
    """`domain` in ASCII (an ASCII domain as it is); UnicodeError: none IDNA 2008 can write.
    `idna` and its tables are imported only for a domain that needs them: every API function
    imports this module (web/models.py), and nearly every address is ASCII."""
    if domain.isascii():
        return domain
    import idna

    return idna.encode(domain, uts46=True, transitional=False).decode("ascii")
