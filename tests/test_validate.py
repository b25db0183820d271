"""``nbb-filing validate`` end to end: one shared Arelle run over the accepted m87 filing and mutated copies.

The expectations are worked out from the filing itself (see ``tests/fixtures_validate.py`` for the
mutations): e.g. TOTAL DE L'ACTIF (20/58) of 2022 is 554894.28 and equals 21/28 284932.83 +
29/58 269961.45; setting it to 554000.00 breaks "20/58 = 20 + 21/28 + 29/58" and "20/58 = 10/49".
"""

from __future__ import annotations

import json
import socket

import pytest
from click.testing import CliRunner
from lxml import etree

from nbb_filing.checks.findings import (
    BLOCKING,
    INFO,
    WARNING,
    assertion_effect,
    family_of,
)
from nbb_filing.checks.report_formats import render_json, render_junit, render_text


def _by_rule(report, rule):
    return [x for x in report.findings if x.rule == rule]


# ---------------------------------------------------------------------- the accepted filing


def test_accepted_filing_can_be_filed_and_says_what_it_could_not_decide(validate_run):
    r = validate_run.file("accepted")
    assert r.error is None
    assert r.blocking == []
    # Completeness (issue 19): 62 is 20,070.09 and the filing has no social balance sheet nor 9087.
    # Without a dossier, 62 alone does not decide it (it may be the manager's remuneration, 6200,
    # with no worker): "not decided", named, not "missing".  Nothing is missing.
    assert r.missing == []
    undecided = {c.rule: c.why for c in r.completeness if c.state == "not decided"}
    assert "rubric 62 is 20,070.09" in undecided["social_balance_sheet"]
    assert r.exit_code == 0 and r.status == "can be filed"
    assert r.model == "m87-f"
    assert r.framework == "23.0" and r.validated_with == "22.19"
    # the replica's README counts for this filing: 309 assertions, 123 evaluated, all satisfied
    assert len(r.assertions) == 309
    assert len(r.assertions_evaluated) == 123
    assert len(r.assertions_satisfied) == 123
    assert r.assertions_unsatisfied == []
    assert len(r.assertions_skipped) == 309 - 123
    # va_calc 40 + va_ legal 32 evaluated
    assert sum(1 for a in r.assertions_evaluated if a.family == "va") == 72
    # the move from framework 23.0 is reported, as information only
    moved = _by_rule(r, "framework_retargeted")
    assert len(moved) == 1 and moved[0].effect == INFO
    assert "schemaRef fws/23.0 -> fws/22.19" in r.retargeted


def test_every_protocol_rule_ran_on_every_validated_file(validate_run):
    from nbb_filing.checks import product_rules, protocol

    names = [f.__name__ for f in (*protocol.RULES, *product_rules.RULES)]
    for key in ("accepted", "xbrl", "protocol"):
        assert [p.rule for p in validate_run.file(key).protocol_rules] == names


def test_no_network_access_during_validation(validate_run, network_guard):
    assert validate_run.network_attempts == []
    # and the guard does catch a connection attempt (so the empty list above means something)
    with network_guard.watch():
        before = len(network_guard.attempts)
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", 9), timeout=1)
        assert len(network_guard.attempts) == before + 1


# ---------------------------------------------------------------------- XBRL-level mutations


def test_broken_total_fires_its_assertion_with_rubric_codes(validate_run):
    r = validate_run.file("xbrl")
    assert r.exit_code == 1
    fired = [x for x in r.findings if x.source == "assertion" and "20/58" in x.rubrics]
    assert fired, [x.rule for x in r.findings]
    assert all(x.effect == BLOCKING and x.family == "va" for x in fired)
    # 20/58 = 20 + 21/28 + 29/58 (21/28 itself invalid here, so at least 20/58 and 29/58 are shown)
    assert any({"20/58", "29/58"} <= set(x.rubrics) for x in fired)
    # 20/58 = 10/49 with 10/49 still 554894.28
    eq = [x for x in fired if "10/49" in x.rubrics]
    assert eq
    values = {f.rubric: f.value for f in eq[0].facts}
    assert values["20/58"] == "554000.00" and values["10/49"] == "554894.28"
    total = next(f for f in eq[0].facts if f.rubric == "20/58")
    assert total.period == "current" and total.label == "TOTAL DE L'ACTIF"
    # the message is the package's French one (--lang fr), not the English first message
    calc = _by_rule(r, "va_calc_14")
    assert len(calc) == 1 and "20/58" in calc[0].message and "must equal" not in calc[0].message
    # the assertion counts agree with the messages
    for x in fired:
        assert next(a for a in r.assertions if a.id == x.rule).not_satisfied >= 1


def test_member_not_admitted_is_dimensionally_invalid(validate_run):
    r = validate_run.file("xbrl")
    found = _by_rule(r, "xbrldie:PrimaryItemDimensionallyInvalidError")
    bad = [f for x in found for f in x.facts if "dim:part=part:m3" in f.key]
    assert bad and bad[0].value == "284932.83" and bad[0].rubric is None
    assert all(x.effect == BLOCKING for x in found)


def test_default_member_written_out(validate_run):
    r = validate_run.file("xbrl")
    found = _by_rule(r, "xbrldie:DefaultValueUsedInInstanceError")
    assert len(found) == 1 and found[0].effect == BLOCKING
    assert "spec:m0" in found[0].message
    # c41 is the context of 21/28 of the previous exercise (221805)
    assert [(f.rubric, f.period, f.value) for f in found[0].facts] == [("21/28", "previous", "221805")]


def test_negative_nonnegative_amount(validate_run):
    r = validate_run.file("xbrl")
    neg = [x for x in _by_rule(r, "xmlSchema:valueError") if "-82450.65" in x.message]
    assert len(neg) == 1 and neg[0].effect == BLOCKING
    assert [(f.rubric, f.value) for f in neg[0].facts] == [("21", "-82450.65")]


def test_three_decimals(validate_run):
    r = validate_run.file("xbrl")
    dat31 = _by_rule(r, "dat_31_at_most_two_decimals")
    assert len(dat31) == 1 and dat31[0].effect == BLOCKING
    assert [(f.rubric, f.value) for f in dat31[0].facts] == [("22/27", "138141.961")]
    assert any("138141.961" in x.message for x in _by_rule(r, "xmlSchema:valueError"))


# ---------------------------------------------------------------------- protocol-level mutations


def test_duplicate_facts(validate_run):
    r = validate_run.file("protocol")
    assert r.exit_code == 1
    dat34 = _by_rule(r, "dat_34_one_value_per_datapoint")
    assert len(dat34) == 1 and dat34[0].effect == BLOCKING
    assert sorted(f.value for f in dat34[0].facts) == ["157000.00", "157464.78"]
    assert {f.rubric for f in dat34[0].facts} == {"22/27"}
    dup = _by_rule(r, "no_duplicate_facts")
    assert len(dup) == 1 and [f.value for f in dup[0].facts] == ["132566.67", "132566.67"]
    # Arelle's own duplicate-fact warning is not repeated next to the protocol findings
    assert not _by_rule(r, "arelle:duplicateFacts")


def test_bad_enterprise_number(validate_run):
    r = validate_run.file("protocol")
    found = _by_rule(r, "enterprise_number_mod97")
    # 97 - (09255906 mod 97) = 97 - 69 = 28, so 0925590629 is wrong and 28 is expected
    assert len(found) == 1 and "0925590629" in found[0].message and "28" in found[0].message
    assert not _by_rule(validate_run.file("accepted"), "enterprise_number_mod97")


def test_missing_court(validate_run):
    r = validate_run.file("protocol")
    found = _by_rule(r, "business_court_present")
    assert len(found) == 1 and found[0].effect == BLOCKING
    assert "cct-enum:list1" in found[0].message


def test_general_meeting_before_closing_and_language(validate_run):
    r = validate_run.file("protocol")
    dat26 = _by_rule(r, "dat_26_dates_consistent")
    assert len(dat26) == 1
    assert sorted(f.value for f in dat26[0].facts) == ["2022-06-02", "2022-12-31"]
    lang = _by_rule(r, "dat_14_15_one_official_language")
    assert len(lang) == 1 and "'en'" in lang[0].message


def test_files_that_cannot_be_validated(validate_run):
    bad = validate_run.file("not_instance")
    assert bad.exit_code == 2 and "not an XBRL instance" in bad.error
    wrong = validate_run.file("wrong_model")
    assert wrong.exit_code == 2 and "m99-f" in wrong.error
    assert validate_run.report.exit_code == 2  # the worst file decides


# ---------------------------------------------------------------------- families


def test_assertion_families():
    assert family_of("va_calc_14") == "va" and family_of("oa_01.00.2_0007") == "oa"
    assert assertion_effect("va_calc_14", "WARNING") == BLOCKING  # va_ blocks whatever is declared
    assert assertion_effect("ca_03.01.0_0003", "ERROR") == WARNING
    assert assertion_effect("cs_100", "ERROR") == WARNING and assertion_effect("cx_1", None) == WARNING
    assert assertion_effect("oa_1", "ERROR") == BLOCKING and assertion_effect("oa_1", "WARNING") == WARNING
    assert assertion_effect("oa_1", "OK") == INFO


def test_declared_severity_read_from_the_package(validate_run):
    r = validate_run.file("accepted")
    declared = {a.family: set() for a in r.assertions}
    for a in r.assertions:
        declared[a.family].add(a.declared_severity)
    # replica README: va_ ERROR, ca_ WARNING, cs_ WARNING
    assert declared["va"] == {"ERROR"} and declared["ca"] == {"WARNING"} and declared["cs"] == {"WARNING"}


# ---------------------------------------------------------------------- outputs


def test_junit_has_one_case_per_evaluated_assertion(validate_run):
    xml = render_junit(validate_run.report)
    root = etree.fromstring(xml.encode("utf-8"))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    for key in ("accepted", "xbrl", "protocol"):
        r = validate_run.file(key)
        suite = suites[f"{r.path}: assertions"]
        cases = suite.findall("testcase")
        assert len(cases) == len(r.assertions_evaluated) == int(suite.get("tests"))
        assert {c.get("name") for c in cases} == {a.id for a in r.assertions_evaluated}
        blocking_unsat = {a.id for a in r.assertions_unsatisfied if a.effect == BLOCKING}
        assert {c.get("name") for c in cases if c.find("failure") is not None} == blocking_unsat
    assert len(suites[f"{validate_run.file('accepted').path}: assertions"].findall("testcase")) == 123
    prot = suites[f"{validate_run.file('protocol').path}: protocol"]
    failed = {c.get("name") for c in prot.findall("testcase") if c.find("failure") is not None}
    assert {"business_court_present", "enterprise_number_mod97", "dat_34_one_value_per_datapoint"} <= failed
    errors = [s for s in root.findall("testsuite") if s.find("testcase/error") is not None]
    assert len(errors) == 2


def test_json_report(validate_run):
    d = json.loads(render_json(validate_run.report))
    assert d["exit_code"] == 2
    files = {f["path"]: f for f in d["files"]}
    acc = files[str(validate_run.files["accepted"])]
    assert acc["summary"]["evaluated"] == 123 and acc["summary"]["blocking"] == 0
    assert acc["exit_code"] == 0 and acc["status"] == "can be filed" and acc["summary"]["missing_sections"] == 0
    assert "social_balance_sheet" in [c["rule"] for c in acc["completeness"] if c["state"] == "not decided"]
    xb = files[str(validate_run.files["xbrl"])]
    assert xb["status"] == "blocked"
    assert any("20/58" in x["rubrics"] for x in xb["findings"])


def test_text_report_says_what_was_and_was_not_checked(validate_run):
    text = render_text(validate_run.report)
    acc = text.split(f"{validate_run.file('accepted').path}: ")[1]
    assert acc.startswith("CAN BE FILED")  # nothing blocks, nothing required is missing (see above)
    assert "not decided: social_balance_sheet" in acc and "not decided: participations_list" in acc
    assert (
        "309 assertions of m87-f: 123 evaluated (123 satisfied, 0 not satisfied), 186 skipped because nothing was reported"
        in acc
    )
    assert "TOTAL DE L'ACTIF" in text and "20/58 [N]" in text
    assert text.rstrip().endswith("exit code 2")


# ---------------------------------------------------------------------- CLI and workers (no Arelle run)


def test_cli_exit_code_2_and_junit_file(validate_run, tmp_path):
    from nbb_filing.cli import main

    out = tmp_path / "reports" / "junit.xml"
    res = CliRunner().invoke(
        main, ["validate", str(validate_run.files["not_instance"]), "--format", "junit", "-o", str(out)]
    )
    assert res.exit_code == 2, res.output
    root = etree.parse(str(out)).getroot()
    assert len(root.findall("testsuite/testcase/error")) == 1
    res = CliRunner().invoke(
        main, ["validate", str(validate_run.files["wrong_model"]), "--taxonomy", str(tmp_path / "none.zip")]
    )
    assert res.exit_code == 2 and "Traceback" not in res.output


def test_workers_keep_file_order(validate_run, package):
    from nbb_filing.checks.validate import validate_files

    files = [validate_run.files["wrong_model"], validate_run.files["not_instance"]]
    for reuse in (True, False):  # forked children on the loaded taxonomy / spawned worker processes
        rep = validate_files(files, package, workers=2, reuse=reuse)
        assert [f.path for f in rep.files] == [str(p) for p in files]
        assert [f.exit_code for f in rep.files] == [2, 2]
        assert "m99-f" in rep.files[0].error and "not an XBRL instance" in rep.files[1].error


def _signature(f):
    return (
        f.exit_code,
        f.error,
        sorted((x.rule, x.effect, x.message, tuple(fr.describe() for fr in x.facts)) for x in f.findings),
        [(a.id, a.satisfied, a.not_satisfied, a.declared_severity, a.effect) for a in f.assertions],
    )


def test_reusing_the_loaded_taxonomy_gives_the_same_result_as_a_fresh_load(validate_run, package):
    """The shared run reuses one loaded DTS (forked children); a from-scratch load must agree."""
    from nbb_filing.checks.validate import validate_files

    fresh = validate_files([validate_run.files["xbrl"]], package, reuse=False)
    assert _signature(fresh.files[0]) == _signature(validate_run.file("xbrl"))


def test_smartcoop_sample_can_be_filed(sample_validation):
    """The SmartCoop m82-f sample (generated by the generate area's shared fixture, validated there
    with this module in one call, with its dossier's completeness context): exit code 0, no blocking
    finding, nothing required missing, the totals were evaluated."""
    rep = sample_validation["m82-f"]
    assert rep.error is None and rep.exit_code == 0 and rep.blocking == []
    assert rep.model == "m82-f" and rep.validated_with == "22.19" and not rep.retargeted
    assert any(a.id.startswith("va_calc_") for a in rep.assertions_evaluated)
    assert rep.assertions_unsatisfied == [] or all(a.effect != BLOCKING for a in rep.assertions_unsatisfied)
