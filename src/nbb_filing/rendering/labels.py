"""Row labels, read from the catalog, with a fallback for rows that carry only a rubric code.

Some tables of a package label their rows with the rubric code alone (the replica's synthetic
sections of m02-f, m82-f and m05-f do for ~130 rows).  For such a row the label is looked for, in
this order, and only for the rows the page shows:

1. in the model's own catalog: another cell of the same rubric code (same year first) that has a
   real label — no other model is read;
2. in the other models of the model's family (same part, e.g. ``-f``; see
   :meth:`RowLabels._sibling_models`) whose catalogs are already at hand (in memory or in the
   catalog cache: milliseconds each);
3. only when asked (``compile_siblings``: ``render --borrow-labels``), in the family's remaining
   models, compiled one at a time (seconds each on a cold cache, once per package: the cache keeps
   them), stopping at the first that has the label.  Not by default: in the replica no model of
   the family labels those rows, and compiling two models cost a first page of m82-f ~6 s of CPU
   for nothing.  The models left unread are named (:attr:`RowLabels.not_read`) and the page says
   how many rows kept their code because of it.

A row without any label (a typed list column, an identification cell whose name is its header
row) is not looked up: its name is on the page already (the column header or the row above), and
no model of a package names it differently.  So a page of a model whose own catalog labels its
rows (every official package, the replica's abbreviated and micro models) reads no other model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from nbb_filing.core.errors import NbbFilingError
from nbb_filing.filing.legal_form import load_legal_forms
from nbb_filing.taxonomy.catalog import Catalog, Datapoint
from nbb_filing.taxonomy.catalog_cache import cached_catalog


def _code_only(dp: Datapoint, text: str) -> bool:
    """Whether ``text`` is only one of ``dp``'s rubric codes (a row that lacks a real label)."""
    t = text.strip()
    return bool(t) and (t == dp.rubric or t in dp.other_rubrics)


def _codes(dp: Datapoint) -> tuple[str, ...]:
    return ((dp.rubric,) if dp.rubric else ()) + dp.other_rubrics


def _labelled(catalog: Catalog, dp: Datapoint, lang: str) -> Datapoint | None:
    """A cell of ``catalog`` that names ``dp`` with a real label: the same datapoint, else a cell of
    the same rubric code (same year first)."""
    found = catalog.by_key(dp.key)
    if found is not None and found is not dp and not _code_only(found, found.label(lang)):
        return found
    for code in _codes(dp):
        if not catalog.has_rubric(code):
            continue
        same = sorted(catalog.by_rubric(code), key=lambda c: c.period != dp.period)
        for cand in same:
            if cand is not dp and not _code_only(cand, cand.label(lang)):
                return cand
    return None


class RowLabels:
    """``labels.of(dp, lang)``: the row label of ``dp``, with the fallback of the module docstring.

    ``siblings`` replaces the package's other models (tests); ``loader(model)`` loads one (default:
    :meth:`Catalog.sibling`, which compiles on a cold cache) and is called only with
    ``compile_siblings``; ``peek(model)`` returns one only when it costs no compilation (default: the
    catalog cache).
    """

    def __init__(
        self,
        catalog: Catalog,
        siblings: Iterable[Catalog] | None = None,
        loader: Callable[[str], Catalog] | None = None,
        peek: Callable[[str], Catalog | None] | None = None,
        *,
        compile_siblings: bool = False,
    ) -> None:
        self.catalog = catalog
        self._given = list(siblings) if siblings is not None else None
        self._loader = loader or catalog.sibling
        self._peek = peek or self._cached
        self._compile = compile_siblings
        self.not_read: list[str] = []  # family models not at hand and not compiled (no compile_siblings)
        self.kept_code: set[str] = set()  # keys of rows left with their code while a model was not read
        self._loaded: list[Catalog] = []
        self._pending: list[str] | None = None  # sibling models not loaded yet, in the package's order
        self._peeked: set[str] = set()
        self.fallbacks: dict[str, str] = {}  # datapoint key -> model whose label was used
        self.compiled: list[str] = []  # models loaded without being at hand (compiled on a cold cache)

    def _cached(self, model: str) -> Catalog | None:
        pkg = self.catalog.package
        return cached_catalog(pkg, model, self.catalog.framework) if pkg is not None else None

    def _sibling_models(self) -> list[str]:
        """The other models of the package (same part) of the model's family, in the package's order.

        The family (``data/legal-forms.yaml``: with capital, without capital, associations) and not
        the whole package: a family's models are cut from its full model and share its rubric codes
        and their wording, while another family's row of the same code may say something else (10
        is the capital of a company with capital, the contributions of one without).  A model of no
        known family looks in every model of the package.
        """
        pkg = self.catalog.package
        if pkg is None:
            return []
        part = self.catalog.model.partition("-")[2]
        known = load_legal_forms().family_of_model(self.catalog.model)
        stems = {s for _, s in known[0].models} if known is not None else None
        return [
            m
            for m in pkg.models
            if m != self.catalog.model
            and m.partition("-")[2] == part
            and (stems is None or m.partition("-")[0] in stems)
        ]

    def _siblings(self) -> Iterator[Catalog]:
        """The other models, those at hand first, each loaded at most once and only when reached."""
        if self._given is not None:
            yield from self._given
            return
        i = 0
        while True:
            if i == len(self._loaded) and not self._load_next():
                return
            yield self._loaded[i]
            i += 1

    def _load_next(self) -> bool:
        """Load one more sibling (one at hand if any is left, else the next in the package's order)."""
        if self._pending is None:
            self._pending = self._sibling_models()
        for model in [m for m in self._pending if m not in self._peeked]:
            self._peeked.add(model)
            cat = self._peek(model)
            if cat is not None:
                self._pending.remove(model)
                self._loaded.append(cat)
                return True
        if not self._compile:
            self.not_read = list(self._pending)
            return False
        while self._pending:
            model = self._pending.pop(0)
            try:
                cat = self._loader(model)
            except NbbFilingError:
                continue
            self.compiled.append(model)
            self._loaded.append(cat)
            return True
        return False

    def of(self, dp: Datapoint, lang: str) -> str:
        own = dp.label(lang)
        if not _code_only(dp, own):
            return own
        found = _labelled(self.catalog, dp, lang)
        if found is not None:
            return found.label(lang)
        for other in self._siblings():
            found = _labelled(other, dp, lang)
            if found is not None:
                self.fallbacks[dp.key] = other.model
                return found.label(lang)
        if self.not_read:
            self.kept_code.add(dp.key)
        return own
