"""The facts of a filing the page cannot show, each with the reason, so that none is dropped silently.

A table cell shows one value.  What has no cell, or would have to share one, is listed under the
tables instead: facts the installed package cannot place (the reader's unresolved facts), a second
value for a cell already shown (the first one in the file is shown, as everywhere in nbb-filing),
facts of another entity or dated otherwise than the filing's other facts (a filing is about one
entity at one closing date; such facts would pass for the filing's own in its tables), and facts
whose datapoint belongs to no table of the model.
"""

from __future__ import annotations

from collections import Counter

from nbb_filing.reading.reader import FilingFacts, ReadFact


def _what(f: ReadFact) -> str:
    dp = f.datapoint
    cell = f"rubric {dp.rubric} ({dp.period} year)" if dp.rubric else dp.path_label("en")
    typ = ", ".join(f"{v}" for _, v in f.typed_values)
    shown = f.value if f.value is None or len(f.value) <= 40 else f.value[:37] + "..."
    return f"line {f.source_line}: {cell}{f' [{typ}]' if typ else ''} = {shown!r}"


def sort_out(filing: FilingFacts) -> tuple[list[ReadFact], list[str]]:
    """``(facts to show, facts not shown with the reason)``."""
    catalog = filing.catalog
    tables = {t.id for t in catalog.tables}
    entities = Counter(f.entity for f in filing.facts)
    instants = Counter(f.instant for f in filing.facts)
    entity = filing.entity_identifier or (entities.most_common(1)[0][0] if entities else None)
    instant = instants.most_common(1)[0][0] if instants else None
    shown: list[ReadFact] = []
    not_shown: list[str] = []
    first: dict[tuple, ReadFact] = {}
    for f in filing.facts:
        if f.entity != entity:
            not_shown.append(f"{_what(f)}: fact of entity {f.entity!r}, not of the filing's ({entity!r})")
            continue
        if f.instant != instant:
            not_shown.append(f"{_what(f)}: dated {f.instant}, the filing's other facts {instant}")
            continue
        if f.datapoint.table not in tables:
            not_shown.append(f"{_what(f)}: its datapoint is in no table of model {catalog.model}")
            continue
        seen = first.setdefault(f.identity(), f)
        if seen is not f:
            if seen.value != f.value:
                not_shown.append(
                    f"{_what(f)}: a second value for the cell; the page shows {seen.value!r} (line {seen.source_line})"
                )
            continue  # an identical repeat is the value shown
        shown.append(f)
    not_shown += [u.describe() for u in filing.unresolved]
    return shown, not_shown
