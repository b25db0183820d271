"""Progress of long steps: a hook passed from the CLI into the API; the API prints nothing."""

from __future__ import annotations

import io

from click.testing import CliRunner

import nbb_filing.taxonomy.catalog_cache as catalog_mod
from nbb_filing.core.progress import TerminalProgress, reporting, step


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def start(self, what: str) -> None:
        self.events.append(("start", what))

    def done(self, what: str, seconds: float) -> None:
        assert seconds >= 0
        self.events.append(("done", what))


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_steps_go_to_the_hook_of_the_block_only():
    outer, inner = Recorder(), Recorder()
    with step("nobody listens"):
        pass
    with reporting(outer):
        with step("a"):
            with reporting(inner):
                with step("b"):
                    pass
        with step("c"):
            pass
    assert outer.events == [("start", "a"), ("done", "a"), ("start", "c"), ("done", "c")]
    assert inner.events == [("start", "b"), ("done", "b")]


def test_a_failing_step_is_closed_before_the_error():
    rec = Recorder()
    try:
        with reporting(rec), step("compile"):
            raise ValueError("boom")
    except ValueError:
        pass
    assert rec.events == [("start", "compile"), ("done", "compile")]


def test_terminal_progress_writes_only_to_a_terminal():
    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        hook = TerminalProgress(stream)
        hook.start("compiling catalog m82-f")
        hook.done("compiling catalog m82-f", 12.34)
    assert pipe.getvalue() == ""
    assert tty.getvalue() == "… compiling catalog m82-f\r\x1b[Kcompiling catalog m82-f: 12.3 s\n"


def test_nested_steps_each_get_their_line():
    tty = Tty()
    hook = TerminalProgress(tty)
    hook.start("validating 1 file(s)")
    hook.start("loading taxonomy m82-f")
    hook.done("loading taxonomy m82-f", 1)
    hook.done("validating 1 file(s)", 2)
    assert tty.getvalue().split("\n") == [
        "… validating 1 file(s)",
        "… loading taxonomy m82-f\r\x1b[Kloading taxonomy m82-f: 1.0 s",
        "validating 1 file(s): 2.0 s",
        "",
    ]


def test_catalog_compile_is_announced(package, catalog, monkeypatch):
    cached = catalog("m82-f")
    monkeypatch.setattr(catalog_mod, "compile_catalog", lambda info, model, framework=None: cached)
    rec = Recorder()
    with reporting(rec):
        catalog_mod.load_catalog(package, "m82-f", use_cache=False)
    assert rec.events == [
        ("start", "compiling catalog m82-f (Arelle, once per package)"),
        ("done", "compiling catalog m82-f (Arelle, once per package)"),
    ]


def test_validation_announces_itself_through_the_progress_argument(package, tmp_path):
    from nbb_filing.checks.validate import validate_files

    rec = Recorder()
    report = validate_files([tmp_path / "missing.xbrl"], package, progress=rec)  # fails before any Arelle load
    assert report.exit_code == 2
    assert rec.events == [("start", "validating 1 file(s) with Arelle"), ("done", "validating 1 file(s) with Arelle")]


def test_the_cli_passes_its_hook_into_the_api(package, catalog, monkeypatch, tmp_path):
    import nbb_filing.cli.common as cli_common
    from nbb_filing.cli import main

    cached = catalog("m82-f")
    rec = Recorder()
    monkeypatch.setattr(cli_common, "progress_hook", lambda: rec)
    monkeypatch.setattr(catalog_mod, "compile_catalog", lambda info, model, framework=None: cached)
    monkeypatch.setattr(catalog_mod, "_memory", {})
    monkeypatch.setattr(catalog_mod, "_cache_path", lambda *a: tmp_path / "cache" / "m82-f.json")
    r = CliRunner().invoke(main, ["taxonomy", "values", "nmc", "--model", "m82-f"])
    assert r.exit_code == 0, r.output
    assert ("start", "compiling catalog m82-f (Arelle, once per package)") in rec.events


def test_the_cli_is_quiet_when_stderr_is_not_a_terminal(package, catalog, monkeypatch, tmp_path):
    from nbb_filing.cli import main

    cached = catalog("m82-f")
    monkeypatch.setattr(catalog_mod, "compile_catalog", lambda info, model, framework=None: cached)
    monkeypatch.setattr(catalog_mod, "_memory", {})
    monkeypatch.setattr(catalog_mod, "_cache_path", lambda *a: tmp_path / "cache" / "m82-f.json")
    r = CliRunner().invoke(main, ["taxonomy", "values", "nmc", "--model", "m82-f"])
    assert r.exit_code == 0
    assert "compiling" not in r.stderr and "compiling" not in r.stdout
