"""Session fixtures of the import area: the accepted m87 filing read once, and helpers to derive
variants of it (other prefixes, other framework, extra facts) as temporary files.

The accepted filing is in ``tests/data/`` (with its licence notice) and is never edited: variants
are written under pytest's temporary directory from its text at test time.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def m87_catalog(catalog):
    return catalog("m87-f")


@pytest.fixture(scope="session")
def accepted_facts(accepted_m87: Path, package, m87_catalog):
    """The accepted m87-f filing (framework 23.0) read against the installed replica (22.19)."""
    from nbb_filing.reading.reader import read_facts

    return read_facts(accepted_m87, package)


@pytest.fixture(scope="session")
def accepted_text(accepted_m87: Path) -> str:
    return accepted_m87.read_text(encoding="utf-8")


@pytest.fixture
def filing_variant(tmp_path: Path, accepted_text: str):
    """``filing_variant(edit)`` writes ``edit(text)`` of the accepted filing to a temporary file."""
    counter = iter(range(1000))

    def make(edit=lambda t: t, name: str | None = None) -> Path:
        p = tmp_path / (name or f"variant-{next(counter)}.xbrl")
        p.write_text(edit(accepted_text), encoding="utf-8")
        return p

    return make


@pytest.fixture(scope="session")
def imported_m87(tmp_path_factory, accepted_m87: Path, package, m87_catalog):
    """``nbb-filing import`` of the accepted filing (Python API), into a session directory."""
    from nbb_filing.reading.importer import import_filing

    return import_filing(accepted_m87, tmp_path_factory.mktemp("import-m87"), package)


@pytest.fixture(scope="session")
def regenerated_m87(imported_m87, package) -> Path:
    """The instance ``generate`` writes from the imported dossier."""
    from nbb_filing.api import generate

    out = imported_m87.dossier_path.parent / "regenerated.xbrl"
    generate(imported_m87.dossier_path, out, package=package)
    return out
