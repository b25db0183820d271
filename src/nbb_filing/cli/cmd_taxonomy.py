"""CLI: ``nbb-filing taxonomy install|list|show|find|values|coverage``."""

from __future__ import annotations

import textwrap

import click

from nbb_filing import (
    Catalog,
    Datapoint,
    NbbFilingError,
    catalog_sections,
    download_package,
    find_datapoints,
    install_package,
    installed_packages,
    load_catalog,
    resolve_package,
    section_title,
    taxonomy_coverage,
)
from nbb_filing.cli.common import (
    dump_json,
    emit,
    format_option,
    lang_option,
    report_output_option,
    taxonomy_option,
)


@click.group()
def taxonomy() -> None:
    """Install, list and explore NBB taxonomy packages."""


@taxonomy.command("install", short_help="Install a package ZIP, or download an official one.")
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
@format_option("text", "json")
@report_output_option
def list_cmd(fmt: str, output: str | None) -> None:
    """List installed packages with their frameworks and models."""
    pkgs = installed_packages(strict=True)
    if fmt == "json":
        emit(dump_json([p.to_json() for p in pkgs]), output)
        return
    if not pkgs:
        from nbb_filing import embedded_package_path

        text = "no taxonomy package installed (nbb-filing taxonomy install --from FILE.zip)"
        embedded = embedded_package_path()
        if embedded is not None:
            text += f"\nwithout one, commands use the embedded replica (not an official NBB package): {embedded}"
        emit(text, output)
        return
    lines = []
    for p in pkgs:
        lines.append(f"{p.name} {p.version}  {p.path}")
        lines.append(f"  sha256 {p.sha256}")
        lines.append(f"  frameworks: {', '.join('fws/' + f for f in p.frameworks)}")
        lines.append(f"  models: {', '.join(p.models)}")
    emit("\n".join(lines), output)


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


@taxonomy.command("show", short_help="Print the rubrics of a model, or one rubric in detail.")
@click.argument("model")
@click.argument("rubric", required=False)
@lang_option
@taxonomy_option
@click.option("--framework", default=None, help="Framework version (default: the newest in the package).")
@format_option("text", "json")
@report_output_option
def show(
    model: str, rubric: str | None, lang: str, taxonomy: str | None, framework: str | None, fmt: str, output: str | None
) -> None:
    """Print the rubrics of MODEL (e.g. m82-f), or one RUBRIC with its label, datapoint and type."""
    info = resolve_package(taxonomy)
    cat = load_catalog(info, model, framework)
    if rubric:
        dps = cat.by_rubric(rubric)
        if fmt == "json":
            emit(
                dump_json(
                    [
                        {
                            "key": d.key,
                            "rubric": d.rubric,
                            "period": d.period,
                            "label": d.path_label(lang),
                            "column": d.column_label(lang),
                            "metric": d.metric,
                            "type": cat.metric_type(d).kind,
                        }
                        for d in dps
                    ]
                ),
                output,
            )
            return
        emit("\n".join(line for dp in dps for line in _describe(cat, dp, lang)), output)
        return
    groups = catalog_sections(cat, lang)
    if fmt == "json":
        emit(
            dump_json(
                [
                    {
                        "rubric": r.rubric,
                        "label": cat.by_rubric(r.rubric)[0].path_label(lang),
                        "column": r.column,
                        "section": g.code,
                        "section_title": g.title,
                    }
                    for g in groups
                    for r in g.rows
                ]
            ),
            output,
        )
        return
    lines = [
        f"{cat.model} — framework {cat.framework}, {cat.package_name} {cat.package_version}: "
        f"{len(cat)} datapoints, {len(cat.rubrics())} rubrics in {len(groups)} sections"
    ]
    width = max((len(r.rubric) for g in groups for r in g.rows), default=6)
    for g in groups:
        lines += ["", f"{g.code}  {g.title}", f"  {'rubric':>{width}}  {'label':<{LABEL_WIDTH}}  column"]
        for r in g.rows:
            lines.append(f"  {r.rubric:>{width}}  {_cut(r.label, LABEL_WIDTH):<{LABEL_WIDTH}}  {r.column}")
    emit("\n".join(lines), output)


#: Width of the label column of ``taxonomy show`` and ``taxonomy find`` (longer labels are cut with "…").
LABEL_WIDTH = 64


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@taxonomy.command("find", short_help="Search a model's cells by words of their labels.")
@click.argument("model")
@click.argument("words")
@lang_option
@taxonomy_option
@click.option("--framework", default=None, help="Framework version (default: the newest in the package).")
@format_option("text", "json")
@report_output_option
def find(
    model: str, words: str, lang: str, taxonomy: str | None, framework: str | None, fmt: str, output: str | None
) -> None:
    """Find the cells of MODEL whose labels hold every one of WORDS, in any language ("PDF", "autres
    documents", "mandat fin").  Cells without a rubric code are found too: a dossier gives those by
    their datapoint key (datapoint_facts:).  Exit code 1 when nothing is found."""
    info = resolve_package(taxonomy)
    cat = load_catalog(info, model, framework)
    found = find_datapoints(cat, words)
    if fmt == "json":
        rows = [
            {
                "rubric": d.rubric,
                "key": d.key,
                "label": d.path_label(lang),
                "column": d.column_label(lang),
                "section": d.section,
                "type": cat.metric_type(d).kind,
            }
            for d in found
        ]
        emit(dump_json({"model": cat.model, "words": words, "lang": lang, "cells": rows}), output)
    else:
        lines = [
            f"{cat.model}: {len(found)} cell(s) whose labels hold {words!r} (any language; labels shown in {lang})"
        ]
        section = None
        for d in found:
            if d.section != section:
                section = d.section
                lines += ["", f"{section}  {section_title(cat, section, lang)}"]
            kind = cat.metric_type(d).kind
            lines.append(
                f"  {d.rubric or '-':>8}  {_cut(d.path_label(lang), LABEL_WIDTH)}  [{d.column_label(lang)}; {kind}]"
            )
            lines.append(f"  {'':>8}  datapoint {d.key}")
        emit("\n".join(lines), output)
    if not found:
        click.get_current_context().exit(1)


@taxonomy.command("coverage", short_help="What fills each section of a model, and what the package lacks.")
@click.argument("model")
@lang_option
@taxonomy_option
@click.option("--framework", default=None, help="Framework version (default: the newest in the package).")
@format_option("text", "json")
@report_output_option
def coverage(model: str, lang: str, taxonomy: str | None, framework: str | None, fmt: str, output: str | None) -> None:
    """Every section of MODEL with its cell count and what fills its cells: the family's shipped
    mapping (rules:, notes:, fixed_assets: and their totals; some notes rules with the dossier's
    debts: or group:), a dossier key, or only the generic figures:/datapoint_facts:.  Ends with the
    rubrics of the mapping's notes: rules the installed package lacks for MODEL and the note ties checked."""
    cov = taxonomy_coverage(model, taxonomy=taxonomy, framework=framework, lang=lang)
    if fmt == "json":
        emit(dump_json(cov.to_json()), output)
        return
    lines = [f"{cov.model} — {cov.package}; mapping: {cov.mapping or 'none (not a model of a known family)'}"]
    lines.append(f"{'section':<22} {'cells':>5} {'mapping':>7} {'dossier':>7} {'generic':>7}  label")
    for s in cov.sections:
        mapped = s.cells - s.dossier_cells - s.generic
        lines.append(f"{s.section:<22} {s.cells:>5} {mapped:>7} {s.dossier_cells:>7} {s.generic:>7}  {s.label}")
        if s.mapping:
            shown = ", ".join(s.mapping[:12]) + (f" and {len(s.mapping) - 12} more" if len(s.mapping) > 12 else "")
            lines.append(f"{'':<24}mapping: {shown}")
        if s.dossier:
            lines.append(f"{'':<24}dossier: {', '.join(s.dossier)}")
    wrap = textwrap.TextWrapper(width=100, subsequent_indent="  ", break_on_hyphens=False)
    in_package = [r for r, where in cov.lacking if where == "package"]
    elsewhere = [r for r, where in cov.lacking if where == "model"]
    if in_package:
        lines += wrap.wrap(
            f"the installed package lacks {len(in_package)} rubric(s) the mapping's notes: rules feed, in every "
            f"model of the family (computed and tied, not written): {', '.join(in_package)}"
        )
    if elsewhere:
        lines += wrap.wrap(
            f"notes rubrics of another model of the family only (not in {cov.model}, nor summed into it): "
            f"{', '.join(elsewhere)}"
        )
    checked = [t for t, ok in cov.ties if ok]
    unchecked = [t for t, ok in cov.ties if not ok]
    lines += wrap.wrap(f"note ties checked on a filing of {cov.model}: {', '.join(checked) or 'none'}")
    lines += wrap.wrap(f"not checked (a rubric is not in the model): {', '.join(unchecked) or 'none'}")
    emit("\n".join(lines), output)


@taxonomy.command("values", short_help="Print the allowed codes and labels of a package list.")
@click.argument("list_name", metavar="[LIST]", required=False)
@lang_option
@click.option(
    "--model", default=None, metavar="MODEL", help="Model whose lists to read (default: the package's first model)."
)
@taxonomy_option
@format_option("text", "json")
@report_output_option
def values(
    list_name: str | None, lang: str, model: str | None, taxonomy: str | None, fmt: str, output: str | None
) -> None:
    """Print the allowed codes and labels of a package list (legal forms lgf, courts cct, countries cty,
    functions fct, accountant missions nmc ...).  Without LIST, list the lists of the model.

    LIST is a list name as the package has it (lgf-enum:list2) or its domain alone (lgf: every list
    of that domain).  A dossier may give a value by code (706), QName (lgf:m706) or label.
    """
    from nbb_filing import (
        dossier_fields,
        enumeration_lists,
        find_lists,
        list_to_json,
        value_code,
    )

    info = resolve_package(taxonomy)
    cat = load_catalog(info, model or info.models[0])
    head = f"model {cat.model}, {cat.package_name} {cat.package_version}"
    fields = dossier_fields()
    if list_name is None:
        lists = enumeration_lists(cat)
        if fmt == "json":
            heads = [{k: v for k, v in list_to_json(x, lang, cat, fields).items() if k != "values"} for x in lists]
            emit(dump_json({"model": cat.model, "package_version": cat.package_version, "lists": heads}), output)
            return
        width = max((len(x.name) for x in lists), default=4)
        lines = [f"enumeration lists of {head} (values: nbb-filing taxonomy values LIST --model {cat.model})"]
        for x in lists:
            used = "; ".join(x.used_for(cat, lang))
            used = used if len(used) <= 70 else used[:69] + "…"
            lines.append(f"  {x.name:<{width}}  {len(x.values):>5} values  {used}")
            if x.name in fields:
                lines.append(f"  {'':<{width}}  {'':>12}  dossier: {', '.join(fields[x.name])}")
        emit("\n".join(lines), output)
        return
    found = find_lists(cat, list_name)
    if fmt == "json":
        emit(
            dump_json(
                {
                    "model": cat.model,
                    "package_version": cat.package_version,
                    "lang": lang,
                    "lists": [list_to_json(x, lang, cat, fields) for x in found],
                }
            ),
            output,
        )
        return
    lines = []
    for x in found:
        lines.append(f"{x.name}: {len(x.values)} values ({head}, labels {lang})")
        width = max((len(value_code(v)) for v in x.values), default=4)
        lines += [f"  {value_code(v):<{width}}  {v.label(lang)}" for v in x.values]
    emit("\n".join(lines), output)
