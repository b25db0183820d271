"""``nbb-filing init``: a commented starter dossier that parses as written, is refused while a
placeholder is left, and validates against the dossier model and JSON Schema once filled in."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from nbb_filing.cli import main
from nbb_filing.core.errors import FindingsError, InputError
from nbb_filing.core.money import money
from nbb_filing.filing.dossier import Dossier, json_schema
from nbb_filing.filing.dossier_files import load_dossier
from nbb_filing.filing.placeholders import find_placeholders

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schemas" / "dossier.schema.json"
SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))

#: What an accountant would type for each placeholder of a starter without a previous filing.
FILLED = {
    ("entity", "name"): "Les Ateliers Réunis",
    ("entity", "legal_form"): "610",
    ("entity", "address", "street"): "Rue de Namur",
    ("entity", "address", "number"): "12",
    ("entity", "address", "postal_code"): "5000",
    ("entity", "address", "city"): "Namur",
    ("entity", "enterprise_number"): "0123.456.749",
    ("entity", "court"): "Liège, division Namur",
    ("exercise", "start"): date(2024, 1, 1),
    ("exercise", "end"): date(2024, 12, 31),
    ("general_meeting",): date(2025, 6, 10),
    ("directors", 0, "first_name"): "Anne",
    ("directors", 0, "last_name"): "Exemple",
    ("directors", 0, "mandates", 0, "function"): "Administrateur",
    ("inputs", "trial_balance"): "tb-2024.csv",
}


def fill(data, values: dict[tuple, object]):
    """Replace each placeholder by ``values[path]`` (a missing path fails the test); ``None`` deletes the key."""
    for path, _text in list(find_placeholders(data)):
        assert path in values, f"unexpected placeholder at {path}"
        *parents, last = path
        node = data
        for p in parents:
            node = node[p]
        if values[path] is None:
            del node[last]
        else:
            node[last] = values[path]
    return data


def as_json(data):
    return json.loads(json.dumps(data, default=lambda o: str(o) if isinstance(o, (date, Decimal)) else o))


def init(tmp_path: Path, *args: str):
    return CliRunner().invoke(main, ["init", *args], catch_exceptions=False)


def test_starter_parses_is_refused_until_filled_then_validates(tmp_path, catalog):
    out = tmp_path / "dossier.yaml"
    r = init(tmp_path, "m82-f", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert r.output == f"wrote {out} (model m82-f): {len(FILLED)} placeholder(s) to fill in\n"
    text = out.read_text(encoding="utf-8")
    data = yaml.safe_load(text)  # valid YAML as written
    assert data["model"] == "m82-f" and data["language"] == "fr"
    assert data["inputs"]["mapping"] == "without-capital"  # the family's shipped mapping, no placeholder
    assert {p for p, _ in find_placeholders(data)} == set(FILLED)
    with pytest.raises(InputError) as e:  # generate / load_dossier refuse it, line and field named
        load_dossier(out)
    line = next(i for i, x in enumerate(text.splitlines(), 1) if x.startswith("  name:"))
    assert str(e.value).startswith(f"dossier.yaml line {line} (entity.name): placeholder '<FILL-IN: name>' left by ")
    filled = fill(data, FILLED)
    dossier = Dossier.model_validate(filled)
    assert dossier.entity.enterprise_number == "0123456749" and dossier.directors[0].mandates[0].function
    jsonschema.validate(as_json(filled), json_schema())
    jsonschema.validate(as_json(filled), SCHEMA)  # the shipped schema file too


def test_every_section_of_the_schema_is_in_the_starter(tmp_path, catalog):
    out = tmp_path / "d.yaml"
    assert init(tmp_path, "m82-f", "-o", str(out)).exit_code == 0
    keys = {
        line.strip().lstrip("#").strip().lstrip("- ").split(":", 1)[0]
        for line in out.read_text(encoding="utf-8").splitlines()
        if ":" in line
    }
    for name in Dossier.model_fields:
        assert name in keys, f"section {name} missing from the starter"
    for nested in (
        "street",
        "postal_code",
        "court",
        "legal_form",
        "mandates",
        "missions",
        "trial_balance",
        "held_directly_pct",
        "depreciation_recorded",
        "average_workers",
        "datapoint",
    ):
        assert nested in keys, nested


def test_list_fields_say_which_list_and_spell_out_small_ones(tmp_path, catalog):
    out = tmp_path / "d.yaml"
    assert init(tmp_path, "m82-f", "-o", str(out), "--lang", "nl").exit_code == 0
    text = out.read_text(encoding="utf-8")
    flat = " ".join(x.strip().lstrip("#").strip() for x in text.splitlines())
    assert "list lgf-enum:list2 (20 values: nbb-filing taxonomy values lgf-enum:list2 --model m82-f)" in flat
    assert "list cct-enum:list1 (29 values: nbb-filing taxonomy values cct-enum:list1 --model m82-f)" in flat
    missions = catalog("m82-f").metrics["nmc-enum:list1"].enum_values
    assert f"A = {missions[0].label('nl')}, B = {missions[1].label('nl')}" in flat
    assert 'language: "nl"' in text


@pytest.mark.parametrize(
    ("model", "family"), [("m01-f", "with-capital"), ("m81-f", "without-capital"), ("m04-f", "association")]
)
def test_mapping_is_the_models_shipped_mapping(tmp_path, catalog, model, family):
    """The model implies its family's mapping: each shipped file names its models (``models:``)."""
    from nbb_filing.books.mapping_file import load_mapping

    out = tmp_path / "d.yaml"
    assert init(tmp_path, model, "-o", str(out)).exit_code == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["inputs"]["mapping"] == family and model in load_mapping(family).models
    assert ("inputs", "mapping") not in {p for p, _ in find_placeholders(data)}


def test_previous_year_inputs_are_offered_commented(tmp_path, catalog):
    """A starter offers both sources of the previous-year column, commented, each saying how to use it."""
    out = tmp_path / "d.yaml"
    assert init(tmp_path, "m82-f", "-o", str(out)).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    data = yaml.safe_load("\n".join(lines))
    assert "previous_filing" not in data and "previous_trial_balance" not in data["inputs"]
    for key, example in (("previous_filing", "last-year.xbrl"), ("previous_trial_balance", "tb-previous-year.csv")):
        at = next(i for i, x in enumerate(lines) if x.strip() == f'# {key}: "{example}"')
        above = " ".join(x.strip().lstrip("# ") for x in lines[at - 3 : at])
        assert "previous-year column" in above, (key, above)
    # uncommented, the two keys are what the dossier model reads
    filled = fill(yaml.safe_load("\n".join(lines)), FILLED)
    filled["previous_filing"] = "last-year.xbrl"
    filled["inputs"]["previous_trial_balance"] = "tb-2023.csv"
    d = Dossier.model_validate(filled)
    assert d.previous_filing == "last-year.xbrl" and d.inputs.previous_trial_balance == "tb-2023.csv"


def test_refuses_to_overwrite_without_force(tmp_path, catalog):
    out = tmp_path / "dossier.yaml"
    out.write_text("mine\n", encoding="utf-8")
    r = init(tmp_path, "m82-f", "-o", str(out))
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "already exists (use --force" in r.output
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert init(tmp_path, "m82-f", "-o", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# Starter dossier for model m82-f")
    assert [p.name for p in tmp_path.iterdir()] == ["dossier.yaml"]  # no temporary file left


def test_unknown_model_is_refused_and_nothing_written(tmp_path):
    out = tmp_path / "d.yaml"
    r = init(tmp_path, "m99-f", "-o", str(out))
    assert r.exit_code == 2 and "model 'm99-f'" in r.output and not out.exists()


def test_from_last_years_filing(tmp_path, accepted_m87, package, catalog):
    from nbb_filing.api import generate
    from nbb_filing.reading.reader import read_facts

    catalog("m87-f")
    out = tmp_path / "next" / "dossier.yaml"
    r = init(tmp_path, "--from", str(accepted_m87), "-o", str(out), "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == {"dossier": str(out), "model": "m87-f", "placeholders": 2, "from": str(accepted_m87)}
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    last = read_facts(accepted_m87, package)
    assert data["entity"]["name"] == "CALYX WORKS"  # identification carried over
    assert data["previous_exercise"] == {"start": date(2022, 1, 1), "end": date(2022, 12, 31)}
    assert data["exercise"] == {"start": date(2023, 1, 1), "end": date(2023, 12, 31)}
    # the dossier reads files from its own folder only: last year's filing is copied beside it
    assert data["previous_filing"] == accepted_m87.name
    assert (out.parent / accepted_m87.name).read_bytes() == accepted_m87.read_bytes()
    assert len(data["directors"]) >= 1 and "figures" not in data and "appropriation" not in data
    assert {p for p, _ in find_placeholders(data)} == {
        ("general_meeting",),
        ("inputs", "trial_balance"),
    }
    assert data["inputs"]["mapping"] == "without-capital"
    filled = fill(data, {("general_meeting",): date(2024, 6, 11), ("inputs", "trial_balance"): None})
    del filled["inputs"]
    jsonschema.validate(as_json(filled), SCHEMA)
    out.write_text(yaml.safe_dump(filled, allow_unicode=True), encoding="utf-8")
    # without this year's appropriation, generate refuses: 14P (brought forward) must be last
    # year's 14, read from the previous filing the starter named
    last_14 = next(f.value for f in last.facts if f.datapoint.rubric == "14" and f.datapoint.period == "current")
    with pytest.raises(FindingsError) as e:
        generate(out, tmp_path / "next.xbrl", package=package)
    assert "14P" in str(e.value) and money(Decimal(last_14)) in str(e.value)
    assert not (tmp_path / "next.xbrl").exists()
    # given the amount brought forward, the previous column is last year's current column
    filled["appropriation"] = {"14P": Decimal(last_14), "14": Decimal(last_14), "9906": Decimal(last_14)}
    out.write_text(yaml.safe_dump(as_json(filled), allow_unicode=True), encoding="utf-8")
    result = generate(out, tmp_path / "next.xbrl", package=package)
    want = {
        f.datapoint.rubric: f.value
        for f in last.facts
        if f.datapoint.rubric == "20/58" and f.datapoint.period == "current"
    }
    assert result.total("total_assets", "previous") == Decimal(want["20/58"]) == Decimal("554894.28")
