"""The dossier: YAML loading, checks, one-line errors naming file, line and field; round trip."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from nbb_filing.core.errors import InputError
from nbb_filing.filing.dossier import Dossier, json_schema
from nbb_filing.filing.dossier_files import dossier_to_yaml, dump_dossier, load_dossier, parse_dossier
from nbb_filing.filing.enterprise_number import (
    check_enterprise_number,
    format_enterprise_number,
    normalize_enterprise_number,
)

ROOT = Path(__file__).resolve().parents[1]


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle`` (the test's own expectation)."""
    for i, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in text")


# ---------------------------------------------------------------- enterprise number


def test_enterprise_number_modulo_97_worked_by_hand():
    # 97 * 41564 = 4031708, so 04031707 = 97 * 41563 + 96 and the check digits are 97 - 96 = 01.
    assert check_enterprise_number("0403.170.701") is None
    assert check_enterprise_number("BE 0403 170 701") is None
    # 97 * 12727 = 1234519, so 01234567 = 97 * 12727 + 48 and the check digits are 97 - 48 = 49
    assert check_enterprise_number("0123.456.749") is None
    why = check_enterprise_number("0123.456.789")
    assert "modulo-97" in why and "49" in why
    assert "10 digits" in check_enterprise_number("12345")
    assert "start with 0 or 1" in check_enterprise_number("2123456789")


def test_enterprise_number_forms():
    assert normalize_enterprise_number("BE0403.170.701") == "0403170701"
    assert normalize_enterprise_number("403170701") == "0403170701"  # old 9-digit form
    assert format_enterprise_number("0403170701") == "0403.170.701"


# ---------------------------------------------------------------- loading


def test_mini_dossier_loads_with_exact_decimals(mini_text, write_dossier):
    d = load_dossier(write_dossier(mini_text))
    assert d.model == "m82-f" and d.part == "f"
    assert d.entity.enterprise_number == "0999999922"
    # 1000.5 in YAML is a float; the loader must give the exact decimal, not a binary float
    assert d.figures["20/58"].current == Decimal("1000.5")
    assert isinstance(d.figures["20/58"].current, Decimal)
    assert d.figures["9904"].previous == Decimal("-50")  # YAML int key 9904 -> rubric "9904"
    assert d.entity.address.postal_code == "1000"
    assert d.directors[1].representative.last_name == "Représentant"
    assert d.directors[0].mandates[0].start == date(2022, 6, 1)


def test_bad_enterprise_number_names_line_and_field(mini_text, write_dossier):
    text = mini_text.replace("0999.999.922", "0999.999.921")
    with pytest.raises(InputError) as e:
        load_dossier(write_dossier(text))
    msg = str(e.value)
    assert "\n" not in msg
    assert msg.startswith(f"dossier.yaml line {line_of(text, '0999.999.921')} (entity.enterprise_number): ")
    assert "modulo-97" in msg and "22" in msg


def test_exercise_in_wrong_order(mini_text, write_dossier):
    text = mini_text.replace(
        "exercise: {start: 2024-01-01, end: 2024-12-31}", "exercise: {start: 2024-12-31, end: 2024-01-01}"
    )
    with pytest.raises(InputError) as e:
        load_dossier(write_dossier(text))
    msg = str(e.value)
    assert msg.startswith(f"dossier.yaml line {line_of(text, 'exercise: {start: 2024-12-31')} (exercise): ")
    assert "ends (2024-01-01) before it starts (2024-12-31)" in msg


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "previous_exercise: {start: 2023-01-01, end: 2023-12-31}",
            "previous_exercise: {start: 2024-01-01, end: 2024-12-31}",
            "must end before the exercise starts (2024-01-01)",
            id="previous-exercise-must-end-before-the-exercise",
        ),
        pytest.param(
            "general_meeting: 2025-06-17",
            "general_meeting: 2024-06-17",
            "general meeting (2024-06-17) must come after the closing date (2024-12-31)",
            id="general-meeting-after-closing",
        ),
        pytest.param(
            "  - first_name: Anne\n",
            "  - kind: natural\n",
            "(directors[0]): a natural person needs first_name and last_name",
            id="natural-person-needs-names",
        ),
    ],
)
def test_a_broken_rule_is_named(mini_text, write_dossier, old, new, expected):
    assert old in mini_text  # the edit must change the sample, or the test proves nothing
    text = mini_text.replace(old, new)
    with pytest.raises(InputError) as e:
        load_dossier(write_dossier(text))
    assert expected in str(e.value)
    # a date out of order is reported at its own field's line, not "(top level)"
    key = new.split(":", 1)[0].strip()
    if key in ("previous_exercise", "general_meeting"):
        assert str(e.value).startswith(f"dossier.yaml line {line_of(text, key + ':')} ({key}): ")


def test_missing_court(mini_text, write_dossier):
    text = mini_text.replace("  court: Bruxelles, francophone\n", "")
    with pytest.raises(InputError) as e:
        load_dossier(write_dossier(text))
    msg = str(e.value)
    assert msg == f"dossier.yaml line {line_of(text, 'entity:')} (entity.court): required field is missing"


def test_unknown_field_and_float_free_amounts(mini_text, write_dossier):
    text = mini_text.replace("  deed_filing_date:", "  deed_filling_date:")
    with pytest.raises(InputError) as e:
        load_dossier(write_dossier(text))
    assert str(e.value).startswith(
        f"dossier.yaml line {line_of(text, 'deed_filling_date')} (entity.deed_filling_date): "
        "unknown key 'deed_filling_date': did you mean 'deed_filing_date'?"
    )


def test_a_misspelt_required_key_is_named_before_the_missing_one(mini_text, write_dossier):
    """A typo of a required key makes two errors (unknown key, missing field): the one to fix is shown."""
    assert "\ngeneral_meeting: " in mini_text
    text = mini_text.replace("\ngeneral_meeting: ", "\ngeneral_meting: ")
    with pytest.raises(InputError) as e:
        load_dossier(write_dossier(text))
    assert str(e.value).startswith(
        f"dossier.yaml line {line_of(text, 'general_meting')} (general_meting): "
        "unknown key 'general_meting': did you mean 'general_meeting'?"
    )
    # under a rubric code (a key of the file, not a field), the fields of the amounts are compared
    assert "20/58: {current: 1000.5, previous: 900}" in mini_text
    typo = mini_text.replace("20/58: {current: 1000.5, previous: 900}", "20/58: {current: 1000.5, previuos: 900}")
    with pytest.raises(InputError) as e:
        load_dossier(write_dossier(typo))
    assert "unknown key 'previuos': did you mean 'previous'?" in str(e.value)
    far = mini_text.replace("\ngeneral_meeting: ", "\nassemblee: ")  # nothing close: no guess
    with pytest.raises(InputError) as e:
        load_dossier(write_dossier(far))
    assert "unknown key 'assemblee': check the spelling" in str(e.value)


def test_not_yaml_and_missing_file(tmp_path, write_dossier):
    with pytest.raises(InputError) as e:
        load_dossier(write_dossier("entity: [unclosed\n"))
    assert str(e.value).startswith("dossier.yaml line ") and "not valid YAML" in str(e.value)
    with pytest.raises(InputError, match="no such dossier file"):
        load_dossier(tmp_path / "absent.yaml")


def test_round_trip_through_yaml(mini_text, write_dossier, tmp_path):
    d = load_dossier(write_dossier(mini_text))
    again = parse_dossier(dossier_to_yaml(d))
    assert again == d
    p = dump_dossier(d, tmp_path / "out" / "copy.yaml")
    assert load_dossier(p) == d
    assert not list((tmp_path / "out").glob("*.tmp"))


def test_json_schema_is_exported_and_current():
    committed = json.loads((ROOT / "schemas" / "dossier.schema.json").read_text(encoding="utf-8"))
    fresh = json.loads(json.dumps(json_schema(), sort_keys=True))
    assert committed == fresh, "run: python -m nbb_filing.filing.dossier schemas/dossier.schema.json"
    assert "entity" in committed["required"] and "court" in committed["$defs"]["Entity"]["required"]


def test_sample_dossier_loads():
    d = load_dossier(ROOT / "samples" / "smartcoop-2024" / "dossier.yaml")
    assert isinstance(d, Dossier)
    assert d.model == "m82-f" and d.language == "fr"
    assert [p.display() for p in d.directors] == ["Anne-Laure Desgris", "Maxime Dechesne", "Laurence Vanmechelen"]
    assert [(p.name, p.held_directly_pct) for p in d.participations] == [
        ("Ubik", Decimal("100")),
        ("SmartImmo", Decimal("5")),
        ("Palais de l'intérim", Decimal("0.16")),
        ("Matlease", Decimal("0.14")),
    ]
    assert d.general_meeting == date(2025, 6, 17)
    assert check_enterprise_number(d.entity.enterprise_number) is None
