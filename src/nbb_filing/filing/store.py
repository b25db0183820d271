"""The typed fact store: the facts of one filing, each checked against its datapoint as it is added.

Every producer of facts (identification, rubric figures, the notes) adds through :class:`FactStore`,
so the rules hold whatever the source: no two facts for one datapoint (one line naming both
sources), every value fits the type of its datapoint, every enumeration value is in the package's
list.  What the model has no place for is reported in :attr:`FactStore.left_out` rather than dropped
silently; what is written but deserves a look goes in :attr:`FactStore.warnings`.

One exception to "no two facts": a figure the dossier states that a previous filing may state too
(the previous-year column of the social balance sheet) is marked with :meth:`FactStore.state`;
the dossier's figure is kept and a different one is reported, not refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from nbb_filing.core.errors import InputError, RubricNotFound
from nbb_filing.filing.binding import FieldSpec, RoleSpec, resolve_field
from nbb_filing.taxonomy.catalog import Catalog, Datapoint, MetricType
from nbb_filing.taxonomy.values import check_value, match_enum


@dataclass(frozen=True)
class Fact:
    """One fact: a datapoint, its typed-dimension values and a Python value.

    ``value`` is a :class:`Decimal` (numbers), :class:`date`, :class:`bool`, :class:`bytes`
    (base64 documents), or :class:`str` (text, or an enumeration member QName such as
    ``lgf:m706``).  The instance writer formats it by the datapoint's type.
    """

    datapoint: Datapoint
    typed: tuple[tuple[str, str], ...]  # (typed dimension, value), sorted by dimension
    value: Any
    source: str

    @property
    def identity(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        return (self.datapoint.key, self.typed)


@dataclass(frozen=True)
class FactSet:
    facts: tuple[Fact, ...]
    left_out: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # the filing is written, but the preparer should look (630 vs notes ...)


class FactStore:
    """The facts of one filing under construction, keyed by datapoint and typed-dimension values."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.facts: dict[tuple, Fact] = {}
        self.left_out: list[str] = []
        self.warnings: list[str] = []
        # facts the dossier states that a previous filing may state too (previous-year social
        # balance sheet): the dossier's figure is kept, a different one is reported, not an error
        self.stated: set[tuple] = set()

    def add(self, dp: Datapoint, value: Any, source: str, typed: Iterable[tuple[str, str]] = ()) -> None:
        fact = Fact(dp, tuple(sorted(typed)), value, source)
        prev = self.facts.get(fact.identity)
        if prev is not None and fact.identity in self.stated:
            if prev.value != value:
                self.left_out.append(
                    f"{source} gives {value} for {dp.rubric or dp.label('en')}, {prev.source} gives {prev.value}; "
                    f"the dossier's figure is written"
                )
            return
        if prev is not None:
            raise InputError(
                f"two values for datapoint {dp.rubric or dp.label('en')} ({dp.key}): "
                f"from {prev.source} and from {source}; keep only one"
            )
        self.facts[fact.identity] = fact

    def check_value(self, dp: Datapoint, value: Any, where: str, what: str) -> None:
        mt = self.catalog.metric_type(dp)
        why = check_value(mt, value)
        if why:
            raise InputError(f"{where}: {what} {why}")

    def enum_value(self, mt: MetricType, given: str, where: str) -> str:
        """The member QName of ``given`` (QName, code or label) in the list of ``mt``."""
        found = match_enum(mt, given)
        if found is None:
            from nbb_filing.taxonomy.enum_lists import values_command

            raise InputError(
                f"{where}: {given!r} is not a value of the package list {mt.metric} ({len(mt.enum_values)} values: "
                f"code, QName or label; list them with `{values_command(mt.metric, self.catalog.model)}`)"
            )
        return found

    def put(self, role: RoleSpec, f: FieldSpec, typed: dict[str, str], value: Any, where: str) -> None:
        """Add the fact of field ``f`` of ``role`` (value converted per type), or note it as left out."""
        if value is None or value == "" or value == ():
            return
        dp = resolve_field(self.catalog, f, typed.keys())
        if dp is None:
            self.left_out.append(f"{where}: model {self.catalog.model} has no datapoint for {role.name}.{f.name}")
            return
        mt = self.catalog.metric_type(dp)
        if mt.kind == "enum":
            value = self.enum_value(mt, str(value), where)
        self.check_value(dp, value, where, f"value {show_value(value)}")
        self.add(dp, value, where, typed.items())

    def state(self, dp: Datapoint) -> None:
        """Mark the (untyped) fact of ``dp`` as the dossier's own statement (see the module docstring)."""
        self.stated.add((dp.key, ()))

    def get(self, dp: Datapoint) -> Fact | None:
        """The untyped fact of ``dp`` written so far, if any."""
        return self.facts.get((dp.key, ()))

    def amount(self, code: str, period: str) -> Decimal | None:
        """The figure written so far for rubric ``code`` in ``period`` (None: no fact, or no such rubric)."""
        try:
            dp = self.catalog.lookup(code, period)
        except RubricNotFound:
            return None
        f = self.facts.get((dp.key, ()))
        return f.value if f is not None else None

    def fact_set(self) -> FactSet:
        """The facts in catalog order, with what was left out and the warnings."""
        facts = sorted(self.facts.values(), key=lambda f: (f.datapoint.order, f.typed))
        return FactSet(tuple(facts), tuple(self.left_out), tuple(self.warnings))


def show_value(value: Any) -> str:
    """A short quoted form of ``value`` for messages (documents as their size)."""
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    text = str(value)
    return repr(text if len(text) < 40 else text[:37] + "...")
