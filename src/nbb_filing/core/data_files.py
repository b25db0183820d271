"""The binding tables shipped in ``nbb_filing/data/`` (YAML written by the developers, not users).

They say where things go in the NBB dictionary (metrics and members) for the dossier fields, the
fixed-asset notes and the social balance sheet; the rubric codes and labels themselves are read
from the catalog.  Being ours and tested, they are read with the plain safe loader, without the
line tracking of :mod:`nbb_filing.core.yaml_lines`.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml


def load_data_yaml(name: str) -> Any:
    """The parsed content of ``nbb_filing/data/<name>`` (works from a wheel or a zip too)."""
    text = resources.files("nbb_filing").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)
