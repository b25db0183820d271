"""Session fixtures of the trial-balance / mapping area (registered by conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SMARTCOOP = ROOT / "samples" / "smartcoop-2024"


@pytest.fixture(scope="session")
def wc_mapping():
    """The shipped default mapping for companies without capital."""
    from nbb_filing.books.mapping_file import load_mapping

    return load_mapping(ROOT / "mappings" / "without-capital.yaml")


@pytest.fixture(scope="session")
def m82(catalog):
    return catalog("m82-f")


@pytest.fixture(scope="session")
def m81(catalog):
    return catalog("m81-f")


@pytest.fixture(scope="session")
def m87(catalog):
    return catalog("m87-f")


@pytest.fixture(scope="session")
def smartcoop_tbs():
    """(2024, 2023) trial balances of the SmartCoop sample."""
    from nbb_filing.books.ledger import read_trial_balance

    return read_trial_balance(SMARTCOOP / "tb-2024.csv"), read_trial_balance(SMARTCOOP / "tb-2023.csv")
