"""CLI: ``nbb-filing generate DOSSIER [-o FILE.xbrl] [--validate [--report FILE]]``.

Prints a short summary (model, language, facts, key totals of both years, what was left out and
why), as text or JSON (``--format``).  Exit code 0 when the filing was written (and, with
``--validate``, found valid), 1 when validation has findings or the appropriation does not tie
out, 2 when it could not run.

Languages: without ``--lang`` the summary is in English (rubric names included); with ``--lang``
the key totals carry the package's own rubric labels in that language and the few words of the
summary come from :data:`MESSAGES`.  Notes and "left out" reasons come from the API in English.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from nbb_filing.cli.common import amount_cell, dump_json, format_option, labels_note, taxonomy_option

#: English names of the summary's rubric roles, used when no --lang is given (as before --lang existed).
ROLE_NAMES = {
    "total_assets": "total assets",
    "equity": "equity",
    "result_before_taxes": "result before taxes",
    "result_of_period": "result of the period",
}

#: The summary's own words (UI text, not taxonomy labels), per language.
MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "wrote": "wrote {path}",
        "model": "model {model} (framework {framework}, {package}), language {language}",
        "facts": "{facts} facts in {contexts} contexts, {seconds:.1f} s",
        "current": "current",
        "previous": "previous",
        "left_out": "left out:",
        "report": "validation report written to {path}",
    },
    "fr": {
        "wrote": "écrit : {path}",
        "model": "modèle {model} (cadre {framework}, {package}), langue {language}",
        "facts": "{facts} faits dans {contexts} contextes, {seconds:.1f} s",
        "current": "exercice",
        "previous": "exercice précédent",
        "left_out": "non repris :",
        "report": "rapport de validation écrit : {path}",
    },
    "nl": {
        "wrote": "geschreven: {path}",
        "model": "model {model} (raamwerk {framework}, {package}), taal {language}",
        "facts": "{facts} feiten in {contexts} contexten, {seconds:.1f} s",
        "current": "boekjaar",
        "previous": "vorig boekjaar",
        "left_out": "niet opgenomen:",
        "report": "validatierapport geschreven: {path}",
    },
    "de": {
        "wrote": "geschrieben: {path}",
        "model": "Modell {model} (Rahmenwerk {framework}, {package}), Sprache {language}",
        "facts": "{facts} Fakten in {contexts} Kontexten, {seconds:.1f} s",
        "current": "Geschäftsjahr",
        "previous": "Vorjahr",
        "left_out": "nicht übernommen:",
        "report": "Validierungsbericht geschrieben: {path}",
    },
}

REPORT_FORMATS = ("text", "json", "junit")


@click.command(name="generate", short_help="Generate the NBB XBRL filing of a dossier.")
@click.argument("dossier", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    metavar="FILE.xbrl",
    default=None,
    help="Where to write the instance (default: beside the dossier, .xbrl).",
)
@click.option(
    "--validate", "validate", is_flag=True, help="Validate the written instance with Arelle (offline) afterwards."
)
@click.option(
    "--report",
    "report_path",
    metavar="FILE",
    default=None,
    help="With --validate: write the validation report to FILE ('-': standard output).",
)
@click.option(
    "--report-format",
    type=click.Choice(REPORT_FORMATS),
    default=None,
    help="Format of --report, as validate's --format (default: json for .json, junit for .xml, else text).",
)
@click.option("--model", default=None, metavar="MODEL", help="Override the dossier's model (e.g. m87-f).")
@click.option(
    "--trail",
    "trail",
    is_flag=True,
    help="Keep the mapping's audit trail (which accounts made each rubric) beside the output.",
)
@click.option(
    "--html",
    "html",
    metavar="FILE.html",
    default=None,
    help="Also write the filing as an HTML page (after validating, with --validate).",
)
@click.option(
    "--allow-outside-paths",
    is_flag=True,
    help="Let the dossier name documents, trial balances and a previous filing outside its own folder "
    "(refused by default: a dossier received from someone else must not pull local files into a filing).",
)
@taxonomy_option
@click.option(
    "--lang",
    type=click.Choice(["fr", "nl", "de", "en"]),
    default=None,
    help="Language of the summary and its labels (default: English summary; "
    "validation messages in the dossier's language).",
)
@format_option("text", "json")
def generate(
    dossier: str,
    output: str | None,
    validate: bool,
    report_path: str | None,
    report_format: str | None,
    model: str | None,
    trail: bool,
    html: str | None,
    allow_outside_paths: bool,
    taxonomy: str | None,
    lang: str | None,
    fmt: str,
) -> None:
    """Generate the NBB XBRL filing described by DOSSIER (a YAML file).

    The summary (text or --format json) goes to standard output; with --validate --report FILE the
    validation report is also written to FILE in --report-format (text, json or junit).
    """
    from nbb_filing import NbbFilingError
    from nbb_filing import generate as run

    if report_path is not None and not validate:
        raise NbbFilingError("--report needs --validate")
    if report_path == "-" and fmt == "json":
        raise NbbFilingError(
            "--report - with --format json would put two documents on standard output; give --report a file name"
        )
    result = run(
        dossier,
        output,
        taxonomy=taxonomy,
        validate=validate,
        lang=lang,
        model=model,
        trail=trail,
        allow_outside_paths=allow_outside_paths,
        other_outputs=[("the page (--html)", html), ("the report (--report)", report_path)],
    )
    report = result.validation
    page = None
    if html:
        from nbb_filing import render_filing

        try:
            page = render_filing(
                result.output,
                html,
                lang=lang or result.language,
                taxonomy=taxonomy,
                report=report,
                trail=result.trail_path,
            )
        except BaseException:
            # all or nothing: the filing and trail this run wrote go when its page cannot be made
            for written in (result.output, result.trail_path):
                if written is not None:
                    Path(written).unlink(missing_ok=True)
            raise
    if fmt == "json":
        click.echo(dump_json(_summary_json(result)), nl=False)
    else:
        # the validation report printed below (always, --report FILE or not) starts with the replica notice: once
        said_below = report.notice if validate and report is not None else None
        for line in _summary_lines(result, lang, skip=said_below):
            click.echo(line)
        for extra in (result.trail_path, page.output if page is not None else None):
            if extra is not None:
                click.echo(MESSAGES[lang or "en"]["wrote"].format(path=extra))
        if page is not None and page.trail_ignored:
            click.echo(f"note: {page.trail_ignored}")
        if page is not None and page.kept_code:
            click.echo(labels_note(page))
        if validate and report_path != "-":
            text = _report_text(report)
            if text:
                click.echo(text)
    if validate and report_path is not None:
        _write_report(report, report_path, report_format or _format_of(report_path), lang)
    if validate and result.validation_failed:
        click.get_current_context().exit(result.validation_exit_code)


def _format_of(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return {".json": "json", ".xml": "junit"}.get(suffix, "text")


def _write_report(report: Any, path: str, fmt: str, lang: str | None) -> None:
    from nbb_filing import render_report as render
    from nbb_filing.cli.cmd_validate import write_report

    write_report(render(report, fmt), path)
    if path != "-":
        click.echo(MESSAGES[lang or "en"]["report"].format(path=path), err=True)


def _summary_lines(result: Any, lang: str | None, skip: str | None = None) -> list[str]:
    msg = MESSAGES[lang or "en"]
    out = [
        msg["wrote"].format(path=result.output),
        msg["model"].format(
            model=result.model, framework=result.framework, package=result.package, language=result.language
        ),
        msg["facts"].format(facts=result.facts, contexts=result.contexts, seconds=result.seconds),
    ]
    if result.totals:
        names = [f"{t.rubric} {t.label if lang else ROLE_NAMES.get(t.role, t.role)}" for t in result.totals]
        width = max(len(n) for n in names)
        out.append(f"{'':{width}}  {msg['current']:>18}  {msg['previous']:>18}")
        for name, t in zip(names, result.totals):
            out.append(f"{name:{width}}  {amount_cell(t.current):>18}  {amount_cell(t.previous):>18}")
    out += [n for n in result.notes if n != skip]
    out += [f"warning: {item}" for item in result.warnings]
    if result.left_out:
        out.append(msg["left_out"])
        out += [f"  - {item}" for item in result.left_out]
    return out


def _summary_json(result: Any) -> dict:
    import json

    validation = None
    if result.validation is not None:
        try:
            from nbb_filing import report_dict

            validation = json.loads(json.dumps(report_dict(result.validation), default=str))
        except (AttributeError, TypeError):
            validation = {"exit_code": result.validation_exit_code}
    return {
        "output": str(result.output),
        "trail": str(result.trail_path) if result.trail_path else None,
        "model": result.model,
        "framework": result.framework,
        "package": result.package,
        "language": result.language,
        "facts": result.facts,
        "contexts": result.contexts,
        "seconds": round(result.seconds, 3),
        "totals": [t.to_json() for t in result.totals],
        "notes": list(result.notes),
        "warnings": list(result.warnings),
        "left_out": list(result.left_out),
        "validation": validation,
        "exit_code": result.validation_exit_code,
    }


def _report_text(report: Any) -> str:
    """The validation report as ``validate`` prints it (text)."""
    if report is None:
        return ""
    from nbb_filing import render_report

    return render_report(report, "text").rstrip("\n")
