"""YAML files users write (dossiers, mapping files), read with the line of every key kept.

Pydantic reports an error at a location such as ``("rules", 3, "sign")``; a user wants the line of
the file.  PyYAML forgets lines once it builds Python objects, so the text is read twice: once
*composed* (the node tree, where every node still has its position) to map each location to its
line, once *loaded* into the data pydantic validates.  Each caller brings its own loader class,
because the two files read numbers differently (a mapping keeps ``10`` as the rubric code "10", a
dossier reads ``1234.56`` as an exact Decimal).

Both loaders derive from :class:`StrictLoader`, which reads these files written by people (and
possibly received from someone else) defensively:

* aliases (``*name``) are refused: neither format needs them, and they are the vehicle of
  "billion laughs" expansion bombs;
* a key given twice in one mapping is an error naming both lines (YAML would keep the last one);
* nesting deeper than :data:`MAX_DEPTH` levels is refused (no recursion error);
* identifiers stay text: only plain decimal integers (``0``, ``42``, ``-7``) are read as integers;
  ``0403170701`` (an enterprise number, which YAML 1.1 reads as an octal number), ``0x1F``,
  ``1_000`` or ``12:30`` (sexagesimal) stay the text that was written;
* only ``true``/``false`` are booleans (as in YAML 1.2): ``NO`` (Norway), ``yes``, ``on``, ``off``
  stay text (a boolean field still reads ``yes``/``no`` as true/false through its own validation);
* an impossible date (``2025-13-45``) stays text, so the model's validation reports it at its line
  and field instead of the YAML reader failing without context.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from nbb_filing.core.errors import InputError

__all__ = [
    "MAX_DEPTH",
    "MAX_YAML_BYTES",
    "StrictLoader",
    "check_yaml_size",
    "comment_text",
    "load_with_lines",
    "line_map",
    "line_of",
    "represent_text",
]

#: Deepest nesting of lists and mappings accepted in a dossier or a mapping file (real files use < 10).
MAX_DEPTH = 64
#: Largest dossier or mapping file read (real ones are a few kilobytes; the sample dossier is 6 KB).
MAX_YAML_BYTES = 4 * 1024 * 1024


def check_yaml_size(path: Path, what: str) -> None:
    """Refuse (one line) a ``what`` file (dossier, mapping) larger than :data:`MAX_YAML_BYTES`."""
    import stat

    try:
        st = path.stat()
    except OSError:
        return  # the caller's read reports a missing or unreadable file
    size = st.st_size
    if not stat.S_ISREG(st.st_mode):  # a FIFO would block the read, a device never end
        raise InputError(f"{path}: not a regular file, refused as a {what} file")
    if size > MAX_YAML_BYTES:
        raise InputError(f"{path}: {size} bytes, larger than the {MAX_YAML_BYTES} bytes accepted for a {what} file")


def check_yaml_text_size(text: str, target: object, what: str) -> None:
    """Refuse (one line) to write a ``what`` file (a dossier made by ``import`` or ``init --from``)
    that its own reader would refuse for its size (:data:`MAX_YAML_BYTES`)."""
    size = len(text.encode("utf-8"))
    if size > MAX_YAML_BYTES:
        raise InputError(
            f"{target}: not written, the {what} would have {size} bytes, more than the {MAX_YAML_BYTES} bytes "
            f"a {what} file may have (the filing holds texts too long to be read back)"
        )


_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


class StrictLoader(yaml.SafeLoader):
    """Safe loader without aliases, duplicate keys, deep nesting or surprising numbers (module doc)."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"aliases (*{event.anchor}) are not accepted in this file", event.start_mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node)
                line = key_node.start_mark.line + 1
                try:
                    first = seen.get(key)
                except TypeError:  # unhashable: the base class reports it
                    continue
                if first is not None:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {key!r} is given twice (lines {first} and {line})", key_node.start_mark
                    )
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


def represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    """Representer for ``str`` so that reading the dump back gives ``value`` exactly.

    Text with a character that is not printable (CR, LF, tab, NEL, the Unicode line and paragraph
    separators, other controls, a BOM) is written double-quoted, where YAML escapes it; plain and
    single-quoted scalars would fold or drop such characters, and a CR in a plain scalar would end
    the line (and could start a new key).  Everything else is left to PyYAML, which quotes text that
    would read as another type (``'0403170701'``, ``'yes'``, ``'a: b'``, ``'#c'``, ``'!!tag'``).
    """
    style = '"' if not all(ch.isprintable() or ch == " " for ch in value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_YAML_BREAKS = re.compile(r"[\r\n\x85\u2028\u2029]|[^\S ]|[\x00-\x1f\x7f]")


def comment_text(text: str) -> str:
    """``text`` made safe for a ``# comment`` line: every YAML line break (CR, LF, NEL, U+2028,
    U+2029) and control character becomes a space, so the comment cannot end early."""
    return _YAML_BREAKS.sub(" ", text)


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    text = loader.construct_scalar(node)  # type: ignore[arg-type]
    if isinstance(node, yaml.ScalarNode) and node.style is None and _PLAIN_INT.fullmatch(str(text)):
        return int(str(text))
    return text  # 0403170701, 0x1F, 1_000, 12:30 ... stay as written


def _construct_bool(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    text = loader.construct_scalar(node)  # type: ignore[arg-type]
    low = str(text).lower()
    return low == "true" if low in ("true", "false") else text  # yes/no/on/off/y/n stay text


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)  # type: ignore[arg-type]  # left for the model to refuse


StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
StrictLoader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


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


#: The last documents read (key: loader, source name, text), at most :data:`_READ_CACHE_SIZE`.
#: ``nbb-filing watch`` regenerates after every edit and reads the dossier and its mapping
#: files again each time; an unchanged text is not parsed again (parsing is pure Python and
#: takes ~0.1-0.2 s per mapping file).  The cache is keyed by the text itself, so an edited file
#: is always read anew, and callers get a deep copy they may change.
_read_cache: dict[tuple[type, str, str], tuple[Any, dict[tuple, int] | None]] = {}
_READ_CACHE_SIZE = 16


def load_with_lines(text: str, loader: type[yaml.SafeLoader], source: str) -> tuple[Any, dict[tuple, int] | None]:
    """``(data, lines)`` of the YAML ``text``; ``lines`` is None for an empty document.

    Malformed YAML raises :class:`InputError` ``"<source> line N: not valid YAML (...)"``.
    A text read before with the same loader is not parsed again (see ``_read_cache``).
    """
    key = (loader, source, text)
    cached = _read_cache.get(key)
    if cached is None:
        cached = _parse_with_lines(text, loader, source)
        while len(_read_cache) >= _READ_CACHE_SIZE:
            del _read_cache[next(iter(_read_cache))]  # the oldest entry
        _read_cache[key] = cached
    data, lines = cached
    return copy.deepcopy(data), (dict(lines) if lines is not None else None)


def _parse_with_lines(text: str, loader: type[yaml.SafeLoader], source: str) -> tuple[Any, dict[tuple, int] | None]:
    try:
        reader = loader(text)
        try:
            node = reader.get_single_node()
            data = reader.construct_document(node) if node is not None else None
        finally:
            reader.dispose()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e)
        raise InputError(f"{source}{at}: not valid YAML ({problem})") from None
    return data, (line_map(node) if node is not None else None)
