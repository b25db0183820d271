"""Bare Arelle as a reference: ``python tests/bare_arelle.py PACKAGE.zip OUT.json FILE.xbrl [FILE.xbrl …]``.

Runs Arelle's own front end (``arelle.api.Session``, ONE controller session for all the files, so the
interpreter and Arelle start once) with the options of a bare command line::

    arelleCmdLine --workOffline --baseTaxonomyValidation none -v --validateDuplicateFacts all
                  --formulaAsserResultCounts --packages PACKAGE.zip -f FILE.xbrl

Each file is loaded in full (its whole DTS, table and label linkbases included: nothing of
nbb-filing is involved).  OUT.json gets, per file: the ids of the assertions with at least one
unsatisfied evaluation (from the assertion result counts) and the codes of the error-level
messages that are not assertion messages (XBRL 2.1, XDT, schema, enumeration errors).
"""

from __future__ import annotations

import json
import logging
import sys


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _summary(records: list[logging.LogRecord]) -> dict[str, list[str]]:
    """``assertions``: every assertion Arelle counted (the proof that the counts were read)."""
    unsatisfied: set[str] = set()
    errors: set[str] = set()
    counted: set[str] = set()
    for r in records:
        code = str(getattr(r, "messageCode", "") or "")
        args = r.args if isinstance(r.args, dict) else {}  # Arelle passes its message arguments as a dict
        if code == "formula:trace" and "notSatisfiedCount" in args:
            counted.add(str(args["id"]))
            if int(args["notSatisfiedCount"] or 0) > 0:
                unsatisfied.add(str(args["id"]))
        elif r.levelname.lower() in ("error", "critical", "fatal") and not code.startswith("message:"):
            errors.add(code)
    return {"assertions": sorted(counted), "unsatisfied": sorted(unsatisfied), "errors": sorted(errors)}


def main(argv: list[str]) -> int:
    from arelle import PackageManager
    from arelle.api.Session import Session
    from arelle.RuntimeOptions import RuntimeOptions

    package, out, files = argv[0], argv[1], argv[2:]
    # Arelle 2.47: Session.run starts by closing the package manager, which empties its
    # configuration dict instead of resetting it, so a second run with --packages fails
    # (KeyError 'packages').  Closing is made to leave the state a new controller starts with.
    manager = PackageManager.getInstance()
    close = manager.close

    def close_keeping_config() -> None:
        close()
        manager.packagesConfig = {"packages": [], "remappings": {}}

    manager.close = close_keeping_config  # type: ignore[method-assign]
    handler = _Records()
    result: dict[str, dict[str, list[str]]] = {}
    with Session() as session:
        for f in files:
            handler.records.clear()
            options = RuntimeOptions(
                entrypointFile=f,
                packages=[package],
                internetConnectivity="offline",
                validate=True,
                baseTaxonomyValidationMode="none",
                validateDuplicateFacts="all",
                formulaAsserResultCounts=True,
                disablePersistentConfig=True,
                logFile="logToBuffer",
            )
            session.run(options, logHandler=handler)
            result[f] = _summary(handler.records)
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
