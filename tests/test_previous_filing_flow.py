"""Last year's filing as the previous-year column, on the three samples (issue 22).

For each sample, last year's filing is generated first: the 2024 dossier turned into a 2023 one
(the 2023 trial balance, the previous-year amounts of the appropriation and of ``figures:`` as
current ones, last year's social-balance totals as the year's totals, no movements of the fixed
assets).  Then the 2024 dossier names it as ``previous_filing``:

* with its previous-year trial balance too, the comparison of the two must find no difference
  (the same cells are compared, the social balance sheet's included), and the filing must say
  "identical to published";
* as a first year with this tool (no previous-year trial balance, no ``previous_exercise``), the
  filing must take every opening value from last year's filing and validate without a blocking
  finding.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from nbb_filing.api import generate
from nbb_filing.core.errors import InputError
from nbb_filing.filing.dossier_files import data_to_yaml, dossier_data, load_dossier
from nbb_filing.reading.reader import read_facts

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("smartcoop-2024", "menuiserie-lambotte-2024", "jeugdhuis-de-vonk-2024")


def _a_year_earlier(d: date) -> date:
    return d.replace(year=d.year - 1)


def last_year(data: dict) -> dict:
    """The 2024 dossier data of a sample turned into the 2023 dossier that would have given last year's filing."""
    out = dict(data)
    prev = out.pop("previous_exercise")
    out["exercise"] = prev
    out["general_meeting"] = _a_year_earlier(out["general_meeting"])
    out.pop("previous_amounts_identical", None)
    out.pop("fixed_assets", None)
    inputs = dict(out["inputs"])
    inputs["trial_balance"] = inputs.pop("previous_trial_balance")
    out["inputs"] = inputs
    for key in ("appropriation", "figures"):
        if key in out:
            moved = {code: {"current": a["previous"]} for code, a in out[key].items() if a.get("previous") is not None}
            if moved:
                out[key] = moved
            else:
                del out[key]
    if "social_balance" in out:
        out["social_balance"] = {
            name: {"total": m["previous_total"]}
            for name, m in out["social_balance"].items()
            if isinstance(m, dict) and "previous_total" in m
        }
    return out


@pytest.fixture(scope="module", params=SAMPLES)
def two_years(request, tmp_path_factory, package):
    """(folder, dossier data of 2024): the sample copied, its 2023 filing generated.  The copy names its
    shipped mapping by name (a mapping file outside the dossier's folder is refused, issue 23)."""
    root = tmp_path_factory.mktemp(request.param)
    folder = root / "samples" / request.param
    shutil.copytree(ROOT / "samples" / request.param, folder)
    data = dossier_data(load_dossier(folder / "dossier.yaml"))
    data["inputs"] = {**data["inputs"], "mapping": Path(str(data["inputs"]["mapping"])).stem}
    (folder / "dossier.yaml").write_text(data_to_yaml(data), encoding="utf-8")
    (folder / "dossier-2023.yaml").write_text(data_to_yaml(last_year(data)), encoding="utf-8")
    generate(folder / "dossier-2023.yaml", folder / "last-year.xbrl", package=package)
    return folder, data


def _write(folder: Path, name: str, data: dict) -> Path:
    p = folder / name
    p.write_text(data_to_yaml(data), encoding="utf-8")
    return p


def _identical_fact(path: Path, package) -> str | None:
    """The value the filing states for "previous-year amounts identical to those published"."""
    from nbb_filing.filing.binding import load_table

    facts = read_facts(path, package)
    role = load_table().roles["filing"]
    field = next(f for f in role.fields if f.name == "previous_amounts_identical")
    return next((f.value for f in facts if f.datapoint.metric == field.metric), None)


def test_comparison_with_last_years_filing_has_no_false_difference(two_years, package):
    folder, data = two_years
    this_year = dict(data)
    this_year.pop("previous_amounts_identical", None)  # derived from the comparison
    this_year["previous_filing"] = "last-year.xbrl"
    res = generate(_write(folder, "with-filing.yaml", this_year), folder / "with-filing.xbrl", package=package)
    notes = [n for n in res.notes if n.startswith(("previous year", "  rubric"))]
    assert "previous year: the previous-year trial balance agrees with the published filing on every rubric" in notes
    assert not [n for n in notes if n.startswith("  rubric")], notes
    assert _identical_fact(folder / "with-filing.xbrl", package) == "true"
    # the very same facts as from the two trial balances alone (the sample as shipped)
    plain = generate(folder / "dossier.yaml", folder / "plain.xbrl", package=package)
    assert (
        read_facts(folder / "plain.xbrl", package).as_set() == read_facts(folder / "with-filing.xbrl", package).as_set()
    )
    assert plain.facts == res.facts


def test_a_difference_makes_the_answer_false_with_the_difference_listed(two_years, package):
    folder, data = two_years
    this_year = dict(data)
    this_year.pop("previous_amounts_identical", None)
    this_year["previous_filing"] = "last-year.xbrl"
    sb = {k: dict(v) if isinstance(v, dict) else v for k, v in this_year["social_balance"].items()}
    total = sb["hours_worked"]["previous_total"]
    sb["hours_worked"]["previous_total"] = (
        {k: v + 10 for k, v in total.items()} if isinstance(total, dict) else total + Decimal(10)
    )
    this_year["social_balance"] = sb
    res = generate(_write(folder, "differs.yaml", this_year), folder / "differs.xbrl", package=package)
    lines = [n for n in res.notes if n.startswith("  rubric")]
    assert lines and all("social_balance.hours_worked.previous_total" in n for n in lines), res.notes
    # 10 more hours (per gender where the sample splits them: the total then differs by 20)
    assert all("the dossier gives" in n and n.endswith(("(difference 10)", "(difference 20)")) for n in lines), lines
    assert _identical_fact(folder / "differs.xbrl", package) == "false"


def test_first_year_with_this_tool_from_last_years_filing_only(two_years, package):
    """No previous-year trial balance, no previous_exercise: last year's filing gives the whole previous
    column, the openings of the fixed-asset notes and the social balance sheet's previous totals."""
    folder, data = two_years
    first = {k: v for k, v in data.items() if k not in ("previous_exercise", "previous_amounts_identical")}
    first["inputs"] = {k: v for k, v in data["inputs"].items() if k != "previous_trial_balance"}
    first["previous_filing"] = "last-year.xbrl"
    first["social_balance"] = {
        name: {k: v for k, v in m.items() if k != "previous_total"} if isinstance(m, dict) else m
        for name, m in data["social_balance"].items()
    }
    res = generate(_write(folder, "first-year.yaml", first), folder / "first-year.xbrl", package=package, validate=True)
    report = res.validation
    assert res.validation_exit_code == 0, [f for f in report.findings if f.blocking][:5]
    # the same facts as the sample generated from its two trial balances (the previous year's notes included)
    plain = generate(folder / "dossier.yaml", folder / "plain-2.xbrl", package=package)
    assert plain.facts == res.facts
    assert (
        read_facts(folder / "plain-2.xbrl", package).as_set()
        == read_facts(folder / "first-year.xbrl", package).as_set()
    )


def test_openings_given_as_figures_without_last_years_books_or_filing(two_years, package, catalog):
    """previous_exercise and the previous-year amounts under figures: (copied here from last year's
    filing, as an accountant would from the published accounts): no previous trial balance needed."""
    from nbb_filing.reading.previous import previous_column

    folder, data = two_years
    given = {k: v for k, v in data.items()}
    given["inputs"] = {k: v for k, v in data["inputs"].items() if k != "previous_trial_balance"}
    figures = {code: dict(a) for code, a in data.get("figures", {}).items()}
    column = previous_column(folder / "last-year.xbrl", catalog(data["model"]), package)
    appropriation = set(data.get("appropriation", {}))
    for f in column.figures.figures:
        if f.rubric not in appropriation:
            figures.setdefault(f.rubric, {}).setdefault("previous", f.amount)
    given["figures"] = figures
    res = generate(_write(folder, "openings.yaml", given), folder / "openings.xbrl", package=package, validate=True)
    assert res.validation_exit_code == 0, [f for f in res.validation.findings if f.blocking][:5]
    generate(folder / "dossier.yaml", folder / "plain-3.xbrl", package=package)
    assert (
        read_facts(folder / "plain-3.xbrl", package).as_set() == read_facts(folder / "openings.xbrl", package).as_set()
    )


def test_without_any_previous_year_data_the_message_names_every_way(two_years, package):
    folder, data = two_years
    bare = {k: v for k, v in data.items() if k != "figures"}
    bare["inputs"] = {k: v for k, v in data["inputs"].items() if k != "previous_trial_balance"}
    bare["appropriation"] = {c: {"current": a["current"]} for c, a in data["appropriation"].items() if "current" in a}
    with pytest.raises(InputError) as e:
        generate(_write(folder, "bare.yaml", bare), folder / "bare.xbrl", package=package)
    msg = str(e.value)
    for way in ("previous_trial_balance", "previous_filing", "figures:"):
        assert way in msg, msg
