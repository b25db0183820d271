"""CLI: ``nbb-filing validate FILE.xbrl [FILE.xbrl …]``.

Exit code 0: every file can be filed (warnings allowed); 1: at least one file has a blocking
finding or leaves a section the law requires empty (INCOMPLETE, docs/completeness.md); 2: at least one file could not be validated (unreadable, not an NBB instance, model not
in the package, no package).  The code is decided from the findings, never from Arelle's.
"""

from __future__ import annotations

from pathlib import Path

import click

from nbb_filing import NbbFilingError, write_atomic
from nbb_filing.cli.common import lang_option, taxonomy_option


@click.command(name="validate", short_help="Validate filings offline (Arelle, NBB assertions, protocol).")
@click.argument("files", nargs=-1, required=True, metavar="FILE.xbrl [FILE.xbrl …]")
@taxonomy_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit"]),
    default="text",
    show_default=True,
    help="Report format: text for people, json for scripts, junit for CI servers.",
)
@lang_option
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Validate files in this many worker processes (useful with several files).",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    default=None,
    help="Write the report to FILE instead of standard output ('-': standard output).",
)
def validate(
    files: tuple[str, ...], taxonomy: str | None, fmt: str, lang: str, workers: int, output: str | None
) -> None:
    """Validate filings offline with Arelle, the package's assertions, the NBB filing protocol and
    the completeness of the accounts (the sections the model requires).

    Exit code 0 = can be filed (warnings allowed), 1 = blocking findings or a required section empty
    (incomplete), 2 = could not validate.
    """
    from nbb_filing import refuse_overlaps, resolve_package, validate_files
    from nbb_filing import render_report as render

    refuse_overlaps([("the report (-o)", output)], [("a filing to validate", f) for f in files])
    info = resolve_package(taxonomy)
    report = validate_files(list(files), info, lang=lang, workers=workers)
    write_report(render(report, fmt), output)
    if output not in (None, "-"):
        click.echo(f"report written to {output}; exit code {report.exit_code}", err=True)
    raise SystemExit(report.exit_code)


def write_report(text: str, output: str | None) -> None:
    """The report on standard output (``None`` or ``-``), else written atomically to ``output``."""
    if output in (None, "-"):
        click.echo(text, nl=False)
        return
    try:
        write_atomic(Path(output), text)
    except OSError as e:
        raise NbbFilingError(f"{output}: cannot write the report ({e.strerror or e})") from None
