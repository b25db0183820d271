"""The notes that come from the books (issue #20): the mapping's notes: rules, the dossier's debts:
and group:, the ties to the statements, and `taxonomy coverage`.

The expected figures of the samples are recomputed here from the trial-balance CSV files by prefix
sums (csv module and Decimal only), never through the product's mapping code.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from nbb_filing.core.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
D = Decimal


# ---------------------------------------------------------------------------- independent recomputation


def _balances(csv_path: Path) -> dict[str, Decimal]:
    """account -> debit - credit, read with the csv module (the samples: ';' and decimal comma)."""
    out = {}
    with csv_path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    for row in rows[1:]:
        if not row or not row[0].strip():
            continue
        dr, cr = (D(x.replace(".", "").replace(",", ".") or "0") for x in row[2:4])
        out[row[0].strip()] = dr - cr
    return out


def _credit(bal: dict[str, Decimal], *prefixes: str) -> Decimal:
    return sum((-v for a, v in bal.items() if a.startswith(prefixes) and v < 0), D(0))


def _debit(bal: dict[str, Decimal], *prefixes: str) -> Decimal:
    return sum((v for a, v in bal.items() if a.startswith(prefixes) and v > 0), D(0))


def _net_debit(bal: dict[str, Decimal], *prefixes: str) -> Decimal:
    return sum((v for a, v in bal.items() if a.startswith(prefixes)), D(0))


@pytest.fixture(scope="module")
def filings(package, tmp_path_factory):
    """The three samples generated in the models whose notes they fill (no validation)."""
    from nbb_filing.api import generate
    from nbb_filing.reading.reader import read_facts

    out = tmp_path_factory.mktemp("notes")
    facts: dict = {"_dir": out}
    runs = {
        ("smartcoop", "m82-f"): "smartcoop-2024",
        ("smartcoop", "m81-f"): "smartcoop-2024",
        ("lambotte", "m01-f"): "menuiserie-lambotte-2024",
        ("lambotte", "m02-f"): "menuiserie-lambotte-2024",
        ("devonk", "m04-f"): "jeugdhuis-de-vonk-2024",
    }
    for (name, model), folder in runs.items():
        path = out / f"{name}-{model}.xbrl"
        generate(SAMPLES / folder / "dossier.yaml", path, package=package, model=model)
        values: dict[tuple[str, str], Decimal] = {}
        for f in read_facts(path, package).rubric_facts():
            if f.value is not None and not f.typed_values and f.datapoint.period in ("current", "previous"):
                values.setdefault((f.datapoint.rubric, f.datapoint.period), D(f.value))
        facts[(name, model)] = values
    return facts


def test_lambotte_debts_note_abbreviated(filings):
    bal = _balances(SAMPLES / "menuiserie-lambotte-2024" / "tb-2024.csv")
    got = filings[("lambotte", "m01-f")]
    over_one_year = _credit(bal, "17")
    # the dossier puts the whole of 173000 within one to five years, and guarantees 173 + 423 by a mortgage
    assert got[("8912", "current")] == over_one_year == D("75000")
    assert ("8913", "current") not in got
    secured = _credit(bal, "173", "423")
    assert got[("892", "current")] == got[("8922", "current")] == got[("9062", "current")] == secured
    assert got[("17", "current")] == got[("8912", "current")]


def test_lambotte_debts_and_taxes_full_model(filings):
    bal = _balances(SAMPLES / "menuiserie-lambotte-2024" / "tb-2024.csv")
    got = filings[("lambotte", "m02-f")]
    assert got[("8841", "current")] == _credit(bal, "423")
    assert got[("8801", "current")] == _credit(bal, "420", "421", "422", "423", "424")
    assert got[("8842", "current")] == _credit(bal, "173")
    assert got[("8802", "current")] == _credit(bal, "170", "171", "172", "173", "174")
    assert got[("8962", "current")] == _credit(bal, "173", "423")
    # taxes on the result: 670000 is a sub-account of 6700 (taxes due or paid for the year)
    assert got[("9135", "current")] == _net_debit(bal, "6700", "6720") == D("13250")
    assert got[("9137", "current")] == _net_debit(bal, "6702", "6722") == D("4600")
    assert got[("9134", "current")] == _net_debit(bal, "670", "672") == got[("670/3", "current")]


def test_smartcoop_affiliated_enterprises(filings):
    group = ("400100", "416100", "440100", "489100", "280000")
    for period, tb in (("current", "tb-2024.csv"), ("previous", "tb-2023.csv")):
        bal = _balances(SAMPLES / "smartcoop-2024" / tb)
        mine = {a: v for a, v in bal.items() if a.startswith(group)}
        got = filings[("smartcoop", "m82-f")]
        receivables = _debit(mine, "40", "41", "44")
        debts = _credit(mine, "40", "41", "42", "43", "44", "45", "46", "47", "48")
        assert got[("9311", period)] == got[("9291", period)] == receivables
        assert got[("9371", period)] == got[("9351", period)] == debts


def test_smartcoop_overdue_social_debts_in_both_models(filings):
    bal = _balances(SAMPLES / "smartcoop-2024" / "tb-2024.csv")
    for model in ("m82-f", "m81-f"):
        got = filings[("smartcoop", model)]
        assert got[("9076", "current")] == D("12440.35") <= _credit(bal, "454")
        assert ("9072", "current") not in got


def test_de_vonk_debts_note_in_the_small_model(filings):
    bal = _balances(SAMPLES / "jeugdhuis-de-vonk-2024" / "tb-2024.csv")
    assert filings[("devonk", "m04-f")][("8912", "current")] == _credit(bal, "17")


def test_validate_blocks_a_filing_whose_debts_note_does_not_tie(filings, catalog):
    """The product rule reads any filing: 8912 edited to 70,000.00 no longer adds up to 17 (75,000.00)."""
    from lxml import etree

    from nbb_filing.checks import product_rules, protocol
    from nbb_filing.checks.findings import BLOCKING
    from nbb_filing.reading.reader import read_tree

    m01 = catalog("m01-f")
    path = filings["_dir"] / "lambotte-m01-f.xbrl"
    tree = etree.parse(str(path))

    def run():
        facts = read_tree(tree, None, path=path, catalog=m01)
        pin = protocol.ProtocolInput(path=path, size=1000, root=tree.getroot(), facts=facts, catalog=m01)
        return facts, list(product_rules.notes_tie_to_statements(pin))

    facts, found = run()
    assert found == []
    line = next(f.source_line for f in facts.rubric_facts("current") if f.datapoint.rubric == "8912")
    [el] = [e for e in tree.getroot() if isinstance(e.tag, str) and e.sourceline == line]
    el.text = "70000.00"
    _, found = run()
    assert len(found) == 1 and found[0].effect == BLOCKING and found[0].rule == "notes_tie_to_statements"
    assert "debts-over-one-year" in found[0].message and "= 70000" in found[0].message and "= 75000" in found[0].message


def test_generate_refuses_a_note_that_does_not_tie(package, tmp_path):
    """A tax account outside every notes rule of 670/3 (671300) leaves 9134 + 9138 short of 670/3."""
    import shutil

    from nbb_filing.api import generate
    from nbb_filing.core.errors import FindingsError

    src = SAMPLES / "menuiserie-lambotte-2024"
    copy = tmp_path / "lambotte"
    shutil.copytree(src, copy)
    (copy / "dossier.yaml").write_text(
        (src / "dossier.yaml").read_text(encoding="utf-8").replace("../../mappings/", str(ROOT / "mappings") + "/"),
        encoding="utf-8",
    )
    tb = copy / "tb-2024.csv"
    text = tb.read_text(encoding="utf-8")
    tb.write_text(
        text.replace("670200;Charges fiscales estimées;4600,00;0,00", "671300;Impôts antérieurs (autre);4600,00;0,00"),
        encoding="utf-8",
    )
    with pytest.raises(FindingsError) as e:
        generate(copy / "dossier.yaml", tmp_path / "out.xbrl", package=package, model="m02-f")
    msg = str(e.value)
    assert "taxes-on-result" in msg and "= 13250" in msg and "= 17850" in msg
    assert not (tmp_path / "out.xbrl").exists()


# ---------------------------------------------------------------------------- the rules' edge cases


def _tb(tmp_path: Path, rows: list[tuple[str, str, str]]):
    from nbb_filing.books.ledger import read_trial_balance

    lines = ["account;label;debit;credit"] + [f"{a};x;{d};{c}" for a, d, c in rows]
    p = tmp_path / "tb.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_trial_balance(p, require_balanced=False)


def _mapping(notes: str):
    from nbb_filing.books.mapping_file import parse_mapping

    text = (
        "schema_version: 1\nfamily: without-capital\nmodel: m82-f\nmodels: [m82-f, m81-f]\n"
        'rules:\n  - {id: all, accounts: ["1-9"], rubric: "17", sign: credit}\nnotes:\n' + notes
    )
    return parse_mapping(text, "edge.yaml")


def test_account_on_the_other_side_is_not_caught(tmp_path):
    from nbb_filing.books.note_rubrics import DebtPortions, NoteInputs, note_values

    mp = _mapping(
        '  - {id: lt-1-5, accounts: ["173"], side: credit, portion: one_to_five_years, rubric: "8842", sign: credit}\n'
    )
    tb = _tb(tmp_path, [("173000", "500.00", "0"), ("173100", "0", "800.00")])
    inputs = NoteInputs({"173100": DebtPortions("173100", {"one_to_five_years": D("800")}, "d.yaml")})
    got = note_values(mp, tb, "current", inputs)
    assert got.values["8842"] == D("800")  # 173000 in debit is left to the tie with 17 to report


def test_sub_account_outside_the_rule_breaks_the_tie(tmp_path):
    from nbb_filing.books.note_rubrics import note_values
    from nbb_filing.books.note_ties import note_tie_problems

    mp = _mapping(
        '  - {id: taxes-paid, accounts: ["6700"], rubric: "9135", sign: debit}\n'
        '  - {id: taxes-estimated, accounts: ["6702"], rubric: "9137", sign: debit}\n'
    )
    tb = _tb(tmp_path, [("670000", "100.00", "0"), ("670900", "40.00", "0")])
    got = note_values(mp, tb, "current")
    assert got.values == {"9135": D("100"), "9137": D("0")}
    values = {"9134": D("100"), "9138": D("0"), "670/3": D("140")}
    problems = note_tie_problems(values)
    assert len(problems) == 1
    assert "taxes-on-result" in problems[0] and "= 100" in problems[0] and "= 140" in problems[0]


def test_a_note_total_that_disagrees_names_both_figures():
    from nbb_filing.books.note_ties import note_tie_problems

    problems = note_tie_problems({"8912": D("60"), "8913": D("30"), "17": D("100")})
    assert any("debts-over-one-year" in p and "= 90" in p and "= 100" in p for p in problems)
    assert not note_tie_problems({"8912": D("70"), "8913": D("30"), "17": D("100")})
    # an "of which" part within its parent is fine, above it is not
    assert not note_tie_problems({"753": D("10"), "75": D("10")})
    assert note_tie_problems({"753": D("11"), "75": D("10")})
    # a tie whose rubrics are not all available is not checked
    assert not note_tie_problems({"8912": D("60"), "17": D("100")}, available={"8912", "17"})


def test_maturities_must_add_up_and_be_given(tmp_path):
    from nbb_filing.books.note_rubrics import DebtPortions, NoteInputs, note_values

    mp = _mapping(
        '  - {id: a, accounts: ["17"], side: credit, portion: one_to_five_years, rubric: "8842", sign: credit}\n'
        '  - {id: b, accounts: ["17"], side: credit, portion: over_five_years, rubric: "8843", sign: credit}\n'
    )
    tb = _tb(tmp_path, [("173000", "0", "1000.00"), ("174000", "0", "50.00")])
    ok = NoteInputs(
        {
            "173000": DebtPortions("173000", {"over_five_years": D("300")}, "d.yaml line 3 (debts[0])"),
            "174000": DebtPortions("174000", {"one_to_five_years": D("50")}, "d.yaml line 4 (debts[1])"),
        }
    )
    got = note_values(mp, tb, "current", ok).values
    assert got == {"8842": D("750"), "8843": D("300")}
    assert note_values(mp, tb, "previous", ok).values == {}  # a note of the current year only
    missing = NoteInputs({"173000": ok.debts["173000"]})  # type: ignore[index]
    with pytest.raises(InputError, match="174000.*no maturity"):
        note_values(mp, tb, "current", missing)
    wrong = NoteInputs(
        {
            "173000": DebtPortions("173000", {"one_to_five_years": D("800"), "over_five_years": D("300")}, "d.yaml"),
            "174000": ok.debts["174000"],  # type: ignore[index]
        }
    )
    with pytest.raises(InputError, match="not the balance 1000"):
        note_values(mp, tb, "current", wrong)
    too_much = NoteInputs({**ok.debts, "173000": DebtPortions("173000", {"over_five_years": D("1200")}, "d")})  # type: ignore[arg-type]
    with pytest.raises(InputError, match="not within its balance"):
        note_values(mp, tb, "current", too_much)


def test_overdue_and_not_overdue_parts(tmp_path):
    from nbb_filing.books.note_rubrics import DebtPortions, NoteInputs, note_values

    mp = _mapping(
        '  - {id: od, accounts: ["451-453"], side: credit, portion: overdue, rubric: "9072", sign: credit}\n'
        '  - {id: nod, accounts: ["411", "451-453"], side: credit, portion: not_overdue, rubric: "9073", sign: credit}\n'
    )
    tb = _tb(tmp_path, [("451000", "0", "100.00"), ("453000", "0", "40.00"), ("411000", "0", "5.00")])
    # without debts: nothing is overdue and the whole tax debt is not overdue
    assert note_values(mp, tb, "current").values == {"9072": D("0"), "9073": D("145")}
    inputs = NoteInputs({"451000": DebtPortions("451000", {"overdue": D("30")}, "d.yaml")})
    assert note_values(mp, tb, "current", inputs).values == {"9072": D("30"), "9073": D("115")}


def test_group_rules_catch_only_listed_accounts_once_per_rubric(tmp_path):
    from nbb_filing.books.note_rubrics import NoteInputs, note_values
    from nbb_filing.books.selectors import Selector

    mp = _mapping(
        '  - {id: g, accounts: ["40-48"], side: credit, group: affiliated, rubric: "9371", sign: credit}\n'
        '  - {id: exact, accounts: ["=440100"], side: credit, rubric: "9371", sign: credit}\n'
        '  - {id: sup, accounts: ["44"], excluding: ["441"], side: credit, rubric: "8991", sign: credit}\n'
        '  - {id: p, accounts: ["40-48"], side: credit, group: participating, rubric: "9372", sign: credit}\n'
    )
    tb = _tb(
        tmp_path, [("440000", "0", "10.00"), ("440100", "0", "7.00"), ("489100", "0", "5.00"), ("441000", "0", "3")]
    )
    inputs = NoteInputs(None, {"affiliated": (Selector.parse("440100"), Selector.parse("4891"))})
    got = note_values(mp, tb, "current", inputs).values
    assert got["9371"] == D("12")  # 440100 counted once (the exact rule wins), 489100 by the group
    assert got["8991"] == D("17")  # 441000 (bills of exchange) left out by `excluding`
    assert got["9372"] == D("0")
    both = NoteInputs(None, {"affiliated": (Selector.parse("4891"),), "participating": (Selector.parse("48"),)})
    with pytest.raises(InputError, match="489100 is listed as affiliated and participating"):
        note_values(mp, tb, "current", both)
    unused = NoteInputs(None, {"associated": (Selector.parse("4891"),)}, "d.yaml line 9 (group)")
    with pytest.raises(InputError, match="d.yaml line 9 .group.: no notes rule of edge.yaml has group: associated"):
        note_values(mp, tb, "current", unused)


def test_checker_refuses_what_a_notes_rule_may_not_do(m82, m81):
    from nbb_filing.books.mapping_lint import static_findings

    mp = _mapping(
        '  - {id: stmt, accounts: ["62"], rubric: "17", sign: debit}\n'
        '  - {id: tot, accounts: ["173"], rubric: "8912", sign: credit}\n'
        '  - {id: s1, accounts: ["6700"], rubric: "9135", sign: debit}\n'
        '  - {id: s2, accounts: ["6720"], rubric: "9135", sign: credit}\n'
        '  - {id: o1, accounts: ["640"], rubric: "640", sign: debit}\n'
        '  - {id: o2, accounts: ["640"], rubric: "640", sign: debit}\n'
    )
    codes = {(f.code, f.rule or f.rubric) for f in static_findings(mp, m82, m81)}
    assert ("note-target", "stmt") in codes
    assert ("total-mapped", "tot") in codes
    assert ("sign-mixed", "9135") in codes
    assert ("overlap", "o1") in codes


def test_shipped_mappings_notes_are_clean_and_lacking_rubrics_are_reported(m82, m81):
    from nbb_filing.books.mapping_check import check_mapping
    from nbb_filing.books.mapping_file import load_mapping

    for name in ("without-capital", "with-capital", "association"):
        mp = load_mapping(name)
        assert mp.notes
    report = check_mapping(load_mapping("without-capital"), m81, full_catalog=m82)
    assert report.ok if hasattr(report, "ok") else not report.findings
    assert any("620" in w and "no model of the installed package" in w for w in report.warnings)


def test_dossier_debts_refuse_floats_and_negative_amounts():
    from pydantic import ValidationError

    from nbb_filing.filing.dossier_notes_books import DebtEntry, GroupAccounts

    with pytest.raises(ValidationError):
        DebtEntry(account="173000", over_five_years=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        DebtEntry(account="173000", overdue=D("-1"))
    with pytest.raises(ValidationError):
        DebtEntry(account="17300a")
    with pytest.raises(ValidationError):
        GroupAccounts(affiliated=("44a",))


# ---------------------------------------------------------------------------- coverage


def test_coverage_of_the_abbreviated_and_full_models(package):
    from nbb_filing.api import taxonomy_coverage

    m81 = taxonomy_coverage("m81-f", package=package)
    debts = next(s for s in m81.sections if s.section.startswith("s.06.03"))
    assert debts.cells == 24 and debts.generic == 0 and debts.dossier_cells == 0
    assert any(m.startswith("8912 ") for m in debts.mapping)
    assert ("620", "package") in m81.lacking  # in no model of the replica
    assert ("9371", "model") in m81.lacking  # a cell of m82-f only
    assert "8842" not in dict(m81.lacking)  # summed into 8912 of m81-f
    assert dict(m81.ties)["debts-over-one-year"] is True
    m82 = taxonomy_coverage("m82-f", package=package)
    calc = next(s for s in m82.sections if s.section.endswith(".calc"))
    assert any(m.startswith("9371 ") and "group" in m for m in calc.mapping)
    js = m82.to_json()
    assert {"model", "package", "mapping", "sections", "lacking", "ties"} <= set(js)
    assert sum(s["cells"] for s in js["sections"]) == sum(s.cells for s in m82.sections) > 0


# ---------------------------------------------------------------------------- every shipped notes rule


MAPPINGS = ("without-capital", "with-capital", "association")


def _account_of(sel) -> str:
    return (sel.lo + "000000")[:6] if sel.kind != "exact" else sel.lo


def _row(account: str, side: str) -> tuple[str, str, str]:
    return (account, "100.00", "0") if side == "debit" else (account, "0", "100.00")


def _inputs_for(r, account: str, *, with_parts: bool = True):
    """The dossier's part for ``account`` under rule ``r``: its group, and the portion the rule takes
    (the whole balance; over five years by leaving one to five at zero).  ``with_parts=False``: an
    empty debts: block (portion rules run, no entry)."""
    from nbb_filing.books.note_rubrics import DebtPortions, NoteInputs
    from nbb_filing.books.selectors import Selector

    debts = None
    if r.portion and r.portion != "not_overdue":
        debts = {}
        if with_parts:
            part = "one_to_five_years" if r.portion in ("one_to_five_years", "over_five_years") else r.portion
            given = {part: D("0")} if r.portion == "over_five_years" else {part: D("100")}
            if account.startswith("17"):  # a debt over one year always needs its maturity once debts: is given
                given.setdefault("one_to_five_years", D("100"))
            debts = {account: DebtPortions(account, given, "d.yaml")}
    groups = {r.group: (Selector.parse("=" + account),)} if r.group else {}
    return NoteInputs(debts, groups, "d.yaml")


@pytest.mark.parametrize("name", MAPPINGS)
def test_each_shipped_notes_rule_feeds_its_rubric_on_its_side_only(name, tmp_path):
    """Every notes rule of the shipped mapping: an account of its selector on its side feeds its
    rubric (the whole balance, or the portion the dossier gives); on the other side it does not."""
    from nbb_filing.books.mapping_file import load_mapping
    from nbb_filing.books.note_rubrics import note_values

    mp = load_mapping(name)
    failures = []
    for rule in mp.notes:
        sel = next(s for s in rule.selectors if s.kind in ("prefix", "range", "exact"))
        account = _account_of(sel)
        normal = rule.side if rule.side != "either" else rule.sign
        got = note_values(mp, _tb(tmp_path, [_row(account, normal)]), "current", _inputs_for(rule, account)).values
        if got[rule.rubric] != D("100") * (1 if normal == rule.sign else -1):
            failures.append(f"{rule.id}: {account} on its side gives {got[rule.rubric]}")
        if rule.side == "either":
            continue
        other = "credit" if normal == "debit" else "debit"
        inputs = _inputs_for(rule, account, with_parts=False)
        got = note_values(mp, _tb(tmp_path, [_row(account, other)]), "current", inputs).values
        if got[rule.rubric] != 0 and not any(
            r.rubric == rule.rubric and r.side != rule.side and r.specificity_for(account) for r in mp.notes
        ):
            failures.append(f"{rule.id}: {account} on the {other} side gives {got[rule.rubric]}")
    assert not failures, failures


@pytest.mark.parametrize("name", MAPPINGS)
def test_each_shipped_notes_rule_leaves_out_a_sibling_sub_account(name, tmp_path):
    """A sibling of each rule's selectors (last digit of a prefix changed, the prefix below or above a
    range) that no rule of the same rubric names stays out of the rubric, even when the dossier lists
    it in the rule's group."""
    from nbb_filing.books.mapping_file import load_mapping
    from nbb_filing.books.note_rubrics import NoteInputs, note_values

    mp = load_mapping(name)
    failures, checked = [], 0
    for rule in mp.notes:
        siblings = []
        for sel in rule.selectors:
            if sel.kind == "prefix":
                siblings += [sel.lo[:-1] + d for d in "0123456789" if d != sel.lo[-1]]
            elif sel.kind == "range":
                n = len(sel.lo)
                siblings += [
                    str(int(x) + dx).zfill(n) for x, dx in ((sel.lo, -1), (sel.hi, 1)) if 0 <= int(x) + dx < 10**n
                ]
        for sib in siblings:
            account = (sib + "000000")[:6]
            if any(r.specificity_for(account) is not None for r in mp.notes if r.rubric == rule.rubric):
                continue  # another rule of the rubric names it
            if rule.portion and account.startswith("17"):
                continue  # a debt over one year needs a maturity of its own (the maturity rules' test)
            normal = rule.side if rule.side != "either" else rule.sign
            inputs = NoteInputs({} if rule.portion else None, _inputs_for(rule, account).groups, "d.yaml")
            got = note_values(mp, _tb(tmp_path, [_row(account, normal)]), "current", inputs).values
            if got[rule.rubric] != 0:
                failures.append(f"{rule.id}: sibling {account} gives {got[rule.rubric]}")
            checked += 1
            break
    assert not failures, failures
    assert checked >= 0.7 * len(mp.notes)  # most rules have a sibling outside their rubric


def _all_ties():
    from nbb_filing.books.note_ties import load_ties

    return [pytest.param(t, id=t.id) for t in load_ties()]


@pytest.mark.parametrize("tie", _all_ties())
def test_each_tie_holds_and_breaks(tie):
    from nbb_filing.books.note_ties import note_tie_problems

    values = {c: D(0) for c in tie.codes}
    first_sign, first = tie.note[0]
    values[first] = D(10) * first_sign
    stmt_sign, stmt = tie.statement[0]
    values[stmt] = D(10) * stmt_sign
    assert note_tie_problems(values, ties=[tie]) == []
    values[first] += D(1) * first_sign  # the note now says 11 against 10 in the statements
    [why] = note_tie_problems(values, ties=[tie])
    assert tie.id in why and "= 11" in why and "= 10" in why


def test_mapping_check_reports_a_note_tie(catalog, tmp_path):
    """`mapping check` with a trial balance: a tax sub-account outside the notes rules is `note-tie`."""
    from nbb_filing.books.ledger import read_trial_balance
    from nbb_filing.books.mapping_check import check_mapping
    from nbb_filing.books.mapping_file import load_mapping

    text = (SAMPLES / "menuiserie-lambotte-2024" / "tb-2024.csv").read_text(encoding="utf-8")
    tb_path = tmp_path / "tb.csv"
    tb_path.write_text(text.replace("670200;Charges fiscales estimées", "671300;Impôts antérieurs (autre)"), "utf-8")
    mp = load_mapping("with-capital")
    clean = check_mapping(
        mp, catalog("m02-f"), current=read_trial_balance(SAMPLES / "menuiserie-lambotte-2024" / "tb-2024.csv")
    )
    assert not [f for f in clean.findings if f.code == "note-tie"]
    report = check_mapping(mp, catalog("m02-f"), current=read_trial_balance(tb_path))
    [f] = [f for f in report.findings if f.code == "note-tie"]
    assert "taxes-on-result" in f.message and "= 13250" in f.message and "= 17850" in f.message
