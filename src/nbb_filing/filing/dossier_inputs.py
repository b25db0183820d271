"""The files a dossier depends on: the dossier itself and every file it names.

What ``nbb-filing watch`` watches.  Read from the dossier model itself: the ``inputs`` (trial
balances, mapping), ``previous_filing``, and every ``file:`` of a text or document anywhere in it
(valuation rules, management report, a document datapoint ...), so that a new field with a
``file:`` is watched without a change here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from nbb_filing.books.mapping_file import locate_mapping
from nbb_filing.filing.dossier import Dossier

#: dossier fields (at the top level, in ``inputs`` or in ``social_balance``) that name a file
_PATH_FIELDS = ("trial_balance", "previous_trial_balance", "mapping", "previous_filing", "staff_register")


def dossier_files(dossier: Dossier) -> list[Path]:
    """The dossier file and the files it names (resolved against its folder), each once, in order."""
    out: list[Path] = []
    if dossier.path is not None:
        out.append(dossier.path)
    mapping = dossier.inputs.mapping
    for rel in _named(dossier):
        if rel == mapping:  # a shipped mapping by name, or a shared file elsewhere (docs/security.md)
            p = (dossier.mapping_path() or locate_mapping(rel, dossier.base_dir)).resolve()
        else:
            p = dossier.resolve_path(rel).resolve()
        if p not in out:
            out.append(p)
    return out


def _named(node: Any) -> Iterator[str]:
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            value = getattr(node, name, None)
            if isinstance(value, str) and (name == "file" or name in _PATH_FIELDS) and value:
                yield value
            else:
                yield from _named(value)
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _named(item)
    elif isinstance(node, dict):
        for item in node.values():
            yield from _named(item)
