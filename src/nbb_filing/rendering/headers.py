"""A row's own label and the header rows that really describe it, from the catalog's row paths.

The catalog gives each cell its row label and the labels of the header rows above it
(``Adresse > Rue``).  Two things in a package's tables would mislead a reader if shown as they are:

* **A header over a row it does not describe.**  The identification table of the replica places the
  entity's e-mail and website below the header "Registre des personnes morales (RPM) - Tribunal de
  l'entreprise de :", among the court's cells.  A header describes the rows that vary along the
  same aspects as the first row below it (Liste / Autre of the court: the same dimensions, or
  a shared member such as the court's basis).  A row whose own label is unique in its table, that
  has other dimensions than that first row and shares none of its members (beyond those every cell
  of the table has) is shown without the header: it names itself ("Adresse E-mail").
* **A row without a label of its own.**  The entity's house number has none in the replica; the
  page used to show its header ("Adresse") as its label.  The label is then borrowed from the other
  cells of the model that carry the member telling the row from its siblings (``dim:ctc=ctc:m2``:
  "N°" in the directors' and auditors' addresses), the most frequent label first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from nbb_filing.taxonomy.catalog import Catalog, Datapoint

__all__ = ["TableHeaders"]


def _parts(dp: Datapoint, lang: str) -> list[str]:
    return [p for p in dp.path_label(lang).split(" > ") if p.strip()]


def _dims(dp: Datapoint) -> set[str]:
    return {d for d, _ in dp.members}


class TableHeaders:
    """Header rows and own labels of the cells of one table (``dps``: the table's datapoints, in order)."""

    def __init__(self, catalog: Catalog, dps: Sequence[Datapoint], lang: str) -> None:
        self.catalog = catalog
        self.dps = list(dps)
        self.lang = lang
        self.paths = [_parts(dp, lang) for dp in self.dps]
        common = set(self.dps[0].members) if self.dps else set()
        for dp in self.dps:
            common &= set(dp.members)
        self.common = common
        self.own_count = Counter(dp.label(lang) for dp in self.dps)

    def _index(self, dp: Datapoint) -> int:
        return next(i for i, d in enumerate(self.dps) if d.key == dp.key)

    def parents(self, dp: Datapoint) -> list[str]:
        """The header rows above ``dp`` that describe it (outermost first)."""
        i = self._index(dp)
        path = self.paths[i]
        own = dp.label(self.lang)
        heads = path[:-1] if own and path and path[-1] == own else list(path)
        if not own or self.own_count[own] > 1:
            return heads  # a label such as "Liste" needs its header
        kept = []
        for depth, head in enumerate(heads):
            first = next(d for d, p in zip(self.dps, self.paths) if p[: depth + 1] == path[: depth + 1])
            shares = (set(dp.members) & set(first.members)) - self.common
            if first is dp or shares or _dims(dp) == _dims(first):
                kept.append(head)
        return kept

    def own_label(self, dp: Datapoint, fallback: str = "") -> str:
        """``dp``'s row label; without one, the label of the cells sharing its distinguishing member."""
        own = dp.label(self.lang) or fallback
        if own:
            return own
        i = self._index(dp)
        heads = self.paths[i]
        siblings = [d for d, p in zip(self.dps, self.paths) if p[: len(heads)] == heads and d is not dp]
        shared = set(dp.members)
        for s in siblings:
            shared &= set(s.members)
        mine = set(dp.members) - shared
        if not mine or not siblings:
            return ""
        found = Counter(
            d.label(self.lang)
            for d in self.catalog.datapoints
            if d.key != dp.key and d.label(self.lang) and mine <= set(d.members)
        )
        return found.most_common(1)[0][0] if found else ""
