"""The social balance sheet beyond its first table: the cells of data/social-balance.yaml against the
models, the dossier block (checks, left-out rows), the staff register (tables computed from it and
compared with figures worked out by hand below), and the samples' tables in the filings.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from nbb_filing.core.errors import FindingsError, InputError
from nbb_filing.filing.dossier_files import load_dossier
from nbb_filing.filing.dossier_notes_social import SocialBalanceSheet
from nbb_filing.filing.facts import build_facts
from nbb_filing.filing.notes.social_balance_tables import average_fte, load_social_cells
from nbb_filing.filing.notes.social_register import month_ends, read_register, register_tables

D = Decimal
ROOT = Path(__file__).resolve().parents[1]


def _model_paths(cls: type[BaseModel], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for name, field in cls.model_fields.items():
        ann = field.annotation
        args = (
            typing.get_args(ann) if isinstance(ann, types.UnionType) or typing.get_origin(ann) is typing.Union else ()
        )
        inner = next((a for a in args if a is not type(None)), ann)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            out |= _model_paths(inner, (*prefix, name))
        else:
            out.add((*prefix, name))
    return out


def test_every_cell_is_a_field_of_the_block_and_back():
    first_table = {
        "average_workers",
        "hours_worked",
        "personnel_costs",
        "benefits",
        "staff_register",
        "joint_committees",
    }
    fields = {p for p in _model_paths(SocialBalanceSheet) if p[0] not in first_table}
    cells = {c.path for c in load_social_cells().cells}
    assert cells == fields


@pytest.mark.parametrize("model", ["m82-f", "m02-f"])
def test_the_full_models_have_every_cell(catalog, model):
    c = catalog(model)
    cells = load_social_cells()
    assert [x.path for x in cells.cells if x.resolve(c) is None] == []
    assert cells.committee_cell(c) is not None


@pytest.mark.parametrize("model", ["m81-f", "m01-f", "m87-f", "m07-f", "m08-f", "m04-f", "m05-f"])
def test_the_other_models_have_year_end_totals_and_training(catalog, model):
    c = catalog(model)
    missing = {x.path[:2] for x in load_social_cells().cells if x.resolve(c) is None}
    # the abbreviated, micro and association models (the replica's m05-f too) keep entries and
    # exits in total, without reasons, and have no external staff
    assert missing == {
        ("entries", "by_contract"),
        ("exits", "by_contract"),
        ("exits", "by_reason"),
        ("temporary_staff", "average"),
        ("temporary_staff", "hours"),
        ("temporary_staff", "costs"),
        ("placed_staff", "average"),
        ("placed_staff", "hours"),
        ("placed_staff", "costs"),
    }
    assert load_social_cells().committee_cell(c) is not None


def test_cells_are_the_rubrics_of_the_nbb_scheme(m82):
    """Rubric codes of the NBB's social balance sheet (full scheme), found from members alone."""
    by_path = {c.path: c.resolve(m82) for c in load_social_cells().cells}
    rubric = {p: dp.rubric for p, dp in by_path.items()}
    assert rubric[("year_end", "total", "full_time")] == "1051"
    assert rubric[("year_end", "total", "fte")] == "1053"
    assert rubric[("year_end", "by_contract", "replacement", "fte")] == "1133"
    assert rubric[("year_end", "by_sex_and_education", "women", "university", "part_time")] == "12131"
    assert rubric[("year_end", "by_category", "blue_collar", "full_time")] == "1321"
    assert rubric[("placed_staff", "costs")] == "1521"
    assert rubric[("entries", "by_contract", "fixed_term", "fte")] == "2113"
    assert rubric[("exits", "by_reason", "unemployment_with_supplement", "full_time")] == "3411"
    assert rubric[("exits", "by_reason", "other_self_employed", "fte")] == "3503"
    assert rubric[("training", "formal", "women", "subsidies")] == "58033"
    assert rubric[("training", "initial", "men", "net_cost")] == "5843"


# ---------------------------------------------------------------- the staff register, by hand

REGISTER = """\
worker,sex,education,category,contract,start,end,fraction,exit_reason,hours,costs,formal_hours,formal_gross_cost,formal_contributions,formal_subsidies,informal_hours,informal_cost,initial_hours,initial_cost
A,M,secondary,blue_collar,permanent,2020-01-01,,1,,1600,50000.00,10,500.00,50.00,100.00,,,,
B,F,university,employees,fixed_term,2024-04-01,2024-09-30,0.5,other,500,15000.00,,,,,8,240.00,,
C,F,higher_non_university,employees,fixed_term,2023-06-01,2024-06-30,0.75,,600,20000.00,,,,,,,,
C,F,higher_non_university,employees,permanent,2024-07-01,,0.75,,620,21000.00,,,,,,,40,800.00
D,M,primary,blue_collar,replacement,2024-11-01,,1,,300,6000.00,,,,,,,,
E,M,secondary,management,permanent,2010-01-01,2024-03-31,1,retirement,450,30000.00,,,,,,,,
"""


def r1(x: Decimal) -> Decimal:
    return x.quantize(D("0.1"), rounding=ROUND_HALF_UP)


@pytest.fixture
def register(tmp_path: Path) -> Path:
    p = tmp_path / "staff.csv"
    p.write_text(REGISTER, encoding="utf-8")
    return p


def test_register_tables_by_hand(register):
    t = register_tables(read_register(register), dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    # Month ends of 2024 where each worker is in the register (12 month ends):
    #   A full time all 12; D full time Nov, Dec (2); E full time Jan-Mar (3)  -> men 17 full-time months
    #   B half time Apr-Sep (6); C 0.75 Jan-Jun then Jul-Dec (12)               -> women 18 part-time months
    men_ft = r1(D(12 + 2 + 3) / 12)  # 1.4
    women_pt = r1(D(6 + 12) / 12)  # 1.5
    women_fte = r1((6 * D("0.5") + 12 * D("0.75")) / 12)  # 12 / 12 = 1.0
    assert (men_ft, women_pt, women_fte) == (D("1.4"), D("1.5"), D("1.0"))
    aw = t["average_workers"]
    assert aw["full_time"] == {"men": men_ft, "women": 0}
    assert aw["part_time"] == {"men": 0, "women": women_pt}
    assert aw["total"] == {"men": men_ft, "women": women_fte}
    # hours and costs: A + D + E full time (men), B + C + C part time (women)
    assert t["hours_worked"]["full_time"] == {"men": 1600 + 300 + 450, "women": 0}
    assert t["hours_worked"]["part_time"] == {"men": 0, "women": 500 + 600 + 620}
    assert t["personnel_costs"]["total"] == {"men": D("86000.00"), "women": D("56000.00")}
    # 31/12/2024: A (full time, permanent), C (0.75 -> 0.8 FTE, permanent), D (full time, replacement)
    ye = t["year_end"]
    assert ye["total"] == {"full_time": 2, "part_time": 1, "fte": D("2.8")}
    assert ye["by_contract"] == {
        "permanent": {"full_time": 1, "part_time": 1, "fte": D("1.8")},
        "replacement": {"full_time": 1, "fte": D("1")},
    }
    assert ye["by_sex_and_education"] == {
        "men": {
            "total": {"full_time": 2, "fte": 2},
            "primary": {"full_time": 1, "fte": 1},
            "secondary": {"full_time": 1, "fte": 1},
        },
        "women": {
            "total": {"part_time": 1, "fte": D("0.8")},
            "higher_non_university": {"part_time": 1, "fte": D("0.8")},
        },
    }
    assert ye["by_category"] == {
        "blue_collar": {"full_time": 2, "fte": 2},
        "employees": {"part_time": 1, "fte": D("0.8")},
    }
    # entries: B and D (C's permanent contract follows its fixed-term one the next day: no entry)
    assert t["entries"]["total"] == {"full_time": 1, "part_time": 1, "fte": D("1.5")}
    assert t["entries"]["by_contract"] == {
        "fixed_term": {"part_time": 1, "fte": D("0.5")},
        "replacement": {"full_time": 1, "fte": 1},
    }
    # exits: E retires on 31/3, B's contract ends on 30/9 (C goes on: no exit)
    assert t["exits"]["total"] == {"full_time": 1, "part_time": 1, "fte": D("1.5")}
    assert t["exits"]["by_reason"] == {
        "retirement": {"full_time": 1, "fte": 1},
        "other": {"part_time": 1, "fte": D("0.5")},
    }
    # training: formal A (net 500 + 50 - 100 = 450 computed by the block), informal B, initial C
    assert t["training"] == {
        "formal": {
            "men": {
                "participants": 1,
                "hours": 10,
                "gross_cost": D("500.00"),
                "contributions": D("50.00"),
                "subsidies": D("100.00"),
            }
        },
        "informal": {"women": {"participants": 1, "hours": 8, "net_cost": D("240.00")}},
        "initial": {"women": {"participants": 1, "hours": 40, "net_cost": D("800.00")}},
    }


def test_a_contract_following_one_of_last_year_is_no_entry(tmp_path):
    p = tmp_path / "staff.csv"
    p.write_text(
        "worker,sex,education,category,contract,start,end,fraction\n"
        "A,F,secondary,employees,fixed_term,2023-01-01,2023-12-31,1\n"
        "A,F,secondary,employees,permanent,2024-01-01,,1\n",
        encoding="utf-8",
    )
    t = register_tables(read_register(p), dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert "entries" not in t and "exits" not in t
    assert t["year_end"]["total"] == {"full_time": 1, "fte": 1}


def test_a_semicolon_export_with_decimal_commas_reads_the_same(register, tmp_path):
    semi = tmp_path / "semi.csv"
    semi.write_text(REGISTER.replace(",", ";").replace("0.75", "0,75").replace(".00", ",00"), encoding="utf-8")
    assert read_register(semi) == read_register(register)


def test_month_ends_of_a_long_first_exercise():
    ends = month_ends(dt.date(2023, 7, 15), dt.date(2024, 12, 31))
    assert len(ends) == 18 and ends[0] == dt.date(2023, 7, 31) and ends[-1] == dt.date(2024, 12, 31)


REGISTER_BLOCK = """
social_balance:
  staff_register: staff.csv
  joint_committees: ["200", "329.01"]
  average_workers: {previous_total: 2.0}
"""


def test_register_into_the_full_model(mini_text, write_dossier, register, m82):
    path = write_dossier(mini_text + REGISTER_BLOCK)
    register.replace(path.parent / "staff.csv")
    d = load_dossier(path)
    fs = build_facts(m82, d)
    by_rubric: dict[tuple[str, str], Decimal] = {}
    for f in fs.facts:
        if f.datapoint.rubric and not f.typed:
            by_rubric[(f.datapoint.rubric, f.datapoint.column_label("en"))] = f.value
    # first table (columns total / men / women): 1.4 + 1.0 FTE, 4,070 hours, 142,000.00 EUR
    assert by_rubric[("1003", "Total")] == D("2.4")
    assert by_rubric[("1013", "Total")] == D(2350 + 1720)
    assert by_rubric[("1023", "Total")] == D("142000.00")
    assert by_rubric[("1003P", "P. Total")] == D("2.0")
    # year end, exits by reason, training net cost (computed 500 + 50 - 100)
    fte = {k: v for k, v in by_rubric.items() if k[0] == "1053"}
    assert list(fte.values()) == [D("2.8")]
    assert [v for k, v in by_rubric.items() if k[0] == "3401"] == [D(1)]
    assert [v for k, v in by_rubric.items() if k[0] == "5803"] == [D("450.00")]
    committees = sorted(str(f.value) for f in fs.facts if f.datapoint.metric == "jcc-enum:list1")
    assert committees == ["jcc:m200", "jcc:m32901"]
    assert average_fte(d) == {"current": D("2.4"), "previous": D("2.0")}


@pytest.mark.parametrize(
    "old, new, text",
    [
        (
            ",M,secondary,blue_collar,permanent,2020",
            ",X,secondary,blue_collar,permanent,2020",
            "staff.csv line 2 (column sex): 'X' is not M or F",
        ),
        ("2024-11-01", "2024-13-01", "staff.csv line 6 (column start): '2024-13-01' is not a date"),
        (",0.5,other,", ",1.5,other,", "staff.csv line 3 (column fraction): 1.5 is not a working time"),
        (
            ",0.5,other,",
            ",0.5,,",
            "staff.csv line 3 (column exit_reason): worker B leaves on 2024-09-30: give the reason",
        ),
        (
            "2024-07-01,,0.75",
            "2024-06-15,,0.75",
            "staff.csv line 5 (column start): worker C's line starts on 2024-06-15",
        ),
        ("worker,sex", "worker,gender", "staff.csv line 1: unknown column 'gender'"),
        (
            "C,F,higher_non_university,employees,permanent",
            "C,M,higher_non_university,employees,permanent",
            "staff.csv line 5 (column sex): worker C is F on line 4",
        ),
        (",10,500.00,", ",10.5,500.00,", "staff.csv line 2 (column formal_hours): 10.5 is not a whole number"),
    ],
)
def test_register_errors_name_file_line_and_column(tmp_path, old, new, text):
    p = tmp_path / "staff.csv"
    assert old in REGISTER
    p.write_text(REGISTER.replace(old, new, 1), encoding="utf-8")

    with pytest.raises(InputError) as e:
        register_tables(read_register(p), dt.date(2024, 1, 1), dt.date(2024, 12, 31), p.name)
    assert text in str(e.value) and "\n" not in str(e.value)


def test_register_and_the_same_table_in_the_dossier_are_refused(mini_text, write_dossier):
    with pytest.raises(InputError) as e:
        load_dossier(write_dossier(mini_text + REGISTER_BLOCK + "  year_end: {total: {full_time: 1, fte: 1.0}}\n"))
    assert "'year_end' is computed from the register" in str(e.value)


# ---------------------------------------------------------------- the block's checks

TABLES = """
social_balance:
  year_end:
    total: {full_time: 10, part_time: 4, fte: 12.5}
    by_contract:
      permanent: {full_time: 8, part_time: 4, fte: 10.5}
      fixed_term: {full_time: 2, fte: 2.0}
  exits:
    by_reason:
      dismissal: {full_time: 1}
      other: {part_time: 1, fte: 0.5}
  training:
    formal:
      men: {participants: 2, hours: 16, gross_cost: 900.00, subsidies: 100.00}
"""


def test_block_written_and_totals_completed(mini_text, write_dossier, m82, catalog):
    fs = build_facts(m82, load_dossier(write_dossier(mini_text + TABLES)))
    values = {
        f.datapoint.rubric: f.value
        for f in fs.facts
        if f.datapoint.rubric and f.datapoint.column_label("en").startswith("3")
    }
    assert values["1103"] == D("10.5") and values["1053"] == D("12.5")
    # a row of full-timers without its FTE gets their number (exits: dismissal 1 -> 1.0)
    # exits total from its reasons: 1 full-timer + 1 part-timer, 1.5 FTE
    assert values["3053"] == D("1.5") and values["3423"] == D("1")
    net = [f.value for f in fs.facts if f.datapoint.rubric == "5803"]
    assert net == [D("800.00")]
    # the abbreviated model has no exit reasons: reported, not an error
    fs81 = build_facts(
        catalog("m81-f"), load_dossier(write_dossier(mini_text.replace("model: m82-f", "model: m81-f") + TABLES))
    )
    assert any("exits.by_reason" in x and "no cells" in x for x in fs81.left_out)
    assert [f.value for f in fs81.facts if f.datapoint.rubric == "3053"] == [D("1.5")]


@pytest.mark.parametrize(
    "old, new, text",
    [
        (
            "fixed_term: {full_time: 2, fte: 2.0}",
            "fixed_term: {full_time: 3, fte: 3.0}",
            "year_end.total.full_time): 10 is not the sum of permanent + fixed_term (11)",
        ),
        (
            "fte: 10.5}",
            "fte: 12.0}",
            "full-time equivalents must lie strictly between the full-time workers (8) and full time + part time (12)",
        ),
        (
            "fixed_term: {full_time: 2, fte: 2.0}",
            "fixed_term: {full_time: 2, fte: 1.5}",
            "without part-timers the FTE (1.5) must equal the full-time workers (2)",
        ),
        ("participants: 2, hours: 16", "participants: 20, hours: 16", "workers (20), hours (16)"),
        (
            "permanent: {full_time: 8, part_time: 4, fte: 10.5}",
            "permanent: {full_time: 8, part_time: 4}",
            "give the full-time equivalents of these 4 part-timers",
        ),
    ],
)
def test_block_checks(mini_text, write_dossier, m82, old, new, text):
    assert old in TABLES
    with pytest.raises(FindingsError) as e:
        build_facts(m82, load_dossier(write_dossier(mini_text + TABLES.replace(old, new))))
    assert text in str(e.value) and "dossier.yaml line" in str(e.value) and "\n" not in str(e.value)


# ---------------------------------------------------------------- the samples


def test_smartcoop_fills_every_cell_of_its_tables(sample_outputs, catalog, package):
    """Every cell of each model's social balance sheet has a figure in the sample's filings (the
    free-text "other" joint committee aside: it excludes the listed committee)."""
    from nbb_filing.reading.reader import read_facts

    for model, expected in (("m82-f", 175), ("m81-f", 100), ("m87-f", 100)):
        c = catalog(model)
        keys = {f.datapoint.key for f in read_facts(sample_outputs[model].output, package, catalog=c).facts}
        social = [dp for dp in c.datapoints if dp.member("dim:wkr") and dp.rubric != "9087"]
        social += [dp for dp in c.datapoints if dp.metric == "jcc-enum:list1"]
        assert len(social) == expected, model
        assert sorted({dp.rubric or dp.key for dp in social if dp.key not in keys}) == [], model


def test_the_samples_social_checks_are_evaluated(sample_validation):
    for model, rep in sample_validation.items():
        cs = [a for a in rep.assertions_evaluated if a.id.startswith("cs_")]
        # the first table alone gives 27 in m82-f and 12 in m81-f/m87-f: the other tables are evaluated
        assert len(cs) >= (100 if model == "m82-f" else 50), (model, len(cs))
        assert [a.id for a in cs if a.not_satisfied] == [], model


@pytest.mark.parametrize(
    "sample, model",
    [("smartcoop-2024", "m81-f"), ("menuiserie-lambotte-2024", "m01-f"), ("jeugdhuis-de-vonk-2024", "m08-f")],
)
def test_import_gives_the_block_back_and_round_trips(sample, model, package, catalog, tmp_path):
    """generate -> import -> generate on the samples: the imported dossier has a social_balance:
    block (not anonymous figures) whose tables are the sample's, and it regenerates every fact."""
    from nbb_filing.api import generate
    from nbb_filing.filing.notes.social_balance_tables import complete, flatten, resolved_social_balance
    from nbb_filing.reading.importer import import_filing

    catalog(model)
    src = ROOT / "samples" / sample / "dossier.yaml"
    out = tmp_path / "sample.xbrl"
    generate(src, out, package=package, model=model)
    res = import_filing(out, tmp_path / "imported", package)
    assert res.not_imported == () and res.round_trip == (), (res.not_imported, res.round_trip)
    imported = load_dossier(res.dossier_path).social_balance
    original = resolved_social_balance(load_dossier(src))
    assert imported is not None and original is not None
    mine = {p: v for p, v in complete(flatten(original)).items() if p[0] in ("year_end", "training")}
    theirs = {p: v for p, v in flatten(imported).items() if p[0] in ("year_end", "training")}
    assert {p: v for p, v in mine.items() if v} == theirs
    assert imported.joint_committees == tuple(c.replace(".", "") for c in original.joint_committees)
    assert imported.average_workers is not None and original.average_workers is not None
    assert imported.average_workers.total == original.average_workers.total or model != "m08-f"
    fte = average_fte(load_dossier(res.dossier_path))
    assert fte["current"] == original.average_workers.total.values()["total"]  # type: ignore[union-attr]


def test_watch_follows_the_staff_register():
    from nbb_filing.filing.dossier_inputs import dossier_files

    sample = ROOT / "samples" / "menuiserie-lambotte-2024"
    files = dossier_files(load_dossier(sample / "dossier.yaml"))
    assert (sample / "registre-du-personnel-2024.csv").resolve() in files


def test_the_schema_examples_are_valid_blocks():
    examples = SocialBalanceSheet.model_json_schema()["examples"]
    assert len(examples) == 2
    for e in examples:
        SocialBalanceSheet.model_validate(e)
