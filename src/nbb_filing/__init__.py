"""nbb-filing: annual-accounts filings for the NBB Central Balance Sheet Office.

The package is a house with one room per layer; data flows one way, each room importing only
from the rooms below it::

    core       errors, atomic writes, line-tracking YAML, packaged data files
    taxonomy   NBB packages, the Arelle environment, the compiled catalog, value types
    books      trial balances, mapping files, rubric figures
    filing     the dossier, facts (identification, rubrics, notes), the XBRL instance
    reading    existing filings: reader, last year's column, import into a dossier
    checks     findings, filing-protocol rules, the Arelle validation run, report formats
    rendering  the filing for a person (HTML in the NBB layout)
    api        workflows that cross the rooms (generate = dossier -> instance [-> validation])
    cli        the ``nbb-filing`` command, a thin layer over the names exported here

Every piece of taxonomy knowledge (datapoints, rubric codes, labels, types, enumerations,
assertions) is read from an installed NBB taxonomy package.

The public API is the names in ``__all__``; they are imported on first use, so that
``import nbb_filing`` stays cheap (Arelle is loaded only by what needs it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # errors
    "NbbFilingError": "nbb_filing.core.errors",
    "InputError": "nbb_filing.core.errors",
    "FindingsError": "nbb_filing.core.errors",
    "PackageError": "nbb_filing.core.errors",
    "ModelNotFound": "nbb_filing.core.errors",
    "RubricNotFound": "nbb_filing.core.errors",
    "write_atomic": "nbb_filing.core.atomic",
    "refuse_overlaps": "nbb_filing.core.atomic",
    "money": "nbb_filing.core.money",
    "Fingerprints": "nbb_filing.core.fingerprint",
    # taxonomy
    "PackageInfo": "nbb_filing.taxonomy.packages",
    "resolve_package": "nbb_filing.taxonomy.packages",
    "inspect_package": "nbb_filing.taxonomy.packages",
    "install_package": "nbb_filing.taxonomy.packages",
    "installed_packages": "nbb_filing.taxonomy.packages",
    "download_package": "nbb_filing.taxonomy.packages",
    "Catalog": "nbb_filing.taxonomy.catalog",
    "Datapoint": "nbb_filing.taxonomy.catalog",
    "load_catalog": "nbb_filing.taxonomy.catalog_cache",
    "catalog_sections": "nbb_filing.taxonomy.explore",
    "find_datapoints": "nbb_filing.taxonomy.explore",
    "section_title": "nbb_filing.taxonomy.explore",
    # books
    "AccountLine": "nbb_filing.books.ledger",
    "TrialBalance": "nbb_filing.books.ledger",
    "read_trial_balance": "nbb_filing.books.ledger",
    "Mapping": "nbb_filing.books.mapping_model",
    "load_mapping": "nbb_filing.books.mapping_file",
    "check_mapping": "nbb_filing.books.mapping_check",
    "compute_figures": "nbb_filing.books.mapping",
    "resolve_account": "nbb_filing.books.allocation",
    "filed_under": "nbb_filing.books.rubric_reach",
    "mapping_json_schema": "nbb_filing.books.mapping_file",
    "RubricFigures": "nbb_filing.books.figures",
    # filing
    "Dossier": "nbb_filing.filing.dossier",
    "load_dossier": "nbb_filing.filing.dossier_files",
    "dossier_json_schema": "nbb_filing.filing.dossier",
    "dossier_files": "nbb_filing.filing.dossier_inputs",
    # reading
    "FilingFacts": "nbb_filing.reading.reader",
    "read_facts": "nbb_filing.reading.reader",
    "import_filing": "nbb_filing.reading.importer",
    # checks
    "Finding": "nbb_filing.checks.findings",
    "FileReport": "nbb_filing.checks.findings",
    "ValidationReport": "nbb_filing.checks.findings",
    "validate_files": "nbb_filing.checks.validate",
    "validate_file": "nbb_filing.checks.validate",
    "render_report": "nbb_filing.checks.report_formats",
    "CompletenessContext": "nbb_filing.checks.completeness",
    "CompletenessItem": "nbb_filing.checks.findings",
    "check_completeness": "nbb_filing.checks.completeness",
    "context_from_dossier": "nbb_filing.checks.completeness",
    # used by the CLI
    "TerminalProgress": "nbb_filing.core.progress",
    "dossier_fields": "nbb_filing.filing.binding",
    "embedded_package_path": "nbb_filing.taxonomy.releases",
    "enumeration_lists": "nbb_filing.taxonomy.enum_lists",
    "find_lists": "nbb_filing.taxonomy.enum_lists",
    "init_dossier": "nbb_filing.reading.starter",
    "list_to_json": "nbb_filing.taxonomy.enum_lists",
    "pin_environment": "nbb_filing.taxonomy.packages",
    "render_filing": "nbb_filing.rendering",
    "report_dict": "nbb_filing.checks.report_formats",
    "reporting": "nbb_filing.core.progress",
    "value_code": "nbb_filing.taxonomy.enum_lists",
    "ValidationSession": "nbb_filing.checks.session",
    # workflows
    "GenerateResult": "nbb_filing.api",
    "generate": "nbb_filing.api",
    "taxonomy_coverage": "nbb_filing.api",
    "ModelCoverage": "nbb_filing.api",
}

#: names whose attribute in the defining module differs from the public name
_RENAMED = {"dossier_json_schema": "json_schema", "render_report": "render", "catalog_sections": "sections"}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'nbb_filing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), _RENAMED.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from nbb_filing.api import GenerateResult, ModelCoverage, generate, taxonomy_coverage
    from nbb_filing.books.allocation import resolve_account
    from nbb_filing.books.figures import RubricFigures
    from nbb_filing.books.ledger import AccountLine, TrialBalance, read_trial_balance
    from nbb_filing.books.mapping import compute_figures
    from nbb_filing.books.mapping_check import check_mapping
    from nbb_filing.books.mapping_file import load_mapping, mapping_json_schema
    from nbb_filing.books.mapping_model import Mapping
    from nbb_filing.books.rubric_reach import filed_under
    from nbb_filing.checks.completeness import CompletenessContext, check_completeness, context_from_dossier
    from nbb_filing.checks.findings import CompletenessItem, FileReport, Finding, ValidationReport
    from nbb_filing.checks.report_formats import render as render_report
    from nbb_filing.checks.session import ValidationSession
    from nbb_filing.checks.validate import validate_file, validate_files
    from nbb_filing.core.atomic import refuse_overlaps, write_atomic
    from nbb_filing.core.errors import (
        FindingsError,
        InputError,
        ModelNotFound,
        NbbFilingError,
        PackageError,
        RubricNotFound,
    )
    from nbb_filing.core.fingerprint import Fingerprints
    from nbb_filing.filing.dossier import Dossier
    from nbb_filing.filing.dossier import json_schema as dossier_json_schema
    from nbb_filing.filing.dossier_files import load_dossier
    from nbb_filing.filing.dossier_inputs import dossier_files
    from nbb_filing.reading.importer import import_filing
    from nbb_filing.reading.reader import FilingFacts, read_facts
    from nbb_filing.taxonomy.catalog import Catalog, Datapoint
    from nbb_filing.taxonomy.catalog_cache import load_catalog
    from nbb_filing.taxonomy.explore import find_datapoints, section_title
    from nbb_filing.taxonomy.explore import sections as catalog_sections
    from nbb_filing.taxonomy.packages import (
        PackageInfo,
        download_package,
        inspect_package,
        install_package,
        installed_packages,
        resolve_package,
    )
