"""Shared fixtures: the replica package, compiled catalogs (one compile per model per session).

Nothing beside the repository is needed: the package is the replica embedded in ``taxonomies/``
(unless ``NBB_FILING_TAXONOMY`` names another) and the real filing is in ``tests/data/``.

Arelle loads cost seconds, so catalogs are compiled once per session into a session-wide
``NBB_FILING_HOME`` and shared by every test.  Topic-specific fixtures live in ``tests/fixtures_*.py``
modules, registered below, so that each area owns its own file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
#: The package of the tests: $NBB_FILING_TAXONOMY when set, else the replica embedded in the repository.
REPLICA = Path(os.environ.get("NBB_FILING_TAXONOMY") or ROOT / "taxonomies" / "nbb-cbso-22.19.3-replica.zip").resolve()
#: A real accepted filing, copied into the repository with its licence notice (tests/data/README.md).
ACCEPTED_M87 = DATA / "m87-f-accepted-2022-anonymised.xbrl"

pytest_plugins = [
    name
    for name in (
        "tests.fixtures_mapping",
        "tests.fixtures_generate",
        "tests.fixtures_validate",
        "tests.fixtures_import",
    )
    if (ROOT / (name.replace(".", "/") + ".py")).is_file()
]


@pytest.fixture(scope="session", autouse=True)
def nbb_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A session-wide data home (package registry and catalog cache), unless CI set one."""
    home = os.environ.get("NBB_FILING_HOME")
    if not home:
        home = str(tmp_path_factory.mktemp("nbb-home"))
        os.environ["NBB_FILING_HOME"] = home
    os.environ.setdefault("NBB_FILING_TAXONOMY", str(REPLICA))
    return Path(home)


@pytest.fixture(scope="session")
def replica_path() -> Path:
    if not REPLICA.is_file():
        pytest.fail(f"taxonomy package not found at {REPLICA} (NBB_FILING_TAXONOMY, or taxonomies/ of the repo)")
    return REPLICA


@pytest.fixture(scope="session")
def package(replica_path: Path, nbb_home: Path):
    from nbb_filing.taxonomy.packages import inspect_package

    return inspect_package(replica_path)


@pytest.fixture(scope="session")
def catalog(package):
    """``catalog("m82-f")``: the compiled catalog of a model, compiled once per session."""
    from nbb_filing.taxonomy.catalog_cache import load_catalog

    def get(model: str):
        return load_catalog(package, model)

    return get


@pytest.fixture(scope="session")
def accepted_m87() -> Path:
    if not ACCEPTED_M87.is_file():
        pytest.fail(f"accepted filing not found at {ACCEPTED_M87}")
    return ACCEPTED_M87
