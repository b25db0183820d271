"""CLI: ``nbb-filing import FILING.xbrl [-o DIR]`` — an NBB filing back into a dossier."""

from __future__ import annotations

from pathlib import Path

import click

from .cli_common import taxonomy_option


@click.command(name="import", short_help="Turn an NBB filing back into a dossier (YAML).")
@click.argument("filing", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Directory for dossier.yaml and the documents (default: ./<filing name without extension>).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing dossier.yaml in the output directory.")
@click.option("--no-check", is_flag=True, help="Skip the round-trip check (binding the dossier back to facts).")
@taxonomy_option
def import_filing(filing: Path, out_dir: Path | None, force: bool, no_check: bool, taxonomy: str | None) -> None:
    """Read an NBB filing (.xbrl, any framework version) and write a dossier from it.

    Every fact goes to a dossier field, to `figures:` or to the list of facts not imported (printed
    here and kept as comments at the top of dossier.yaml).  Exit code 0: everything imported and
    `generate` reproduces the filing's facts exactly; 1: written, but with facts not imported or
    round-trip differences; 2: nothing written (unreadable filing, unknown model ...).
    """
    from .errors import FindingsError
    from .importer import import_filing as run
    from .packages import resolve_package

    info = resolve_package(taxonomy)
    target = out_dir if out_dir is not None else Path.cwd() / filing.stem
    r = run(filing, target, info, force=force, check_round_trip=not no_check)
    ff = r.filing
    total = len(ff.facts) + len(ff.unresolved)
    click.echo(
        f"wrote {r.dossier_path} (model {ff.model}, closing date {ff.closing_date}, "
        f"{r.imported} of {total} facts imported)"
    )
    for doc in r.documents:
        click.echo(f"wrote {doc}")
    for remark in r.remarks:
        click.echo(f"note: {remark}")
    if r.not_imported:
        click.echo(f"not imported ({len(r.not_imported)}):")
        for line in r.not_imported:
            click.echo(f"  {line}")
    if r.round_trip_error:
        click.echo(f"round trip: not checked, generate would stop: {r.round_trip_error}")
    elif r.round_trip is not None:
        if r.round_trip:
            click.echo(f"round trip: generate would differ on {len(r.round_trip)} fact(s):")
            for line in r.round_trip:
                click.echo(f"  {line}")
        else:
            click.echo(f"round trip: generate reproduces all {len(ff.facts)} imported facts exactly")
    problems = len(r.not_imported) + len(r.round_trip or ()) + (1 if r.round_trip_error else 0)
    if problems:
        raise FindingsError(f"{filing}: dossier written, but {problems} finding(s) listed above")
