"""``nbb-filing taxonomy values``: the package lists with their codes and labels, read from the
catalog, and dossier errors about a value outside a list that point to it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from nbb_filing.cli import main
from nbb_filing.core.errors import InputError
from nbb_filing.filing.dossier_files import load_dossier
from nbb_filing.filing.facts import build_facts
from nbb_filing.taxonomy.enum_lists import enumeration_lists, find_lists, value_code


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_missions_in_dutch_as_json(catalog):
    r = run("taxonomy", "values", "nmc", "--model", "m82-f", "--lang", "nl", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["model"] == "m82-f" and data["lang"] == "nl"
    [lst] = data["lists"]
    assert lst["list"] == "nmc-enum:list1"
    assert [v["code"] for v in lst["values"]] == ["A", "B", "C", "D"]
    mt = catalog("m82-f").metrics["nmc-enum:list1"]
    assert [v["label"] for v in lst["values"]] == [e.label("nl") for e in mt.enum_values]
    assert lst["values"][0]["label"] == "Het voeren van de boekhouding van de onderneming"


def test_a_domain_with_two_lists_prints_both(catalog):
    r = run("taxonomy", "values", "lgf", "--model", "m82-f")
    assert r.exit_code == 0, r.output
    assert "lgf-enum:list1: 81 values" in r.output and "lgf-enum:list2: 20 values" in r.output
    assert any(line.split() == ["706", "Société", "coopérative"] for line in r.output.splitlines())
    # a full name picks one list only
    r = run("taxonomy", "values", "lgf-enum:list2", "--model", "m82-f")
    assert "lgf-enum:list1" not in r.output and r.output.count("\n") == 21


def test_without_list_every_enumeration_list_of_the_model(catalog):
    cat = catalog("m82-f")
    r = run("taxonomy", "values", "--model", "m82-f", "--lang", "en")
    assert r.exit_code == 0, r.output
    expected = sorted(k for k, m in cat.metrics.items() if m.kind == "enum")
    shown = [line.split()[0] for line in r.output.splitlines()[1:] if "values" in line]
    assert shown == expected and "cct-enum:list1" in shown and "fct-enum:list1" in shown
    # which dossier field reads which list
    lines = r.output.splitlines()
    i = next(n for n, line in enumerate(lines) if line.strip().startswith("lgf-enum:list2"))
    assert lines[i + 1].split() == ["dossier:", "entity.legal_form"]


def test_unknown_list_is_one_line_naming_the_lists(catalog):
    r = run("taxonomy", "values", "xyz", "--model", "m82-f")
    assert r.exit_code == 2
    assert r.output.count("\n") == 1
    assert "'xyz' is not an enumeration list of model m82-f" in r.output and "lgf" in r.output


def test_values_to_a_file(tmp_path, catalog):
    out = tmp_path / "courts.json"
    r = run("taxonomy", "values", "cct", "--model", "m82-f", "--format", "json", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert r.stdout == ""  # the report went to the file
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["lists"][0]["count"] == len(data["lists"][0]["values"]) == 29


def test_api_codes_follow_the_dossier_reader(catalog):
    from nbb_filing.taxonomy.values import match_enum

    cat = catalog("m82-f")
    for lst in enumeration_lists(cat):
        mt = cat.metrics[lst.name]
        for v in lst.values[:50]:
            assert match_enum(mt, value_code(v)) == v.qname  # every printed code is accepted as written
    assert [x.name for x in find_lists(cat, "CTY")] == ["cty-enum:list1"]


@pytest.mark.parametrize(
    "field,old,new,lst",
    [
        ("entity.legal_form", 'legal_form: "706"', 'legal_form: "999"', "lgf-enum:list2"),
        ("entity.court", "court: Bruxelles, francophone", "court: Tribunal de Gotham", "cct-enum:list1"),
    ],
)
def test_dossier_errors_name_the_list_and_the_command(mini_text, write_dossier, catalog, field, old, new, lst):
    with pytest.raises(InputError) as e:
        build_facts(catalog("m82-f"), load_dossier(write_dossier(mini_text.replace(old, new))), None)
    msg = str(e.value)
    assert f"({field}):" in msg and "\n" not in msg
    command = f"nbb-filing taxonomy values {lst} --model m82-f"
    assert msg.endswith(f"list them with `{command}`)")
    assert "e.g." not in msg  # no longer three examples out of 20-29
    r = run(*command.split()[1:])  # and the command it names works
    assert r.exit_code == 0 and r.output.startswith(f"{lst}: ")
