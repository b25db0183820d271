"""The pre-commit hooks (``.pre-commit-hooks.yaml``) and the CI jobs of ``docs/ci.md``, tried.

On a copy of the De Vonk sample (m08-f, the quickest model to validate) laid out as a firm's
repository (``clients/de-vonk-2024/``, ``mappings/``): each hook's entry is run as pre-commit runs it
(split like a command line, the changed files appended), and the GitHub job's commands are run in
the copy.  Arelle work: two validations of the m08-f filing (the generate hook, the CI job), in
subprocesses; the catalogs come from the session's data home.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml
from lxml import etree

from tests.conftest import ROOT

SAMPLE = ROOT / "samples" / "jeugdhuis-de-vonk-2024"
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
CI_DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")


def _yaml_blocks() -> list[dict]:
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", CI_DOC, flags=re.S)]


def _hook(hook_id: str) -> dict:
    (hook,) = [h for h in HOOKS if h["id"] == hook_id]
    return hook


@pytest.fixture(scope="module")
def firm(tmp_path_factory, nbb_home):
    """A firm's repository: one client folder (the De Vonk sample) and a mappings/ folder; ``run``
    runs a command line there with this interpreter's ``nbb-filing`` first on the PATH."""
    repo = tmp_path_factory.mktemp("firm")
    shutil.copytree(SAMPLE, repo / "clients" / "de-vonk-2024")
    shutil.copytree(ROOT / "mappings", repo / "mappings")  # mappings of the firm's own, for the check hook
    # a dossier names a shipped mapping by name: a file outside its folder is not read (issue 23)
    d = repo / "clients" / "de-vonk-2024" / "dossier.yaml"
    text = d.read_text(encoding="utf-8")
    assert text.count("mapping: ../../mappings/association.yaml") == 1
    d.write_text(text.replace("mapping: ../../mappings/association.yaml", "mapping: association"), encoding="utf-8")
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    assert shutil.which("nbb-filing", path=env["PATH"]), "the nbb-filing console script of this environment"

    def run(argv: list[str]) -> subprocess.CompletedProcess:
        return subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True, timeout=600)

    return repo, run


def test_hooks_are_well_formed():
    assert [h["id"] for h in HOOKS] == ["nbb-filing-mapping-check", "nbb-filing-generate"]
    for h in HOOKS:
        assert h["language"] == "python"  # pre-commit installs nbb-filing from the repository
        assert h["name"] and h["description"] and shlex.split(h["entry"])[0] == "sh"
        assert "nbb-filing " in h["entry"]


def test_hook_file_patterns():
    mapping, generate = (
        re.compile(_hook("nbb-filing-mapping-check")["files"]),
        re.compile(_hook("nbb-filing-generate")["files"]),
    )
    for name in ("mappings/with-capital.yaml", "clients/x/my-mapping.yml", "mapping.yaml"):
        assert mapping.search(name), name
    for name in ("clients/x/dossier.yaml", "mappings/mapping.schema.json", "clients/x/tb-2024.csv"):
        assert not mapping.search(name), name
    for name in ("clients/x/dossier.yaml", "clients/x/tb-2024.csv", "clients/x/tb.xlsx", "clients/x/regles.txt"):
        assert generate.search(name), name
    assert not generate.search("clients/x/out.xbrl") and not generate.search("README.md")


def test_mapping_check_hook(firm):
    repo, run = firm
    entry = shlex.split(_hook("nbb-filing-mapping-check")["entry"])
    res = run([*entry, "mappings/association.yaml", "mappings/with-capital.yaml"])
    assert res.returncode == 0, res.stdout + res.stderr
    assert "mapping association.yaml against m05-f: clean" in res.stdout
    assert "mapping with-capital.yaml against m02-f: clean" in res.stdout
    broken = (repo / "mappings" / "association.yaml").read_text(encoding="utf-8")
    (repo / "mappings" / "broken-mapping.yaml").write_text(
        broken.replace('rubric: "12"', 'rubric: "99999"', 1), "utf-8"
    )
    res = run([*entry, "mappings/broken-mapping.yaml", "mappings/association.yaml"])
    assert res.returncode == 1, res.stdout + res.stderr
    assert "99999" in res.stdout + res.stderr and "Traceback" not in res.stderr


def test_generate_hook(firm):
    repo, run = firm
    client = repo / "clients" / "de-vonk-2024"
    entry = shlex.split(_hook("nbb-filing-generate")["entry"])
    before = sorted(p.name for p in client.iterdir())
    # two changed files of one client: its dossier is generated and validated once
    res = run([*entry, "clients/de-vonk-2024/tb-2024.csv", "clients/de-vonk-2024/dossier.yaml", "mappings/x.yaml"])
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.count("CAN BE FILED") == 1 and res.stdout.startswith("== clients/de-vonk-2024/dossier.yaml\n")
    assert sorted(p.name for p in client.iterdir()) == before  # nothing written into the repository
    tb = client / "tb-2024.csv"
    good = tb.read_text(encoding="utf-8")
    lines = good.splitlines()
    tb.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # one account less: unbalanced
    try:
        res = run([*entry, "clients/de-vonk-2024/tb-2024.csv"])
    finally:
        tb.write_text(good, encoding="utf-8")
    assert res.returncode == 2, res.stdout + res.stderr  # generate's own code: bad input, could not run
    assert "tb-2024.csv" in res.stderr and "must balance" in res.stderr and "Traceback" not in res.stderr


def _commands(lines: list[str]) -> list[list[str]]:
    """The ``nbb-filing`` command lines among shell ``lines`` (a for loop's body included)."""
    out = []
    for line in lines:
        for part in re.split(r";|\bdo\b|\bdone\b", line):
            words = shlex.split(part.strip()) if part.strip() else []
            if words and words[0] == "nbb-filing":
                out.append(words[1:])
    return out


def _check_cli_command(args: list[str]) -> None:
    """``args`` name a command of the CLI and only options it has."""
    from nbb_filing.cli import main

    cmd: click.Command = main
    rest = list(args)
    while isinstance(cmd, click.Group):
        name = rest.pop(0)
        sub = cmd.get_command(click.Context(cmd), name)
        assert sub is not None, f"nbb-filing has no command {name!r}"
        cmd = sub
    known = {o for p in cmd.params for o in getattr(p, "opts", []) + getattr(p, "secondary_opts", [])}
    for word in rest:
        if word.startswith("-") and word != "-":
            assert word.split("=", 1)[0] in known, f"{cmd.name} has no option {word}"


def test_ci_examples_are_real_commands(firm):
    github, gitlab = [b for b in _yaml_blocks() if "jobs" in b or "nbb-filing" in b]
    steps = github["jobs"]["filings"]["steps"]
    gh_lines = [ln for s in steps if "run" in s for ln in s["run"].splitlines() if ln.strip()]
    gl_lines = gitlab["nbb-filing"]["script"]
    assert _commands(gh_lines) == _commands(gl_lines)  # both jobs run the same commands
    commands = _commands(gh_lines)
    assert [c[0] for c in commands] == ["generate", "validate"]
    for c in commands:
        _check_cli_command(c)
    validate = commands[1]
    assert validate[validate.index("--format") + 1] == "junit"
    report = validate[validate.index("-o") + 1]
    published = [s["with"]["report_paths"] for s in steps if "junit-report" in s.get("uses", "")]
    assert published == [report] and gitlab["nbb-filing"]["artifacts"]["reports"]["junit"] == report

    # the GitHub job's commands, run in the firm's repository (the install step aside)
    repo, run = firm
    script = "\n".join(s["run"] for s in steps if "run" in s and not s["run"].startswith("pip install"))
    res = run(["bash", "-e", "-c", script])
    assert res.returncode == 0, res.stdout + res.stderr
    assert (repo / "out" / "de-vonk-2024.xbrl").is_file()
    junit = etree.parse(str(repo / report)).getroot()
    suites = junit.findall("testsuite")
    # per file: the findings, the assertions and the completeness of the accounts (issue 19)
    assert len(suites) == 3 and all("de-vonk-2024.xbrl" in s.get("name") for s in suites)
    assert suites[-1].get("name").endswith(": completeness")
    assert int(suites[0].get("tests")) > 10 and sum(int(s.get("failures")) for s in suites) == 0
