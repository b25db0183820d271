"""Every command's --help: summaries not cut mid-sentence, no reStructuredText markup, and the
output convention (--format on every command that reports, -o on those whose product is a report)."""

from __future__ import annotations

import click
from click.testing import CliRunner

from nbb_filing.cli import main

#: commands whose report is what they produce: -o FILE writes it ('-': standard output)
REPORTING_WITH_OUTPUT = {
    ("mapping", "check"),
    ("mapping", "figures"),
    ("mapping", "explain"),
    ("validate",),
    ("taxonomy", "list"),
    ("taxonomy", "show"),
    ("taxonomy", "values"),
}
#: commands whose product is another file (-o names it) and that print a report in --format
REPORTING_OTHER_PRODUCT = {("generate",), ("import",), ("init",)}


def _walk(group: click.Group, path: tuple[str, ...] = ()):
    for name, cmd in sorted(group.commands.items()):
        yield path + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from _walk(cmd, path + (name,))


def _help(path: tuple[str, ...]) -> str:
    r = CliRunner().invoke(main, [*path, "--help"], terminal_width=80)
    assert r.exit_code == 0, (path, r.output)
    return r.output


def _listed(help_text: str) -> dict[str, str]:
    """The ``Commands:`` section of a group's help: name -> summary as shown."""
    out: dict[str, str] = {}
    lines = help_text.split("Commands:", 1)[1].splitlines()[1:]
    for line in lines:
        if not line.startswith("  ") or not line.strip():
            continue
        name, _, summary = line.strip().partition(" ")
        out[name] = summary.strip()
    return out


def test_group_listings_show_whole_sentences():
    groups = [((), main)] + [(p, c) for p, c in _walk(main) if isinstance(c, click.Group)]
    seen = 0
    for path, group in groups:
        listed = _listed(_help(path))
        assert set(listed) == set(group.commands), path
        for name, summary in listed.items():
            seen += 1
            assert not summary.endswith("..."), f"{' '.join(path + (name,))}: summary cut: {summary!r}"
            assert summary.endswith("."), f"{' '.join(path + (name,))}: summary is not a sentence: {summary!r}"
    assert seen >= 13  # init, taxonomy x4, mapping x4, generate, validate, import + the two groups


def test_no_literal_double_backticks_in_any_help():
    for path, _cmd in [((), main), *_walk(main)]:
        text = _help(path)
        assert "``" not in text, f"{' '.join(path)} --help shows double backticks"


def test_explain_help_shows_its_example_plainly():
    text = _help(("mapping", "explain"))
    assert "550000:-120.50 (a credit balance)" in text


def test_every_reporting_command_has_format_and_output_options():
    for path, cmd in _walk(main):
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
        if path in REPORTING_WITH_OUTPUT | REPORTING_OTHER_PRODUCT:
            assert "--format" in opts, f"{' '.join(path)} has no --format"
            fmt = next(p for p in cmd.params if "--format" in getattr(p, "opts", []))
            assert {"text", "json"} <= set(fmt.type.choices), path  # type: ignore[attr-defined]
            assert fmt.default == "text", path
        if path in REPORTING_WITH_OUTPUT:
            assert {"-o", "--output"} <= opts, f"{' '.join(path)} has no -o/--output"
