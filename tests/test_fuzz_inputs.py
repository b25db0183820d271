"""Fuzzing the readers of user files (issue 15): any byte string or YAML document given as a dossier,
a mapping file or a trial balance gives a result or a one-line NbbFilingError, never another
exception, in bounded time.  Few examples per run (the suite stays fast); hypothesis keeps the
failures it finds in its database and replays them first."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbb_filing.books.ledger import read_trial_balance
from nbb_filing.books.mapping_file import load_mapping, parse_mapping
from nbb_filing.core.errors import NbbFilingError
from nbb_filing.filing.dossier_files import load_dossier, parse_dossier
from tests.fixtures_generate import MINI_DOSSIER

#: NBB_FILING_FUZZ_EXAMPLES=2000 for a longer campaign (the suite runs 60 per test)
FUZZ = settings(
    max_examples=int(os.environ.get("NBB_FILING_FUZZ_EXAMPLES", "60")),
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow],
)
LIMIT_SECONDS = 2.0

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=20),
    st.dates(),
    st.sampled_from(["0403170701", "2025-13-45", "1.234,56", "!!binary", "*a", "&a", "~", ".inf", "0x1F", "12:30"]),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=30,
)
DOSSIER_KEYS = [
    "model",
    "entity",
    "exercise",
    "general_meeting",
    "directors",
    "figures",
    "participations",
    "management_report",
    "datapoint_facts",
    "inputs",
    "social_balance",
    "fixed_assets",
]
MAPPING_KEYS = ["family", "model", "models", "rules", "totals", "fixed_assets", "description"]


def _check(call, *args) -> None:
    started = time.perf_counter()
    try:
        call(*args)
    except NbbFilingError as e:
        assert "\n" not in str(e) and str(e).strip(), repr(str(e))
        assert "internal error" not in str(e)
    assert time.perf_counter() - started < LIMIT_SECONDS


def _mutate(base: str, line: int, replacement: str) -> str:
    lines = base.splitlines()
    i = line % len(lines)
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    key = lines[i].strip().split(":", 1)[0]
    lines[i] = f"{indent}{key}: {replacement}"
    return "\n".join(lines) + "\n"


@FUZZ
@given(st.binary(max_size=400))
def test_dossier_from_bytes(data):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "dossier.yaml"
        p.write_bytes(data)
        _check(load_dossier, p)


@FUZZ
@given(st.fixed_dictionaries({}, optional={k: documents for k in DOSSIER_KEYS}))
def test_dossier_from_yaml_documents(doc):
    _check(parse_dossier, yaml.safe_dump(doc, allow_unicode=True), Path("dossier.yaml"))


@FUZZ
@given(
    st.integers(0, 200),
    st.one_of(scalars.map(lambda v: yaml.safe_dump(v).split("\n...")[0].strip() or "''"), st.text(max_size=30)),
)
def test_dossier_mutated_sample(line, replacement):
    _check(parse_dossier, _mutate(MINI_DOSSIER, line, replacement), Path("dossier.yaml"))


@FUZZ
@given(st.binary(max_size=400))
def test_mapping_from_bytes(data):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "m.yaml"
        p.write_bytes(data)
        _check(load_mapping, p)


@FUZZ
@given(st.fixed_dictionaries({}, optional={k: documents for k in MAPPING_KEYS}))
def test_mapping_from_yaml_documents(doc):
    _check(parse_mapping, yaml.safe_dump(doc, allow_unicode=True), "m.yaml")


@FUZZ
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "id": st.text(max_size=8),
                "rubric": st.one_of(st.none(), st.text(max_size=8)),
                "accounts": st.lists(st.text(max_size=10), max_size=3),
                "sign": st.one_of(st.none(), st.text(max_size=4)),
                "side": st.one_of(st.none(), st.text(max_size=8)),
            }
        ),
        max_size=4,
    )
)
def test_mapping_rules(rules):
    doc = {"family": "f", "model": "m82-f", "rules": [{k: v for k, v in r.items() if v is not None} for r in rules]}
    _check(parse_mapping, yaml.safe_dump(doc, allow_unicode=True), "m.yaml")


@FUZZ
@given(st.binary(max_size=600), st.sampled_from([".csv", ".txt", ".xlsx"]))
def test_trial_balance_from_bytes(data, suffix):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"tb{suffix}"
        p.write_bytes(data)
        _check(read_trial_balance, p)


cells = st.one_of(st.text(alphabet="0123456789.,-() '\u00a0", max_size=12), st.text(max_size=6))


@FUZZ
@given(
    st.sampled_from([";", ",", "\t", "|"]),
    st.lists(st.tuples(st.text(alphabet="0123456789", max_size=7), st.text(max_size=8), cells, cells), max_size=6),
)
def test_trial_balance_from_csv_rows(sep, rows):
    text = sep.join(["compte", "libelle", "debit", "credit"]) + "\n"
    text += "".join(sep.join(r) + "\n" for r in rows)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "tb.csv"
        p.write_text(text, encoding="utf-8")
        _check(read_trial_balance, p)
