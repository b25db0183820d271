"""The product's own rules in ``validate`` (issue 11): a filing the package lets through is not
called fileable when its balance sheet does not balance or its legal form is of another family
than its model; the size of the entity against the model is a warning.  No Arelle run: the rules
read the facts as the reader resolves them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from nbb_filing.checks import product_rules, protocol
from nbb_filing.checks.findings import BLOCKING


@pytest.fixture(scope="module")
def m87(catalog):
    return catalog("m87-f")


@pytest.fixture()
def tree(accepted_m87):
    return etree.parse(str(accepted_m87))


def run(tree, catalog, rule):
    from nbb_filing.reading.reader import read_tree

    path = Path("filing.xbrl")
    facts = read_tree(tree, None, path=path, catalog=catalog)
    pin = protocol.ProtocolInput(path=path, size=1000, root=tree.getroot(), facts=facts, catalog=catalog)
    return list(rule(pin))


def _elements(tree, local: str, text: str | None = None):
    return [
        el
        for el in tree.getroot()
        if isinstance(el.tag, str)
        and etree.QName(el).localname == local
        and (text is None or (el.text or "").strip() == text)
    ]


def test_accepted_filing_passes_the_blocking_rules(tree, m87):
    assert run(tree, m87, product_rules.balance_sheet_balances) == []
    assert run(tree, m87, product_rules.legal_form_fits_model) == []


def test_a_company_with_capital_on_the_without_capital_model_is_blocking(tree, m87):
    [el] = _elements(tree, "list2", "lgf:m610")
    el.text = "lgf:m014"
    [f] = run(tree, m87, product_rules.legal_form_fits_model)
    assert f.effect == BLOCKING and "legal form 014 (Société anonyme)" in f.message
    assert "m01-f (abbreviated), m02-f (full), m07-f (micro)" in f.message


def test_a_balance_sheet_that_does_not_balance_is_blocking(tree, m87):
    from nbb_filing.reading.reader import read_tree

    facts = read_tree(tree, None, path=Path("filing.xbrl"), catalog=m87)
    [total] = [f for f in facts.rubric_facts("current") if f.datapoint.rubric == "10/49"]
    el = tree.getroot().find(f"*[@id='{total.fact_id}']") if total.fact_id else None
    assert el is not None
    el.text = str(Decimal(el.text) + 1000)
    found = run(tree, m87, product_rules.balance_sheet_balances)
    assert len(found) == 1 and found[0].effect == BLOCKING
    assert "(current year)" in found[0].message and "difference -1,000.00" in found[0].message
