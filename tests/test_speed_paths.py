"""The shortcuts taken for speed give the same results as the long way (issue 14).

Parsed YAML is reused only for an identical text and never shared with the caller; the shipped
data tables read with libyaml equal PyYAML's pure-Python safe loader; the console script's quick
exit keeps the exit code and the output of the command.
"""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import yaml

from nbb_filing.core.data_files import load_data_yaml
from nbb_filing.core.yaml_lines import StrictLoader, load_with_lines


def test_yaml_text_parsed_again_when_edited_and_never_shared() -> None:
    first, lines = load_with_lines("a:\n  b: 1\n", StrictLoader, "x.yaml")
    assert first == {"a": {"b": 1}} and lines is not None and lines[("a", "b")] == 2
    first["a"]["b"] = 99  # the caller's copy: the next read must not see it
    again, _ = load_with_lines("a:\n  b: 1\n", StrictLoader, "x.yaml")
    assert again == {"a": {"b": 1}}
    edited, _ = load_with_lines("a:\n  b: 2\n", StrictLoader, "x.yaml")
    assert edited == {"a": {"b": 2}}


def test_data_tables_equal_the_pure_python_safe_loader() -> None:
    folder = resources.files("nbb_filing").joinpath("data")
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(".yaml"))
    assert names
    for name in names:
        expected = yaml.safe_load(folder.joinpath(name).read_text(encoding="utf-8"))
        got = load_data_yaml(name)
        assert got == expected, name
        if isinstance(got, dict) and got:
            got.clear()  # a caller's change stays with the caller
            assert load_data_yaml(name) == expected


def test_console_script_quick_exit_keeps_code_and_output(tmp_path) -> None:
    missing = tmp_path / "missing.xbrl"
    run = subprocess.run(
        [sys.executable, "-c", "from nbb_filing.cli import run; run()", "validate", "--format", "json", str(missing)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert '"exit_code": 2' in run.stdout and "cannot read" in run.stdout
    help_run = subprocess.run(
        [sys.executable, "-c", "from nbb_filing.cli import run; run()", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert help_run.returncode == 0 and "nbb-filing" in help_run.stdout
