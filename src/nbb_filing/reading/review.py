"""``nbb-filing import``, the values a published filing holds but a dossier cannot take as they are.

The NBB publishes what the filer's software sent, and that is not always what a dossier accepts:
a director's enterprise number written ``kjjn587`` or ``123``, an address without a house number,
a name that is only a stand-in (``-``, ``xxx``), a previous-year column that does not balance.
Refusing the whole filing for that would leave the accountant with nothing, while everything
else of last year's filing is still good.  So each such value is written to the dossier as a
``<FILL-IN: ...>`` placeholder (:mod:`nbb_filing.filing.placeholders`) with the filing's value in
a comment beside it, and listed as a :class:`Review`; ``generate`` refuses the dossier until each
placeholder is replaced, naming them all.

How the values are found: first the checks the dossier's schema cannot make (stand-in names, the
balance sheet and the appropriation tie-outs of each year, as ``generate`` checks them), then the
schema itself: the dossier data is validated and every value pydantic refuses becomes a
placeholder, until it validates.  To validate a dossier whose refused values are placeholders,
the check runs on a *probe* copy where each is left out (optional fields) or given a neutral
stand-in of the right type; the probe is never written.
"""

from __future__ import annotations

import copy
import re
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from nbb_filing.books.closed_books import closing_rubrics
from nbb_filing.core.pydantic_errors import dotted
from nbb_filing.filing.placeholders import placeholder
from nbb_filing.filing.rubrics import sum_mismatch

# a name made of no letter at all, or one of the words filers put where they have no name
_STAND_IN_WORDS = {"x", "xx", "xxx", "xxxx", "n/a", "na", "nvt", "néant", "neant", "nihil", "onbekend", "inconnu", "?"}
_LETTER = re.compile(r"[^\W\d_]")
_ROUNDS = 20  # a dossier has few refusable values; each round turns at least one into a placeholder


@dataclass(frozen=True)
class Review:
    """A value of the filing written as a placeholder, to be given by the user before ``generate``."""

    loc: tuple  # where in the dossier, e.g. ("directors", 0, "enterprise_number")
    text: str  # the placeholder written there
    original: Any  # the filing's value (None: the filing has none)
    reason: str

    @property
    def field(self) -> str:
        return dotted(self.loc)

    def comment(self) -> str:
        """The YAML comment written beside the placeholder: what the filing says, and why it is not kept."""
        if self.original is None:
            return f"import: {self.reason}"
        return f"import: the filing has {_shown(self.original)!r}: {self.reason}"

    def describe(self) -> str:
        was = "" if self.original is None else f" (the filing has {_shown(self.original)!r})"
        return f"{self.field}{was}: {self.reason}; written as {self.text}"


class _Shown(str):
    """A value as shown in a message: numbers and dates bare, text quoted."""

    def __repr__(self) -> str:
        return str(self)


def _shown(value: Any) -> Any:
    if isinstance(value, (date, Decimal, int)) and not isinstance(value, bool):
        return _Shown(value)
    if isinstance(value, str) and len(value) > 60:
        return value[:57] + "..."
    return value


def is_stand_in_name(text: Any) -> bool:
    """Whether ``text`` is where a name should be but is none (``-``, ``...``, ``xxx``, ``n/a``)."""
    if not isinstance(text, str):
        return False
    t = text.strip()
    return not _LETTER.search(t) or t.lower() in _STAND_IN_WORDS


# ---------------------------------------------------------------------------- paths in plain data


def _get(data: Any, loc: tuple) -> Any:
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return _MISSING
    return data


def _set(data: Any, loc: tuple, value: Any) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def _delete(data: Any, loc: tuple) -> None:
    parent = _get(data, loc[:-1])
    if isinstance(parent, dict):
        parent.pop(loc[-1], None)


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()


# ---------------------------------------------------------------------------- the dossier's types


def _field_type(loc: tuple) -> tuple[Any, bool]:
    """``(type, optional)`` of the dossier field at ``loc`` (walking the pydantic models)."""
    from nbb_filing.filing.dossier import Dossier

    tp: Any = Dossier
    optional = False
    for part in loc:
        tp, _ = _unwrap(tp)
        origin = typing.get_origin(tp)
        if origin in (tuple, list) and typing.get_args(tp):
            tp, optional = typing.get_args(tp)[0], False
        elif origin is dict and typing.get_args(tp):
            tp, optional = typing.get_args(tp)[-1], False
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields:
            info = tp.model_fields[part]
            tp, optional = info.annotation, not info.is_required()
        else:
            return Any, True
    tp, opt = _unwrap(tp)
    return tp, optional or opt


def _unwrap(tp: Any) -> tuple[Any, bool]:
    """``Optional[X]`` -> ``(X, True)``."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return (args[0] if len(args) == 1 else tp), True
    return tp, False


def _stand_in(loc: tuple, probe: dict) -> Any:
    """A neutral value of the field's type, for the probe only (never written)."""
    tp, _ = _field_type(loc)
    if loc[-1] == "enterprise_number":
        return "0000000097"  # a valid number (check digits 97 of 00000000)
    if tp is date:
        end = _get(probe, ("exercise", "end"))
        start = _get(probe, ("exercise", "start"))
        if loc == ("exercise", "end") and isinstance(start, date):
            return start + timedelta(days=364)
        if loc == ("exercise", "start") and isinstance(end, date):
            return end - timedelta(days=364)
        if isinstance(end, date):
            return end + timedelta(days=1)
        return date(2000, 1, 1)
    if tp is Decimal or tp is int:
        return 1
    if tp is bool:
        return False
    return "x"


# ---------------------------------------------------------------------------- the checks


def _name_reviews(data: dict) -> list[Review]:
    """Stand-in names of the entity, people, representatives and participations."""
    out: list[Review] = []

    def check(loc: tuple, keys: tuple[str, ...]) -> None:
        item = _get(data, loc)
        if not isinstance(item, dict):
            return
        for k in keys:
            if k in item and is_stand_in_name(item[k]):
                what = k.replace("_", " ")
                out.append(Review(loc + (k,), placeholder(what), item[k], f"{item[k]!r} is no {what}"))

    check(("entity",), ("name",))
    groups = [("directors",), ("auditors",), ("accountant_declaration", "accountants"), ("participations",)]
    for g in groups:
        items = _get(data, g)
        for i, _ in enumerate(items if isinstance(items, list) else ()):
            check(g + (i,), ("name", "first_name", "last_name"))
            check(g + (i, "representative"), ("first_name", "last_name"))
    return out


def _figure_reviews(
    data: dict,
    checks: Sequence[Mapping[str, Any]],
    has_previous: bool,
    amounts: Mapping[tuple[str, str], Decimal] | None = None,
) -> list[Review]:
    """Totals of the balance sheet and the appropriation account that do not tie out in the filing.

    ``generate`` refuses such a dossier; which figure of a failing sum is wrong cannot be known, so
    the total is the placeholder and the comment gives the filing's amounts on both sides.
    ``amounts`` are the filing's amounts by (rubric code, period), whatever way ``figures:`` names
    their cells (by code or by datapoint key); without it, the codes of ``figures:`` are used.  A
    total is made a placeholder only where ``figures:`` holds it by its code.
    """
    found = data.get("figures")
    figures: dict = found if isinstance(found, dict) else {}
    out: list[Review] = []

    def written(code: str, period: str) -> Decimal | None:
        v = figures.get(code, {}).get(period) if isinstance(figures.get(code), dict) else None
        return v if isinstance(v, Decimal) else None

    def amount(code: str, period: str) -> Decimal | None:
        return amounts.get((code, period)) if amounts is not None else written(code, period)

    periods = ("current", "previous") if has_previous else ("current",)
    codes = closing_rubrics()
    assets, liabilities = codes.get("total_assets"), codes.get("total_liabilities")
    for period in periods:
        if not assets or not liabilities:
            break
        a, li = amount(assets, period), amount(liabilities, period)
        if a is not None and li is not None and a != li and written(liabilities, period) is not None:
            out.append(
                Review(
                    ("figures", liabilities, period),
                    placeholder(f"rubric {liabilities}, {period} year"),
                    li,
                    f"total liabilities {liabilities} ({period} year) is {li} but total assets {assets} is {a}: "
                    "the filing's balance sheet does not balance; give the right amount (and correct the rubric "
                    "that is wrong)",
                )
            )
    for chk in checks:
        if "previous_of" in chk:
            continue  # last year's 14: not in this filing
        total = str(chk["total"])
        for period in periods:
            failed = sum_mismatch(chk, period, amount)
            if failed is None or written(total, period) is None:
                continue
            got, parts, want = failed
            out.append(
                Review(
                    ("figures", total, period),
                    placeholder(f"rubric {total}, {period} year"),
                    got,
                    f"rubric {total} ({period} year) is {got} but {parts} = {want} in the filing: the "
                    "appropriation does not tie out; give the right amount",
                )
            )
    return out


def _model_level(loc: tuple, msg: str, data: dict) -> list[tuple[tuple, Any]]:
    """The fields to blame for an error of a whole part (``loc``), from the validator's message."""
    item = _get(data, loc)
    item = item if isinstance(item, dict) else {}
    if "natural person needs first_name and last_name" in msg:
        return [(loc + (k,), item.get(k)) for k in ("first_name", "last_name") if not item.get(k)]
    if "legal person needs a name" in msg:
        return [(loc + ("name",), item.get("name"))]
    if "general meeting" in msg:
        return [(("general_meeting",), data.get("general_meeting"))]
    if "previous exercise" in msg:
        return [(("previous_exercise",), data.get("previous_exercise"))]
    if "mandate ends" in msg or "exercise ends" in msg:
        return [(loc + ("end",), item.get("end"))]
    return []


def review_dossier_data(
    data: dict,
    checks: Sequence[Mapping[str, Any]],
    amounts: Mapping[tuple[str, str], Decimal] | None = None,
) -> tuple[Any, dict, list[Review], list[str]]:
    """``(dossier, data to write, reviews, left out)``: the assembled ``data`` made writable.

    ``amounts``: the filing's amounts by (rubric code, period), for the tie-outs (see
    :func:`_figure_reviews`).  ``dossier`` is the validated probe (the placeholders' fields left out or stood in for);
    ``data to write`` is ``data`` with every refused value replaced by its placeholder; ``left
    out`` lists items no placeholder could save (a part refused as a whole: it is dropped).
    Raises :class:`pydantic.ValidationError` only when the dossier's very frame is refused.
    """
    from nbb_filing.filing.dossier import Dossier

    work = copy.deepcopy(data)
    reviews: list[Review] = []
    left_out: list[str] = []
    reviews += _name_reviews(work)
    reviews += _figure_reviews(work, checks, "previous_exercise" in work, amounts)
    # these values are valid for the schema: the probe keeps the filing's value
    probe = copy.deepcopy(work)
    for _ in range(_ROUNDS):
        try:
            dossier = Dossier.model_validate(probe)
            break
        except ValidationError as e:
            new: list[tuple[tuple, Any, str]] = []
            for err in e.errors():
                loc = tuple(err["loc"])
                msg = str(err["msg"]).removeprefix("Value error, ")
                value = _get(work, loc)
                if err["type"] == "missing":
                    new.append((loc, None, f"the filing has no {_label(loc)}"))
                elif isinstance(value, dict) or not loc:
                    blamed = _model_level(loc, msg, work)
                    if blamed:
                        for b, v in blamed:
                            why = msg if v not in (None, "", _MISSING) else f"the filing has no {_label(b)} ({msg})"
                            new.append((b, v if v is not _MISSING else None, why))
                    elif loc and isinstance(loc[-1], int):
                        left_out.append(f"{dotted(loc)}: {msg}; left out of the dossier")
                        _drop(work, probe, loc, reviews)
                        new.append(((), None, ""))  # something changed: validate again
                    else:
                        raise
                else:
                    new.append((loc, value, msg))
            changed = False
            for loc, value, msg in new:
                if not loc or any(r.loc == loc for r in reviews):
                    changed = changed or not loc
                    continue
                reviews.append(Review(loc, placeholder(_label(loc)), None if value is _MISSING else value, msg))
                _, optional = _field_type(loc)
                if optional and _get(probe, loc) is not _MISSING:
                    _delete(probe, loc)
                else:
                    _set(probe, loc, _stand_in(loc, probe))
                changed = True
            if not changed:
                raise
    else:  # pragma: no cover - each round places at least one placeholder
        dossier = Dossier.model_validate(probe)
    out = _dumped(dossier)
    for r in reviews:
        parent = _get(out, r.loc[:-1])
        if isinstance(parent, dict):
            parent[r.loc[-1]] = r.text
            _order_like(parent, r.loc[:-1])
        elif isinstance(parent, list):
            parent[r.loc[-1]] = r.text
    return dossier, out, reviews, left_out


_LABELS = {"number": "house number", "name": "name", "first_name": "first name", "last_name": "last name"}


def _label(loc: tuple) -> str:
    """What the placeholder asks for: ``house number``, ``enterprise number`` ..."""
    last = loc[-1] if loc else "value"
    if isinstance(last, int):
        return dotted(loc)
    return _LABELS.get(str(last), str(last).replace("_", " "))


def _order_like(target: dict, loc: tuple) -> None:
    """Put the keys of ``target`` (the part at ``loc``) in the order the dossier writes them (its model's fields)."""
    model, _ = _field_type(loc) if loc else (None, False)
    if not loc:
        from nbb_filing.filing.dossier import Dossier

        model = Dossier
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return
    order = {name: i for i, name in enumerate(["schema_version", *model.model_fields])}
    keys = sorted(target, key=lambda k: order.get(k, len(order)))
    if keys != list(target):
        items = {k: target[k] for k in keys}
        target.clear()
        target.update(items)


def _drop(work: dict, probe: dict, loc: tuple, reviews: list[Review]) -> None:
    for d in (work, probe):
        parent = _get(d, loc[:-1])
        if isinstance(parent, list) and 0 <= loc[-1] < len(parent):
            parent.pop(loc[-1])
    # reviews under the dropped item (or after it in the same list) would point elsewhere now
    n = len(loc)
    reviews[:] = [
        r for r in reviews if not (r.loc[: n - 1] == loc[:-1] and len(r.loc) >= n and r.loc[n - 1] >= loc[-1])
    ]


def _dumped(dossier: Any) -> dict:
    from nbb_filing.filing.dossier_files import dossier_data

    return dossier_data(dossier)
