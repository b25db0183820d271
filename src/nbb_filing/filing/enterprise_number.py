"""The Belgian enterprise number (numéro d'entreprise / ondernemingsnummer): checks and forms.

Ten digits, starting with 0 or 1, whose last two are a modulo-97 check of the first eight.
Written as ``0123.456.749``, ``BE 0123 456 749`` or, for old numbers, with nine digits.  Used by
the dossier's models, the rendering of the identification and the checks of a filing.
"""

from __future__ import annotations

import re
from typing import Any

_EN_CLEAN = re.compile(r"[\s.\-]")


def normalize_enterprise_number(value: str) -> str:
    """``BE 0123.456.749`` -> ``0123456749`` (no check; see :func:`check_enterprise_number`).

    Old 9-digit numbers get their leading 0, as the Crossroads Bank for Enterprises does.
    """
    text = _EN_CLEAN.sub("", str(value).strip()).upper()
    if text.startswith("BE"):
        text = text[2:]
    if len(text) == 9 and text.isdigit():
        text = "0" + text
    return text


def check_enterprise_number(value: str) -> str | None:
    """Why ``value`` is not a valid Belgian enterprise number, or ``None`` when it is.

    A Belgian enterprise number has 10 digits, starts with 0 or 1, and its last two digits equal
    97 minus (the first eight digits modulo 97).  Dots, spaces and a ``BE`` prefix are accepted.
    """
    if value is None or not str(value).strip():
        return "enterprise number is empty"
    text = normalize_enterprise_number(value)
    if not text.isdigit() or len(text) != 10:
        return f"enterprise number {value!r} must have 10 digits (e.g. 0123.456.749)"
    if text[0] not in "01":
        return f"enterprise number {value!r} must start with 0 or 1"
    expected = 97 - int(text[:8]) % 97
    if int(text[8:]) != expected:
        return f"enterprise number {value!r} fails the modulo-97 check (check digits should be {expected:02d})"
    return None


def format_enterprise_number(value: str) -> str:
    """``0123456749`` -> ``0123.456.749`` (display form)."""
    t = normalize_enterprise_number(value)
    return f"{t[:4]}.{t[4:7]}.{t[7:]}" if len(t) == 10 else t


def enterprise_number_input(v: Any) -> Any:
    """A dossier's optional enterprise number (a pydantic "before" validator): checked modulo 97 and
    normalised; a YAML integer gets back its leading 0 (``403170701`` -> ``0403170701``)."""
    if v is None:
        return v
    if isinstance(v, int):
        v = f"{v:010d}"
    why = check_enterprise_number(str(v))
    if why:
        raise ValueError(why)
    return normalize_enterprise_number(str(v))
