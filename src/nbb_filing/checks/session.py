"""A validation session: one package and its loaded taxonomies kept in memory between validations.

``nbb-filing validate`` loads a model's taxonomy (its DTS: schemas, definition and formula
linkbases, the assertions compiled) for each call.  A session keeps it: the first validation of a
model loads it, every later one only loads the instance and runs the formulas, in a forked child
process so that nothing of one validation leaks into the next (see
:mod:`nbb_filing.checks.kept_dts`).  ``nbb-filing watch`` re-checks a
dossier after each edit through one session.  After each validation a child keeps the file loaded;
when the next file differs from it only in the values of facts (an edited amount), that child
validates it and the instance is not loaded again (:mod:`nbb_filing.checks.kept_filing`).

Limit: the kept taxonomy needs ``os.fork`` (Linux); elsewhere each validation loads everything
again (same findings, no speed-up).  One model is kept at a time (a DTS weighs 150-400 MB), and
one file: the child keeping it lives until the next validation or :meth:`ValidationSession.close`.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from nbb_filing.checks import kept_dts, validate
from nbb_filing.checks.completeness import NO_DOSSIER, CompletenessContext
from nbb_filing.checks.findings import FileReport, ValidationReport
from nbb_filing.taxonomy.packages import PackageInfo


@dataclass
class ValidationSession:
    """Validate files one call after the other on taxonomies loaded once (see the module docstring)."""

    package: PackageInfo
    lang: str = "fr"
    #: seconds spent loading taxonomies so far (the first validation of each model)
    taxonomy_seconds: float = field(default=0.0, init=False)
    validations: int = field(default=0, init=False)
    #: validations made by the child that kept the previous file loaded (the file not loaded again)
    kept_loads: int = field(default=0, init=False)
    _last_path: str | None = field(default=None, init=False, repr=False)

    @property
    def keeps_taxonomy(self) -> bool:
        """Whether validations reuse the loaded taxonomy (needs ``os.fork``)."""
        return kept_dts.fork_available()

    def preload(self, model: str) -> float:
        """Load ``model``'s taxonomy now (e.g. while the user edits); returns the seconds it took."""
        if not self.keeps_taxonomy or kept_dts.dts_loaded(self.package, model):
            return 0.0
        started = time.perf_counter()
        kept_dts.load_dts(self.package, model)
        spent = time.perf_counter() - started
        self.taxonomy_seconds += spent
        return spent

    def validate(self, path: str | os.PathLike, dossier: CompletenessContext | None = None) -> ValidationReport:
        """The report of ``path`` (one file), validated on the kept taxonomy of its model; ``dossier``:
        what the dossier adds to the completeness check (``GenerateResult.dossier_context``)."""
        if self.keeps_taxonomy:  # the file stays loaded for the next call (checks.kept_filing)
            uses = kept_dts.kept_filing_uses()
            # kept for the next call at the first validation and whenever a path comes again (watch's
            # pattern); a caller going through different files does not pay for a child each time
            keep = self.validations == 0 or self._last_path == os.fspath(path)
            report = kept_dts.validate_kept(path, self.package, self.lang, dossier or NO_DOSSIER, keep)
            self.kept_loads += kept_dts.kept_filing_uses() - uses
            self._last_path = os.fspath(path)
        else:
            report = validate.validate_files([path], self.package, self.lang, reuse=False, dossier=dossier)
        self.taxonomy_seconds += report.taxonomy_seconds
        self.validations += 1
        return report

    def file_report(self, path: str | os.PathLike) -> FileReport:
        return self.validate(path).files[0]

    def close(self) -> None:
        """Release the kept taxonomies."""
        kept_dts.clear_dts_cache()

    def __enter__(self) -> ValidationSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
