"""``nbb-filing import``: an NBB filing turned back into a dossier (YAML) and its documents (PDF).

Where each fact goes is not decided here: the generator's own table
(``data/dossier-datapoints.yaml``, :func:`nbb_filing.filing.binding.load_table`) says which datapoint each
dossier field is written to, so the importer simply runs that table backwards.  A fact lands in:

* a dossier field, when the table names its datapoint (identification, addresses, people and their
  mandates or missions, participations, documents).  People are told apart by the typed-dimension
  values of their facts (their names), exactly as the generator writes them;
* ``figures:``, for every other amount: by rubric code when that leads the generator back to the
  very cell (:func:`nbb_filing.reading.previous.figure_code`), else by datapoint key;
* ``datapoint_facts:``, by datapoint key with its typed-dimension values, for the rest (notes per
  typed row, texts and dates of notes, extra documents as files, amounts stated as an explicit 0);
* the list of facts not imported, with the reason, for what no dossier can carry (nil facts,
  facts the installed package has no datapoint for ...).  Nothing is dropped silently.

The facts are sorted into dossier parts by :mod:`nbb_filing.reading.collect` and put together in
the dossier's shape by :mod:`nbb_filing.reading.assemble`; this module reads the filing, writes the
dossier and its documents, and checks the result.

Then the importer checks its own work: it loads the written dossier, binds it to facts with the
generator's :func:`nbb_filing.filing.facts.build_facts` (no file written) and compares that set of facts
with the filing's (:meth:`nbb_filing.reading.reader.FilingFacts.as_set`).  The differences, if any, are part
of the result, so the user knows before running ``generate`` whether the round trip is exact.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from nbb_filing.core.atomic import write_atomic
from nbb_filing.core.errors import InputError, NbbFilingError
from nbb_filing.core.pydantic_errors import one_line
from nbb_filing.core.yaml_lines import check_yaml_text_size, comment_text
from nbb_filing.filing.dossier_files import data_to_yaml, load_dossier
from nbb_filing.reading.assemble import assemble_dossier
from nbb_filing.reading.collect import Collector
from nbb_filing.reading.reader import (
    FilingFacts,
    normalise_value,
    read_facts,
)
from nbb_filing.reading.review import Review, review_dossier_data
from nbb_filing.taxonomy.catalog import Catalog
from nbb_filing.taxonomy.packages import PackageInfo

DOSSIER_NAME = "dossier.yaml"


@dataclass(frozen=True)
class ImportResult:
    """What ``import`` wrote and what it could not carry over."""

    dossier_path: Path
    documents: tuple[Path, ...]  # PDFs written beside the dossier
    filing: FilingFacts
    imported: int  # facts of the filing carried into the dossier
    not_imported: tuple[str, ...]  # facts of the filing the dossier cannot hold, with the reason
    remarks: tuple[str, ...]  # things the user should know (renumbering, framework moved ...)
    round_trip: tuple[str, ...] | None  # differences generate would make ("-"/"+" lines); None: not checked
    round_trip_error: str | None = None  # why the check could not run (e.g. totals that do not tie out)
    review: tuple[str, ...] = ()  # values written as <FILL-IN: ...>, each with the filing's value and why

    @property
    def exact(self) -> bool:
        return self.round_trip == () and not self.not_imported and not self.review

    @property
    def findings(self) -> int:
        """How many things the user must look at (0: nothing to review)."""
        return (
            len(self.review)
            + len(self.not_imported)
            + len(self.round_trip or ())
            + (1 if self.round_trip_error and not self.review else 0)
        )


# ====================================================================== entry points


def dossier_from_filing(filing: FilingFacts) -> tuple[dict[str, Any], dict[str, bytes], list[str], list[str], int]:
    """The dossier data (plain YAML-able dict), documents by file name, not-imported, remarks, count."""
    from nbb_filing.filing.binding import load_table

    c = Collector(filing, load_table())
    for f in filing.facts:
        c.take(f)
    data, assembly_remarks = assemble_dossier(c)
    not_imported = [
        f"line {u.source_line}: {u.describe().split(': ', 1)[1]}" for u in filing.unresolved
    ] + c.not_imported
    remarks = list(filing.problems) + list(c.remarks) + assembly_remarks
    if filing.retargeted:
        remarks.insert(
            0, f"filing made with framework {filing.framework}, read with the installed {filing.catalog.framework}"
        )
    return data, c.files, not_imported, remarks, c.imported


def _header(filing: FilingFacts, not_imported: list[str], remarks: list[str], review: tuple[str, ...] = ()) -> str:
    lines = [
        f"# Imported by nbb-filing from {filing.path.name} (model {filing.model}, framework {filing.framework},",
        f"# closing date {filing.closing_date}); {len(filing.facts) + len(filing.unresolved)} facts in the filing.",
    ]
    if review:
        lines.append(f"# {len(review)} value(s) to give before generate (written as <FILL-IN: ...>):")
        lines += [f"#   {x}" for x in review]
    if not_imported:
        lines.append(f"# {len(not_imported)} fact(s) NOT imported (the dossier cannot hold them):")
        lines += [f"#   {x}" for x in not_imported]
    if remarks:
        lines.append("# Remarks:")
        lines += [f"#   {x}" for x in remarks]
    # text from the filing (names, values, its framework) must not end a comment line early
    return "\n".join(comment_text(x) for x in lines) + "\n"


def import_filing(
    filing_path: str | os.PathLike,
    out_dir: str | os.PathLike,
    package: PackageInfo,
    *,
    force: bool = False,
    check_round_trip: bool = True,
) -> ImportResult:
    """Read ``filing_path`` and write ``out_dir/dossier.yaml`` (+ PDFs); see the module docstring.

    Refuses to overwrite an existing dossier unless ``force``.  Everything is validated before the
    first byte is written; each file is written to a temporary name and renamed.
    """
    filing = read_facts(filing_path, package)
    out = Path(out_dir)
    target = out / DOSSIER_NAME
    if target.exists() and not force:
        raise InputError(f"{target} already exists (use --force to overwrite it)")
    data, files, not_imported, remarks, count = dossier_from_filing(filing)
    from nbb_filing.filing.binding import load_table

    try:
        _, out_data, reviews, left_out = review_dossier_data(data, load_table().checks, rubric_amounts(filing))
    except ValidationError as e:
        raise InputError(
            f"cannot make a dossier from this filing: {one_line(e, str(filing.path))} "
            "(the filing lacks something every dossier needs)"
        ) from None
    not_imported += left_out
    review = tuple(r.describe() for r in reviews)
    body = with_review_comments(data_to_yaml(out_data), out_data, reviews)
    text = _header(filing, not_imported, remarks, review) + body
    check_yaml_text_size(text, target, "dossier")  # generate would refuse it: nothing is written
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, blob in files.items():
            write_atomic(out / name, blob)
            written.append(out / name)
        write_atomic(target, text.encode("utf-8"))
    except OSError as e:
        raise InputError(f"{out}: cannot write ({e.strerror or e})") from None
    diff: tuple[str, ...] | None = None
    error: str | None = None
    if reviews and check_round_trip:
        error = f"{len(reviews)} value(s) to fill in first (FILL-IN in the dossier); check again with generate"
    elif check_round_trip:
        try:
            diff = tuple(round_trip_differences(target, filing))
        except NbbFilingError as e:
            error = str(e)
    return ImportResult(target, tuple(written), filing, count, tuple(not_imported), tuple(remarks), diff, error, review)


def rubric_amounts(filing: FilingFacts) -> dict[tuple[str, str], Decimal]:
    """The filing's amounts by (rubric code, period): every code of a cell (its other codes too), the
    first fact of a cell (as imported)."""
    out: dict[tuple[str, str], Decimal] = {}
    for f in filing.facts:
        dp = f.datapoint
        if f.typed_values or f.amount is None or dp.period not in ("current", "previous"):
            continue
        for code in ((dp.rubric,) if dp.rubric else ()) + tuple(dp.other_rubrics):
            out.setdefault((code, dp.period), f.amount)
    return out


def with_review_comments(text: str, data: dict[str, Any], reviews: list[Review]) -> str:
    """``text`` (the YAML of ``data``) with the filing's value as a comment on each placeholder's line.

    The placeholders are taken in the order they are written (the order of ``data``), each found
    on the first line after the previous one that holds its text.
    """
    from nbb_filing.filing.placeholders import find_placeholders

    by_loc = {r.loc: r for r in reviews}
    lines = text.split("\n")
    at = 0
    for loc, _ in find_placeholders(data):
        r = by_loc.get(loc)
        if r is None:
            continue
        for i in range(at, len(lines)):
            if r.text in lines[i]:
                lines[i] += "  # " + comment_text(r.comment())
                at = i + 1
                break
    return "\n".join(lines)


def generated_set(dossier_path: Path, catalog: Catalog) -> set[tuple[str, tuple, str | None]]:
    """The ``(datapoint, typed values, value)`` set generate would write for a dossier (no file written)."""
    from nbb_filing.filing.facts import build_facts
    from nbb_filing.filing.instance import format_value

    dossier = load_dossier(dossier_path)
    factset = build_facts(catalog, dossier, None)
    out: set[tuple[str, tuple, str | None]] = set()
    for f in factset.facts:
        mt = catalog.metric_type(f.datapoint)
        text = format_value(mt, f.value)
        out.add((f.datapoint.key, f.typed, normalise_value(catalog, f.datapoint.metric, text)))
    return out


def round_trip_differences(dossier_path: Path, filing: FilingFacts) -> list[str]:
    """``-`` lines: facts of the filing generate would not write; ``+``: facts it would add."""
    from nbb_filing.reading.reader import diff_sets

    return diff_sets(filing.as_set(), generated_set(dossier_path, filing.catalog))
