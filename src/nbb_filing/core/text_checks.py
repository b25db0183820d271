"""Characters that have no place in a field of an input file, and short quotes of untrusted text.

A character XML 1.0 forbids (the C0 controls but tab, LF and CR: ESC, NUL, backspace …; lone
surrogates; U+FFFE, U+FFFF) in a dossier string cannot be written to an XBRL filing and would stop
a later step with an internal error; it is refused where the field is read, naming the file, the
line and the field.  Characters XML allows stay (DEL, the C1 range, U+2028: a filing may hold
them, and ``import`` writes them back).  One-line fields of other files (trial-balance labels)
refuse every control character and line break.
"""

from __future__ import annotations

import re

#: what XML 1.0 forbids in text
_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: every control character and line break, for one-line fields
_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def control_character(text: str, *, one_line: bool = False) -> str | None:
    """``"U+001B at character 4"`` for the first control character of ``text``, None without one."""
    m = (_IN_LINE if one_line else _IN_TEXT).search(text)
    if m is None:
        return None
    return f"U+{ord(m.group()):04X} at character {m.start() + 1}"


def excerpt(text: str, limit: int = 60) -> str:
    """A short, escaped quote of untrusted ``text`` for a one-line message (never the whole input:
    it may be a private file named by mistake)."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return ascii(shown) if not shown.isprintable() else repr(shown)
