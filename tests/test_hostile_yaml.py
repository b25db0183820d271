"""Hostile and careless YAML in dossiers and mapping files (issue 15, classes 1-3).

Alias bombs, duplicate keys, identifiers YAML would read as numbers, impossible dates and deep
nesting: each gives a one-line error naming the file and line (and field where there is one), or
is read as the text that was written; the CLI exits 2 and writes nothing.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from nbb_filing.books.mapping_file import parse_mapping
from nbb_filing.cli import main
from nbb_filing.core.errors import InputError
from nbb_filing.filing.dossier_files import load_dossier, parse_dossier

BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def _one_line(e: BaseException) -> str:
    text = str(e)
    assert "\n" not in text and "internal error" not in text
    return text


def test_alias_bomb_in_a_dossier_is_refused_quickly(mini_text):
    started = time.perf_counter()
    with pytest.raises(InputError) as e:
        parse_dossier(mini_text + BOMB, Path("dossier.yaml"))
    assert time.perf_counter() - started < 2
    bomb_line = len(mini_text.splitlines()) + 2  # the first alias is on the bomb's second line
    assert _one_line(e.value).startswith(f"dossier.yaml line {bomb_line}: ")
    assert "aliases (*a) are not accepted" in str(e.value)


def test_alias_bomb_in_a_mapping_is_refused():
    with pytest.raises(InputError) as e:
        parse_mapping("family: x\n" + BOMB, "bomb.yaml")
    assert _one_line(e.value).startswith("bomb.yaml line 3: ")
    assert "aliases" in str(e.value)


def test_even_a_single_alias_is_refused(mini_text):
    text = mini_text.replace("previous_exercise: {start: 2023-01-01, end: 2023-12-31}", "previous_exercise: *ex")
    text = text.replace("exercise: {start: 2024-01-01", "exercise: &ex {start: 2024-01-01", 1)
    with pytest.raises(InputError, match=r"line 12: .*aliases \(\*ex\)"):
        parse_dossier(text, Path("dossier.yaml"))


def test_unquoted_enterprise_number_with_leading_zero_stays_text(mini_text):
    # 0403170701 is a valid number (checked by hand in test_dossier); YAML 1.1 reads it as an octal integer
    text = mini_text.replace("enterprise_number: 0999.999.922", "enterprise_number: 0403170701")
    d = parse_dossier(text, Path("dossier.yaml"))
    assert d.entity.enterprise_number == "0403170701"


@pytest.mark.parametrize("written", ["0x1F", "12:30", "1_000", "+0777"])
def test_numbers_yaml_would_convert_stay_text(mini_text, written):
    text = mini_text.replace("number: 12,", f"number: {written},", 1)
    assert parse_dossier(text, Path("dossier.yaml")).entity.address.number == written


def test_yaml_1_1_booleans_stay_text(mini_text):
    text = mini_text.replace("city: Gent}", "city: Oslo, country: NO}")
    text = text.replace("general_meeting: 2025-06-17", "general_meeting: 2025-06-17\nin_liquidation: yes")
    d = parse_dossier(text, Path("dossier.yaml"))
    assert d.auditors[0].address.country == "NO"  # Norway, not false
    assert d.in_liquidation is True  # a boolean field still reads yes as true


def test_duplicate_key_names_both_lines(mini_text):
    text = mini_text.replace("  court: Bruxelles", "  enterprise_number: 0403170701\n  court: Bruxelles", 1)
    first = next(i for i, line in enumerate(text.splitlines(), 1) if "enterprise_number: 0999" in line)
    second = next(i for i, line in enumerate(text.splitlines(), 1) if "enterprise_number: 0403" in line)
    with pytest.raises(InputError) as e:
        parse_dossier(text, Path("dossier.yaml"))
    assert _one_line(e.value) == (
        f"dossier.yaml line {second}: not valid YAML (key 'enterprise_number' is given twice "
        f"(lines {first} and {second}))"
    )


def test_duplicate_rule_key_in_a_mapping():
    text = "family: x\nmodel: m82-f\nrules:\n  - id: a\n    rubric: '10'\n    rubric: '11'\n    accounts: ['10']\n"
    with pytest.raises(InputError, match=r"^m.yaml line 6: .*'rubric' is given twice \(lines 5 and 6\)"):
        parse_mapping(text, "m.yaml")


def test_impossible_date_names_line_and_field(mini_text):
    text = mini_text.replace("general_meeting: 2025-06-17", "general_meeting: 2025-13-45")
    line = next(i for i, x in enumerate(text.splitlines(), 1) if x.startswith("general_meeting"))
    with pytest.raises(InputError) as e:
        parse_dossier(text, Path("dossier.yaml"))
    msg = _one_line(e.value)
    assert msg.startswith(f"dossier.yaml line {line} (general_meeting): ")
    assert "2025-13-45" in msg


def test_deep_nesting_is_refused_with_a_line(mini_text):
    text = mini_text + "participations: " + "[" * 10_000 + "]" * 10_000 + "\n"
    with pytest.raises(InputError) as e:
        parse_dossier(text, Path("dossier.yaml"))
    line = len(mini_text.splitlines()) + 1
    assert _one_line(e.value).startswith(f"dossier.yaml line {line}: ")
    assert "nested more than" in str(e.value)


@pytest.mark.parametrize("hostile", ["bomb", "date", "deep", "duplicate"])
def test_cli_generate_exits_2_and_writes_nothing(mini_text, tmp_path, hostile):
    text = {
        "bomb": mini_text + BOMB,
        "date": mini_text.replace("general_meeting: 2025-06-17", "general_meeting: 2025-13-45"),
        "deep": mini_text + "participations: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "duplicate": mini_text + "model: m87-f\n",
    }[hostile]
    dossier = tmp_path / "dossier.yaml"
    dossier.write_text(text, encoding="utf-8")
    out = tmp_path / "out.xbrl"
    r = CliRunner().invoke(main, ["generate", str(dossier), "-o", str(out)])
    assert r.exit_code == 2, r.output
    lines = [x for x in r.output.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: dossier.yaml line "), r.output
    assert "internal error" not in r.output
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["dossier.yaml"]


def test_load_dossier_reads_the_file(mini_text, tmp_path):
    p = tmp_path / "d.yaml"
    p.write_text(mini_text.replace("enterprise_number: 0999.999.922", "enterprise_number: 0403170701"))
    assert load_dossier(p).entity.enterprise_number == "0403170701"


def test_oversized_dossier_and_mapping_are_refused_before_reading(tmp_path):
    from nbb_filing.books.mapping_file import load_mapping
    from nbb_filing.core.yaml_lines import MAX_YAML_BYTES

    for name, load in (("dossier.yaml", load_dossier), ("m.yaml", load_mapping)):
        p = tmp_path / name
        p.write_bytes(b"# " + b"x" * MAX_YAML_BYTES + b"\n")
        with pytest.raises(InputError, match=r"larger than the 4194304 bytes accepted for a (dossier|mapping) file"):
            load(p)
