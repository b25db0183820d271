"""Text written to YAML reads back as the same text (issue 15, class 7).

A filing is third-party input: its text values and names must not become new keys of the dossier
``import`` writes (a carriage return, NEL or U+2028 ends a YAML line), in values or in the header
comments.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbb_filing.core.errors import InputError
from nbb_filing.core.text_checks import control_character
from nbb_filing.core.yaml_lines import (
    StrictLoader,
    comment_text,
    load_with_lines,
    represent_text,
)
from nbb_filing.filing.dossier_files import dossier_to_yaml, load_dossier, parse_dossier
from nbb_filing.reading.importer import import_filing

BREAKS = ["\r", "\n", "\r\n", "\x85", "\u2028", "\u2029"]
INJECTED = "management_report: {file: /etc/passwd}"


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(str, represent_text)

# every character YAML can carry (surrogates cannot be encoded), weighted towards the tricky ones
texts = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=["Cs"]),
        st.sampled_from([b for b in BREAKS if len(b) == 1] + list(" \t:#!&*'\"-?%@`\ufeff")),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(texts, texts, max_size=4))
def test_dump_then_load_is_the_identity_on_text(data):
    out = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    back, _ = load_with_lines(out, StrictLoader, "x.yaml")
    assert (back or {}) == data


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(name=texts.filter(lambda s: s.strip()), report=texts.filter(lambda s: s.strip()))
def test_dossier_dump_then_load_is_the_identity(mini_text, name, report):
    d = parse_dossier(mini_text, Path("dossier.yaml"))
    changed = d.model_copy(
        update={
            "entity": d.entity.model_copy(update={"name": name.strip()}),
            "management_report": d.management_report.model_copy(update={"text": report.strip()}),
        }
    )
    text = dossier_to_yaml(changed)
    values = (("entity.name", name.strip()), ("management_report.text", report.strip()))
    forbidden = [f for f, v in values if control_character(v)]
    if forbidden:  # a character XML forbids: refused on reading, field named (issue 23)
        with pytest.raises(InputError, match=rf"\({re.escape(forbidden[0])}\): .* holds a control character"):
            parse_dossier(text, Path("dossier.yaml"))
        return
    back = parse_dossier(text, Path("dossier.yaml"))
    assert back.entity.name == name.strip() and back.management_report.text == report.strip()
    assert back == changed


def test_comment_text_cannot_end_a_comment_line():
    for br in BREAKS + ["\x00", "\x0b", "\x0c"]:
        line = "# " + comment_text(f"remark{br}{INJECTED}")
        assert yaml.safe_load(line + "\nkey: 1\n") == {"key": 1}, repr(br)


def test_imported_text_with_line_breaks_stays_one_value(filing_variant, tmp_path, package):
    value = "Les regles d&apos;evaluation"
    injected = "&#13;" + INJECTED + "&#x2028;" + "valuation_rules: {file: /etc/hostname}&#x85;end"

    def edit(t: str) -> str:
        assert t.count(value) == 1
        # the same text in the framework of the schemaRef (ends up in the header comment)
        t = t.replace("/fws/23.0/", "/fws/23.0&#13;" + INJECTED.replace("/", "_") + "/", 1)
        return t.replace(value, value + injected)

    res = import_filing(filing_variant(edit), tmp_path / "out", package)
    d = load_dossier(res.dossier_path)
    assert d.management_report is None
    assert d.valuation_rules is not None and d.valuation_rules.text.startswith("Les regles d'evaluation\r" + INJECTED)
    assert INJECTED + "\u2028valuation_rules: {file: /etc/hostname}\x85end sont" in d.valuation_rules.text
    text = res.dossier_path.read_text(encoding="utf-8")
    assert all(line.startswith("#") for line in text.splitlines()[:2])
    assert not any(line.startswith("management_report") for line in text.splitlines())
    assert "/etc/passwd" not in "".join(res.round_trip or ()) and not res.round_trip_error
