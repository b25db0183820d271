"""The part of ``nbb-filing init``'s starter that lists the sections the model can require (issue 19).

Kept apart from :mod:`nbb_filing.reading.starter` (which walks the dossier's pydantic model): this
part walks the completeness rules (``data/completeness.yaml``) instead, so that a new accountant
sees, before generating anything, every section the chosen model may require, what makes it
required (the trigger) and which dossier key fills it, and can declare one that does not apply in
``not_applicable:``.  Rules whose model condition excludes the model are left out; rules whose
cells the package lacks are listed as "not checked" so that nothing is dropped silently.
"""

from __future__ import annotations

import textwrap

from nbb_filing.filing.completeness_rules import load_rules
from nbb_filing.filing.legal_form import load_legal_forms
from nbb_filing.taxonomy.catalog import Catalog

WIDTH = 100


def _wrap(text: str, indent: str = "#   ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)


def required_sections_part(catalog: Catalog) -> list[str]:
    """Comment lines: each section ``catalog``'s model can require, its trigger, source and dossier key."""
    placed = load_legal_forms().family_of_model(catalog.model)
    lines = [
        "# " + "-" * 96,
        f"# Sections model {catalog.model} can require (docs/completeness.md).  generate --validate says",
        "# INCOMPLETE (exit 1) while a required one is empty.  A section that does not apply to the",
        "# entity is declared with its reason:   not_applicable: {<rule>: <why it does not apply>}",
        "# " + "-" * 96,
    ]
    for rule in load_rules().rules:
        if placed is not None and (rule.families or rule.sizes):
            family, size = placed
            if (rule.families and family.name not in rule.families) or (rule.sizes and size not in rule.sizes):
                continue
        sections = sorted({dp.section for dp in rule.datapoints(catalog)})
        where = f"cells in {', '.join(sections)}" if sections else "not checked: the package has no such cells"
        lines.append(f"# {rule.id}: {rule.title} ({where})")
        lines += _wrap(f"required when: {rule.trigger_text()}")
        lines += _wrap(f"fill it with: {rule.fill}")
        lines += _wrap(f"source: {rule.source}")
    return lines
