"""Filing-protocol rules that no assertion of the taxonomy covers: one function per rule.

The NBB's filing protocol (the "DAT" rules of its technical documentation) checks things an XBRL
processor does not: the enterprise number's check digits, that the dates of the exercise, the
previous exercise and the general meeting fit together, that amounts have at most two decimals,
that a datapoint has one value, that the file speaks one official language, names its business
court, and stays under 50 MB.  Each rule here is a function named by its rule id, takes a
:class:`ProtocolInput` (the facts as read by :mod:`nbb_filing.reading.reader`, resolved to catalog
datapoints) and yields :class:`~nbb_filing.checks.validate.Finding` objects.  :data:`RULES` lists them in
the order they run; a rule's title is the first line of its docstring.

No datapoint is named here: the rules find what they need in the catalog by structure (a date
datapoint with a period, its "from"/"to" columns; the enumeration whose values are courts).
Why that is enough is explained rule by rule.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lxml import etree

from nbb_filing.checks.findings import BLOCKING, WARNING, FactRef, Finding
from nbb_filing.core.xmlns import XBRLI, XML_LANG
from nbb_filing.filing.enterprise_number import check_enterprise_number
from nbb_filing.reading.reader import FilingFacts, ReadFact
from nbb_filing.taxonomy.catalog import Catalog, Datapoint
from nbb_filing.taxonomy.limits import max_filing_bytes

#: The NBB refuses files above 50 MB (its upload limit), whatever their content (data/nbb-limits.yaml).
MAX_FILE_BYTES = max_filing_bytes()
#: Belgium's official languages: a filing is written in exactly one of them (DAT 14/15).
OFFICIAL_LANGUAGES = ("fr", "nl", "de")
#: The dictionary domain of business courts (tribunal de l'entreprise / ondernemingsrechtbank).
#: The court datapoint is the enumeration whose admitted values are members of this domain.
COURT_DOMAIN = "cct"


@dataclass(frozen=True)
class ProtocolInput:
    """What a protocol rule looks at: the file, its parsed root, and its facts read with the catalog."""

    path: Path
    size: int
    root: etree._Element
    facts: FilingFacts
    catalog: Catalog
    lang: str = "fr"

    def ref(self, f: ReadFact) -> FactRef:
        dp = f.datapoint
        value = f.raw.strip() if f.raw and f.raw.strip() else f.value
        return FactRef(
            dp.key, dp.rubric, dp.label(self.lang), dp.column_label(self.lang), dp.period, value, f.source_line
        )


ProtocolRule = Callable[[ProtocolInput], Iterable[Finding]]


def _finding(
    rule: str, message: str, facts: Iterable[FactRef] = (), *, effect: str = BLOCKING, line: int | None = None
) -> Finding:
    facts = tuple(facts)
    if line is None and facts:
        line = facts[0].line
    return Finding(
        rule=rule, source="protocol", family="protocol", effect=effect, message=message, facts=facts, line=line
    )


def title(rule: ProtocolRule) -> str:
    doc = (rule.__doc__ or rule.__name__).strip().splitlines()[0]
    return doc.rstrip(".")


# ====================================================================== the rules


def enterprise_number_mod97(pin: ProtocolInput) -> Iterator[Finding]:
    """Enterprise number valid (modulo 97) and the same in every context.

    The entity identifier of the contexts is the enterprise number the NBB files the accounts
    under; a typo there files them under another company, so the check digits are verified.
    """
    rule = "enterprise_number_mod97"
    ids: dict[str, int] = {}
    for ident in pin.root.iter(f"{{{XBRLI}}}identifier"):
        ids.setdefault((ident.text or "").strip(), ident.sourceline or 0)
    if len(ids) > 1:
        listed = ", ".join(sorted(ids))
        yield _finding(
            rule,
            f"the contexts name {len(ids)} different entities ({listed}); a filing is for one enterprise",
            line=min(ids.values()),
        )
    for number, line in ids.items():
        why = check_enterprise_number(number)
        if why:
            yield _finding(rule, f"entity identifier: {why}", line=line)


def dat_26_dates_consistent(pin: ProtocolInput) -> Iterator[Finding]:
    """DAT 26: dates of the exercise, the previous exercise and the general meeting consistent.

    The catalog gives, for the exercise table, date datapoints of the current and of the previous
    exercise that differ by one more dimension (the "from" and "to" columns, "from" first in
    column order); a date without period in the same section is an event that follows the
    exercise (the general meeting that approves the accounts).  Checked: one closing date for
    every context, it equals the exercise end, start before end, the previous exercise ends
    before the current one starts (the day before, else a warning), exercises of at most 24
    months (warning), the general meeting after the end of the exercise.
    """
    rule = "dat_26_dates_consistent"
    facts = pin.facts
    if len(facts.instants) > 1:
        yield _finding(
            rule,
            f"the contexts use {len(facts.instants)} different dates ({', '.join(facts.instants)}); "
            "every context of a filing is at the closing date",
        )
    dates: list[tuple[ReadFact, _dt.date]] = []
    for f in facts.facts:
        if pin.catalog.metric_type(f.datapoint).kind == "date" and f.value:
            try:
                dates.append((f, _dt.date.fromisoformat(f.value[:10])))
            except ValueError:
                continue  # a malformed date is a schema error, reported by Arelle
    periods = _exercise_bounds(dates)
    cur = periods.get("current")
    prev = periods.get("previous")
    for label, bounds in (("exercise", cur), ("previous exercise", prev)):
        if bounds and bounds[0] and bounds[1]:
            (fs, ds), (fe, de) = bounds[0], bounds[1]
            if ds >= de:
                yield _finding(
                    rule,
                    f"the {label} starts on {ds} and ends on {de}: it must start before it ends",
                    [pin.ref(fs), pin.ref(fe)],
                )
            elif _months_between(ds, de) > 24:
                yield _finding(
                    rule,
                    f"the {label} from {ds} to {de} is longer than 24 months",
                    [pin.ref(fs), pin.ref(fe)],
                    effect=WARNING,
                )
    if cur and cur[1] and facts.closing_date:
        fe, de = cur[1]
        if str(de) != facts.closing_date[:10]:
            yield _finding(
                rule, f"the exercise ends on {de} but the contexts are dated {facts.closing_date}", [pin.ref(fe)]
            )
    if cur and prev and cur[0] and prev[1]:
        (fs, ds), (fpe, dpe) = cur[0], prev[1]
        if dpe >= ds:
            yield _finding(
                rule,
                f"the previous exercise ends on {dpe}, not before the exercise starts ({ds})",
                [pin.ref(fpe), pin.ref(fs)],
            )
        elif dpe + _dt.timedelta(days=1) != ds:
            yield _finding(
                rule,
                f"the previous exercise ends on {dpe} but the exercise starts on {ds}: "
                "consecutive exercises leave no gap",
                [pin.ref(fpe), pin.ref(fs)],
                effect=WARNING,
            )
    if cur and cur[1]:
        fe, de = cur[1]
        for f, d in dates:
            if f.datapoint.period == "none" and f.datapoint.section == fe.datapoint.section and d <= de:
                yield _finding(
                    rule,
                    f"{f.datapoint.label(pin.lang) or f.datapoint.key}: {d} is not after the end of the exercise ({de})",
                    [pin.ref(f), pin.ref(fe)],
                )


def _months_between(a: _dt.date, b: _dt.date) -> int:
    months = (b.year - a.year) * 12 + (b.month - a.month)
    return months + (1 if b.day >= a.day else 0)


def _exercise_bounds(dates: list[tuple[ReadFact, _dt.date]]) -> dict[str, tuple[Any, Any]]:
    """``{"current": ((fact, start), (fact, end)), "previous": (...)}`` found by structure.

    Two date datapoints of the same table and period whose members differ on exactly one
    dimension are the bounds of that period; the one shown first (column order) is the start.
    """
    out: dict[str, tuple[Any, Any]] = {}
    by_period: dict[str, list[tuple[ReadFact, _dt.date]]] = {}
    for f, d in dates:
        if f.datapoint.period in ("current", "previous") and not f.typed_values:
            by_period.setdefault(f.datapoint.period, []).append((f, d))
    for period, items in by_period.items():
        best = None
        for i, (fa, da) in enumerate(items):
            for fb, db in items[i + 1 :]:
                a, b = fa.datapoint, fb.datapoint
                if a.table != b.table or len(a.members) != len(b.members):
                    continue
                diff = set(a.members) ^ set(b.members)
                if len(diff) == 2 and len({dim for dim, _ in diff}) == 1:
                    pair = ((fa, da), (fb, db)) if a.order <= b.order else ((fb, db), (fa, da))
                    # the pair with the fewest members is the exercise itself, not a detail of it
                    if best is None or len(a.members) < len(best[0][0].datapoint.members):
                        best = pair
        if best:
            out[period] = best
    return out


def dat_31_at_most_two_decimals(pin: ProtocolInput) -> Iterator[Finding]:
    """DAT 31: amounts have at most two decimals (cents)."""
    rule = "dat_31_at_most_two_decimals"
    for f in pin.facts.facts:
        if pin.catalog.metric_type(f.datapoint).kind != "amount":
            continue
        try:
            d = Decimal((f.raw or "").strip())
        except InvalidOperation:
            continue  # not a number: a schema error, reported by Arelle
        exp = d.normalize().as_tuple().exponent if d.is_finite() else 0
        if isinstance(exp, int) and exp < -2:
            yield _finding(
                rule,
                f"amount {f.raw.strip()} has {-exp} decimals; amounts are in euro with at most 2 decimals",
                [pin.ref(f)],
            )


def dat_34_one_value_per_datapoint(pin: ProtocolInput) -> Iterator[Finding]:
    """DAT 34: one value per datapoint (a datapoint reported twice with different values)."""
    rule = "dat_34_one_value_per_datapoint"
    for group in _groups(pin.facts.facts):
        values = {f.value for f in group}
        if len(values) > 1:
            dp = group[0].datapoint
            yield _finding(
                rule,
                f"{dp.rubric or dp.key} is reported {len(group)} times with {len(values)} different values",
                [pin.ref(f) for f in group],
            )


def no_duplicate_facts(pin: ProtocolInput) -> Iterator[Finding]:
    """No duplicate facts (a datapoint reported more than once with the same value)."""
    rule = "no_duplicate_facts"
    for group in _groups(pin.facts.facts):
        if len({f.value for f in group}) == 1:
            dp = group[0].datapoint
            yield _finding(
                rule,
                f"{dp.rubric or dp.key} is reported {len(group)} times (same value); report it once",
                [pin.ref(f) for f in group],
            )


def _groups(facts: Iterable[ReadFact]) -> list[list[ReadFact]]:
    by: dict[Any, list[ReadFact]] = {}
    for f in facts:
        by.setdefault(f.identity(), []).append(f)
    return [g for g in by.values() if len(g) > 1]


def dat_14_15_one_official_language(pin: ProtocolInput) -> Iterator[Finding]:
    """DAT 14/15: one official language (fr, nl or de) declared on the root, used throughout."""
    rule = "dat_14_15_one_official_language"
    lang = (pin.root.get(XML_LANG) or "").strip()
    if not lang:
        yield _finding(
            rule,
            "the root element has no xml:lang; declare the filing's language (fr, nl or de)",
            line=pin.root.sourceline,
        )
        return
    if lang.lower() not in OFFICIAL_LANGUAGES:
        yield _finding(
            rule,
            f"xml:lang {lang!r} on the root is not an official language ({', '.join(OFFICIAL_LANGUAGES)})",
            line=pin.root.sourceline,
        )
    others: dict[str, int] = {}
    for el in pin.root.iterdescendants():
        if isinstance(el.tag, str):
            other = el.get(XML_LANG)
            if other is not None and other.strip().lower() != lang.lower():
                others.setdefault(other.strip(), el.sourceline or 0)
    for other, line in others.items():
        yield _finding(
            rule,
            f"xml:lang {other!r} differs from the filing's language {lang!r}: a filing uses one language",
            line=line,
        )


def business_court_present(pin: ProtocolInput) -> Iterator[Finding]:
    """The business court (register of legal persons) is reported."""
    rule = "business_court_present"
    court = [dp for dp in pin.catalog.datapoints if _is_court_list(pin.catalog, dp)]
    if not court:
        return  # the model has no court datapoint (not applicable)
    keys = {dp.key for dp in court}
    if not any(f.datapoint.key in keys and f.value for f in pin.facts.facts):
        dp = court[0]
        yield _finding(rule, f"the business court is missing: report {dp.path_label(pin.lang) or dp.key} ({dp.key})")


def _is_court_list(catalog: Catalog, dp: Datapoint) -> bool:
    mt = catalog.metric_type(dp)
    return (
        mt.kind == "enum"
        and bool(mt.enum_values)
        and all(v.qname.startswith(f"{COURT_DOMAIN}:") for v in mt.enum_values)
    )


def file_size_under_50mb(pin: ProtocolInput) -> Iterator[Finding]:
    """The file is under 50 MB (the NBB's upload limit)."""
    if pin.size >= MAX_FILE_BYTES:
        yield _finding(
            "file_size_under_50mb",
            f"the file has {pin.size} bytes ({pin.size / 1024 / 1024:.1f} MB); the NBB accepts files under 50 MB",
        )


#: Every protocol rule, in the order they run.
RULES: tuple[ProtocolRule, ...] = (
    enterprise_number_mod97,
    dat_26_dates_consistent,
    dat_31_at_most_two_decimals,
    dat_34_one_value_per_datapoint,
    no_duplicate_facts,
    dat_14_15_one_official_language,
    business_court_present,
    file_size_under_50mb,
)

__all__ = ["ProtocolInput", "RULES", "title"] + [r.__name__ for r in RULES]
