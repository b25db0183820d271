"""Dossier files: reading a dossier's YAML (with the line of every field) and writing it back.

Reading keeps a map of YAML lines so that every error names the file, the line and the field;
a value still ``<FILL-IN: ...>`` (left by ``nbb-filing init``) is refused before validation.
The loader turns every YAML float into a :class:`~decimal.Decimal` built from its text
(``1234.56`` is exactly 1234.56, never a binary float); the writer prints Decimals as plain
numbers and quotes any text that YAML would read as something else, so :func:`dump_dossier`
writes a dossier that :func:`load_dossier` reads back to an equal object.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from nbb_filing.core.errors import InputError
from nbb_filing.core.pydantic_errors import UNION_TAGS, dotted, one_line
from nbb_filing.core.yaml_lines import (
    StrictLoader,
    check_yaml_size,
    line_of,
    load_with_lines,
    represent_text,
)
from nbb_filing.filing.dossier import SCHEMA_VERSION, Dossier


class _DecimalLoader(StrictLoader):
    """SafeLoader whose floats are Decimals built from their text (no binary rounding)."""


def _decimal_constructor(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "")  # type: ignore[arg-type]
    try:
        return Decimal(text)
    except Exception:
        raise yaml.constructor.ConstructorError(None, None, f"not a number: {text!r}", node.start_mark) from None


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal_constructor)


def _str_loc(loc: tuple, lines: dict) -> tuple:
    """Pydantic locations hold ints for list indexes and strings for keys; YAML keys may be ints."""
    out: list[Any] = []
    for p in loc:
        cand = tuple(out) + (p,)
        if cand in lines:
            out.append(p)
        elif isinstance(p, str) and p.isdigit() and tuple(out) + (int(p),) in lines:
            out.append(int(p))
        else:
            out.append(p)
    return tuple(out)


def parse_dossier(text: str, path: Path | None = None, *, allow_outside_paths: bool = False) -> Dossier:
    """Validate the YAML ``text`` of a dossier; errors name ``path``'s line and field.

    ``allow_outside_paths``: the files the dossier names may lie outside its folder (see
    :meth:`Dossier.resolve_path`); refused by default.
    """
    name = path.name if path else "dossier"
    data, lines = load_with_lines(text, _DecimalLoader, name)
    if not isinstance(data, dict) or lines is None:
        raise InputError(f"{name}: a dossier is a YAML mapping (entity:, exercise:, ...)")
    _refuse_placeholders(data, lines, name)
    _refuse_control_characters(data, lines, name)
    try:
        dossier = Dossier.model_validate(data)
    except ValidationError as e:
        # by_kind is how the model holds the kind keys written under a fixed-asset class: not in the YAML
        raise InputError(
            one_line(
                e,
                name,
                lines,
                schema="schemas/dossier.schema.json",
                hidden=UNION_TAGS | {"by_kind"},
                locate=lambda loc: _str_loc(loc, lines),
                model=Dossier,
            )
        ) from None
    return dossier.with_source(path.resolve() if path else None, lines, allow_outside_paths=allow_outside_paths)


def _refuse_placeholders(data: dict, lines: dict, name: str) -> None:
    """A value still ``<FILL-IN: ...>`` (left by ``nbb-filing init``) stops the dossier, line and field named."""
    from nbb_filing.filing.placeholders import find_placeholders

    found = list(find_placeholders(data))

    def at(loc: tuple) -> str:
        line = line_of(lines, loc)
        return f"line {line} ({dotted(loc)})" if line else f"({dotted(loc)})"

    if found:
        loc, text = found[0]
        # every one is named, so that one run lists all that is left to do (an imported filing may hold several)
        more = "; ".join(f"{at(loc)} {text!r}" for loc, text in found[1:])
        raise InputError(
            f"{name} {at(loc)}: placeholder {text!r} left by nbb-filing init or import: give the value, or "
            f"delete the field if it is optional{f'; {len(found) - 1} more: {more}' if more else ''}"
        )


def _refuse_control_characters(data: Any, lines: dict, name: str, loc: tuple = ()) -> None:
    """A control character XML forbids (ESC, NUL, backspace ...) in a key or a string stops the
    dossier, line and field named: no filing can hold it, and it would stop a later step."""
    from nbb_filing.core.text_checks import control_character, excerpt

    def refuse(text: str, at: tuple) -> None:
        bad = control_character(text)
        if bad is not None:
            line = line_of(lines, at)
            raise InputError(
                f"{name}{f' line {line}' if line else ''} ({dotted(at)}): {excerpt(text, 40)} holds a control "
                f"character ({bad}); remove it"
            )

    if isinstance(data, dict):
        for k, v in data.items():
            if isinstance(k, str):
                refuse(k, loc + (k,))
            _refuse_control_characters(v, lines, name, loc + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            _refuse_control_characters(v, lines, name, loc + (i,))
    elif isinstance(data, str):
        refuse(data, loc)


def load_dossier(path: str | os.PathLike, *, allow_outside_paths: bool = False) -> Dossier:
    """Read and validate the dossier at ``path`` (step 1: no taxonomy needed); see :func:`parse_dossier`."""
    p = Path(path)
    check_yaml_size(p, "dossier")
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{p}: no such dossier file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{p}: cannot read dossier ({e})") from None
    return parse_dossier(text, p, allow_outside_paths=allow_outside_paths)


# --------------------------------------------------------------------------- writing


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    pass


def _decimal_representer(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:int" if re.fullmatch(r"-?\d+", text) else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _decimal_representer)
_Dumper.add_representer(str, represent_text)  # load(dump(text)) == text for every string


def dossier_data(dossier: Dossier) -> dict[str, Any]:
    """``dossier`` as plain YAML-able data (defaults omitted, lists for tuples), as it is written."""
    data = _plain(dossier.model_dump(mode="python", exclude_defaults=True))
    return {"schema_version": SCHEMA_VERSION, **data}


def data_to_yaml(data: dict[str, Any]) -> str:
    """YAML text of plain dossier ``data`` (Decimals as plain numbers, text quoted where needed)."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def dossier_to_yaml(dossier: Dossier) -> str:
    """YAML text of ``dossier`` (defaults omitted) that :func:`parse_dossier` reads back equal."""
    return data_to_yaml(dossier_data(dossier))


def dump_dossier(dossier: Dossier, path: str | os.PathLike) -> Path:
    """Write ``dossier`` as YAML to ``path`` atomically (temporary file, then rename)."""
    from nbb_filing.core.atomic import write_atomic

    return write_atomic(path, dossier_to_yaml(dossier))
