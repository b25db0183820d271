"""YAML files users write (dossiers, mapping files), read with the line of every key kept.

Pydantic reports an error at a location such as ``("rules", 3, "sign")``; a user wants the line of
the file.  PyYAML forgets lines once it builds Python objects, so the text is read twice: once
*composed* (the node tree, where every node still has its position) to map each location to its
line, once *loaded* into the data pydantic validates.  Each caller brings its own loader class,
because the two files read numbers differently (a mapping keeps ``10`` as the rubric code "10", a
dossier reads ``1234.56`` as an exact Decimal).
"""

from __future__ import annotations

from typing import Any, Sequence

import yaml

from nbb_filing.core.errors import InputError

__all__ = ["load_with_lines", "line_map", "line_of"]


def line_map(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    """Map every path (keys and list indexes) of a composed YAML document to its 1-based line.

    A key's path points at the line of the key itself, not of its value (which may start on the
    next line for a nested block).
    """
    if out is None:
        out = {}
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = k.value
            out[path + (key,)] = k.start_mark.line + 1
            line_map(v, path + (key,), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            line_map(v, path + (i,), out)
    return out


def line_of(lines: dict[tuple, int], loc: Sequence) -> int | None:
    """The line of ``loc``, or of its nearest enclosing path the file has (a missing field is
    reported at the line of the block that lacks it); the document's first line at worst."""
    probe = tuple(loc)
    while probe and probe not in lines:
        probe = probe[:-1]
    return lines.get(probe)


def load_with_lines(text: str, loader: type[yaml.SafeLoader], source: str) -> tuple[Any, dict[tuple, int] | None]:
    """``(data, lines)`` of the YAML ``text``; ``lines`` is None for an empty document.

    Malformed YAML raises :class:`InputError` ``"<source> line N: not valid YAML (...)"``.
    """
    try:
        node = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e)
        raise InputError(f"{source}{at}: not valid YAML ({problem})") from None
    return data, (line_map(node) if node is not None else None)
