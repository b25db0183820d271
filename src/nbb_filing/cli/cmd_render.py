"""CLI: ``nbb-filing render FILE.xbrl [-o FILE.html] [--lang] [--validate | --report R.json] [--previous LAST.xbrl] [--pdf [FILE.pdf]]``.

Writes one self-contained HTML page of the filing (see :mod:`nbb_filing.rendering`) and prints
what it shows.  Exit code 0 when the page was written (findings are shown, not judged: use
``validate`` for a verdict), 2 when it could not be written.
"""

from __future__ import annotations

import click

from nbb_filing import InputError
from nbb_filing.cli.common import labels_note, lang_option, taxonomy_option


@click.command(name="render", short_help="Render a filing as an HTML page in the NBB layout.")
@click.argument("filing", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    metavar="FILE.html",
    default=None,
    help="Where to write the page (default: beside the filing, .html).",
)
@click.option(
    "--validate",
    "validate",
    is_flag=True,
    help="Validate the filing first (Arelle, offline) and show every finding at its rows.",
)
@click.option(
    "--report",
    metavar="REPORT.json",
    default=None,
    help="Show the findings of a saved 'nbb-filing validate --format json' report.",
)
@click.option(
    "--previous",
    metavar="LAST.xbrl",
    default=None,
    help="Last year's filing: its figures beside this year's previous-year column, differences marked.",
)
@click.option(
    "--trail",
    metavar="FILE.trail.json",
    default=None,
    help="The mapping's audit trail (default: FILE.trail.json beside the filing, when present).",
)
@click.option("--all-rows", is_flag=True, help="Show every row of a table that holds a fact, also the empty ones.")
@click.option(
    "--borrow-labels",
    is_flag=True,
    help="For rows labelled by rubric code only, also compile the model family's other catalogs not yet "
    "cached to look for a label (seconds each, once per package).",
)
@click.option(
    "--pdf",
    "pdf",
    metavar="FILE.pdf",
    default=None,
    is_flag=False,
    flag_value="",
    help="Also print the page to PDF with headless Chromium (default file: the page's name with .pdf).",
)
@taxonomy_option
@lang_option
def render(
    filing: str,
    output: str | None,
    validate: bool,
    report: str | None,
    previous: str | None,
    trail: str | None,
    all_rows: bool,
    borrow_labels: bool,
    pdf: str | None,
    taxonomy: str | None,
    lang: str,
) -> None:
    """Write FILING (an NBB XBRL instance) as an HTML page in the NBB layout, for review by a person."""
    from nbb_filing import render_filing

    if validate and report:
        raise InputError("give either --validate or --report, not both")
    result = render_filing(
        filing,
        output,
        lang=lang,
        taxonomy=taxonomy,
        validate=validate,
        report=report,
        previous=previous,
        trail=trail,
        all_rows=all_rows,
        pdf=None if pdf is None else (pdf or True),
        borrow_labels=borrow_labels,
    )
    click.echo(f"wrote {result.output}")
    if result.pdf is not None:
        click.echo(f"wrote {result.pdf}")
    click.echo(f"model {result.model}: {result.tables} tables, {result.rows} rows")
    if validate or report:
        click.echo(f"{result.findings} finding(s), {result.findings_placed} shown at their rows")
    if result.missing_sections:
        click.echo(f"{result.missing_sections} required section(s) left empty, marked in place (docs/completeness.md)")
    if previous:
        click.echo(f"{result.differences} previous-year cell(s) differ from {previous}")
    if result.trail:
        click.echo("audit trail: rubrics open to the accounts that made them")
    if result.trail_ignored:
        click.echo(f"note: {result.trail_ignored}")
    if result.label_fallbacks:
        click.echo(f"{result.label_fallbacks} row label(s) taken from another model of the package")
    if result.kept_code:
        click.echo(labels_note(result))
    if result.not_shown:
        click.echo(f"{len(result.not_shown)} fact(s) not shown in the tables (listed at the end of the page):")
        for line in result.not_shown:
            click.echo(f"  {line}")
