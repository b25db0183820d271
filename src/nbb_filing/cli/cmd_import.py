"""CLI: ``nbb-filing import FILING.xbrl [-o DIR]`` — an NBB filing back into a dossier."""

from __future__ import annotations

from pathlib import Path

import click

from nbb_filing.cli.common import dump_json, format_option, taxonomy_option


@click.command(name="import", short_help="Turn an NBB filing back into a dossier (YAML).")
@click.argument("filing", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory for dossier.yaml and the documents (default: ./<filing name without extension>).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing dossier.yaml in the output directory.")
@click.option("--no-check", is_flag=True, help="Skip the round-trip check (binding the dossier back to facts).")
@taxonomy_option
@format_option("text", "json")
def import_filing(
    filing: Path, out_dir: Path | None, force: bool, no_check: bool, taxonomy: str | None, fmt: str
) -> None:
    """Read an NBB filing (.xbrl, any framework version) and write a dossier from it.

    Every fact goes to a dossier field, to `figures:` or to the list of facts not imported (printed
    here and kept as comments at the top of dossier.yaml).  Exit code 0: everything imported and
    `generate` reproduces the filing's facts exactly; 1: written, but with values to fill in
    (`<FILL-IN: ...>`: invalid or missing in the filing), facts not imported or round-trip differences; 2: nothing written (unreadable filing, unknown model ...).
    """
    from nbb_filing import FindingsError, resolve_package
    from nbb_filing import import_filing as run

    info = resolve_package(taxonomy)
    target = out_dir if out_dir is not None else Path.cwd() / filing.stem
    r = run(filing, target, info, force=force, check_round_trip=not no_check)
    ff = r.filing
    total = len(ff.facts) + len(ff.unresolved)
    if fmt == "json":
        click.echo(
            dump_json(
                {
                    "dossier": str(r.dossier_path),
                    "documents": [str(d) for d in r.documents],
                    "model": ff.model,
                    "closing_date": str(ff.closing_date),
                    "facts": total,
                    "imported": r.imported,
                    "review": list(r.review),
                    "not_imported": list(r.not_imported),
                    "remarks": list(r.remarks),
                    "round_trip": None if r.round_trip is None else list(r.round_trip),
                    "round_trip_error": r.round_trip_error,
                }
            ),
            nl=False,
        )
    else:
        for line in _text_lines(r, total):
            click.echo(line)
    problems = r.findings
    if problems:
        raise FindingsError(f"{filing}: dossier written, but {problems} finding(s) listed above")


def _text_lines(r, total: int) -> list[str]:
    ff = r.filing
    out = [
        f"wrote {r.dossier_path} (model {ff.model}, closing date {ff.closing_date}, "
        f"{r.imported} of {total} facts imported)"
    ]
    out += [f"wrote {doc}" for doc in r.documents]
    out += [f"note: {remark}" for remark in r.remarks]
    if r.review:
        out.append(f"to fill in ({len(r.review)}; written as <FILL-IN: ...>, the filing's value beside it):")
        out += [f"  {line}" for line in r.review]
    if r.not_imported:
        out.append(f"not imported ({len(r.not_imported)}):")
        out += [f"  {line}" for line in r.not_imported]
    if r.review:
        out.append("round trip: not checked until the values above are filled in (then run generate)")
    elif r.round_trip_error:
        out.append(f"round trip: not checked, generate would stop: {r.round_trip_error}")
    elif r.round_trip is not None:
        if r.round_trip:
            out.append(f"round trip: generate would differ on {len(r.round_trip)} fact(s):")
            out += [f"  {line}" for line in r.round_trip]
        else:
            out.append(f"round trip: generate reproduces all {len(ff.facts)} imported facts exactly")
    return out
