"""The two samples beside SmartCoop: a company with capital (abbreviated model m01-f) and an
association (micro model m08-f).

For each: its mapping check is clean on its trial balances; the generated instance reports the
key figures that this test computes on its own from the trial-balance CSV (plain ``Decimal`` sums
over account prefixes, the arithmetic the sample's README shows by hand); and one Arelle validation
per sample (both files in ONE ``validate_files`` call, shared by a session fixture) finds nothing
blocking.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
D = Decimal


@dataclass(frozen=True)
class Sample:
    name: str
    model: str
    full_model: str
    mapping: str


SAMPLES = {
    "menuiserie-lambotte-2024": Sample("menuiserie-lambotte-2024", "m01-f", "m02-f", "with-capital.yaml"),
    "jeugdhuis-de-vonk-2024": Sample("jeugdhuis-de-vonk-2024", "m08-f", "m05-f", "association.yaml"),
}


# ---------------------------------------------------------------------- the trial balance, by hand


def read_csv(path: Path) -> dict[str, Decimal]:
    """Account -> balance (debit positive), read with the csv module, not with nbb_filing."""
    out: dict[str, Decimal] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh, delimiter=";")
        next(rows)
        for account, _label, debit, credit in rows:
            out[account] = D(debit.replace(",", ".")) - D(credit.replace(",", "."))
    return out


def debit(tb: dict[str, Decimal], *prefixes: str) -> Decimal:
    """Sum of the balances of the accounts starting with any of ``prefixes`` (debit positive)."""
    return sum((v for a, v in tb.items() if a.startswith(prefixes)), D(0))


def credit(tb: dict[str, Decimal], *prefixes: str) -> Decimal:
    return -debit(tb, *prefixes)


def result_of_year(tb: dict[str, Decimal]) -> Decimal:
    """Income (class 7) minus charges (class 6), the appropriation accounts 69/79 left out."""
    return sum((-v for a, v in tb.items() if a[0] in "67" and not a.startswith(("69", "79"))), D(0))


def lambotte_figures(tb: dict[str, Decimal]) -> dict[str, Decimal]:
    """Menuiserie Lambotte SA (m01-f): every balance-sheet account is on its natural side."""
    return {
        "20/58": debit(tb, "2", "3", "40", "41", "490", "491", "5"),
        "10/49": credit(tb, "1", "42", "43", "44", "45", "46", "47", "48", "492", "493"),
        "10/15": credit(tb, "10", "11", "12", "13", "14", "15"),
        "100": credit(tb, "100"),
        "130": credit(tb, "130"),
        "14": credit(tb, "14"),
        "70": credit(tb, "70"),
        "9900": credit(tb, "70", "71", "72", "74") - debit(tb, "60", "61"),
        "9903": result_of_year(tb) + debit(tb, "67"),
        "9904": result_of_year(tb),
        "14P": credit(tb, "790") - debit(tb, "690"),
        "9906": result_of_year(tb) + credit(tb, "790") - debit(tb, "690"),
        "6920": debit(tb, "6920"),
        "694": debit(tb, "694"),
        "62": debit(tb, "62"),
        "630": debit(tb, "630"),
    }


def de_vonk_figures(tb: dict[str, Decimal]) -> dict[str, Decimal]:
    """Jeugdhuis De Vonk vzw (m08-f): association funds 10, allocated fund 13, subsidies 15."""
    return {
        "20/58": debit(tb, "2", "3", "40", "41", "490", "491", "5"),
        "10/49": credit(tb, "1", "42", "43", "44", "45", "46", "47", "48", "492", "493"),
        "10/15": credit(tb, "10", "13", "14", "15"),
        "10": credit(tb, "10"),
        "13": credit(tb, "13"),
        "15": credit(tb, "15"),
        "14": credit(tb, "14"),
        "70": credit(tb, "70"),
        "73": credit(tb, "73"),
        "9900": credit(tb, "70", "71", "72", "73", "74") - debit(tb, "60", "61"),
        "9904": result_of_year(tb),
        "14P": credit(tb, "790") - debit(tb, "690"),
        "9906": result_of_year(tb) + credit(tb, "790") - debit(tb, "690"),
        "791": credit(tb, "791"),
        "691": debit(tb, "691"),
        "62": debit(tb, "62"),
    }


BY_HAND = {"menuiserie-lambotte-2024": lambotte_figures, "jeugdhuis-de-vonk-2024": de_vonk_figures}


# ---------------------------------------------------------------------- session fixtures


@pytest.fixture(scope="session")
def new_samples(package, catalog, tmp_path_factory):
    """{sample name: GenerateResult}: both samples generated once, in their own models."""
    from nbb_filing.api import generate

    out = tmp_path_factory.mktemp("new-samples")
    results = {}
    for name, s in SAMPLES.items():
        catalog(s.model)
        results[name] = generate(ROOT / "samples" / name / "dossier.yaml", out / f"{name}.xbrl", package=package)
    return results


@pytest.fixture(scope="session")
def new_samples_validation(new_samples, package):
    """{sample name: FileReport}: ONE ``validate_files`` call, one Arelle validation per sample."""
    from nbb_filing.checks.validate import validate_files

    names = list(new_samples)
    report = validate_files([new_samples[n].output for n in names], package=package)
    by_path = {Path(f.path).resolve(): f for f in report.files}
    return {n: by_path[Path(new_samples[n].output).resolve()] for n in names}


def reported(result, package, catalog) -> dict[tuple[str, str], Decimal]:
    """(rubric, period) -> amount, read back from the generated instance."""
    from nbb_filing.reading.reader import read_facts

    cat = catalog(result.model)
    filing = read_facts(result.output, package, model=result.model, catalog=cat)
    out: dict[tuple[str, str], Decimal] = {}
    for f in filing.rubric_facts():
        if f.amount is not None:
            out[(f.datapoint.rubric, f.datapoint.period)] = f.amount
    return out


# ---------------------------------------------------------------------- tests


@pytest.mark.parametrize("name", list(SAMPLES))
def test_trial_balances_balance_and_close_classes_6_and_7(name):
    for year in ("2024", "2023"):
        tb = read_csv(ROOT / "samples" / name / f"tb-{year}.csv")
        assert sum(tb.values(), D(0)) == 0, (name, year)
        assert debit(tb, "6", "7") == 0, (name, year)  # after appropriation: the P&L is closed
        hand = BY_HAND[name](tb)
        assert hand["20/58"] == hand["10/49"] > 0


@pytest.mark.parametrize("name", list(SAMPLES))
def test_mapping_check_is_clean(name, catalog):
    from nbb_filing.books.ledger import read_trial_balance
    from nbb_filing.books.mapping_check import check_mapping
    from nbb_filing.books.mapping_file import load_mapping

    s = SAMPLES[name]
    folder = ROOT / "samples" / name
    report = check_mapping(
        load_mapping(ROOT / "mappings" / s.mapping),
        catalog(s.model),
        full_catalog=catalog(s.full_model),
        current=read_trial_balance(folder / "tb-2024.csv"),
        previous=read_trial_balance(folder / "tb-2023.csv"),
    )
    assert report.ok, [f.message for f in report.findings]
    assert all(c.mapped == c.accounts and c.ignored == 0 for c in report.coverage)


@pytest.mark.parametrize("name", list(SAMPLES))
def test_generated_key_figures_are_the_hand_worked_ones(name, new_samples, package, catalog):
    result = new_samples[name]
    assert result.model == SAMPLES[name].model
    facts = reported(result, package, catalog)
    for period, year in (("current", "2024"), ("previous", "2023")):
        hand = BY_HAND[name](read_csv(ROOT / "samples" / name / f"tb-{year}.csv"))
        for rubric, amount in hand.items():
            # zero figures are not written (an absent rubric reads as zero)
            assert facts.get((rubric, period), D(0)) == amount, (rubric, period)


def test_lambotte_figures_in_the_readme():
    """The README's hand-worked 2024 figures, stated as numbers, agree with the trial balance."""
    tb = read_csv(ROOT / "samples" / "menuiserie-lambotte-2024" / "tb-2024.csv")
    hand = lambotte_figures(tb)
    assert hand["20/58"] == D("773101.00")
    assert hand["10/15"] == D("528744.50")
    assert hand["9904"] == D("67140.00") and hand["9903"] == D("84990.00")
    assert hand["9906"] == D("306344.50") == hand["6920"] + hand["694"] + hand["14"]
    # the legal reserve is capped at one tenth of the capital
    assert hand["130"] == hand["100"] / 10


def test_de_vonk_figures_in_the_readme():
    tb = read_csv(ROOT / "samples" / "jeugdhuis-de-vonk-2024" / "tb-2024.csv")
    hand = de_vonk_figures(tb)
    assert hand["20/58"] == D("159739.15")
    assert hand["10/15"] == D("121488.05")
    assert hand["9904"] == D("-4482.35")
    assert hand["9906"] + hand["791"] - hand["691"] == hand["14"] == D("56488.05")


@pytest.mark.parametrize("name", list(SAMPLES))
def test_sample_can_be_filed(name, new_samples_validation):
    report = new_samples_validation[name]
    assert report.error is None
    assert report.blocking == [], [f.message for f in report.blocking]
    assert report.assertions_evaluated and not report.assertions_unsatisfied


def test_association_writes_directors_functions_and_reports_missing_cells(new_samples):
    """m08-f lists functions in fct-enum:list2 (written); it has no cell for the accountant's
    declaration and missions (reported as left out, not refused)."""
    res = new_samples["jeugdhuis-de-vonk-2024"]
    left = "\n".join(res.left_out)
    assert "function" not in left
    assert "filing.accountant_declaration" in left and "missions" in left
    text = res.output.read_text(encoding="utf-8")
    assert sorted(re.findall(r"<fct-enum:list2 [^>]*>([^<]*)<", text)) == ["fct:m10", "fct:m13", "fct:m13"]


def test_two_codes_of_one_cell_must_agree(catalog):
    """In m08-f the balance sheet's (14) and the appropriation's 14 are one cell: the association
    mapping fills it from 14x and from 693/793.  Equal, it is written once; different, refused."""
    from nbb_filing.api import compute_mapped_figures
    from nbb_filing.books.figures import RubricFigures
    from nbb_filing.core.errors import FindingsError
    from nbb_filing.filing.dossier_files import load_dossier
    from nbb_filing.filing.facts import build_facts

    m08 = catalog("m08-f")
    dossier = load_dossier(ROOT / "samples" / "jeugdhuis-de-vonk-2024" / "dossier.yaml")
    mapped = compute_mapped_figures(dossier, m08)
    assert mapped.get("14") == mapped.get("(14)") == D("56488.05")
    cell = m08.lookup("14")
    assert m08.lookup("(14)").key == cell.key
    facts = build_facts(m08, dossier, mapped)
    assert [f.value for f in facts.facts if f.datapoint.key == cell.key] == [D("56488.05")]

    changed = tuple(
        dataclasses.replace(f, amount=f.amount + 1) if (f.rubric, f.period) == ("(14)", "current") else f
        for f in mapped.figures
    )
    same_cell = r"rubric \(14\) \(current year\) is 56,489.05, but rubric 14 of the same cell is 56,488.05"
    with pytest.raises(FindingsError, match=same_cell):
        build_facts(m08, dossier, RubricFigures(mapped.model, changed))


def test_association_filing_imports_back_exactly(new_samples, package, tmp_path):
    """Import reads the association model's function cells (fct-enum:list2) back into mandates,
    and generating the imported dossier reproduces every fact."""
    from nbb_filing.filing.dossier_files import load_dossier
    from nbb_filing.reading.importer import import_filing

    res = import_filing(new_samples["jeugdhuis-de-vonk-2024"].output, tmp_path / "imported", package)
    assert res.exact, (res.not_imported, res.round_trip)
    dossier = load_dossier(res.dossier_path)
    functions = sorted(m.function for p in dossier.directors for m in p.mandates)
    assert functions == ["10", "13", "13"]
