"""Warming a loaded taxonomy (DTS) once before forked validations reuse it.

:func:`nbb_filing.checks.validate.validate_files` (reuse mode) and ``nbb-filing watch`` validate
each instance in a child process forked from a parent that holds the model's loaded taxonomy.
Whatever Arelle computes lazily from the taxonomy alone and caches would otherwise be computed
again in every child and thrown away with it; computed once in the parent, every child inherits it.
Only pure functions of the taxonomy are warmed, so no validation result can change
(``tests/test_differential.py`` and ``tests/test_watch.py`` compare with unwarmed, full loads).
"""

from __future__ import annotations

from typing import Any

from nbb_filing.checks.taxonomy_checked import link_base_sets

#: concept properties Arelle caches on first use and asks for every fact of every validation
_CONCEPT_CACHES = (
    "isEnumeration",
    "isNumeric",
    "isItem",
    "isTuple",
    "baseXbrliType",
    "isDimensionItem",
    "isHypercubeItem",
    "isTypedDimension",
    "isExplicitDimension",
)

#: arc attributes Arelle caches on first use; the formula filters and XDT checks read them per fact
_RELATIONSHIP_CACHES = ("isComplemented", "isCovered", "isClosed")


def warm(dts: Any) -> None:
    """Fill, once in the parent, the DTS-level caches each forked child would otherwise fill again:
    the relationship set of every base set of the taxonomy (the instance adds none of those) and
    the cached arc attributes of its relationships, and the cached type tests of every concept.
    Pure functions of the taxonomy: no result changes."""
    for key in link_base_sets(dts):
        for relationship in dts.relationshipSet(*key).modelRelationships:
            for name in _RELATIONSHIP_CACHES:
                getattr(relationship, name)
    for concept in list(dts.qnameConcepts.values()):
        for name in _CONCEPT_CACHES:
            try:
                getattr(concept, name)
            except Exception:  # pragma: no cover - a property a concept kind does not support
                pass
    _memoise_substitution_groups(dts)


def _memoise_substitution_groups(dts: Any) -> None:
    """Arelle asks "is element E in substitution group G?" for every element of every instance it
    validates (tens of thousands of times per filing), walking the chain each time; the answer
    depends on the taxonomy only (an instance declares no element), so it is kept per question."""
    uncached = dts.isInSubstitutionGroup
    answers: dict[tuple[Any, Any], bool] = {}

    def is_in(element: Any, groups: Any) -> bool:
        try:
            key = (element, groups if not isinstance(groups, list) else tuple(groups))
            hash(key)
        except TypeError:
            return bool(uncached(element, groups))
        found = answers.get(key)
        if found is None:
            found = answers[key] = bool(uncached(element, groups))
        return found

    dts.isInSubstitutionGroup = is_in
