"""Session fixtures of the generate area: a small synthetic dossier, the SmartCoop sample generated
once per model, and one validation of those instances (the only Arelle work of this area).

Arelle loads cost 5-40 s each, so the instances of m82-f, m81-f and m87-f are generated once and
validated once, by ``nbb_filing.checks.validate`` (XBRL 2.1, XDT, schema facets and the package's NBB
assertions), in a single call.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "smartcoop-2024"

#: A complete small dossier: identification, two directors, an auditor, figures given directly.
MINI_DOSSIER = """\
schema_version: 1
model: m82-f
language: fr
entity:
  name: Coopérative Test
  legal_form: "706"
  enterprise_number: 0999.999.922
  court: Bruxelles, francophone
  deed_filing_date: 2019-03-22
  address: {street: Rue Haute, number: 12, postal_code: 1000, city: Bruxelles, country: BE}
exercise: {start: 2024-01-01, end: 2024-12-31}
previous_exercise: {start: 2023-01-01, end: 2023-12-31}
general_meeting: 2025-06-17
previous_amounts_identical: true
directors:
  - first_name: Anne
    last_name: Exemple
    address: {street: Rue Basse, number: 3, box: B, postal_code: 1050, city: Ixelles}
    mandates: [{function: Administrateur délégué, start: 2022-06-01, end: 2028-06-30}]
  - kind: legal
    name: Holding Exemple SA
    enterprise_number: 0888.888.895
    address: {street: Avenue Louise, number: 1, postal_code: 1050, city: Ixelles}
    representative:
      first_name: Jean
      last_name: Représentant
      address: {street: Rue du Lac, number: 9, postal_code: 1050, city: Ixelles}
    mandates: [{function: "13", start: 2023-06-15}]
auditors:
  - kind: legal
    name: Révisions Exemple SRL
    enterprise_number: 0777.777.771
    membership_number: B00123
    address: {street: Kerkstraat, number: 5, postal_code: 9000, city: Gent}
    representative: {first_name: Marie, last_name: Réviseur, membership_number: A01234}
    mandates: [{function: Commissaire, start: 2022-06-20, end: 2025-06-17}]
figures:
  20/58: {current: 1000.5, previous: 900}
  10/15: {current: 400, previous: 300}
  9904: {current: 100, previous: -50}
appropriation:
  9905: {current: 100, previous: -50}
management_report: {text: "Rapport de gestion de test."}
"""


def copy_sample(root: Path) -> Path:
    """The SmartCoop sample copied under ``root`` with the mappings folder inside the dossier's own
    folder (``mapping: mappings/without-capital.yaml``): a mapping is a file the dossier names, held
    to its folder like the others (issue 23), so a copy that may edit it keeps it there."""
    copy = root / "samples" / "smartcoop-2024"
    shutil.copytree(SAMPLE, copy)
    shutil.copytree(ROOT / "mappings", copy / "mappings")
    d = copy / "dossier.yaml"
    text = d.read_text(encoding="utf-8")
    assert text.count("mapping: ../../mappings/") == 1
    d.write_text(text.replace("mapping: ../../mappings/", "mapping: mappings/"), encoding="utf-8")
    return copy


@pytest.fixture(scope="session")
def mini_text() -> str:
    return MINI_DOSSIER


@pytest.fixture
def write_dossier(tmp_path: Path):
    """``write_dossier(text, name="dossier.yaml")`` -> path of a dossier file in a temp folder."""

    def write(text: str, name: str = "dossier.yaml") -> Path:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return p

    return write


@pytest.fixture(scope="session")
def m82(catalog):
    return catalog("m82-f")


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    if not (SAMPLE / "dossier.yaml").is_file():
        pytest.fail(f"sample dossier missing: {SAMPLE / 'dossier.yaml'}")
    return SAMPLE


@pytest.fixture(scope="session")
def sample_outputs(sample_dir: Path, package, catalog, tmp_path_factory):
    """The SmartCoop sample generated for m82-f (its own model), m81-f and m87-f: {model: result}.

    For the coarser models the sample is copied (:func:`copy_sample`) and only the ``model:`` line
    of the dossier is changed, as a user would do.
    """
    from nbb_filing.api import generate

    out_dir = tmp_path_factory.mktemp("smartcoop")
    results = {"m82-f": generate(sample_dir / "dossier.yaml", out_dir / "smartcoop-m82-f.xbrl", package=package)}
    for model in ("m81-f", "m87-f"):
        catalog(model)  # compile (or load) once
        copy = copy_sample(tmp_path_factory.mktemp(f"sample-{model}"))
        text = (copy / "dossier.yaml").read_text(encoding="utf-8")
        assert text.count("\nmodel: m82-f\n") == 1
        (copy / "dossier.yaml").write_text(text.replace("\nmodel: m82-f\n", f"\nmodel: {model}\n"), encoding="utf-8")
        results[model] = generate(copy / "dossier.yaml", out_dir / f"smartcoop-{model}.xbrl", package=package)
    return results


@pytest.fixture(scope="session")
def sample_validation(sample_outputs, package):
    """{model: FileReport}: the three sample instances validated by ``nbb_filing.checks.validate`` in ONE
    call (one Arelle validation per model: XBRL 2.1, XDT, schema facets and the package's
    assertions, offline).  The only Arelle work of this area's sample tests."""
    from nbb_filing.checks.validate import validate_files

    models = list(sample_outputs)
    # what the sample's dossier adds to the completeness check (its not_applicable declarations)
    context = sample_outputs["m82-f"].dossier_context
    report = validate_files([sample_outputs[m].output for m in models], package=package, dossier=context)
    by_path = {Path(f.path).resolve(): f for f in report.files}
    return {m: by_path[Path(sample_outputs[m].output).resolve()] for m in models}


@pytest.fixture(scope="session")
def arelle_results(sample_validation):
    """{model: [XBRL 2.1 / XDT / schema findings]} of the three sample instances (from ``sample_validation``)."""
    return {m: [f for f in r.findings if f.source == "xbrl"] for m, r in sample_validation.items()}
