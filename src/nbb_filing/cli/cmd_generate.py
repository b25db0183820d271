"""CLI: ``nbb-filing generate DOSSIER [-o FILE.xbrl] [--validate]``.

Prints a short summary (model, language, facts, key totals of both years, what was left out and
why).  Exit code 0 when the filing was written (and, with ``--validate``, found valid), 1 when
validation has findings or the appropriation does not tie out, 2 when it could not run.
"""

from __future__ import annotations

from decimal import Decimal

import click

from nbb_filing.cli.common import lang_option, taxonomy_option

ROLE_NAMES = {
    "total_assets": "total assets",
    "equity": "equity",
    "result_before_taxes": "result before taxes",
    "result_of_period": "result of the period",
}


def _money(d: Decimal | None) -> str:
    if d is None:
        return "-"
    return f"{d:,.2f}".replace(",", " ")


@click.command(name="generate")
@click.argument("dossier", type=click.Path(dir_okay=False))
@click.option("-o", "--output", metavar="FILE.xbrl", default=None, help="Where to write the instance (default: beside the dossier, .xbrl).")
@click.option("--validate", "validate", is_flag=True, help="Validate the written instance with Arelle (offline) afterwards.")
@click.option("--model", default=None, metavar="MODEL", help="Override the dossier's model (e.g. m87-f).")
@taxonomy_option
@lang_option
def generate(dossier: str, output: str | None, validate: bool, model: str | None, taxonomy: str | None, lang: str) -> None:
    """Generate the NBB XBRL filing described by DOSSIER (a YAML file)."""
    from nbb_filing.api import generate as run

    result = run(dossier, output, taxonomy=taxonomy, validate=validate, lang=lang, model=model)
    click.echo(f"wrote {result.output}")
    click.echo(f"model {result.model} (framework {result.framework}, {result.package}), language {result.language}")
    click.echo(f"{result.facts} facts in {result.contexts} contexts, {result.seconds:.1f} s")
    if result.totals:
        width = max(len(f"{t.rubric} {ROLE_NAMES.get(t.role, t.role)}") for t in result.totals)
        click.echo(f"{'':{width}}  {'current':>16}  {'previous':>16}")
        for t in result.totals:
            name = f"{t.rubric} {ROLE_NAMES.get(t.role, t.role)}"
            click.echo(f"{name:{width}}  {_money(t.current):>16}  {_money(t.previous):>16}")
    for line in result.notes:
        click.echo(line)
    for item in result.warnings:
        click.echo(f"warning: {item}")
    if result.left_out:
        click.echo("left out:")
        for item in result.left_out:
            click.echo(f"  - {item}")
    if validate:
        report = result.validation
        text = _report_text(report)
        if text:
            click.echo(text)
        if result.validation_failed:
            click.get_current_context().exit(result.validation_exit_code)


def _report_text(report: object) -> str:
    """A few lines from the validation report, whatever its exact shape."""
    if report is None:
        return ""
    for name in ("summary", "format_text", "to_text", "render"):
        attr = getattr(report, name, None)
        if callable(attr):
            try:
                return str(attr())
            except TypeError:
                continue
        if isinstance(attr, str):
            return attr
    return f"validation: {report}"
