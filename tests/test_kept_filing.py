"""A session's last file kept loaded (:mod:`nbb_filing.checks.kept_filing`): when the next file
differs only in fact values, the child that kept the previous one validates it, and the report must
be the one a fresh child gives (which ``tests/test_differential.py`` compares with bare Arelle).

The comparison of two files is tested on small documents; the session on the accepted m87-f filing
(moved to the package's framework, as ``generate`` writes it), edited the way an accountant's save
edits a filing, with valid and invalid values.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from lxml import etree

XBRLI = "http://www.xbrl.org/2003/instance"
XBRLDI = "http://xbrl.org/2006/xbrldi"

DOC = b"""<?xml version="1.0" encoding="UTF-8"?>
<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:xbrldi="http://xbrl.org/2006/xbrldi"
  xmlns:met="urn:met" xmlns:dim="urn:dim" xmlns:prd="urn:prd">
  <!-- made by a test -->
  <xbrli:context id="c1"><xbrli:scenario><xbrldi:explicitMember dimension="dim:prd">prd:m2</xbrldi:explicitMember></xbrli:scenario></xbrli:context>
  <met:am1 contextRef="c1" decimals="INF" unitRef="EUR">10.00</met:am1>
  <met:str1 contextRef="c1">Brussels</met:str1>
  <met:am2 contextRef="c1" decimals="INF" unitRef="EUR">-3.00</met:am2>
</xbrli:xbrl>
"""


def _tree(data: bytes = DOC) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(data, etree.XMLParser()))


def _edited(old: bytes, new: bytes) -> etree._ElementTree:
    assert old in DOC
    return _tree(DOC.replace(old, new))


def test_the_same_file_has_no_changes_and_a_new_amount_is_one_change():
    from nbb_filing.checks.kept_filing import snapshot, text_changes

    kept = snapshot(_tree())
    assert text_changes(kept, _tree()) == []
    new = _edited(b">10.00<", b">12.50<")
    changes = text_changes(kept, new)
    root = new.getroot()
    assert changes == [(root.index(root.find("{urn:met}am1")), "12.50")]
    assert root.find("{urn:met}am1").text == "12.50"  # the comparison leaves the new tree as it was
    # a text, and a fact emptied: both are changes of facts
    assert text_changes(kept, _edited(b">Brussels<", b">Li\xc3\xa8ge<"))[0][1] == "Li\u00e8ge"
    assert text_changes(kept, _edited(b">-3.00<", b"><"))[0][1] == ""


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        (b">prd:m2<", b">prd:m1<", "a context's member"),
        (b'decimals="INF" unitRef="EUR">10', b'decimals="2" unitRef="EUR">10', "an attribute of a fact"),
        (b'xmlns:prd="urn:prd"', b'xmlns:prd="urn:other"', "a namespace behind a QName value"),
        (b"made by a test", b"made by another test", "a comment"),
        (b">Brussels<", b">Brussels\nBelgium<", "a line break more: the next elements move down"),
        (b"  <met:am2", b"<met:am2", "the whitespace between elements"),
        (b'<met:str1 contextRef="c1">Brussels</met:str1>', b"", "a fact less"),
        (
            b">10.00</met:am1>",
            b">10.00</met:am1><met:am1 contextRef='c1' decimals='INF' unitRef='EUR'>1</met:am1>",
            "a fact more",
        ),
    ],
)
def test_any_other_difference_needs_a_fresh_load(old, new, why):
    from nbb_filing.checks.kept_filing import snapshot, text_changes

    assert text_changes(snapshot(_tree()), _edited(old, new)) is None, why


def test_the_xml_declaration_counts_too():
    from nbb_filing.checks.kept_filing import snapshot, text_changes

    latin = DOC.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')
    assert text_changes(snapshot(_tree()), _tree(latin)) is None


# ---------------------------------------------------------------------- a session, with Arelle


def _broken_total(root: etree._Element) -> None:
    root.find("*[@id='f60']").text = "554000.00"  # TOTAL DE L'ACTIF 20/58: 554894.28 in the filing


def _negative(root: etree._Element) -> None:
    root.find("*[@id='f42']").text = "-82450.65"  # met:am1 is non-negative: refused at load


def _other_amount(root: etree._Element) -> None:
    root.find("*[@id='f42']").text = "82451.65"


def _bad_member(root: etree._Element) -> None:
    ctx = root.find(f"{{{XBRLI}}}context[@id='c40']")
    member = next(m for m in ctx.iter(f"{{{XBRLDI}}}explicitMember") if m.get("dimension") == "dim:part")
    member.text = "part:m3"  # a member the hypercube does not admit: another context


@pytest.fixture(scope="module")
def m87_as_generated(tmp_path_factory, accepted_m87, package, network_guard) -> Path:
    """The accepted m87-f filing moved to the package's framework: what the kept child can take."""
    from nbb_filing.taxonomy.filing_xml import parse_filing, retarget_framework

    moved, _ = retarget_framework(parse_filing(accepted_m87), package.frameworks[0])
    path = tmp_path_factory.mktemp("kept") / "m87.xbrl"
    moved.write(str(path), xml_declaration=True, encoding="UTF-8")
    return path


def _write(original: Path, path: Path, *edits) -> None:
    tree = etree.parse(str(original))
    for edit in edits:
        edit(tree.getroot())
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def _report(validation) -> dict:
    """The whole JSON report but its timings."""
    from nbb_filing.checks.report_formats import report_dict

    def strip(o):
        if isinstance(o, dict):
            return {k: strip(v) for k, v in o.items() if "seconds" not in k}
        if isinstance(o, list):
            return [strip(v) for v in o]
        return o

    return strip(json.loads(json.dumps(report_dict(validation))))


def test_value_edits_are_validated_on_the_kept_load_with_a_fresh_childs_report(m87_as_generated, package, tmp_path):
    from nbb_filing.checks import kept_dts, validate
    from nbb_filing.checks.session import ValidationSession

    path = tmp_path / "filing.xbrl"
    steps = [
        ("as filed", (), False),
        ("a total broken", (_broken_total,), True),
        ("an amount refused by its type", (_negative,), True),
        ("back as filed (the last load logged an error)", (), False),
        ("another amount", (_other_amount,), True),
        ("a member changed", (_other_amount, _bad_member), False),
        ("as filed again (another context than the kept one)", (), False),
    ]
    session = ValidationSession(package, lang="fr")
    try:
        for name, edits, kept in steps:
            _write(m87_as_generated, path, *edits)
            before = session.kept_loads
            ours = session.validate(path)
            assert session.kept_loads - before == int(kept), name
            assert kept_dts.kept_filing_pid() is not None, f"{name}: the file is kept loaded for the next edit"
            fresh = validate.validate_files([path], package, "fr", reuse=True)
            assert _report(ours) == _report(fresh), name
            found = {f.rule for f in ours.files[0].findings}
            if _broken_total in edits:
                assert any(r.startswith("va_") for r in found), found
            if _negative in edits:
                assert "xmlSchema:valueError" in found or any("valueError" in r for r in found), found
    finally:
        session.close()
    assert kept_dts.kept_filing_pid() is None


def test_a_kept_child_that_died_is_replaced_by_a_fresh_one(m87_as_generated, package, tmp_path):
    from nbb_filing.checks import kept_dts, validate
    from nbb_filing.checks.session import ValidationSession

    path = tmp_path / "filing.xbrl"
    _write(m87_as_generated, path)
    with ValidationSession(package, lang="fr") as session:
        session.validate(path)
        pid = kept_dts.kept_filing_pid()
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        _write(m87_as_generated, path, _broken_total)
        ours = session.validate(path)
        assert session.kept_loads == 0
        assert _report(ours) == _report(validate.validate_files([path], package, "fr", reuse=True))
        assert any(f.rule.startswith("va_") for f in ours.files[0].findings)
        pid = kept_dts.kept_filing_pid()
        assert pid is not None and Path(f"/proc/{pid}").exists()
    # the session's end ends the kept child (reaped: no zombie left)
    assert not Path(f"/proc/{pid}").exists()


# ---------------------------------------------------------------------- the formula run on two cores


def test_the_assertions_are_cut_in_two_halves_in_arelles_order(package):
    from nbb_filing.checks import kept_dts
    from nbb_filing.checks.formula_halves import halves

    dts = kept_dts.load_dts(package, "m87-f")
    cut = halves(dts)
    assert cut is not None
    first, second = cut
    assert first and second and abs(len(first) - len(second)) <= 1
    assert first + second == list(dts.modelVariableSets)  # the order Arelle's analysis lists them in
    backwards = list(reversed(list(dts.modelVariableSets)))
    assert halves(dts, backwards) == (backwards[: len(first)], backwards[len(first) :])
    assert halves(dts, backwards[1:]) is None  # an evaluation that leaves some out is not cut


@pytest.mark.parametrize("grandchild", [True, False], ids=["grandchild", "no-grandchild"])
def test_a_run_on_two_cores_reports_what_a_single_run_reports(
    m87_as_generated, package, tmp_path, monkeypatch, grandchild
):
    """A session's child cuts the formula run in two (a grandchild evaluates the second half); with no
    grandchild (it could not be forked, or failed) the child evaluates both halves itself."""
    from nbb_filing.checks import formula_halves, validate
    from nbb_filing.checks.session import ValidationSession

    marks = tmp_path / "forked"
    marks.mkdir()
    fork_half = formula_halves._fork_half

    def noting():  # runs in the validation child: a file tells the test it ran
        (marks / str(os.getpid())).touch()
        return fork_half() if grandchild else ((lambda: None), -1)

    monkeypatch.setattr(formula_halves, "_fork_half", noting)
    path = tmp_path / "filing.xbrl"
    _write(m87_as_generated, path, _broken_total)
    with ValidationSession(package, lang="fr") as session:
        ours = session.validate(path)
        monkeypatch.setattr(formula_halves, "_fork_half", fork_half)
        # on the same loaded taxonomy: the order of the assertions' messages is that of its set
        single = validate.validate_files([path], package, "fr", reuse=True)
    assert len(list(marks.iterdir())) == 1, "the session's child cut its formula run"
    assert _report(ours) == _report(single)
    unsatisfied = [a for a in ours.files[0].assertions if a.not_satisfied]
    assert len(unsatisfied) >= 2 and all(a.id.startswith("va_") for a in unsatisfied)
    assert sum(a.satisfied for a in ours.files[0].assertions) > 0


def test_a_file_rewritten_before_the_kept_child_read_it_is_not_used(m87_as_generated, package, tmp_path, monkeypatch):
    """The kept child reads the file after this process did: if it was rewritten in between (here,
    a broken total written at that moment), the child must not take the next edit, or the next
    report would carry the rewrite's values."""
    from nbb_filing.checks import kept_filing, validate
    from nbb_filing.checks.session import ValidationSession

    path = tmp_path / "filing.xbrl"
    start = kept_filing.KeptFiling.start.__func__

    def rewritten_first(cls, *args, **kwargs):
        _write(m87_as_generated, path, _broken_total)
        return start(cls, *args, **kwargs)

    _write(m87_as_generated, path)
    with ValidationSession(package, lang="fr") as session:
        monkeypatch.setattr(kept_filing.KeptFiling, "start", classmethod(rewritten_first))
        session.validate(path)  # as filed; the kept child then reads the broken total
        monkeypatch.undo()
        _write(m87_as_generated, path, _other_amount)
        ours = session.validate(path)
        assert session.kept_loads == 0
        fresh = validate.validate_files([path], package, "fr", reuse=True)
    assert _report(ours) == _report(fresh)
    values = {fact.value for f in ours.files[0].findings for fact in f.facts}
    assert "554000.00" not in values and "82451.65" in values  # the edit's amount, not the rewrite's


def test_loaded_as_kept_compares_what_arelle_read_with_what_was_compared():
    from types import SimpleNamespace

    from nbb_filing.checks.kept_filing import loaded_as_kept, snapshot

    kept = snapshot(_tree())
    assert loaded_as_kept(SimpleNamespace(xmlDocument=_tree()), kept)
    assert not loaded_as_kept(SimpleNamespace(xmlDocument=_edited(b">10.00<", b">11.00<")), kept)


def test_a_session_going_through_different_files_keeps_none_loaded(m87_as_generated, package, tmp_path):
    """Keeping a file costs a child and its load on the other core: worth it when the same path
    comes again (watch), not for a caller validating one file after the other."""
    from nbb_filing.checks import kept_dts
    from nbb_filing.checks.session import ValidationSession

    a, b = tmp_path / "a.xbrl", tmp_path / "b.xbrl"
    _write(m87_as_generated, a)
    _write(m87_as_generated, b, _other_amount)
    with ValidationSession(package, lang="fr") as session:
        session.validate(a)
        assert kept_dts.kept_filing_pid() is not None  # a first validation: the watch pattern
        session.validate(b)
        assert kept_dts.kept_filing_pid() is None  # another path: nothing kept
        session.validate(b)
        assert kept_dts.kept_filing_pid() is not None  # the same path again: kept
        session.validate(b)
        assert session.kept_loads == 1


SESSION = """
import sys, time
from nbb_filing.checks import kept_dts
from nbb_filing.checks.session import ValidationSession
from nbb_filing.taxonomy.packages import inspect_package
session = ValidationSession(inspect_package(sys.argv[1]), lang="fr")
session.validate(sys.argv[2])
print(kept_dts.kept_filing_pid(), flush=True)
time.sleep(120)
"""


def test_the_kept_child_ends_with_a_killed_watcher(m87_as_generated, package, nbb_home, tmp_path):
    """Killed with SIGKILL (no clean-up possible), the process that made the kept child takes it along."""
    import subprocess
    import sys
    import time

    proc = subprocess.Popen(
        [sys.executable, "-c", SESSION, str(package.path), str(m87_as_generated)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        pid = int(proc.stdout.readline())
        assert Path(f"/proc/{pid}").exists()
    finally:
        proc.kill()
        proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while _alive(pid):
        assert time.monotonic() < deadline, "the kept child outlived its parent"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    """The process runs (neither gone nor a zombie waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        return False
