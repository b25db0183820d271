"""Two of Arelle's checks of the taxonomy itself, done once for a kept taxonomy instead of per filing.

When a model's taxonomy (DTS) is kept loaded (:mod:`nbb_filing.checks.session`, batches, ``watch``),
each filing is validated in a forked child, and Arelle's ``ValidateXbrl.validate`` checks in every
child, besides the filing, the whole taxonomy again.  Two of those checks depend on the taxonomy
alone and are the costliest: the XLink checks of every extended link (``checkLinks``, ~0.15 s per
filing for m82-f) and the source/target checks of the formula relationships
(``ValidateFormula.checkBaseSet``).  :func:`precheck` notes what they covered and logged during
the parent's one validation of the taxonomy alone (:mod:`nbb_filing.checks.taxonomy_checked`, which
does the same for the cycles, the dimensional base sets, the DTS documents and the variable-set
analysis); :func:`skip_prechecked`, called in a child (which is thrown away afterwards, so the
replacement never outlives one validation), makes Arelle check only what the filing added and puts
the kept messages in the child's log where Arelle would have logged them.  The concept checks
still run in every child.

Both Arelle functions are replaced by a wrapper that calls the original on the part not checked
yet: nothing of Arelle's logic is copied.  A filing whose load added links of other documents
(a linkbase of its own) or a schema the formula relationships point into is checked in full
(:func:`skip_prechecked` does nothing), since the taxonomy's messages could then differ.  ``tests/test_differential.py`` compares the
findings with full, bare Arelle runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nbb_filing.checks.taxonomy_checked import TaxonomyChecked, check_taxonomy, skip_checked
from nbb_filing.taxonomy.arelle_env import CapturedLog, LogRecord


@dataclass(frozen=True)
class PreChecked:
    """What the taxonomy's own link and formula-relationship checks found, and what they covered."""

    links: frozenset[Any]
    base_sets: frozenset[tuple[Any, ...]]
    generic_arcroles: frozenset[str]
    remote_locators: frozenset[Any]
    urls: frozenset[str]
    #: namespaces of the elements the formula relationships link (their check looks them up)
    endpoint_namespaces: frozenset[str]
    #: the taxonomy's other checks, and what they found clean (:mod:`nbb_filing.checks.taxonomy_checked`)
    taxonomy: TaxonomyChecked
    link_records: list[LogRecord] = field(default_factory=list)
    base_set_records: list[LogRecord] = field(default_factory=list)


def precheck(dts: Any) -> PreChecked:
    """In the parent, once: Arelle's validation of the taxonomy alone
    (:func:`nbb_filing.checks.taxonomy_checked.check_taxonomy`, which also compiles the
    assertions), noting what its link checks and its formula base-set checks covered and logged."""
    from arelle import ValidateXbrl
    from arelle.formula import ValidateFormula

    from nbb_filing.taxonomy import arelle_env

    check_links = ValidateXbrl.ValidateXbrl.checkLinks
    check_base_set = ValidateFormula.checkBaseSet
    link_records: list[LogRecord] = []
    base_set_records: list[LogRecord] = []
    keys: list[tuple[Any, ...]] = []
    links: dict[str, frozenset[Any]] = {}

    with arelle_env.capture() as log:

        def noting_links(self: Any, checked: set[Any]) -> None:
            before = len(log.records)
            check_links(self, checked)
            links["checked"] = frozenset(checked)
            links["generic"] = frozenset(self.genericArcArcroles)
            links["remote"] = frozenset(self.remoteResourceLocElements)
            link_records.extend(log.records[before:])

        def noting_base_set(val: Any, arcrole: str, elr: str, rels: Any) -> None:
            before = len(log.records)
            check_base_set(val, arcrole, elr, rels)
            keys.append((arcrole, elr, rels.linkqname, rels.arcqname))
            base_set_records.extend(log.records[before:])

        with arelle_env.replaced(
            (ValidateXbrl.ValidateXbrl, "checkLinks", noting_links),
            (ValidateFormula, "checkBaseSet", noting_base_set),
        ):
            taxonomy = check_taxonomy(dts)
    return PreChecked(
        links=links.get("checked", frozenset()),
        base_sets=frozenset(keys),
        generic_arcroles=links.get("generic", frozenset()),
        remote_locators=links.get("remote", frozenset()),
        urls=frozenset(dts.urlDocs),
        endpoint_namespaces=frozenset(
            obj.elementQname.namespaceURI
            for key in keys
            for rel in dts.relationshipSet(*key).modelRelationships
            for obj in (rel.fromModelObject, rel.toModelObject)
            if obj is not None
        ),
        link_records=link_records,
        base_set_records=base_set_records,
        taxonomy=taxonomy,
    )


def skip_prechecked(dts: Any, pre: PreChecked, log: CapturedLog) -> bool:
    """In a forked child, after the filing was loaded into ``dts``: let Arelle check only the links
    and formula base sets the filing added, the kept messages going to ``log``.  False (nothing
    replaced) when the load added links of another document than the filing, or a schema of a
    namespace the formula relationships point into (the taxonomy's messages could then differ);
    standard schemas an instance pulls in (``xbrldi``) add neither."""
    instance = dts.modelDocument
    added = [doc for url, doc in dts.urlDocs.items() if url not in pre.urls and doc is not instance]
    if any(getattr(doc, "targetNamespace", None) in pre.endpoint_namespaces for doc in added):
        return False
    links = {link for base_set_links in dts.baseSets.values() for link in base_set_links}
    if any(link.modelDocument is not instance for link in links - pre.links):
        return False
    from arelle import ValidateXbrl
    from arelle.formula import ValidateFormula

    check_links = ValidateXbrl.ValidateXbrl.checkLinks
    check_base_set = ValidateFormula.checkBaseSet
    replayed: set[str] = set()

    def links_not_prechecked(self: Any, links: set[Any]) -> None:
        self.genericArcArcroles.update(pre.generic_arcroles)
        self.remoteResourceLocElements.update(pre.remote_locators)
        log.records.extend(pre.link_records)
        check_links(self, {link for link in links if link not in pre.links})

    def base_set_not_prechecked(val: Any, arcrole: str, elr: str, rels: Any) -> None:
        if (arcrole, elr, rels.linkqname, rels.arcqname) not in pre.base_sets:
            check_base_set(val, arcrole, elr, rels)
        elif "done" not in replayed:
            replayed.add("done")
            log.records.extend(pre.base_set_records)

    ValidateXbrl.ValidateXbrl.checkLinks = links_not_prechecked
    ValidateFormula.checkBaseSet = base_set_not_prechecked
    skip_checked(dts, pre.taxonomy, log)
    return True
