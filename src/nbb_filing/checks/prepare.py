"""One filing, everything but Arelle: read it, identify its model, run the protocol, product and
completeness checks, and say what Arelle will load (the file, or its copy moved to the package's
framework).

:mod:`nbb_filing.checks.validate` does this part in the process that was called, before Arelle runs
(in the same process, or in a forked child on a kept taxonomy: :mod:`nbb_filing.checks.kept_dts`);
a session (``watch``) does it while the kept child already validates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from nbb_filing.checks.completeness import NO_DOSSIER, CompletenessContext, check_completeness
from nbb_filing.checks.findings import INFO, FileReport, Finding, ProtocolRuleResult
from nbb_filing.core.errors import InputError
from nbb_filing.taxonomy.filing_xml import SchemaRefInfo
from nbb_filing.taxonomy.packages import PackageInfo

#: Temporary folders of a validation: ``<tmp>/nbb-validate-<pid>-xxxx`` (swept once their owner is dead).
TEMP_PREFIX = "nbb-validate-"


@dataclass
class Job:
    """What the Arelle part needs for one file once the XML part is done."""

    target: Path  # what Arelle loads: the file itself, or its copy moved to the package's framework
    model: str
    catalog: Any
    line_by_id: dict[str, int]
    #: the parsed file, kept only where asked (a session compares it with the next one); a batch
    #: keeps no trees, it would hold every file's in memory
    tree: etree._ElementTree | None = None


def prepare(
    report: FileReport,
    path: Path,
    info: PackageInfo,
    lang: str,
    tmp: Path,
    context: CompletenessContext = NO_DOSSIER,
    keep_tree: bool = False,
) -> Job:
    """Everything but Arelle: read, identify the model, move the framework, run the protocol rules
    and the completeness check."""
    return check_filing(report, open_filing(report, path, info), info, lang, tmp, context, keep_tree)


@dataclass
class Opened:
    """A filing read and identified (its model's catalog at hand), nothing checked yet."""

    path: Path
    size: int
    tree: etree._ElementTree
    ref: SchemaRefInfo
    model: str
    catalog: Any
    line_by_id: dict[str, int]


def open_filing(report: FileReport, path: Path, info: PackageInfo) -> Opened:
    """Read the file, identify its model, refuse references outside the package."""
    from nbb_filing.taxonomy.catalog_cache import load_catalog
    from nbb_filing.taxonomy.filing_xml import parse_filing, refuse_foreign_references, schema_ref

    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    tree = parse_filing(path)
    ref = schema_ref(tree.getroot())
    if ref.model is None:
        raise InputError(
            f"{path}: the schemaRef {ref.href!r} is not an NBB CBSO entry point (…/cbso/fws/<version>/mod/<mXX>/<mXX-f>.xsd)"
        )
    if ref.model not in info.models:
        raise InputError(f"{path}: model {ref.model} is not in taxonomy package {info.path.name} ({info.version})")
    refuse_foreign_references(tree.getroot(), str(path), info.entry_point(ref.model).url)  # before Arelle sees it
    report.model = ref.model
    report.framework = ref.framework
    catalog = load_catalog(info, ref.model)
    report.validated_with = catalog.framework
    line_by_id = {el.get("id"): el.sourceline for el in tree.getroot() if isinstance(el.tag, str) and el.get("id")}
    return Opened(path, size, tree, ref, ref.model, catalog, line_by_id)


def check_filing(
    report: FileReport,
    opened: Opened,
    info: PackageInfo,
    lang: str,
    tmp: Path,
    context: CompletenessContext,
    keep_tree: bool,
) -> Job:
    """The checks of an opened filing that are not Arelle's (protocol and product rules,
    completeness), and what Arelle will load (the file, or its copy moved to the package's framework)."""
    from nbb_filing.checks import product_rules, protocol
    from nbb_filing.reading.reader import read_tree

    path, size, tree, ref, catalog = opened.path, opened.size, opened.tree, opened.ref, opened.catalog
    facts = read_tree(tree, info, path=path, catalog=catalog)
    report.facts = len(facts.facts) + len(facts.unresolved)
    report.retargeted = tuple(facts.retargeted)
    if facts.retargeted:
        report.findings.append(
            Finding(
                rule="framework_retargeted",
                source="framework",
                family="framework",
                effect=INFO,
                message=(
                    f"written with framework {ref.framework}, validated with framework {catalog.framework} of "
                    f"package {info.version}: "
                    + "; ".join(facts.retargeted[:3])
                    + (f"; … ({len(facts.retargeted)} changes)" if len(facts.retargeted) > 3 else "")
                ),
            )
        )

    pin = protocol.ProtocolInput(path=path, size=size, root=tree.getroot(), facts=facts, catalog=catalog, lang=lang)
    for rule in (*protocol.RULES, *product_rules.RULES):  # the product's own checks run after the protocol's
        found = list(rule(pin))
        report.protocol_rules.append(ProtocolRuleResult(rule.__name__, protocol.title(rule), len(found)))
        report.findings.extend(found)
    report.completeness = check_completeness(catalog, ((f.datapoint, f.value) for f in facts.facts), context)

    line_by_id = opened.line_by_id
    if facts.retargeted:
        tmp.mkdir(parents=True, exist_ok=True)
        target = tmp / path.name
        target.write_bytes(serialise_retargeted(tree.getroot(), catalog.framework))
    else:
        target = path.resolve()
    return Job(
        target=target, model=opened.model, catalog=catalog, line_by_id=line_by_id, tree=tree if keep_tree else None
    )


def serialise_retargeted(orig_root: etree._Element, framework: str) -> bytes:
    """The filing moved to ``framework`` (schemaRef, enumeration namespaces), as bytes Arelle loads.

    :func:`nbb_filing.taxonomy.filing_xml.retarget_framework` keeps every prefix declared (those used only
    in QName values too) and the source lines, so line numbers in Arelle's messages still match
    the user's file.
    """
    from nbb_filing.taxonomy.filing_xml import retarget_framework

    new_tree, _ = retarget_framework(etree.ElementTree(orig_root), framework)
    return etree.tostring(new_tree, xml_declaration=True, encoding="UTF-8")
