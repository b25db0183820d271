"""Row labels, read from the catalog, with a fallback for rows that carry only a rubric code.

Some tables of a package label their rows with the rubric code alone (the replica's synthetic
sections of m02-f, m82-f and m05-f do for ~90 rows).  For those rows the label of the same
datapoint, else of the same rubric code (same year first), in another model of the same package
is used — the models are loaded only when such a row is met, in the package's order, and each at
most once per render.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from nbb_filing.core.errors import NbbFilingError
from nbb_filing.taxonomy.catalog import Catalog, Datapoint


def _code_only(dp: Datapoint, text: str) -> bool:
    t = text.strip()
    return not t or t == dp.rubric or t in dp.other_rubrics


class RowLabels:
    """``labels.of(dp, lang)``: the row label of ``dp``, with the sibling-model fallback."""

    def __init__(
        self,
        catalog: Catalog,
        siblings: Iterable[Catalog] | None = None,
        loader: Callable[[str], Catalog] | None = None,
    ) -> None:
        self.catalog = catalog
        self._given = list(siblings) if siblings is not None else None
        self._loader = loader
        self._loaded: list[Catalog] | None = None
        self.fallbacks: dict[str, str] = {}  # datapoint key -> model whose label was used

    def _siblings(self) -> list[Catalog]:
        if self._given is not None:
            return self._given
        if self._loaded is None:
            self._loaded = []
            pkg = self.catalog.package
            if pkg is not None:
                suffix = self.catalog.model.rsplit("-", 1)[-1]
                for model in pkg.models:
                    if model == self.catalog.model or not model.endswith("-" + suffix):
                        continue
                    try:
                        self._loaded.append(self._loader(model) if self._loader else self.catalog.sibling(model))
                    except NbbFilingError:
                        continue
        return self._loaded

    def of(self, dp: Datapoint, lang: str) -> str:
        own = dp.label(lang)
        if not _code_only(dp, own):
            return own
        for other in self._siblings():
            cand = other.by_key(dp.key)
            if cand is None and dp.rubric and other.has_rubric(dp.rubric):
                same = other.by_rubric(dp.rubric)
                cand = next((c for c in same if c.period == dp.period), same[0])
            if cand is not None and not _code_only(cand, cand.label(lang)):
                self.fallbacks[dp.key] = other.model
                return cand.label(lang)
        return own
