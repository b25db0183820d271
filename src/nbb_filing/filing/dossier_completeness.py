"""The dossier's ``not_applicable:`` block: sections the accountant declares do not apply, with why.

A required section (``data/completeness.yaml``) that the entity truly has nothing for (no rights
or commitments off the balance sheet, an exemption from consolidation the notes do not carry) is
declared here rather than left empty: ``not_applicable: {rights_commitments: "no guarantees given
or received"}``.  The check then reports it as declared, with the reason, in every report.  Keys
are the rules' ids; an unknown key or an empty reason is refused (one line, with the known ids).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field


def _known_sections(v: dict[str, str]) -> dict[str, str]:
    from nbb_filing.filing.completeness_rules import load_rules

    ids = load_rules().ids()
    for key, reason in v.items():
        if key not in ids:
            raise ValueError(f"{key!r} is not a section of the completeness rules (one of: {', '.join(ids)})")
        if not str(reason).strip():
            raise ValueError(f"{key}: give the reason why the section does not apply")
    return v


def _rule_ids() -> list[str]:
    from nbb_filing.filing.completeness_rules import load_rules

    return list(load_rules().ids())


NotApplicable = Annotated[
    dict[str, str],
    AfterValidator(_known_sections),
    Field(
        description="sections the law would require that do not apply to the entity: rule id "
        "(docs/completeness.md) -> the reason, shown in every report",
        json_schema_extra={"propertyNames": {"enum": _rule_ids()}},
    ),
]
