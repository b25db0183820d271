"""CLI: ``nbb-filing taxonomy install|list|show``."""

from __future__ import annotations

import json

import click

from .catalog import Catalog, Datapoint, load_catalog
from .errors import NbbFilingError
from .packages import download_package, install_package, installed_packages, resolve_package
from .cli_common import lang_option, taxonomy_option


@click.group()
def taxonomy() -> None:
    """Install, list and explore NBB taxonomy packages."""


@taxonomy.command("install")
@click.argument("version", required=False)
@click.option("--from", "source", metavar="FILE.zip", help="Install a package ZIP from this local file.")
def install(version: str | None, source: str | None) -> None:
    """Install a package: --from FILE.zip, or download official VERSION (e.g. 26.0.15) from the NBB."""
    if bool(version) == bool(source):
        raise NbbFilingError("give either a VERSION to download or --from FILE.zip, not both or neither")
    if source:
        info = install_package(source)
    else:
        bar: dict = {}

        def progress(done: int, total: int | None) -> None:
            if "bar" not in bar:
                bar["bar"] = click.progressbar(length=total or 0, label=f"nbb-cbso-{version}.zip", file=None)
                bar["bar"].__enter__()
                bar["done"] = 0
            bar["bar"].update(done - bar["done"])
            bar["done"] = done

        try:
            info = download_package(version or "", progress=progress)
        finally:
            if "bar" in bar:
                bar["bar"].__exit__(None, None, None)
    click.echo(f"installed {info.name} {info.version} (sha256 {info.sha256[:16]}…)")
    click.echo(f"  frameworks: {', '.join(info.frameworks)}")
    click.echo(f"  models: {', '.join(info.models)}")


@taxonomy.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_cmd(fmt: str) -> None:
    """List installed packages with their frameworks and models."""
    pkgs = installed_packages()
    if fmt == "json":
        click.echo(json.dumps([p.to_json() for p in pkgs], indent=1))
        return
    if not pkgs:
        click.echo("no taxonomy package installed (nbb-filing taxonomy install --from FILE.zip)")
        from .releases import embedded_package_path

        embedded = embedded_package_path()
        if embedded is not None:
            click.echo(f"without one, commands use the embedded replica (not an official NBB package): {embedded}")
        return
    for p in pkgs:
        click.echo(f"{p.name} {p.version}  {p.path}")
        click.echo(f"  sha256 {p.sha256}")
        click.echo(f"  frameworks: {', '.join('fws/' + f for f in p.frameworks)}")
        click.echo(f"  models: {', '.join(p.models)}")


def _describe(cat: Catalog, dp: Datapoint, lang: str) -> list[str]:
    mt = cat.metric_type(dp)
    lines = [
        f"{dp.rubric or '-'}  {dp.path_label(lang)}",
        f"  column:    {dp.column_label(lang)} ({dp.period})",
        f"  datapoint: {dp.key}",
        f"  type:      {mt.metric} {mt.kind}"
        + (f", {mt.sign}" if mt.sign else "")
        + (f", unit {mt.unit}" if mt.unit else "")
        + (f", {mt.fraction_digits} decimals" if mt.fraction_digits is not None else "")
        + (f", {len(mt.enum_values)} allowed values" if mt.enum_values else ""),
        f"  table:     {dp.section} ({dp.table.rsplit('/sect/', 1)[-1]})",
    ]
    if mt.enum_values and len(mt.enum_values) <= 30:
        for ev in mt.enum_values:
            lines.append(f"    {ev.qname}  {ev.label(lang)}")
    return lines


@taxonomy.command("show")
@click.argument("model")
@click.argument("rubric", required=False)
@lang_option
@taxonomy_option
@click.option("--framework", default=None, help="Framework version (default: the newest in the package).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show(model: str, rubric: str | None, lang: str, taxonomy: str | None, framework: str | None, fmt: str) -> None:
    """Print the rubrics of MODEL (e.g. m82-f), or one RUBRIC with its label, datapoint and type."""
    info = resolve_package(taxonomy)
    cat = load_catalog(info, model, framework)
    if rubric:
        dps = cat.by_rubric(rubric)
        if fmt == "json":
            click.echo(json.dumps([{"key": d.key, "rubric": d.rubric, "period": d.period, "label": d.path_label(lang),
                                    "column": d.column_label(lang), "metric": d.metric,
                                    "type": cat.metric_type(d).kind} for d in dps], indent=1, ensure_ascii=False))
            return
        for dp in dps:
            for line in _describe(cat, dp, lang):
                click.echo(line)
        return
    if fmt == "json":
        click.echo(json.dumps([{"rubric": c, "label": cat.by_rubric(c)[0].path_label(lang)} for c in cat.rubrics()],
                              indent=1, ensure_ascii=False))
        return
    click.echo(f"{cat.model} — framework {cat.framework}, {cat.package_name} {cat.package_version}: "
               f"{len(cat)} datapoints, {len(cat.rubrics())} rubrics")
    for code in cat.rubrics():
        click.echo(f"{code:>12}  {cat.by_rubric(code)[0].label(lang)}")
