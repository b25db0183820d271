"""Is the filing complete?  The content requirements of ``data/completeness.yaml`` judged on its facts.

"CAN BE FILED" used to mean only "the package's assertions pass", which a filing without its
valuation rules or its social balance sheet does.  This check runs on the facts of the filing as
read back (so ``validate`` of someone else's filing applies the same rules as ``generate``), once
per rule of :mod:`nbb_filing.filing.completeness_rules`:

* the rule's cells are looked up in the catalog of the filing's model; a model without them is
  **not checked** ("the package has no such cells"), never reported as missing;
* its triggers decide whether the section is required, one function per kind of trigger
  (:data:`TRIGGERS`, ``trigger_<family>``): the model (family and size), a figure of the filing not zero, a fact (the
  filing names auditors; the dossier says the entity belongs to a group), the legal form.  Any
  trigger that applies makes the section required; a trigger that cannot be decided (a fact only
  a dossier gives, when a bare filing is validated; a trigger rubric the model lacks) is reported
  as **not decided** rather than guessed;
* a required section with no non-empty fact is **missing** (the verdict becomes INCOMPLETE, exit
  code 1), unless the dossier declares it not applicable (``not_applicable: {rule: reason}``),
  which every report shows with its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from nbb_filing.checks.findings import (
    DECLARED,
    FILLED,
    MISSING,
    NOT_CHECKED,
    NOT_REQUIRED,
    UNDECIDED,
    CompletenessItem,
)
from nbb_filing.filing.completeness_rules import Rule, Rules, Trigger, load_rules, select
from nbb_filing.filing.legal_form import load_legal_forms
from nbb_filing.taxonomy.catalog import Catalog, Datapoint, EnumValue
from nbb_filing.taxonomy.enum_lists import value_code


@dataclass(frozen=True)
class CompletenessContext:
    """What a dossier adds to the filing's facts: sections declared not applicable (with their
    reason) and the facts only a dossier knows (``group_member``).  ``None`` for a fact: unknown."""

    not_applicable: tuple[tuple[str, str], ...] = ()
    facts: tuple[tuple[str, bool], ...] = ()
    source: str = ""  # the dossier file, for messages ("": a bare filing, no dossier behind it)
    given: tuple[str, ...] = ()  # the rules' dossier blocks that the dossier fills

    @property
    def has_dossier(self) -> bool:
        return bool(self.source)

    def reason(self, rule_id: str) -> str | None:
        return dict(self.not_applicable).get(rule_id)

    def fact(self, name: str) -> bool | None:
        return dict(self.facts).get(name)


#: a bare filing: no dossier
NO_DOSSIER = CompletenessContext()


def context_from_dossier(dossier: Any) -> CompletenessContext:
    """The context of a :class:`~nbb_filing.filing.dossier.Dossier`: its ``not_applicable`` block and
    the value of every fact the rules read from a dossier field (``entity.group`` ...)."""
    facts = []
    for fact in load_rules().facts.values():
        if not fact.dossier:
            continue
        value: Any = dossier
        for part in fact.dossier.split("."):
            value = getattr(value, part, None)
        facts.append((fact.name, bool(value)))
    na = getattr(dossier, "not_applicable", None) or {}
    given = tuple(sorted({r.block for r in load_rules().rules if r.block and getattr(dossier, r.block, None)}))
    return CompletenessContext(
        tuple(sorted(na.items())), tuple(facts), dossier.path.name if dossier.path else "the dossier", given
    )


@dataclass(frozen=True)
class FilingView:
    """The facts the rules look at: non-empty values per datapoint key, the catalog, the dossier's context."""

    catalog: Catalog
    values: Mapping[str, tuple[str, ...]]  # datapoint key -> non-empty values
    context: CompletenessContext

    def filled(self, dps: Iterable[Datapoint]) -> bool:
        return any(self.values.get(dp.key) for dp in dps)

    def amount(self, dp: Datapoint) -> Decimal | None:
        total = None
        for v in self.values.get(dp.key, ()):
            try:
                total = (total or Decimal(0)) + Decimal(v)
            except InvalidOperation:
                continue
        return total


@dataclass(frozen=True)
class Decision:
    """What one trigger says: required (True), not (False) or cannot tell (None), and why."""

    required: bool | None
    why: str


# ====================================================================== one function per kind of trigger


def trigger_always(rule: Rule, t: Trigger, view: FilingView) -> Decision:
    """Always required (by every model the rule is for)."""
    return Decision(True, "required in every filing of this model")


def trigger_figure(rule: Rule, t: Trigger, view: FilingView) -> Decision:
    """Required when one of the figures (current year) is not zero."""
    cat = view.catalog
    present = [c for c in t.values if cat.has_rubric(c)]
    if not present:
        return Decision(None, f"model {cat.model} has no rubric {' or '.join(t.values)} to decide it")
    undecided = None
    for code in present:
        for dp in cat.by_rubric(code):
            if dp.period != "current":
                continue
            amount = view.amount(dp)
            if amount and code in t.with_dossier_only and not view.context.has_dossier:
                undecided = (
                    undecided or f"rubric {code} is {amount:,}, which alone does not decide it without the dossier"
                )
            elif amount:
                return Decision(True, f"rubric {code} is {amount:,} (not zero)")
    if undecided:
        return Decision(None, undecided)
    return Decision(False, f"rubric {' and '.join(present)} zero or absent")


def trigger_fact(rule: Rule, t: Trigger, view: FilingView) -> Decision:
    """Required when a fact of the filing or the dossier has the value the rule names."""
    name = t.values[0]
    fact = load_rules().facts.get(name)
    title = fact.title if fact else name
    value: bool | None = None
    origin = ""
    if fact is not None and fact.cells:
        dps = select(view.catalog, fact.cells)
        if dps:
            value, origin = view.filled(dps), "the filing"
    if value is None or (not value and view.context.fact(name)):
        known = view.context.fact(name)
        if known is not None:
            value, origin = known, view.context.source or "the dossier"
    if value is None:
        return Decision(None, f"whether {title} is not known without a dossier")
    if value == t.expected:
        return Decision(True, f"{title}: {'yes' if value else 'no'} ({origin})")
    return Decision(False, f"{title}: {'yes' if value else 'no'} ({origin})")


@lru_cache(maxsize=64)
def _legal_form_cells(catalog: Catalog) -> tuple[Datapoint, ...]:
    """The cell of the entity's own legal form, where ``generate`` writes it (the binding table's
    ``entity.legal_form``; an investee's legal form is another cell)."""
    from nbb_filing.filing.binding import load_table, resolve_field

    role = load_table().roles.get("entity")
    spec = next((f for f in role.fields if f.name == "legal_form"), None) if role else None
    dp = resolve_field(catalog, spec, ()) if spec is not None else None
    return (dp,) if dp is not None else ()


def trigger_legal_form(rule: Rule, t: Trigger, view: FilingView) -> Decision:
    """Required for the legal forms the rule names (package list ``lgf``)."""
    code = None
    for dp in _legal_form_cells(view.catalog):
        if view.values.get(dp.key):
            code = value_code(EnumValue(view.values[dp.key][0], ()))
            break
    if code is None:
        return Decision(None, "the filing gives no legal form")
    if code in t.values:
        return Decision(True, f"legal form {code}")
    return Decision(False, f"legal form {code} is not {' or '.join(t.values)}")


def trigger_model(rule: Rule, view: FilingView) -> Decision:
    """Whether the rule is for the filing's model (its family and size, ``data/legal-forms.yaml``)."""
    if not (rule.families or rule.sizes):
        return Decision(True, "")
    placed = load_legal_forms().family_of_model(view.catalog.model)
    if placed is None:
        return Decision(None, f"model {view.catalog.model} belongs to no known family")
    family, size = placed
    fits = (not rule.families or family.name in rule.families) and (not rule.sizes or size in rule.sizes)
    what = f"model {view.catalog.model} ({size}, {family.name})"
    return Decision(fits, what if fits else f"{what} is not one of the {rule.model_condition()}")


#: the function of each kind of trigger of the data file; each is named after the family of rules it
#: decides (``Rule.family``: always, figure, fact, legal_form; the model condition: :func:`trigger_model`)
TRIGGERS: Mapping[str, Callable[[Rule, Trigger, FilingView], Decision]] = {
    "always": trigger_always,
    "figures": trigger_figure,
    "fact": trigger_fact,
    "legal_forms": trigger_legal_form,
}


# ====================================================================== the check


def judge(rule: Rule, view: FilingView) -> CompletenessItem:
    """One rule on one filing (see the module docstring for the states)."""
    dps = rule.datapoints(view.catalog)
    sections = tuple(dict.fromkeys(dp.section for dp in dps))

    def item(state: str, why: str, reason: str = "") -> CompletenessItem:
        return CompletenessItem(rule.id, rule.title, state, why, rule.source, rule.fill, rule.family, sections, reason)

    model = trigger_model(rule, view)
    if model.required is False:
        return item(NOT_REQUIRED, model.why)
    if not dps:
        return item(NOT_CHECKED, f"the package has no such cells in model {view.catalog.model}")
    decisions = [TRIGGERS[t.kind](rule, t, view) for t in rule.when]
    required = [d for d in decisions if d.required]
    filled = view.filled(dps)
    prefix = f"{model.why}; " if model.why else ""
    reason = view.context.reason(rule.id)
    if required:
        why = prefix + "; ".join(d.why for d in required)
        if filled:
            return item(FILLED, why)
        if reason is not None:
            return item(DECLARED, why, reason)
        if rule.block and rule.block in view.context.given:
            return item(
                NOT_CHECKED,
                f"{why}; the dossier gives `{rule.block}:` but the installed package has no cell for what it "
                "holds (left out by generate): check with the official package",
            )
        return item(MISSING, why)
    unknown = [d for d in decisions if d.required is None]
    if reason is not None:
        return item(DECLARED, prefix + "; ".join(d.why for d in decisions), reason)
    if filled:
        return item(FILLED, prefix + "given (" + "; ".join(d.why for d in decisions) + ")")
    if unknown or model.required is None:
        return item(UNDECIDED, "; ".join(d.why for d in (*([model] if model.required is None else []), *decisions)))
    return item(NOT_REQUIRED, prefix + "; ".join(d.why for d in decisions))


def check_completeness(
    catalog: Catalog,
    facts: Iterable[tuple[Datapoint, str | None]],
    context: CompletenessContext = NO_DOSSIER,
    rules: Rules | None = None,
) -> list[CompletenessItem]:
    """Every rule judged on ``facts`` (datapoint, normalised value) of a filing of ``catalog``'s model."""
    values: dict[str, list[str]] = {}
    for dp, value in facts:
        if value is not None and str(value).strip():
            values.setdefault(dp.key, []).append(str(value))
    view = FilingView(catalog, {k: tuple(v) for k, v in values.items()}, context)
    return [judge(r, view) for r in (rules or load_rules()).rules]


def unknown_declarations(context: CompletenessContext, rules: Rules | None = None) -> list[str]:
    """``not_applicable`` keys that name no rule (the dossier model refuses them; kept for callers)."""
    ids = set((rules or load_rules()).ids())
    return [k for k, _ in context.not_applicable if k not in ids]
