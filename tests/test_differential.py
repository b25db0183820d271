"""Differential test: ``validate`` (table and label linkbases skipped, DTS reused across files) against
bare Arelle (every file loaded in full by Arelle's own front end) must find the same problems.

Compared per file: the ids of the assertions with an unsatisfied evaluation, and the codes of the
error-level XBRL 2.1 / XDT / schema messages.  Files: the SmartCoop m82-f sample as generated, the
accepted m87-f filing and three mutated copies of it (broken total, member not admitted, negative
amount of a non-negative type).  ``validate`` gets the m87 files as filed (framework 23.0, it moves
them itself); bare Arelle gets them moved to the package's framework by
:func:`~nbb_filing.taxonomy.filing_xml.retarget_framework` (it cannot resolve 23.0 with the replica).

Cost, and why it is not less: bare Arelle loads each of the 5 files in full (5 loads, in ONE
subprocess and one Arelle session, running while ``validate`` works on the other core);
``validate`` makes one call: 2 taxonomy loads (m82-f, m87-f) + 5 instance validations on them.
Fewer files would drop a case: the sample is the only m82-f instance (and the only one without
retargeting); the original m87 checks "nothing extra is found"; each mutation is its own file so
that one finding cannot hide another and no state can leak between files unnoticed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import ROOT

XBRLI = "http://www.xbrl.org/2003/instance"
XBRLDI = "http://xbrl.org/2006/xbrldi"


def _broken_total(root: etree._Element) -> None:
    root.find("*[@id='f60']").text = "554000.00"  # TOTAL DE L'ACTIF 20/58: 554894.28 in the filing


def _bad_member(root: etree._Element) -> None:
    ctx = root.find(f"{{{XBRLI}}}context[@id='c40']")
    member = next(m for m in ctx.iter(f"{{{XBRLDI}}}explicitMember") if m.get("dimension") == "dim:part")
    member.text = "part:m3"  # a member the hypercube does not admit


def _negative(root: etree._Element) -> None:
    root.find("*[@id='f42']").text = "-82450.65"  # met:am1 is non-negative


MUTATIONS = {"total": _broken_total, "member": _bad_member, "negative": _negative}


@pytest.fixture(scope="module")
def differential(tmp_path_factory, package, network_guard, accepted_m87):
    from nbb_filing.api import generate
    from nbb_filing.checks.validate import validate_files
    from nbb_filing.taxonomy.filing_xml import parse_filing, retarget_framework

    d = tmp_path_factory.mktemp("differential")
    ours: dict[str, Path] = {"sample": generate(ROOT / "samples/smartcoop-2024/dossier.yaml", d / "sample.xbrl").output}
    ours["m87"] = accepted_m87
    for name, mutate in MUTATIONS.items():
        tree = etree.parse(str(accepted_m87))
        mutate(tree.getroot())
        ours[name] = d / f"m87-{name}.xbrl"
        tree.write(str(ours[name]), xml_declaration=True, encoding="UTF-8")
    bare: dict[str, Path] = {"sample": ours["sample"]}
    for name in ("m87", *MUTATIONS):
        moved, changes = retarget_framework(parse_filing(ours[name]), package.frameworks[0])
        assert changes, "the accepted filing is of framework 23.0: it must be moved"
        bare[name] = d / f"bare-{name}.xbrl"
        moved.write(str(bare[name]), xml_declaration=True, encoding="UTF-8")

    out = d / "bare.json"
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "bare_arelle.py"), str(package.path), str(out), *map(str, bare.values())],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with network_guard.watch():
            report = validate_files(list(ours.values()), package, lang="fr")
    finally:
        _, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err[-2000:]
    reference = json.loads(out.read_text(encoding="utf-8"))
    by_path = {f.path: f for f in report.files}
    return {name: (by_path[str(ours[name])], reference[str(bare[name])]) for name in ours}


def _ours(report) -> tuple[list[str], list[str]]:
    unsatisfied = sorted(a.id for a in report.assertions if a.not_satisfied)
    errors = sorted({x.rule for x in report.findings if x.source == "xbrl" and x.effect == "blocking"})
    return unsatisfied, errors


@pytest.mark.parametrize("name", ["sample", "m87", *MUTATIONS])
def test_same_unsatisfied_assertions_and_xbrl_errors_as_bare_arelle(differential, name):
    mine, reference = differential[name]
    assert mine.error is None
    assert reference["assertions"], "bare Arelle counted no assertion: its counts were not read"
    unsatisfied, errors = _ours(mine)
    assert unsatisfied == reference["unsatisfied"]
    assert errors == reference["errors"]
    # and every assertion bare Arelle counted was loaded here too (nothing of the formulas skipped)
    assert set(reference["assertions"]) <= {a.id for a in mine.assertions}


def test_the_mutations_are_found(differential):
    """The comparison above means something only if the mutated files do differ from the original."""
    original = _ours(differential["m87"][0])
    assert original == ([], [])
    assert "va_calc_14" in _ours(differential["total"][0])[0]
    assert "xbrldie:PrimaryItemDimensionallyInvalidError" in _ours(differential["member"][0])[1]
    negative = _ours(differential["negative"][0])
    assert negative[0] or negative[1]
