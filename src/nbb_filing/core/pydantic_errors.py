"""Pydantic's validation errors as the one line a user reads.

Dossiers, mapping files and imported filings are validated by pydantic models; its messages are
written for programmers ("Field required", "Extra inputs are not permitted", "Value error, ...").
Every loader turns the first error into ``FILE line N (field.path): message (and K more)`` here,
so that the three read alike.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from nbb_filing.core.text_checks import excerpt
from nbb_filing.core.yaml_lines import line_of

#: pydantic's names for the validator wrappers of a union member: they are not fields of the file
UNION_TAGS = frozenset({"function-after", "function-before", "function-plain", "function-wrap"})


def fields_at(model: Any, loc: Sequence[Any]) -> tuple[str, ...]:
    """The field names the pydantic ``model`` class accepts at ``loc`` (``()`` when ``loc`` is not a model).

    Walks the annotations (``Optional``, tuples/lists of models, dicts of models), so the names are the
    model's own: no list of keys is kept beside it."""
    cls = model
    keyed = False  # the previous field is a mapping: this part is one of its keys (a rubric code ...)
    for part in loc:
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        info = getattr(cls, "model_fields", {}).get(part)
        if info is None:
            return ()
        cls = _inner_model(info.annotation)
        if cls is None:
            return ()
        keyed = _is_mapping(info.annotation)
    return tuple(getattr(cls, "model_fields", {}))


def _is_mapping(ann: Any) -> bool:
    """``dict[str, X]`` (also inside ``Optional``): its keys are the file's, not the model's fields."""
    if typing.get_origin(ann) is dict:
        return True
    return any(_is_mapping(a) for a in typing.get_args(ann) if typing.get_origin(ann) is not dict)


def _inner_model(ann: Any) -> Any:
    """The pydantic model class inside ``ann`` (``Optional[X]``, ``tuple[X, ...]``, ``dict[str, X]``), or ``None``."""
    if isinstance(ann, type) and hasattr(ann, "model_fields"):
        return ann
    for arg in reversed(typing.get_args(ann)):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _first(errors: list[Any]) -> Any:
    """The error to show: an unknown key before the rest, since a misspelt key also makes the
    right one "missing" and the unknown one is what the user has to fix."""
    return next((e for e in errors if e.get("type") == "extra_forbidden"), errors[0])


def error_message(err: Any, *, schema: str = "", known: Sequence[str] = ()) -> str:
    """The message of one pydantic error, in the user's words; ``schema`` names the file's JSON Schema;
    ``known``: the field names accepted beside an unknown key (for "did you mean")."""
    typ = err.get("type", "")
    msg = str(err.get("msg", ""))
    if typ == "missing":
        return "required field is missing"
    if typ == "extra_forbidden":
        loc = err.get("loc") or ("",)
        key = str(loc[-1])
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
        hint = f"did you mean {close[0]!r}?" if close else "check the spelling"
        return f"unknown key {key!r}: {hint}" + (f" (fields: {schema})" if schema else "")
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
    model: Any = None,
) -> str:
    """``source line N (field): message (and K more error(s))`` for the first error of ``e``.

    ``hidden``: location parts that are the model's, not the file's (validator wrappers, internal
    fields); ``locate`` maps the remaining location to the file's keys before the line is looked up;
    ``model``: the pydantic class validated, whose field names an unknown key is compared with."""
    errors = e.errors()
    err = _first(errors)
    loc = tuple(x for x in err.get("loc", ()) if not (isinstance(x, str) and x in hidden))
    if locate is not None:
        loc = locate(loc)
    line = line_of(lines, loc) if lines else None
    at = f" line {line}" if line else ""
    field = f" ({dotted(loc)})" if loc else " (top level)"
    more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
    known = fields_at(model, loc[:-1]) if model is not None and loc else ()
    return f"{source}{at}{field}: {error_message(err, schema=schema, known=known)}{more}"
