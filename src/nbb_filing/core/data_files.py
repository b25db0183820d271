"""The binding tables shipped in ``nbb_filing/data/`` (YAML written by the developers, not users).

They say where things go in the NBB dictionary (metrics and members) for the dossier fields, the
fixed-asset notes and the social balance sheet; the rubric codes and labels themselves are read
from the catalog.  Being ours and tested, they are read with the plain safe loader, without the
line tracking of :mod:`nbb_filing.core.yaml_lines`, with libyaml's C parser when PyYAML has
it (same safe schema, ~10x faster), and parsed once per process: generation and validation ask
for the same tables several times (``nbb-filing watch`` on every re-check); each caller gets a
deep copy it may change.
"""

from __future__ import annotations

import copy
from functools import cache
from importlib import resources
from typing import Any

import yaml

#: libyaml's safe loader when PyYAML was built with it (same results as ``yaml.SafeLoader``)
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_data_yaml(name: str) -> Any:
    """The parsed content of ``nbb_filing/data/<name>`` (works from a wheel or a zip too)."""
    return copy.deepcopy(_parsed(name))


@cache
def _parsed(name: str) -> Any:
    text = resources.files("nbb_filing").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_SAFE_LOADER)  # a safe loader (C or Python)
