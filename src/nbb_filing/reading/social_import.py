"""``nbb-filing import``: the social balance sheet's facts back into a ``social_balance:`` block.

Every cell the generator writes from the block (the first table through
``data/social-balance.yaml``'s measures, the other tables through its cells, the joint committees)
is looked up in the filing; the facts found become the block's figures instead of anonymous
``figures:`` by datapoint key.  A block that would not give the same facts back is not made:
when it fails the block's own checks (a filing whose tables do not add up), or when a first-table
figure has a men or women column without its pair, the facts stay in ``figures:`` (the importer's
round trip then still reproduces them) and a remark says so.  Zero figures are left to the
importer's ``datapoint_facts:`` (generate writes no zero from the block).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from nbb_filing.core.errors import NbbFilingError
from nbb_filing.filing.dossier_notes_social import SocialBalanceSheet
from nbb_filing.filing.notes.social_balance import KEYS, load_social_table
from nbb_filing.filing.notes.social_balance_tables import check_tables, complete, flatten, load_social_cells
from nbb_filing.reading.reader import ReadFact
from nbb_filing.taxonomy.catalog import Catalog

INTEGER_METRICS = ("met:int3", "met:int4")


def _cell_paths(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Datapoint key -> the block path of its figure, for every social cell the model has."""
    out: dict[str, tuple[str, ...]] = {}
    table = load_social_table()
    for mname in table.measures:
        for key in KEYS:
            regime, period = ("total", "previous") if key == "previous_total" else (key, "current")
            for gender in table.genders:
                dp = table.cell(catalog, mname, regime, gender, period)
                if dp is not None:
                    out.setdefault(dp.key, (mname, key, gender))
    for cell in load_social_cells().cells:
        dp = cell.resolve(catalog)
        if dp is not None:
            out.setdefault(dp.key, cell.path)
    return out


def social_balance_block(
    catalog: Catalog, numeric: dict[tuple[str, str], list[ReadFact]], extras: list[dict[str, Any]]
) -> tuple[dict[str, Any] | None, set[str], list[str]]:
    """The ``social_balance:`` block of the filing's facts, the datapoint keys it takes (to leave
    out of ``figures:``; committee entries are removed from ``extras``), and remarks."""
    paths = _cell_paths(catalog)
    block: dict[str, Any] = {}
    taken: set[str] = set()
    for facts in numeric.values():
        for f in facts:
            path = paths.get(f.datapoint.key)
            if path is None or f.typed_values or f.value is None or Decimal(f.value) == 0:
                continue
            value: Any = Decimal(f.value)
            if f.datapoint.metric in INTEGER_METRICS:
                value = int(value)
            node = block
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node[path[-1]] = value
            taken.add(f.datapoint.key)
    committees = load_social_cells()
    cdp = committees.committee_cell(catalog)
    found: list[tuple[int, dict[str, Any]]] = []
    if cdp is not None:
        found = [(i, e) for i, e in enumerate(extras) if e.get("datapoint") == cdp.key]
    if not block and not found:
        return None, set(), []
    if found:
        block["joint_committees"] = [str(e["value"]) for _, e in sorted(found, key=lambda x: _row(x[1]))]
    for i, _ in reversed(found):
        del extras[i]
    why = _refused(block)
    if why:
        for i, e in found:
            extras.insert(i, e)
        return None, set(), [f"social balance sheet: kept as figures by datapoint key ({why})"]
    ordered = SocialBalanceSheet.model_validate(block).model_dump(exclude_defaults=True)  # in the schema's order
    if "joint_committees" in ordered:
        ordered["joint_committees"] = list(ordered["joint_committees"])
    return ordered, taken, []


def _row(entry: dict[str, Any]) -> int:
    try:
        return int(next(iter(entry.get("typed", {}).values()), "0"))
    except ValueError:
        return 0


def _refused(block: dict[str, Any]) -> str | None:
    """Why ``block`` cannot be the dossier's (None when it can)."""
    for mname in load_social_table().measures:
        for key, split in (block.get(mname) or {}).items():
            if set(split) not in ({"total"}, {"men", "women"}, {"total", "men", "women"}):
                return f"{mname}.{key} has {', '.join(sorted(split))} without the other gender"
    try:
        sb = SocialBalanceSheet.model_validate(block)
        check_tables(complete(flatten(sb)), lambda *p: ".".join(p), sb)
        if complete(flatten(sb)) != flatten(sb):
            return "a table has breakdowns without its total"
    except ValidationError as e:
        return str(e.errors()[0]["msg"])
    except NbbFilingError as e:
        return str(e)
    return None
