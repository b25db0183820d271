"""Pydantic's validation errors as the one line a user reads.

Dossiers, mapping files and imported filings are validated by pydantic models; its messages are
written for programmers ("Field required", "Extra inputs are not permitted", "Value error, ...").
Every loader turns the first error into ``FILE line N (field.path): message (and K more)`` here,
so that the three read alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from nbb_filing.core.text_checks import excerpt
from nbb_filing.core.yaml_lines import line_of

#: pydantic's names for the validator wrappers of a union member: they are not fields of the file
UNION_TAGS = frozenset({"function-after", "function-before", "function-plain", "function-wrap"})


def error_message(err: Any, *, schema: str = "") -> str:
    """The message of one pydantic error, in the user's words; ``schema`` names the file's JSON Schema."""
    typ = err.get("type", "")
    msg = str(err.get("msg", ""))
    if typ == "missing":
        return "required field is missing"
    if typ == "extra_forbidden":
        return f"unknown field (check the spelling{'; see ' + schema if schema else ''})"
    msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    inp = err.get("input")
    if typ != "value_error" and isinstance(inp, (str, int, Decimal)) and not isinstance(inp, bool):
        # a short excerpt only: the input may be a private file named by mistake (a key as the mapping)
        msg = f"{msg} (got {excerpt(inp) if isinstance(inp, str) else excerpt(str(inp))})"
    return msg


def dotted(loc: Sequence[Any]) -> str:
    """``("directors", 0, "name")`` -> ``directors[0].name``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def one_line(
    e: ValidationError,
    source: str,
    lines: dict | None = None,
    *,
    schema: str = "",
    hidden: frozenset[str] = UNION_TAGS,
    locate: Callable[[tuple], tuple] | None = None,
) -> str:
    """``source line N (field): message (and K more error(s))`` for the first error of ``e``.

    ``hidden``: location parts that are the model's, not the file's (validator wrappers, internal
    fields); ``locate`` maps the remaining location to the file's keys before the line is looked up."""
    errors = e.errors()
    err = errors[0]
    loc = tuple(x for x in err.get("loc", ()) if not (isinstance(x, str) and x in hidden))
    if locate is not None:
        loc = locate(loc)
    line = line_of(lines, loc) if lines else None
    at = f" line {line}" if line else ""
    field = f" ({dotted(loc)})" if loc else " (top level)"
    more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
    return f"{source}{at}{field}: {error_message(err, schema=schema)}{more}"
