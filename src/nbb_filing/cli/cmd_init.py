"""CLI: ``nbb-filing init [MODEL] [-o DOSSIER.yaml] [--from LAST_YEAR.xbrl] [--lang fr|nl|de|en]``."""

from __future__ import annotations

import click

from nbb_filing.cli.common import dump_json, format_option, taxonomy_option


@click.command(name="init", short_help="Write a commented starter dossier for a model.")
@click.argument("model", required=False)
@click.option(
    "-o",
    "--output",
    metavar="DOSSIER.yaml",
    default="dossier.yaml",
    show_default=True,
    help="Where to write the starter dossier.",
)
@click.option(
    "--from",
    "from_filing",
    metavar="LAST_YEAR.xbrl",
    default=None,
    help="Prefill from last year's filing (identification, people, participations, shareholders, parents; "
    "its exercise becomes the previous one).",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "nl", "de", "en"]),
    default=None,
    help="Language of the filing and of list labels in comments (default: the filing's, else fr).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@taxonomy_option
@format_option("text", "json")
def init(
    model: str | None,
    output: str,
    from_filing: str | None,
    lang: str | None,
    force: bool,
    taxonomy: str | None,
    fmt: str,
) -> None:
    """Write a commented starter dossier for MODEL (e.g. m82-f), every section of the dossier schema
    with what each field is and which values are allowed.

    Values you must give are written <FILL-IN: ...>; generate refuses the dossier, naming the line,
    while one is left.  Optional sections are commented out.  With --from, MODEL defaults to the
    filing's model.
    """
    from nbb_filing import init_dossier, resolve_package

    info = resolve_package(taxonomy)
    r = init_dossier(model, output, info, lang=lang, from_filing=from_filing, force=force)
    if fmt == "json":
        click.echo(
            dump_json(
                {
                    "dossier": str(r.path),
                    "model": r.model,
                    "placeholders": r.placeholders,
                    "from": None if r.from_filing is None else str(r.from_filing),
                }
            ),
            nl=False,
        )
        return
    origin = f" from {r.from_filing}" if r.from_filing else ""
    click.echo(f"wrote {r.path} (model {r.model}{origin}): {r.placeholders} placeholder(s) to fill in")
