"""Completeness (issue 19): the content requirements of each model, judged on a filing's facts.

The checker is fed facts placed on the catalog's own datapoints (found by rubric code or dictionary
members, as a filing would carry them), for every model of the three families, so that each kind
of trigger (figure, fact, legal form, model) is seen to fire and not to fire on each family.  One
end-to-end run (SmartCoop with four sections removed, generate --validate) is the only Arelle work.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from nbb_filing.checks.completeness import NO_DOSSIER, CompletenessContext, check_completeness
from nbb_filing.checks.findings import (
    DECLARED,
    FILLED,
    MISSING,
    NOT_CHECKED,
    NOT_REQUIRED,
    UNDECIDED,
    FileReport,
    ValidationReport,
)
from nbb_filing.filing.completeness_rules import load_rules, parse_rules, rules_markdown
from tests.fixtures_generate import copy_sample

ROOT = Path(__file__).resolve().parents[1]
WITH_CAPITAL = ("m01-f", "m02-f", "m07-f")
WITHOUT_CAPITAL = ("m81-f", "m82-f", "m87-f")
ASSOCIATIONS = ("m04-f", "m05-f", "m08-f")
ALL = WITH_CAPITAL + WITHOUT_CAPITAL + ASSOCIATIONS
FULL_COMPANIES = ("m02-f", "m82-f")


# ---------------------------------------------------------------------- facts placed on the catalog


def rubric(cat, code: str, value: str = "1000"):
    dp = next(dp for dp in cat.by_rubric(code) if dp.period == "current" and not dp.typed)
    return dp, value


def cell(cat, value: str = "x", **members: str):
    want = {k.replace("_", ":", 1): v for k, v in members.items()}
    dp = next(dp for dp in cat.datapoints if all(dp.member(d) == m for d, m in want.items()))
    return dp, value


def legal_form(cat, code: str):
    return cell(cat, f"lgf:m{code}", dim_bas="bas:m30", dim_psn="psn:m1")


def auditor(cat):
    return cell(cat, "Fontaine", dim_part="part:m2", dim_psn="psn:m15")


#: a filing made from a dossier that declares nothing
DOSSIER = CompletenessContext(source="dossier.yaml")


def judged(cat, facts, context: CompletenessContext = NO_DOSSIER, rules=None) -> dict:
    return {c.rule: c for c in check_completeness(cat, facts, context, rules)}


# ---------------------------------------------------------------------- the issue's small cooperative


def test_the_issues_small_cooperative_is_told_everything_it_lacks(catalog):
    """m81-f, a cooperative, no directors, no valuation rules, no accountant declaration, 227,690 of
    personnel costs and 78,400 of debts over one year, nothing else: every one of those is named."""
    cat = catalog("m81-f")
    facts = [legal_form(cat, "706"), rubric(cat, "62", "227690"), rubric(cat, "17", "78400")]
    items = judged(cat, facts, DOSSIER)
    missing = {r for r, c in items.items() if c.state == MISSING}
    assert missing == {
        "directors",
        "valuation_rules",
        "accountant_declaration",
        "social_balance_sheet",
        "debts_note",
        "contributions",
    }
    # what the filing alone cannot say is not guessed
    assert items["rights_commitments"].state == UNDECIDED
    assert items["participations_list"].state == UNDECIDED and "280" in items["participations_list"].why


# ---------------------------------------------------------------------- trigger: a figure


@pytest.mark.parametrize("model", ALL)
def test_figure_62_requires_the_social_balance_sheet(catalog, model):
    cat = catalog(model)
    assert judged(cat, [], DOSSIER)["social_balance_sheet"].state == NOT_REQUIRED
    item = judged(cat, [rubric(cat, "62", "227690")], DOSSIER)["social_balance_sheet"]
    assert item.state == MISSING and item.trigger == "figure"
    assert "62" in item.why and "227,690" in item.why
    assert item.fill.startswith("`social_balance:`") and item.source
    filled = judged(cat, [rubric(cat, "62", "227690"), rubric(cat, "1001", "3.5")], DOSSIER)["social_balance_sheet"]
    assert filled.state == FILLED


@pytest.mark.parametrize("model", ("m81-f", "m82-f", "m87-f"))
def test_figure_62_alone_does_not_decide_a_bare_filing(catalog, model):
    """Without a dossier, 62 may be a director's remuneration alone (6200, no worker): not decided,
    never missing; 9087 (workers in FTE), where the model has it, decides a bare filing too."""
    cat = catalog(model)
    bare = judged(cat, [rubric(cat, "62", "20070.09")])["social_balance_sheet"]
    assert bare.state == UNDECIDED and "20,070.09" in bare.why
    if cat.has_rubric("9087"):
        workers = judged(cat, [rubric(cat, "62", "20070.09"), rubric(cat, "9087", "1.5")])["social_balance_sheet"]
        assert workers.state == MISSING and "9087" in workers.why


def test_a_block_the_package_has_no_cells_for_is_not_checked_never_missing(catalog):
    """A required section the dossier's block fills, but whose values had no cell in the installed
    package (left out by generate), is "not checked"; without the block it is missing."""
    cat = catalog("m82-f")
    facts = [rubric(cat, "280", "62000")]
    assert judged(cat, facts, DOSSIER)["consolidation"].state == MISSING
    given = CompletenessContext(source="dossier.yaml", given=("consolidation",))
    item = judged(cat, facts, given)["consolidation"]
    assert item.state == NOT_CHECKED and "the dossier gives `consolidation:`" in item.why


def test_social_balance_sheet_is_found_by_rubric_whatever_its_section_id(catalog):
    got = {
        m: judged(catalog(m), [rubric(catalog(m), "62")])["social_balance_sheet"].sections for m in ("m81-f", "m82-f")
    }
    assert got["m81-f"] == ("s.12.00.0.cd",) and got["m82-f"] == ("s.10.00.0.ab",)


@pytest.mark.parametrize("model", ALL)
def test_figure_17_requires_the_debts_note_where_the_model_has_it(catalog, model):
    cat = catalog(model)
    item = judged(cat, [rubric(cat, "17", "78400")])["debts_note"]
    if any(dp.rubric in ("8912", "8913") for dp in cat.datapoints):
        assert item.state == MISSING and "17" in item.why
    else:  # the micro models: no cells, so not checked (never "missing")
        assert item.state == NOT_CHECKED and "no such cells" in item.why


# ---------------------------------------------------------------------- trigger: a fact


@pytest.mark.parametrize("model", ALL)
def test_auditors_named_require_the_auditors_report(catalog, model):
    cat = catalog(model)
    with_auditor = judged(cat, [auditor(cat)])
    assert with_auditor["auditor_report"].state == MISSING
    assert with_auditor["auditor_report"].trigger == "fact"
    assert with_auditor["accountant_declaration"].state in (NOT_REQUIRED, NOT_CHECKED)
    without = judged(cat, [])
    assert without["auditor_report"].state == NOT_REQUIRED
    # no auditor: the declaration on verification missions, in the models that have its cell
    expected = NOT_CHECKED if model in ASSOCIATIONS else MISSING
    assert without["accountant_declaration"].state == expected


@pytest.mark.parametrize("model", ALL)
def test_group_membership_is_a_dossier_fact(catalog, model):
    cat = catalog(model)
    bare = judged(cat, [])["consolidation"]
    member = judged(cat, [], CompletenessContext(facts=(("group_member", True),), source="d.yaml"))["consolidation"]
    if model in ASSOCIATIONS:
        assert bare.state == member.state == NOT_REQUIRED  # the rule is for companies
        return
    if model in ("m07-f", "m87-f"):  # the micro models have no cells for the declaration
        assert bare.state == member.state == NOT_CHECKED
        return
    assert bare.state == UNDECIDED and "without a dossier" in bare.why  # a bare filing cannot tell
    assert member.state == MISSING and "d.yaml" in member.why


# ---------------------------------------------------------------------- trigger: the legal form


@pytest.mark.parametrize("model", ALL)
def test_a_cooperative_must_give_its_state_of_contributions(catalog, model):
    cat = catalog(model)
    own = {"with": "014", "without": "706", "assoc": "017"}
    family = "with" if model in WITH_CAPITAL else "without" if model in WITHOUT_CAPITAL else "assoc"
    item = judged(cat, [legal_form(cat, own[family])])["contributions"]
    if family != "without":
        assert item.state == NOT_REQUIRED and "is not one of" in item.why
        return
    assert item.state == MISSING and item.trigger == "legal_form" and "706" in item.why
    assert judged(cat, [legal_form(cat, "610")])["contributions"].state == NOT_REQUIRED
    assert judged(cat, [])["contributions"].state == UNDECIDED  # no legal form in the filing


# ---------------------------------------------------------------------- trigger: the model


@pytest.mark.parametrize("model", ALL)
def test_the_management_report_is_for_full_company_models(catalog, model):
    item = judged(catalog(model), [])["management_report"]
    assert item.state == (MISSING if model in FULL_COMPANIES else NOT_REQUIRED)
    assert item.trigger == "model"


@pytest.mark.parametrize("model", ALL)
def test_the_state_of_capital_is_for_companies_with_capital(catalog, model):
    item = judged(catalog(model), [])["capital_state"]
    assert item.state == (MISSING if model in WITH_CAPITAL else NOT_REQUIRED)


@pytest.mark.parametrize("model", ALL)
def test_valuation_rules_always(catalog, model):
    cat = catalog(model)
    assert judged(cat, [])["valuation_rules"].state == MISSING
    filled = judged(cat, [cell(cat, "Règles", dim_bas="bas:m107")])["valuation_rules"]
    assert filled.state == FILLED


# ---------------------------------------------------------------------- not checked, declared


def test_a_rule_the_package_has_no_cells_for_is_not_checked_never_missing(catalog):
    rules = parse_rules(
        {
            "rules": [
                {
                    "id": "phantom",
                    "title": "a note no package has",
                    "cells": [{"members": {"dim:bas": "bas:m999999"}}],
                    "source": "test",
                    "fill": "nothing",
                }
            ]
        }
    )
    for model in ALL:
        (item,) = check_completeness(catalog(model), [], NO_DOSSIER, rules)
        assert item.state == NOT_CHECKED and "the package has no such cells" in item.why


def test_a_declared_section_is_accepted_and_shown(catalog):
    cat = catalog("m81-f")
    ctx = CompletenessContext(not_applicable=(("rights_commitments", "no guarantees given or received"),))
    items = check_completeness(cat, [], ctx)
    item = next(c for c in items if c.rule == "rights_commitments")
    assert item.state == DECLARED and item.reason == "no guarantees given or received"
    report = FileReport(path="x.xbrl", model="m81-f", completeness=[c for c in items if c.state != MISSING])
    assert report.exit_code == 0
    text = _text(report)
    assert "DECLARED rights_commitments" in text and "no guarantees given or received" in text


# ---------------------------------------------------------------------- reports


def _text(f: FileReport) -> str:
    from nbb_filing.checks.report_formats import render

    return render(ValidationReport(files=[f]), "text")


def test_a_missing_section_makes_the_filing_incomplete_in_every_format(catalog):
    from nbb_filing.checks.report_formats import render

    cat = catalog("m81-f")
    items = check_completeness(cat, [rubric(cat, "62", "227690"), legal_form(cat, "706")], DOSSIER)
    f = FileReport(path="coop.xbrl", model="m81-f", completeness=items)
    assert f.exit_code == 1 and f.status == "incomplete"
    report = ValidationReport(files=[f])
    text = render(report, "text")
    assert text.startswith("coop.xbrl: INCOMPLETE")
    block = text[text.index("MISSING  social_balance_sheet") :]
    assert "required because: rubric 62 is 227,690" in block
    assert "legal source: CSA art. 3:12" in block and "fill it with: `social_balance:`" in block
    assert "MISSING  contributions" in text and "not decided: consolidation" in text
    n = {st: sum(1 for c in items if c.state == st) for st in (MISSING, FILLED, NOT_REQUIRED, NOT_CHECKED, UNDECIDED)}
    assert (
        f"completeness ({len(load_rules().rules)} rules of docs/completeness.md): {n[MISSING] + n[FILLED]} evaluated "
        f"({n[MISSING]} missing, {n[FILLED]} filled), {n[NOT_REQUIRED]} not required, 0 declared not applicable, "
        f"{n[NOT_CHECKED]} not checked, {n[UNDECIDED]} not decided"
    ) in text
    assert "1 incomplete" in text.splitlines()[-1] and text.rstrip().endswith("exit code 1")
    data = json.loads(render(report, "json"))
    (fd,) = data["files"]
    assert fd["status"] == "incomplete" and data["exit_code"] == 1
    states = {c["rule"]: c["state"] for c in fd["completeness"]}
    assert states["social_balance_sheet"] == MISSING and states["management_report"] == NOT_REQUIRED
    assert fd["summary"]["missing_sections"] == sum(1 for s in states.values() if s == MISSING)
    root = etree.fromstring(render(report, "junit").encode())
    suite = next(s for s in root.iter("testsuite") if s.get("name", "").endswith(": completeness"))
    failed = {c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None}
    assert failed == {r for r, s in states.items() if s == MISSING}
    assert int(suite.get("failures")) == len(failed)


def test_watch_lists_missing_and_declared_sections(catalog):
    from types import SimpleNamespace

    from nbb_filing.cli.watch_view import state_of, summary

    cat = catalog("m81-f")
    ctx = CompletenessContext(
        not_applicable=(("contributions", "shares held by one founder, see articles"),), source="dossier.yaml"
    )
    facts = [rubric(cat, "62", "227690"), legal_form(cat, "706")]
    report = FileReport(path="x.xbrl", model="m81-f", completeness=check_completeness(cat, facts, ctx))
    result = SimpleNamespace(totals=(), facts=2)
    lines = summary(state_of(result, report), None, [Path("dossier.yaml")], (0.1, 0.2), width=300)
    text = "\n".join(lines)
    assert "required section(s) missing" in text and "+ [missing] social_balance_sheet" in text
    assert "declared not applicable: contributions (shares held by one founder" in text
    assert lines[-1].strip() == "incomplete"
    # filled later: the missing section goes, as a finding would
    filled = FileReport(
        path="x.xbrl", model="m81-f", completeness=check_completeness(cat, [*facts, rubric(cat, "1001", "2")], ctx)
    )
    again = summary(state_of(result, filled), state_of(result, report), [Path("staff.csv")], (0.1, 0.2), width=300)
    assert any(line.startswith("  - [missing] social_balance_sheet") for line in again)


# ---------------------------------------------------------------------- data, docs, dossier


def test_docs_list_every_rule_from_the_data_file():
    doc = (ROOT / "docs" / "completeness.md").read_text(encoding="utf-8")
    assert doc == rules_markdown(), "run: python -m nbb_filing.filing.completeness_rules docs/completeness.md"
    for rule in load_rules().rules:
        assert f"| `{rule.id}` |" in doc


def test_every_rule_names_its_trigger_source_and_filling():
    rules = load_rules()
    kinds = {r.family for r in rules.rules}
    assert {"figure", "fact", "legal_form", "model", "always"} <= kinds
    for r in rules.rules:
        assert r.source and r.fill and r.cells
        assert r.verified or "verified" in r.source  # an unchecked article says so


def test_not_applicable_refuses_an_unknown_section(write_dossier, mini_text):
    from nbb_filing.core.errors import InputError
    from nbb_filing.filing.dossier_files import load_dossier

    ok = load_dossier(write_dossier(mini_text + 'not_applicable:\n  rights_commitments: "none"\n'))
    assert ok.not_applicable == {"rights_commitments": "none"}
    with pytest.raises(InputError, match=r"line \d+ .*not_applicable.*'commitment' is not a section"):
        load_dossier(write_dossier(mini_text + 'not_applicable:\n  commitment: "none"\n'))
    with pytest.raises(InputError, match="give the reason"):
        load_dossier(write_dossier(mini_text + 'not_applicable:\n  rights_commitments: " "\n'))


# ---------------------------------------------------------------------- derived 9087 / 9088

SOCIAL = """\
social_balance:
  average_workers: {full_time: 8, part_time: 4, total: 10.5, previous_total: 9.2}
  hours_worked: {full_time: 12000, part_time: 3000, total: 15000, previous_total: 14000}
"""


def _facts_of(result, package) -> dict:
    from nbb_filing.reading.reader import read_facts

    return {(f.datapoint.rubric, f.datapoint.period): f.value for f in read_facts(result.output, package).facts}


def test_9087_is_derived_from_the_social_balance_block(write_dossier, mini_text, package, tmp_path):
    from nbb_filing.api import generate

    res = generate(write_dossier(mini_text + SOCIAL), tmp_path / "out.xbrl", package=package, model="m81-f")
    facts = _facts_of(res, package)
    assert facts[("9087", "current")] == "10.5" and facts[("9087", "previous")] == "9.2"
    # the size check now finds the FTE in the filing (the issue: "not in the filing" before)
    [size] = [w for w in res.warnings if "average number of workers (FTE)" in w]
    assert "(FTE) 10.5 (limit" in size and "(FTE) 9.2 (limit" in size
    # a figure the dossier gives wins; a different derived value is a warning, not a second fact
    given = mini_text.replace("figures:\n", 'figures:\n  "9087": {current: 11}\n')
    res = generate(write_dossier(given + SOCIAL, "d2.yaml"), tmp_path / "o2.xbrl", package=package, model="m81-f")
    assert _facts_of(res, package)[("9087", "current")] == "11"
    assert any("9087" in w and "10.5" in w for w in res.warnings)


def test_9087_is_derived_from_a_staff_register_too(write_dossier, mini_text, package, tmp_path):
    """A block that names a staff register gives its current-year average FTE through the register:
    9087 is the men's 1.4 full-time plus the women's 1.0 FTE worked out by hand in
    tests/test_social_balance_tables.py (the block's previous total stays as given)."""
    from nbb_filing.api import generate
    from tests.test_social_balance_tables import REGISTER

    path = write_dossier(
        mini_text + "social_balance:\n  staff_register: staff.csv\n  average_workers: {previous_total: 2}\n"
    )
    (path.parent / "staff.csv").write_text(REGISTER, encoding="utf-8")
    res = generate(path, tmp_path / "reg.xbrl", package=package, model="m81-f")
    facts = _facts_of(res, package)
    assert facts[("9087", "current")] == "2.4" and facts[("9087", "previous")] == "2"


def test_a_derived_9087_is_compared_with_last_years_filing(write_dossier, mini_text, package, tmp_path):
    """With a previous_filing, the derived previous-year 9087 is the dossier's own amount: compared
    with the published one like `figures:`, and written."""
    from nbb_filing.api import generate

    y23 = (
        mini_text.replace(
            "exercise: {start: 2024-01-01, end: 2024-12-31}", "exercise: {start: 2023-01-01, end: 2023-12-31}"
        )
        .replace("previous_exercise: {start: 2023-01-01, end: 2023-12-31}\n", "")
        .replace("general_meeting: 2025-06-17", "general_meeting: 2024-06-18")
    )
    y23 = re.sub(r"\{current: -?[\d.]+, previous: (-?[\d.]+)\}", r"{current: \1}", y23)  # 2024's previous column
    generate(
        # 2023's social balance sheet as the 2024 block's previous totals give it, but 9 FTE
        write_dossier(
            y23 + "social_balance: {average_workers: {total: 9}, hours_worked: {total: 14000}}\n", "y23.yaml"
        ),
        tmp_path / "y23.xbrl",
        package=package,
        model="m81-f",
    )
    # with last year's filing, previous_amounts_identical is derived: the dossier does not state it
    y24 = mini_text.replace(
        "previous_exercise: {start: 2023-01-01, end: 2023-12-31}\n", "previous_filing: y23.xbrl\n"
    ).replace("previous_amounts_identical: true\n", "")
    assert "previous_amounts_identical" not in y24
    res = generate(write_dossier(y24 + SOCIAL, "y24.yaml"), tmp_path / "y24.xbrl", package=package, model="m81-f")
    from nbb_filing.reading.reader import read_facts

    assert _facts_of(res, package)[("9087", "previous")] == "9.2"
    # published 9, the dossier 9.2: "previous-year amounts identical to those published" is answered no
    facts = read_facts(res.output, package).facts
    [identical] = [
        f.value for f in facts if f.datapoint.metric == "met:bln1" and f.datapoint.member("dim:dcl") == "dcl:m1"
    ]
    assert identical == "false"
    same = SOCIAL.replace("previous_total: 9.2}", "previous_total: 9}")
    res = generate(write_dossier(y24 + same, "y24b.yaml"), tmp_path / "y24b.xbrl", package=package, model="m81-f")
    facts = read_facts(res.output, package).facts
    [identical] = [
        f.value for f in facts if f.datapoint.metric == "met:bln1" and f.datapoint.member("dim:dcl") == "dcl:m1"
    ]
    assert identical == "true"


# ---------------------------------------------------------------------- init and render


@pytest.mark.parametrize(
    ("model", "listed", "absent"),
    [
        ("m82-f", ("management_report", "contributions", "auditor_report"), ("capital_state",)),
        ("m01-f", ("capital_state", "debts_note"), ("management_report", "contributions")),
        ("m08-f", ("valuation_rules", "social_balance_sheet"), ("contributions", "consolidation")),
    ],
)
def test_init_lists_every_section_the_model_can_require(catalog, model, listed, absent):
    from nbb_filing.reading.starter import starter_text

    text, _ = starter_text(model, catalog(model), lang="fr")
    part = text[text.index(f"# Sections model {model} can require") :]
    for rule in listed:
        block = re.search(rf"^# {rule}: .*\n((?:#   .*\n)+)", part, re.M)
        assert block is not None, rule
        assert "required when:" in block.group(1) and "fill it with:" in block.group(1)
    for rule in absent:
        assert f"\n# {rule}: " not in part
    if model == "m08-f":  # a rule the package has no cells for is listed as such, not dropped
        assert "# accountant_declaration: " in part and "not checked: the package has no such cells" in part


def test_render_marks_required_empty_sections_in_place(write_dossier, mini_text, package, tmp_path):
    from nbb_filing.api import generate
    from nbb_filing.reading.reader import read_facts
    from nbb_filing.rendering import render_html

    res = generate(write_dossier(mini_text), tmp_path / "mini.xbrl", package=package)
    html, tables, _ = render_html(read_facts(res.output, package), lang="en")
    marked = {t.info.section: t.missing for t in tables if t.missing}
    assert "s.06.08.0.cdh" in marked and "valuation_rules" in marked["s.06.08.0.cdh"]  # valuation rules
    assert "s.08.00.0.abghi" in marked  # the auditor's report: the dossier names an auditor
    assert "s.07.00.0.abghi" not in marked  # the management report is given
    page = etree.HTML(html)
    shown = page.xpath('//p[@class="missing"]')
    assert len(shown) == len(marked) and all(p.get("data-table") for p in shown)


# ---------------------------------------------------------------------- end to end


def test_smartcoop_without_four_sections_is_incomplete_and_names_them(package, tmp_path):
    """The issue's case: valuation rules, management report, social balance sheet and participations
    removed from the sample; generate --validate must name each of them, with exit 1."""
    from nbb_filing.api import generate
    from nbb_filing.checks.report_formats import render
    from nbb_filing.reading.reader import read_facts

    copy = copy_sample(tmp_path)
    text = (copy / "dossier.yaml").read_text(encoding="utf-8")
    text = re.sub(r"\nvaluation_rules:.*\n", "\n", text)
    text = re.sub(r"\nmanagement_report:.*\n", "\n", text)
    text = re.sub(r"\nsocial_balance:\n(?:  .*\n|\n)+?(?=\S)", "\n", text)
    text = re.sub(r"\nparticipations:\n(?:  .*\n|\n)+?(?=\S)", "\n", text)
    assert all(
        f"\n{k}:" not in text for k in ("valuation_rules", "management_report", "social_balance", "participations")
    )
    (copy / "dossier.yaml").write_text(text, encoding="utf-8")

    res = generate(copy / "dossier.yaml", tmp_path / "sc.xbrl", package=package, validate=True)
    (f,) = res.validation.files
    assert res.validation_exit_code == 1 and f.status == "incomplete" and not f.blocking
    assert {c.rule for c in f.missing} == {
        "valuation_rules",
        "management_report",
        "social_balance_sheet",
        "participations_list",
    }
    out = render(res.validation, "text")
    for rule in ("valuation_rules", "management_report", "social_balance_sheet", "participations_list"):
        assert f"MISSING  {rule}:" in out
    # what the sample still gives is filled; its consolidation block (an exemption) has no cell in the
    # replica, so the report says it could not check it rather than calling it missing
    states = {c.rule: c.state for c in f.completeness}
    assert states["auditor_report"] == FILLED and states["contributions"] == FILLED
    assert states["consolidation"] == NOT_CHECKED and "NOT_CHECKED" not in out

    # the same filing without its dossier: the dossier's blocks are unknown, so consolidation is missing
    facts = read_facts(res.output, package)
    bare = {c.rule: c.state for c in check_completeness(facts.catalog, ((x.datapoint, x.value) for x in facts.facts))}
    assert bare["consolidation"] == MISSING and bare["valuation_rules"] == MISSING
