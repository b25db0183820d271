"""Arelle's checks of the taxonomy alone, run once for a kept taxonomy; children skip what was clean.

Besides the filing, ``ValidateXbrl.validate`` checks in every forked child (see
:mod:`nbb_filing.checks.dts_prechecked`) three things that depend on the taxonomy alone:

* the **cycle search** of every relationship set whose arcrole forbids cycles (``fwdCycle``);
* the **dimensional relationship sets** (``ValidateXbrlDimensions.checkBaseSet``): hypercube and
  domain cycles, polymorphism, and, as a by-product, the dimension defaults the fact checks use;
* the **DTS documents** (``ValidateXbrlDTS.checkDTS``): href and linkbaseRef checks of every
  schema and linkbase;

and, before running the assertions, ``ValidateFormula.validate`` analyses every variable set again
(``evaluateModelVariableSet``: dependencies between variables and instances, the aspect model of
the filters, the variables of the messages).  Together ~0.2 s per filing for m82-f, for answers
that cannot change between filings.
:func:`check_taxonomy` runs Arelle's own ``ValidateXbrl.validate`` once on the kept taxonomy (the
entry schema, no instance, formulas compiled but not run) and notes, per part, what was checked
*without any message*, and what the variable-set analysis produced (its messages, and the
dependency tables it fills for ``ValidateFormula.validate``).  :func:`skip_checked`, in a child,
replaces the four functions by wrappers that return at once for those parts (putting back the
dimension defaults and the dependency tables Arelle would have computed, and the variable-set
messages) and call Arelle's function for anything else.  A cycle, dimension or document check
that logged anything at all in the parent is run again in every child, so a taxonomy's messages
are always Arelle's.  (The variable-set analysis leaves its results on the taxonomy's objects,
which the child inherits; its messages are replayed, since a second run would not repeat all of
them.)  Nothing of Arelle's logic is copied; ``tests/test_differential.py`` compares the
findings with full, bare Arelle runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nbb_filing.taxonomy.arelle_env import CapturedLog, LogRecord

#: a base set: (arcrole, link role, link QName, arc QName), as Arelle keys ``ModelXbrl.baseSets``
BaseSetKey = tuple[Any, Any, Any, Any]


@dataclass(frozen=True)
class TaxonomyChecked:
    """What Arelle's validation of the taxonomy alone found clean (see the module docstring)."""

    #: base sets whose cycle search found no cycle
    acyclic: frozenset[BaseSetKey]
    #: dimensional base sets, all checked without a message (empty when any logged one)
    dimension_sets: frozenset[BaseSetKey]
    #: ``dimensionDefaultConcepts``, ``qnameDimensionDefaults``, ``qnameDimensionContextElement`` after them
    dimension_state: tuple[dict[Any, Any], dict[Any, Any], dict[Any, Any]] | None
    #: documents whose DTS checks logged nothing (empty when any document's check logged)
    documents: frozenset[Any]
    #: what ``evaluateModelVariableSet`` added, None if it did not run
    variable_sets: VariableSetsChecked | None = None


@dataclass(frozen=True)
class VariableSetsChecked:
    """The effects of ``ValidateFormula.evaluateModelVariableSet`` on the tables it was given."""

    instance_names_before: frozenset[Any]
    instance_names_added: frozenset[Any]
    instance_dependencies: dict[Any, frozenset[Any]]
    producing_variable_sets: dict[Any, tuple[Any, ...]]
    records: list[LogRecord] = field(default_factory=list)


def base_set_key(relationship_set: Any) -> BaseSetKey:
    return (
        relationship_set.arcrole,
        relationship_set.linkrole,
        relationship_set.linkqname,
        relationship_set.arcqname,
    )


def link_base_sets(dts: Any) -> list[BaseSetKey]:
    """The base sets of ``dts`` that come from links (not Arelle's grouped ``XBRL-…`` ones): those
    ``ValidateXbrl.validate`` checks one by one."""
    return [
        key
        for key in dts.baseSets
        if isinstance(key[0], str) and not key[0].startswith("XBRL-") and None not in key[1:]
    ]


def _dimension_keys(dts: Any) -> set[BaseSetKey]:
    from arelle import XbrlConst

    return {key for key in link_base_sets(dts) if XbrlConst.isDimensionArcrole(key[0])}


def check_taxonomy(dts: Any) -> TaxonomyChecked:
    """In the parent, once per kept taxonomy: Arelle's instance-free validation of ``dts``, noting
    per part what logged nothing.  Also compiles every assertion (formulas are not run), which each
    child then inherits."""
    from arelle import ValidateXbrl, ValidateXbrlDimensions, ValidateXbrlDTS
    from arelle.formula import ValidateFormula

    from nbb_filing.taxonomy import arelle_env

    seen: set[BaseSetKey] = set()
    variable_sets: list[VariableSetsChecked] = []
    cyclic: set[BaseSetKey] = set()
    dimension_sets: set[BaseSetKey] = set()
    documents: set[Any] = set()
    logged = {"dimensions": False, "documents": False}
    fwd_cycle = ValidateXbrl.ValidateXbrl.fwdCycle
    check_base_set = ValidateXbrlDimensions.checkBaseSet
    check_dts = ValidateXbrlDTS.checkDTS
    evaluate_variable_sets = ValidateFormula.evaluateModelVariableSet

    with arelle_env.capture() as log:

        def noting_cycles(self: Any, relationship_set: Any, *args: Any, **kwargs: Any) -> Any:
            found = fwd_cycle(self, relationship_set, *args, **kwargs)
            (cyclic if found is not None else seen).add(base_set_key(relationship_set))
            return found

        def noting_dimensions(val: Any, arcrole: str, elr: str, relationship_set: Any) -> None:
            before = len(log.records)
            check_base_set(val, arcrole, elr, relationship_set)
            dimension_sets.add(base_set_key(relationship_set))
            logged["dimensions"] |= len(log.records) != before

        def noting_documents(val: Any, document: Any, checked: set[Any]) -> None:
            before = len(log.records)
            check_dts(val, document, checked)
            documents.add(document)
            logged["documents"] |= len(log.records) != before

        def noting_variable_sets(
            xpath_context: Any,
            options: Any,
            parameters: Any,
            names: set[Any],
            dependencies: Any,
            producing: Any,
            val: Any,
        ) -> None:
            before, names_before = len(log.records), frozenset(names)
            evaluate_variable_sets(xpath_context, options, parameters, names, dependencies, producing, val)
            variable_sets.append(
                VariableSetsChecked(
                    instance_names_before=names_before,
                    instance_names_added=frozenset(names) - names_before,
                    instance_dependencies={k: frozenset(v) for k, v in dependencies.items()},
                    producing_variable_sets={k: tuple(v) for k, v in producing.items()},
                    records=log.records[before:],
                )
            )

        # Arelle treats the documents under the entry's folder as the filer's own ("extension")
        # and checks their elements in full; a child's entry is the filing, elsewhere, so none of
        # the taxonomy's documents is: the parent must check them as a child would (and it would
        # otherwise spend ~4 s on the model's formula linkbases)
        uri_dir = dts.uriDir
        dts.uriDir = "nbb-filing:no-instance-folder/"
        try:
            with arelle_env.replaced(
                (ValidateXbrl.ValidateXbrl, "fwdCycle", noting_cycles),
                (ValidateXbrlDimensions, "checkBaseSet", noting_dimensions),
                (ValidateXbrlDTS, "checkDTS", noting_documents),
                (ValidateFormula, "evaluateModelVariableSet", noting_variable_sets),
            ):
                val = ValidateXbrl.ValidateXbrl(dts)
                val.validateFormulaCompileOnly = True  # read by ValidateFormula.validate: compile, do not run
                val.validate(dts)
        finally:
            dts.uriDir = uri_dir
    clean_dimensions = not logged["dimensions"] and dimension_sets == _dimension_keys(dts)
    return TaxonomyChecked(
        acyclic=frozenset(seen - cyclic),
        dimension_sets=frozenset(dimension_sets) if clean_dimensions else frozenset(),
        dimension_state=(
            (
                dict(dts.dimensionDefaultConcepts),
                dict(dts.qnameDimensionDefaults),
                dict(dts.qnameDimensionContextElement),
            )
            if clean_dimensions
            else None
        ),
        documents=frozenset() if logged["documents"] else frozenset(documents),
        # once (a second analysis would start from what the first left on the objects)
        variable_sets=variable_sets[0] if len(variable_sets) == 1 else None,
    )


def skip_checked(dts: Any, checked: TaxonomyChecked, log: CapturedLog) -> None:
    """In a forked child, after the filing was loaded into ``dts`` (and only when it added no links
    of its own, see :func:`nbb_filing.checks.dts_prechecked.skip_prechecked`): let Arelle skip the
    parts :func:`check_taxonomy` found clean.  The child is thrown away afterwards, so the
    replacements never outlive one validation."""
    from arelle import ValidateXbrl, ValidateXbrlDimensions, ValidateXbrlDTS
    from arelle.formula import ValidateFormula

    fwd_cycle = ValidateXbrl.ValidateXbrl.fwdCycle
    check_base_set = ValidateXbrlDimensions.checkBaseSet
    check_dts = ValidateXbrlDTS.checkDTS
    evaluate_variable_sets = ValidateFormula.evaluateModelVariableSet
    analysed = checked.variable_sets
    state = checked.dimension_state
    # the filing must have brought no dimensional base set of its own (it cannot, without a linkbase)
    skip_dimensions = state is not None and _dimension_keys(dts) == checked.dimension_sets
    restored: list[bool] = []

    def cycles_not_checked(self: Any, relationship_set: Any, *args: Any, **kwargs: Any) -> Any:
        if self.modelXbrl is dts and base_set_key(relationship_set) in checked.acyclic:
            return None
        return fwd_cycle(self, relationship_set, *args, **kwargs)

    def dimensions_not_checked(val: Any, arcrole: str, elr: str, relationship_set: Any) -> None:
        if skip_dimensions and val.modelXbrl is dts and base_set_key(relationship_set) in checked.dimension_sets:
            if not restored:  # ValidateXbrl.validate emptied the three tables just before its loop
                assert state is not None
                dts.dimensionDefaultConcepts.update(state[0])
                dts.qnameDimensionDefaults.update(state[1])
                dts.qnameDimensionContextElement.update(state[2])
                restored.append(True)
            return
        check_base_set(val, arcrole, elr, relationship_set)

    def documents_not_checked(val: Any, document: Any, checked_documents: set[Any]) -> None:
        if val.modelXbrl is dts and document in checked.documents:
            checked_documents.add(document)
            return
        check_dts(val, document, checked_documents)

    def variable_sets_not_analysed(
        xpath_context: Any, options: Any, parameters: Any, names: set[Any], dependencies: Any, producing: Any, val: Any
    ) -> None:
        if analysed is not None and val.modelXbrl is dts and frozenset(names) == analysed.instance_names_before:
            names |= analysed.instance_names_added
            for name, depends_on in analysed.instance_dependencies.items():
                dependencies[name] |= depends_on
            for name, variable_sets in analysed.producing_variable_sets.items():
                producing[name].extend(variable_sets)
            log.records.extend(analysed.records)
            return
        evaluate_variable_sets(xpath_context, options, parameters, names, dependencies, producing, val)

    ValidateXbrl.ValidateXbrl.fwdCycle = cycles_not_checked
    ValidateXbrlDimensions.checkBaseSet = dimensions_not_checked
    ValidateXbrlDTS.checkDTS = documents_not_checked
    ValidateFormula.evaluateModelVariableSet = variable_sets_not_analysed
