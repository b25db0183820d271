"""Size of the entity under the Code of companies and associations: which model fits its figures.

Thresholds are data (``data/size-criteria.yaml``) with their legal source and the financial years
they apply to.  An entity is small (micro) when it does not exceed more than one criterion
(balance-sheet total, turnover or receipts, average FTE); the category changes only when that holds
two consecutive years; a parent or a subsidiary is never micro.  The result is a list of warnings:
the NBB accepts a larger model than required, and the product cannot see every fact the law
weighs (consolidated figures of a group, earlier years), so it never refuses on size.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from nbb_filing.core.data_files import load_data_yaml
from nbb_filing.core.money import quantity

DATA_FILE = "size-criteria.yaml"
ZERO = Decimal(0)
#: the size a model is for (data/legal-forms.yaml) -> the category of entity it fits
MODEL_CATEGORY = {"full": "large", "abbreviated": "small", "micro": "micro"}
ORDER = ("micro", "small", "large")

__all__ = [
    "Regime",
    "YearFigures",
    "load_regimes",
    "regime_for",
    "classify",
    "size_warnings",
    "model_family",
    "books_size_warnings",
]


@dataclass(frozen=True)
class Regime:
    kind: str  # companies | associations
    source: str
    start: date
    until: date | None
    small: Mapping[str, Decimal]
    micro: Mapping[str, Decimal]
    verify: str | None


@dataclass(frozen=True)
class YearFigures:
    """The criteria's values for one year (``None``: not in the filing)."""

    label: str  # "2024" or "current year"
    values: Mapping[str, Decimal | None]


@lru_cache(maxsize=1)
def _data() -> dict:
    return load_data_yaml(DATA_FILE)


def load_regimes() -> tuple[Regime, ...]:
    def limits(x: Mapping) -> dict[str, Decimal]:
        return {k: Decimal(str(v)) for k, v in x.items()}

    return tuple(
        Regime(
            str(r["kind"]),
            str(r["source"]),
            r["from"],
            r.get("until"),
            limits(r["small"]),
            limits(r["micro"]),
            r.get("verify"),
        )
        for r in _data()["regimes"]
    )


def criteria(kind: str) -> dict[str, dict]:
    """criterion -> {rubrics: [...], label: ...} for ``companies`` or ``associations``."""
    return dict(_data()["criteria"][kind])


def regime_for(kind: str, exercise_start: date) -> Regime | None:
    for r in load_regimes():
        if r.kind == kind and r.start <= exercise_start and (r.until is None or exercise_start <= r.until):
            return r
    return None


def criterion_values(kind: str, amounts: Mapping[str, Decimal]) -> dict[str, Decimal | None]:
    """Each criterion's value from rubric ``amounts`` (the sum of its rubrics; ``None`` if none is there)."""
    out: dict[str, Decimal | None] = {}
    for name, spec in criteria(kind).items():
        present = [amounts[c] for c in spec["rubrics"] if c in amounts]
        out[name] = sum(present, ZERO) if present else None
    return out


def _exceeded(values: Mapping[str, Decimal | None], limits: Mapping[str, Decimal]) -> list[str]:
    out = []
    for k, lim in limits.items():
        v = values.get(k)
        if v is not None and abs(v) > lim:
            out.append(k)
    return out


def classify(values: Mapping[str, Decimal | None], regime: Regime, *, group_member: bool = False) -> str:
    """``micro``, ``small`` or ``large`` for one year (unknown criteria count as not exceeded)."""
    if len(_exceeded(values, regime.small)) > 1:
        return "large"
    if len(_exceeded(values, regime.micro)) > 1 or group_member:
        return "small"
    return "micro"


def _describe(kind: str, year: YearFigures, regime: Regime, category: str) -> str:
    spec = criteria(kind)
    limits = regime.small if category == "large" else regime.micro
    parts = []
    for name, lim in limits.items():
        v = year.values.get(name)
        # amounts with their cents (none shown when round: 10,018,553), counts as given (10.5 FTE)
        if v is None:
            shown = "not in the filing"
        elif spec[name].get("count"):
            shown = quantity(v)
        else:
            shown = f"{v:,.2f}".removesuffix(".00")
        parts.append(f"{spec[name]['label']} {shown} (limit {lim:,})")
    return f"{year.label}: {category} ({'; '.join(parts)})"


def size_warnings(
    kind: str,
    model: str,
    model_size: str,
    years: Sequence[YearFigures],
    exercise_start: date,
    *,
    group_member: str | None = None,
    fitting: Mapping[str, str] | None = None,
) -> list[str]:
    """Warnings when ``model`` (for ``model_size``: full/abbreviated/micro) does not fit the figures.

    ``years`` is the current year first, then the previous one when known; ``fitting`` maps a
    category to the family's model for it (``{"large": "m82-f", ...}``).
    """
    regime = regime_for(kind, exercise_start)
    known = [y for y in years if any(v is not None for v in y.values.values())]
    if regime is None or not known:
        return []
    cats = [classify(y.values, regime, group_member=group_member is not None) for y in known]
    want = MODEL_CATEGORY.get(model_size)
    if want is None:
        return []
    if len(cats) >= 2 and cats[0] != cats[1]:
        if want in cats[:2]:
            return []
        decided, rule = (
            cats[0],
            (
                "the category changes only when it holds two consecutive years (art. 1:24 §3); "
                "the years before decide which applies"
            ),
        )
    else:
        decided = cats[0]
        rule = (
            "both years agree (two consecutive years)"
            if len(cats) >= 2
            else "the previous year is not in the filing: the two-consecutive-years rule could not be applied"
        )
    if decided == want:
        return []
    other = (fitting or {}).get(decided)
    if ORDER.index(decided) > ORDER.index(want):
        name = "full" if decided == "large" else "abbreviated"
        advice = f"it must file the {name} model{f' ({other})' if other else ''}"
    else:
        advice = (
            f"it may file the {decided} model{f' ({other})' if other else ''}; model {model} is allowed, not required"
        )
    group = f"; a {group_member} company is never micro (art. 1:25)" if group_member else ""
    verify = f"; thresholds to be verified: {regime.verify}" if regime.verify else ""
    details = "; ".join(_describe(kind, y, regime, c) for y, c in zip(known, cats))
    return [
        f"model {model} is for {want} entities, but the figures make this one {decided} under {regime.source} "
        f"({details}); {rule}; {advice}{group}{verify}"
    ]


def model_family(model: str) -> tuple[str, str, dict[str, str]] | None:
    """(family, size the model is for, category -> model of the family) from ``data/legal-forms.yaml``."""
    stem, _, part = model.partition("-")
    for name, fam in (load_data_yaml("legal-forms.yaml").get("families") or {}).items():
        models = {str(size): str(m) for size, m in (fam.get("models") or {}).items()}
        for size, m in models.items():
            if m == stem:
                fitting = {MODEL_CATEGORY[s]: f"{x}-{part or 'f'}" for s, x in models.items()}
                return str(name), size, fitting
    return None


def books_size_warnings(
    model: str,
    current: Mapping[str, Decimal],
    previous: Mapping[str, Decimal] | None,
    exercise_start: date | None = None,
) -> list[str]:
    """Size warnings from trial-balance figures alone (``mapping check``): no FTE, and without
    ``exercise_start`` the thresholds of the latest regime."""
    placed = model_family(model)
    if placed is None:
        return []
    family, model_size, fitting = placed
    kind = "associations" if family == "association" else "companies"
    if exercise_start is None:
        exercise_start = max(r.start for r in load_regimes() if r.kind == kind)
    years = [YearFigures("current trial balance", criterion_values(kind, current))]
    if previous is not None:
        years.append(YearFigures("previous trial balance", criterion_values(kind, previous)))
    note = (
        f" (from the trial balances alone: the average FTE is not in them; thresholds for financial years "
        f"starting from {exercise_start.isoformat()})"
    )
    return [w + note for w in size_warnings(kind, model, model_size, years, exercise_start, fitting=fitting)]
