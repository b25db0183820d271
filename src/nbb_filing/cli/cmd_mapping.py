"""CLI: ``nbb-filing mapping check|figures|schema``.

``check`` is meant for people (text) and CI (``--format json``): exit code 0 when the mapping is
clean, 1 when it has findings, 2 when it could not run (missing file, bad YAML, unknown model).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import click

from nbb_filing import NbbFilingError
from nbb_filing.cli.common import (
    amount_cell,
    dump_json,
    emit,
    format_option,
    report_output_option,
    taxonomy_option,
)


def _tb_options(f):
    f = click.option(
        "--sheet", default=None, metavar="NAME", help="Worksheet of XLSX trial balances (default: the first)."
    )(f)
    f = click.option(
        "--encoding", default=None, help="Encoding of CSV trial balances (default: UTF-8, then Windows-1252)."
    )(f)
    f = click.option(
        "--decimal",
        type=click.Choice([",", "."]),
        default=None,
        help="Decimal separator of CSV amounts (default: detected).",
    )(f)
    f = click.option("--delimiter", default=None, metavar="CHAR", help="CSV delimiter (default: detected).")(f)
    return f


def _load(mapping_path: str, model: str | None, taxonomy: str | None):
    from nbb_filing import load_catalog, load_mapping, resolve_package

    mapping = load_mapping(mapping_path)
    info = resolve_package(taxonomy)
    model = model or mapping.model
    catalog = load_catalog(info, model)
    full = catalog if model == mapping.model else load_catalog(info, mapping.model)
    return mapping, catalog, full


@click.group(name="mapping")
def mapping() -> None:
    """Mapping files: PCMN accounts of a trial balance -> NBB rubrics."""


@mapping.command("check", short_help="Check a mapping file (or a shipped mapping by name).")
@click.argument("mapping_file", metavar="MAPPING", type=str)
@click.option(
    "--model", default=None, metavar="MODEL", help="Model to check against (default: the mapping's full model)."
)
@click.option(
    "--trial-balance", "tb", default=None, metavar="FILE", help="Trial balance of the current year (CSV or XLSX)."
)
@click.option("--previous", "prev", default=None, metavar="FILE", help="Trial balance of the previous year.")
@format_option("text", "json")
@report_output_option
@_tb_options
@taxonomy_option
def check(
    mapping_file: str,
    model: str | None,
    tb: str | None,
    prev: str | None,
    fmt: str,
    output: str | None,
    delimiter: str | None,
    decimal: str | None,
    encoding: str | None,
    sheet: str | None,
    taxonomy: str | None,
) -> None:
    """Check MAPPING (a YAML file, or the name of a default mapping such as without-capital).

    Refuses unknown rubric codes, two rules catching the same account on the same side, cycles and
    contradictions in totals, signs that contradict the datapoint's type.  With --trial-balance,
    also lists every account with a balance that reaches no rubric, coverage and rubric totals.
    """
    from nbb_filing import check_mapping, read_trial_balance

    if prev and not tb:
        raise NbbFilingError("--previous needs --trial-balance")
    m, catalog, full = _load(mapping_file, model, taxonomy)
    opts: dict[str, Any] = dict(delimiter=delimiter, decimal=decimal, encoding=encoding, sheet=sheet)
    current = read_trial_balance(tb, **opts) if tb else None
    previous = read_trial_balance(prev, **opts) if prev else None
    report = check_mapping(m, catalog, full_catalog=full, current=current, previous=previous)
    emit(dump_json(report.to_json()) if fmt == "json" else "\n".join(_text_lines(report)), output)
    if not report.ok:
        click.get_current_context().exit(1)


def _text_lines(report) -> list[str]:
    status = ("clean" if not report.by_side else "no finding") if report.ok else f"{len(report.findings)} finding(s)"
    if report.by_side:
        moved = sum(1 for x in report.by_side if x.moved)
        status += f"; {len(report.by_side)} account(s) routed by their balance side to review ({moved} moved)"
    out = [f"mapping {report.mapping} against {report.model}: {status}"]
    for f in report.findings:
        out.append(f"  [{f.code}] {f.message}")
    if report.by_side:
        out.append("routed by balance side (review: a typing error lands here silently):")
        for x in report.by_side:
            other = f"rubric {x.other_side_rubric}" if x.other_side_rubric else "no rubric"
            out.append(
                f"  {'MOVED ' if x.moved else '      '}{x.source} line {x.line}: {x.account} "
                f"({x.label or 'no label'}) {x.side} {amount_cell(x.amount)} -> rubric {x.rubric} by rule '{x.rule}' "
                f"(in {'credit' if x.side == 'debit' else 'debit'}: {other})"
            )
    for w in report.warnings:
        out.append(f"warning: {w}")
    for c in report.coverage:
        pct = (c.mapped_amount / c.amount * 100) if c.amount else Decimal(100)
        out.append(
            f"coverage {c.period} ({c.source}): {c.mapped}/{c.accounts} accounts with a balance reach a rubric, "
            f"{c.ignored} ignored; {amount_cell(c.mapped_amount)} of {amount_cell(c.amount)} ({pct:.2f} %)"
        )
    if report.figures:
        width = max(len(r) for r, _, _ in report.figures)
        out.append(f"{'rubric':<{width}}  {'current':>18}  {'previous':>18}")
        for r, cur, prev in report.figures:
            if cur in (None, 0) and prev in (None, 0):
                continue
            out.append(f"{r:<{width}}  {amount_cell(cur):>18}  {amount_cell(prev):>18}")
    return out


@mapping.command("figures", short_help="Compute a model's rubric figures from trial balances.")
@click.argument("mapping_file", metavar="MAPPING", type=str)
@click.argument("trial_balance", metavar="TRIAL_BALANCE")
@click.option("--previous", "prev", default=None, metavar="FILE", help="Trial balance of the previous year.")
@click.option(
    "--model", default=None, metavar="MODEL", help="Model whose rubrics to compute (default: the mapping's full model)."
)
@format_option("text", "json")
@report_output_option
@_tb_options
@taxonomy_option
def figures(
    mapping_file: str,
    trial_balance: str,
    prev: str | None,
    model: str | None,
    fmt: str,
    output: str | None,
    delimiter: str | None,
    decimal: str | None,
    encoding: str | None,
    sheet: str | None,
    taxonomy: str | None,
) -> None:
    """Compute the rubric figures of a model from trial balances (what the generator uses)."""
    from nbb_filing import compute_figures, read_trial_balance

    m, catalog, full = _load(mapping_file, model, taxonomy)
    opts: dict[str, Any] = dict(delimiter=delimiter, decimal=decimal, encoding=encoding, sheet=sheet)
    current = read_trial_balance(trial_balance, **opts)
    previous = read_trial_balance(prev, **opts) if prev else None
    rf = compute_figures(catalog, m, current, previous, full_catalog=full)
    if fmt == "json":
        out = [
            {"rubric": f.rubric, "period": f.period, "amount": str(f.amount), "source": f.source} for f in rf.figures
        ]
        emit(dump_json({"model": rf.model, "figures": out}), output)
        return
    rubrics = rf.rubrics()
    width = max((len(r) for r in rubrics), default=6)
    lines = [
        f"{rf.model}: {len(rf.figures)} figures (zero figures omitted)",
        f"{'rubric':<{width}}  {'current':>18}  {'previous':>18}",
    ]
    for r in rubrics:
        lines.append(f"{r:<{width}}  {amount_cell(rf.get(r, 'current')):>18}  {amount_cell(rf.get(r, 'previous')):>18}")
    emit("\n".join(lines), output)


@mapping.command("explain", short_help="Show which rule catches each account.")
@click.argument("mapping_file", metavar="MAPPING", type=str)
@click.argument("accounts", metavar="ACCOUNT[:BALANCE]...", nargs=-1, required=True)
@click.option(
    "--model",
    default=None,
    metavar="MODEL",
    help="Also name the rubric of MODEL each account is filed under (default: the mapping's full model only).",
)
@format_option("text", "json")
@report_output_option
@taxonomy_option
def explain(
    mapping_file: str, accounts: tuple[str, ...], model: str | None, fmt: str, output: str | None, taxonomy: str | None
) -> None:
    """Show which rule catches each account, e.g. 550000:-120.50 (a credit balance).

    Without a balance the account is shown for both sides.  The rules target rubrics of the mapping's
    full model; with --model, each is followed by the rubric of MODEL that holds it (752/9 of m82-f is
    filed under 75/76B in m87-f).  Exit code 1 when some account reaches no rubric or is caught by two rules.
    """
    from decimal import InvalidOperation

    from nbb_filing import AccountLine, filed_under, load_mapping, resolve_account

    m = load_mapping(mapping_file)
    under: dict[str, list[str]] | None = None
    if model is not None and model != m.model:
        _m, catalog, full = _load(mapping_file, model, taxonomy)
        under = filed_under(m, full, catalog, {r.target for r in m.rubric_rules() if r.target})
    bad = False
    lines: list[str] = []
    rows: list[dict] = []
    for item in accounts:
        number, _, bal = item.partition(":")
        if not number.isdigit():
            raise NbbFilingError(f"{item}: an account number is digits only (e.g. 550000 or 550000:-10)")
        try:
            balances = [Decimal(bal)] if bal else [Decimal(1), Decimal(-1)]
        except InvalidOperation:
            raise NbbFilingError(f"{item}: {bal!r} is not an amount") from None
        for b in balances:
            line = AccountLine(number, "", max(b, Decimal(0)), max(-b, Decimal(0)), 0)
            rules = resolve_account(m, line)
            side = "debit" if b > 0 else "credit" if b < 0 else "zero"
            row: dict = {"account": number, "side": side, "rules": [r.where for r in rules]}
            if not rules:
                bad = True
                row["outcome"] = "no rubric"
                lines.append(f"{number} ({side}): reaches no rubric")
            elif len(rules) > 1:
                bad = True
                row["outcome"] = "conflict"
                lines.append(f"{number} ({side}): CONFLICT between {', '.join(r.where for r in rules)}")
            else:
                r = rules[0]
                what = {
                    "rubric": f"rubric {r.target} (sign {r.sign})",
                    "control": f"control of rubric {r.target}",
                    "refuse": f"refused unless zero: {r.reason}",
                    "ignore": f"ignored: {r.reason}",
                }[r.kind]
                if r.contra:
                    what += f", contra account normally in {r.side}"
                    if r.unexpected_side(line):
                        bad = True
                        what += f": a {side} balance is a finding (not re-routed)"
                tail = ""
                if under is not None and r.target and r.kind in ("rubric", "control"):
                    held = under.get(r.target) or []
                    tail = f"; filed in {model} under rubric {held[0]}" if held else f"; no rubric of {model} holds it"
                    row["model"] = model
                    row["model_rubric"] = held[0] if held else None
                row.update(
                    outcome=r.kind,
                    target=r.target,
                    sign=str(r.sign) if r.kind == "rubric" else None,
                    reason=r.reason if r.kind in ("refuse", "ignore") else None,
                    contra=bool(r.contra),
                    unexpected_side=bool(r.contra and r.unexpected_side(line)),
                )
                lines.append(f"{number} ({side}): {what} by {r.where}{tail}")
            rows.append(row)
    emit(dump_json({"mapping": str(mapping_file), "accounts": rows}) if fmt == "json" else "\n".join(lines), output)
    if bad:
        click.get_current_context().exit(1)


@mapping.command("schema")
@click.option(
    "-o",
    "--output",
    default=None,
    metavar="FILE.json",
    help="Write to FILE instead of standard output ('-': standard output).",
)
def schema(output: str | None) -> None:
    """Print (or write) the JSON Schema of mapping files, for editors."""

    from nbb_filing import mapping_json_schema

    emit(json.dumps(mapping_json_schema(), indent=2, ensure_ascii=False) + "\n", output, "JSON Schema")
