"""Placeholders that ``nbb-filing init`` writes where the user must give a value.

A placeholder is the text ``<FILL-IN: what is needed>``.  It is valid YAML text everywhere, so a
starter dossier parses as written, and :func:`nbb_filing.filing.dossier.parse_dossier` refuses a dossier
that still holds one, naming its line and field, so that a forgotten placeholder can never end up
in a filing (a company named "<FILL-IN: ...>" would otherwise pass every type check).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

MARKER = "<FILL-IN"


def placeholder(what: str) -> str:
    """The placeholder text for a value the user must give, e.g. ``<FILL-IN: company name>``."""
    return f"{MARKER}: {what}>"


def is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and MARKER in value


def find_placeholders(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """``(path, text)`` of every placeholder left in loaded YAML ``data`` (keys and values)."""
    if isinstance(data, dict):
        for k, v in data.items():
            if is_placeholder(k):
                yield path + (k,), str(k)
            yield from find_placeholders(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from find_placeholders(v, path + (i,))
    elif is_placeholder(data):
        yield path, data
