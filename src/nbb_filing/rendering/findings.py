"""Validation findings placed at the cells they involve.

A finding comes from a :class:`~nbb_filing.checks.validate.FileReport` (``render --validate``) or from the
JSON report of ``nbb-filing validate --format json`` (``render --report``).  Each finding is
placed by the datapoint keys of the facts it names (and, for a fact the model cannot place, by
its rubric code); findings that name no fact are shown in the summary only.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbb_filing.core.errors import InputError


@dataclass(frozen=True)
class FindingView:
    number: int  # 1-based, the anchor of the finding on the page
    rule: str
    effect: str  # blocking / warning / info
    family: str
    message: str
    keys: tuple[str, ...]
    rubrics: tuple[str, ...]
    line: int | None = None


@dataclass(frozen=True)
class FindingsSummary:
    status: str
    path: str
    findings: tuple[FindingView, ...]
    assertions: int = 0
    evaluated: int = 0
    unsatisfied: int = 0
    error: str | None = None
    #: the completeness items of the report (dicts as in the JSON report), issue 19
    completeness: tuple[dict, ...] = ()

    def count(self, effect: str) -> int:
        return sum(1 for f in self.findings if f.effect == effect)


def _text(x: dict, field: str, default: str | None = None) -> str:
    """The text ``field`` of a report entry; a report of another shape raises :class:`TypeError`
    (``load_report`` turns it into a one-line error naming the report)."""
    value = x.get(field, default)
    if not isinstance(value, str):
        raise TypeError(f"{field!r} is {type(value).__name__}, not text")
    return value


def _views(items: Iterable[dict]) -> tuple[FindingView, ...]:
    out = []
    for i, x in enumerate(items, 1):
        facts = x.get("facts") or ()
        keys = tuple(dict.fromkeys(_text(f, "key") for f in facts if f.get("key")))
        rubrics = tuple(dict.fromkeys(_text(f, "rubric") for f in facts if f.get("rubric")))
        line = x.get("line")
        if line is not None and (not isinstance(line, int) or isinstance(line, bool)):
            raise TypeError(f"'line' is {type(line).__name__}, not a line number")
        out.append(
            FindingView(
                i,
                _text(x, "rule"),
                _text(x, "effect", "info"),
                _text(x, "family", ""),
                _text(x, "message", ""),
                keys,
                rubrics,
                line,
            )
        )
    return tuple(out)


def summary_from_file_dict(d: dict) -> FindingsSummary:
    """From one entry of ``files`` of the JSON report (see :func:`nbb_filing.checks.report_formats.report_dict`);
    raises :class:`TypeError` or :class:`KeyError` for an entry of another shape."""
    s = d.get("summary") or {}
    error = d.get("error")
    if error is not None and not isinstance(error, str):
        raise TypeError(f"'error' is {type(error).__name__}, not text")
    return FindingsSummary(
        status=_text(d, "status", ""),
        path=_text(d, "path", ""),
        findings=_views(d.get("findings") or ()),
        assertions=int(s.get("assertions", 0)),
        evaluated=int(s.get("evaluated", 0)),
        unsatisfied=int(s.get("not_satisfied", 0)),
        error=error,
        completeness=tuple(x for x in d.get("completeness") or () if isinstance(x, dict)),
    )


def summary_from_report(report: Any, filing: str | os.PathLike) -> FindingsSummary:
    """The summary of ``filing`` in a :class:`~nbb_filing.checks.validate.ValidationReport`."""
    from nbb_filing.checks.report_formats import report_dict

    return _pick([summary_from_file_dict(f) for f in report_dict(report)["files"]], filing, "the validation report")


def load_report(path: str | os.PathLike, filing: str | os.PathLike) -> FindingsSummary:
    """Read ``nbb-filing validate --format json`` output and pick the entry of ``filing``."""
    p = Path(path)
    try:
        d = json.loads(p.read_text(encoding="utf-8"))
        files = [summary_from_file_dict(f) for f in d["files"]]
    except OSError as e:
        raise InputError(f"{p}: cannot read the report ({e.strerror or e})") from None
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise InputError(
            f"{p}: not a JSON report of 'nbb-filing validate --format json' ({type(e).__name__}: {e})"
        ) from None
    return _pick(files, filing, str(p))


def _pick(files: list[FindingsSummary], filing: str | os.PathLike, where: str) -> FindingsSummary:
    target = Path(filing)
    for f in files:
        if Path(f.path) == target or Path(f.path).resolve() == target.resolve():
            return f
    same_name = [f for f in files if Path(f.path).name == target.name]
    if len(same_name) == 1:
        return same_name[0]
    if len(files) == 1:
        return files[0]
    raise InputError(f"{where}: no entry for {target.name} among its {len(files)} files")


def findings_by_key(
    summary: FindingsSummary | None,
) -> tuple[dict[str, list[FindingView]], dict[str, list[FindingView]]]:
    """(datapoint key -> findings, rubric code -> findings) for placing findings at cells."""
    by_key: dict[str, list[FindingView]] = {}
    by_rubric: dict[str, list[FindingView]] = {}
    if summary is None:
        return by_key, by_rubric
    for f in summary.findings:
        for k in f.keys:
            by_key.setdefault(k, []).append(f)
        for r in f.rubrics:
            by_rubric.setdefault(r, []).append(f)
    return by_key, by_rubric
