"""Characters that have no place in a field of an input file, and short quotes of untrusted text.

A control character (ESC, DEL, NUL, the C1 range) in a label or a dossier string cannot be written
to an XBRL filing (XML 1.0 forbids most of them) and would otherwise stop a later step with an
internal error; it is refused where the field is read, naming the file, the line and the field.
One-line fields (labels, names) refuse line breaks too; text fields (a report) keep tab, LF and CR.
"""

from __future__ import annotations

import re

#: C0 controls but tab/LF/CR, DEL, the C1 range, the Unicode line/paragraph separators, BOM inside
#: text and the XML non-characters
_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
#: the same plus tab, LF and CR, for one-line fields
_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


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
