"""The content requirements of the annual accounts, as data (``data/completeness.yaml``).

The package's assertions say whether the figures given hang together; they do not say whether a
section the law requires was given at all (a filing without its valuation rules or its social
balance sheet passes them).  The rules here say, per section: where it lies in any model (by
dictionary members or rubric codes, resolved through the catalog, since section ids differ from
one model to the next), what makes it required (the model, a figure, a fact, the legal form),
its legal source and how a dossier fills it.  The checker is
:mod:`nbb_filing.checks.completeness`; ``init`` and ``render`` read the same rules.

This module holds no taxonomy knowledge of its own: every member, rubric and legal-form code is in
the data file.  ``python -m nbb_filing.filing.completeness_rules docs/completeness.md`` writes the
rules as a table (a test holds the document equal to the data).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from nbb_filing.core.data_files import load_data_yaml
from nbb_filing.taxonomy.catalog import Catalog, Datapoint

RULES_FILE = "completeness.yaml"
TRIGGER_KINDS = ("always", "figures", "fact", "legal_forms")


@dataclass(frozen=True)
class Selector:
    """Datapoints having all ``members`` (a dimension may admit several members) or one of ``rubrics``;
    ``section``: the whole catalog sections of the datapoints matched."""

    members: tuple[tuple[str, tuple[str, ...]], ...] = ()
    rubrics: tuple[str, ...] = ()
    section: bool = False

    def matches(self, dp: Datapoint) -> bool:
        if self.rubrics and dp.rubric not in self.rubrics:
            return False
        return all(dp.member(dim) in allowed for dim, allowed in self.members)

    def describe(self) -> str:
        parts = []
        if self.members:
            parts.append(", ".join(f"{d}={' or '.join(m)}" for d, m in self.members))
        if self.rubrics:
            parts.append("rubrics " + ", ".join(self.rubrics))
        return ("the section of " if self.section else "") + "; ".join(parts)


@dataclass(frozen=True)
class Trigger:
    """One condition that makes a section required (see the data file's header)."""

    kind: str  # always / figures / fact / legal_forms
    values: tuple[str, ...] = ()  # rubric codes, legal-form codes, or the fact's name
    expected: bool = True  # for a fact: the value that makes the section required
    # figures (of ``values``) that make the section required only when a dossier stands behind the
    # filing: on a bare filing they cannot tell (62 may be a director's remuneration alone, no worker)
    with_dossier_only: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.kind == "always":
            return "always"
        if self.kind == "figures":
            shown = [f"{v} (with a dossier)" if v in self.with_dossier_only else v for v in self.values]
            return "a figure " + " or ".join(shown) + " not zero"
        if self.kind == "legal_forms":
            return "legal form " + " or ".join(self.values)
        fact = load_rules().facts.get(self.values[0])
        what = fact.title if fact else self.values[0]
        return what if self.expected else f"not: {what}"


@dataclass(frozen=True)
class Fact:
    """A fact a trigger names: decided from the filing's ``cells``, or from the dossier field ``dossier``."""

    name: str
    title: str
    cells: tuple[Selector, ...]
    dossier: str | None


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    cells: tuple[Selector, ...]
    families: tuple[str, ...]  # empty: every family
    sizes: tuple[str, ...]  # empty: every size
    when: tuple[Trigger, ...]
    source: str
    verified: bool
    fill: str
    # the dossier block that fills the section (``consolidation``): when the dossier gives it and the
    # filing still has nothing in the section, the installed package had no cell for what it holds
    block: str | None = None

    @property
    def family(self) -> str:
        """The rule's family of trigger, for reports and tests: model, figure, fact, legal_form or always."""
        kinds = {t.kind for t in self.when}
        if "legal_forms" in kinds:
            return "legal_form"
        if "fact" in kinds:
            return "fact"
        if "figures" in kinds:
            return "figure"
        if self.families or self.sizes:
            return "model"
        return "always"

    def model_condition(self) -> str:
        if not (self.families or self.sizes):
            return "every model"
        fam = "/".join(self.families) if self.families else "every family"
        size = "/".join(self.sizes) + " " if self.sizes else ""
        return f"{size}models of {fam}"

    def trigger_text(self) -> str:
        """``a figure 62 or 9087 not zero`` (any of the triggers), with the model condition."""
        text = " or ".join(t.describe() for t in self.when) or "always"
        if self.families or self.sizes:
            text = f"{self.model_condition()}: {text}"
        return text

    def datapoints(self, catalog: Catalog) -> tuple[Datapoint, ...]:
        """The cells of the section in ``catalog``'s model (empty: the package has no such cells)."""
        return select(catalog, self.cells)


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    facts: Mapping[str, Fact]
    derive: Mapping[str, tuple[str, str]]  # rubric -> (social_balance measure, title)

    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def select(catalog: Catalog, selectors: Iterable[Selector]) -> tuple[Datapoint, ...]:
    """The datapoints of ``catalog`` any selector matches, widened to whole sections where asked
    (remembered per catalog: a ``watch`` re-check judges the same model again and again)."""
    return _select(catalog, tuple(selectors))


@lru_cache(maxsize=512)
def _select(catalog: Catalog, selectors: tuple[Selector, ...]) -> tuple[Datapoint, ...]:
    found: dict[str, Datapoint] = {}
    sections: set[str] = set()
    for sel in selectors:
        hit = [dp for dp in catalog.datapoints if sel.matches(dp)]
        if sel.section:
            sections.update(dp.section for dp in hit)
        found.update((dp.key, dp) for dp in hit)
    if sections:
        found.update((dp.key, dp) for dp in catalog.datapoints if dp.section in sections)
    return tuple(sorted(found.values(), key=lambda dp: dp.order))


def _strings(v: Any) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, (list, tuple)):
        return tuple(str(x) for x in v)
    return (str(v),)


def _selectors(items: Any, where: str) -> tuple[Selector, ...]:
    out = []
    for it in items or ():
        if not isinstance(it, Mapping) or not (it.get("members") or it.get("rubrics")):
            raise ValueError(f"{RULES_FILE} {where}: a selector needs members or rubrics")
        members = tuple(sorted((str(d), _strings(m)) for d, m in (it.get("members") or {}).items()))
        out.append(Selector(members, _strings(it.get("rubrics")), bool(it.get("section", False))))
    return tuple(out)


def _trigger(item: Mapping[str, Any], where: str) -> Trigger:
    kinds = [k for k in TRIGGER_KINDS if k in item]
    if len(kinds) != 1:
        raise ValueError(f"{RULES_FILE} {where}: a trigger is one of {', '.join(TRIGGER_KINDS)}")
    kind = kinds[0]
    if kind == "always":
        return Trigger("always")
    if kind == "fact":
        return Trigger("fact", (str(item["fact"]),), bool(item.get("is", True)))
    values = _strings(item[kind])
    dossier_only = _strings(item.get("with_dossier_only"))
    if dossier_only and (kind != "figures" or not set(dossier_only) <= set(values)):
        raise ValueError(f"{RULES_FILE} {where}: with_dossier_only names some of a figures trigger's rubrics")
    return Trigger(kind, values, with_dossier_only=dossier_only)


def parse_rules(data: Mapping[str, Any]) -> Rules:
    """The rules of a parsed ``completeness.yaml`` (raises ``ValueError`` on a malformed file)."""
    facts = {
        str(name): Fact(
            str(name), str(f.get("title", name)), _selectors(f.get("cells"), f"fact {name}"), f.get("dossier")
        )
        for name, f in (data.get("facts") or {}).items()
    }
    rules = []
    for r in data.get("rules") or ():
        rid = str(r["id"])
        models = r.get("models") or {}
        when = tuple(_trigger(t, f"rule {rid}") for t in (r.get("when") or [{"always": True}]))
        for t in when:
            if t.kind == "fact" and t.values[0] not in facts:
                raise ValueError(f"{RULES_FILE} rule {rid}: unknown fact {t.values[0]!r}")
        rules.append(
            Rule(
                id=rid,
                title=str(r["title"]),
                cells=_selectors(r.get("cells"), f"rule {rid}"),
                families=_strings(models.get("families")),
                sizes=_strings(models.get("sizes")),
                when=when,
                source=str(r["source"]),
                verified=bool(r.get("verified", False)),
                fill=str(r["fill"]),
                block=str(r["block"]) if r.get("block") else None,
            )
        )
    if len({r.id for r in rules}) != len(rules):
        raise ValueError(f"{RULES_FILE}: two rules with the same id")
    derive = {str(k): (str(v["measure"]), str(v.get("title", ""))) for k, v in (data.get("derive") or {}).items()}
    return Rules(tuple(rules), facts, derive)


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The shipped rules (``nbb_filing/data/completeness.yaml``)."""
    return parse_rules(load_data_yaml(RULES_FILE))


# ====================================================================== the document


def rules_markdown(rules: Rules | None = None) -> str:
    """``docs/completeness.md``: every rule with its section, trigger, legal source and how to fill it."""
    rules = rules or load_rules()
    out = [
        "# Completeness: what each model requires",
        "",
        "<!-- generated from src/nbb_filing/data/completeness.yaml by",
        "     `python -m nbb_filing.filing.completeness_rules docs/completeness.md`; do not edit by hand -->",
        "",
        "A filing is reported **CAN BE FILED** only when the package's assertions pass *and* every section",
        "below that the filing's model, figures, facts and legal form require is filled (or declared not",
        "applicable in the dossier's `not_applicable:` block, with a reason). Otherwise the verdict is",
        "**INCOMPLETE** (exit code 1). How the check works and what each report shows:",
        "[validate.md](validate.md#completeness).",
        "",
        "Sources: CSA = Code of companies and associations; RD = royal decree of 29 April 2019",
        "implementing it. A source marked *to be verified* is a requirement known from practice and the",
        "NBB models whose article number has not been checked against the official text.",
        "",
        "| rule (`not_applicable` key) | section | required when | source | how to fill it |",
        "|---|---|---|---|---|",
    ]
    for r in rules.rules:
        cells = "; ".join(s.describe() for s in r.cells)
        src = r.source + ("" if r.verified or "to be verified" in r.source else " *(to be verified)*")
        out.append(f"| `{r.id}` | {r.title} (cells: {cells}) | {r.trigger_text()} | {src} | {r.fill} |")
    out += ["", "Facts the triggers name:", "", "| fact | meaning | decided from |", "|---|---|---|"]
    for f in rules.facts.values():
        origin = []
        if f.cells:
            origin.append("the filing (" + "; ".join(s.describe() for s in f.cells) + ")")
        if f.dossier:
            origin.append(f"the dossier's `{f.dossier}`")
        out.append(f"| `{f.name}` | {f.title} | {' or '.join(origin)} |")
    out += ["", "Figures derived from the dossier (not typed twice):", "", "| rubric | from |", "|---|---|"]
    for code, (measure, title) in rules.derive.items():
        out.append(f"| {code} | {title}: `social_balance.{measure}` total (current and previous year) |")
    return "\n".join(out) + "\n"


def write_markdown(path: str | os.PathLike) -> Path:
    p = Path(path)
    p.write_text(rules_markdown(), encoding="utf-8")
    return p


if __name__ == "__main__":  # python -m nbb_filing.filing.completeness_rules docs/completeness.md
    import sys

    print(write_markdown(sys.argv[1] if len(sys.argv) > 1 else "docs/completeness.md"))
