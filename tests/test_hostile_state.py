"""Corrupted local state is never trusted (issue 15, class 10): the catalog cache is rebuilt when its
header, digest or shape does not check out; a damaged package registry is tolerated and repaired by
``taxonomy install``; a data home that is a file gives one line; a closed stdout ends quietly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import nbb_filing.taxonomy.catalog_cache as catalog_mod
from nbb_filing.cli import main
from nbb_filing.core.checked_json import read_checked_json, write_checked_json
from nbb_filing.taxonomy.packages import installed_packages


@pytest.fixture
def fresh_home(tmp_path, monkeypatch, compiles):
    """An empty data home (after ``compiles`` took the session's catalog from the session home)."""
    home = tmp_path / "home"
    monkeypatch.setenv("NBB_FILING_HOME", str(home))
    catalog_mod.clear_memory_cache()
    yield home
    catalog_mod.clear_memory_cache()


@pytest.fixture
def compiles(monkeypatch, catalog):
    """Count compilations; a compilation returns the session's m87-f catalog (no Arelle run here)."""
    good = catalog("m87-f")
    calls: list[str] = []

    def fake_compile(info, model, framework):
        calls.append(model)
        return good

    monkeypatch.setattr(catalog_mod, "compile_catalog", fake_compile)
    return calls


def _cache_file(home: Path) -> Path:
    [p] = (home / "cache" / "catalogs").rglob("*-m87-f.json")
    return p


def _corrupt(path: Path, how: str) -> None:
    head, _, body = path.read_bytes().partition(b"\n")
    data = json.loads(body)
    if how == "list":
        path.write_text("[]")
    elif how == "garbage":
        path.write_bytes(b"\x00\xff" * 100)
    elif how == "truncated":
        path.write_bytes(head + b"\n" + body[: len(body) // 2])
    elif how == "emptied":  # datapoints emptied, header kept: digest mismatch
        data["datapoints"] = []
        path.write_bytes(head + b"\n" + json.dumps(data).encode())
    elif how == "emptied-redigested":  # emptied and a valid header recomputed: still refused (no datapoints)
        data["datapoints"] = []
        write_checked_json(path, "catalog", catalog_mod.CACHE_FORMAT, data)
    elif how == "wrong-shape-redigested":
        write_checked_json(path, "catalog", catalog_mod.CACHE_FORMAT, {**data, "metrics": []})
    elif how == "old-layout":  # a cache file of format 7 (no header)
        path.write_text(json.dumps({**data, "format": 7}))


@pytest.mark.parametrize(
    "how",
    [
        "list",
        "garbage",
        "truncated",
        "emptied",
        "emptied-redigested",
        "wrong-shape-redigested",
        "old-layout",
    ],
)
def test_damaged_catalog_cache_is_rebuilt(fresh_home, compiles, package, how):
    first = catalog_mod.load_catalog(package, "m87-f")
    assert compiles == ["m87-f"]
    path = _cache_file(fresh_home)
    good = path.read_bytes()
    _corrupt(path, how)
    catalog_mod.clear_memory_cache()
    again = catalog_mod.load_catalog(package, "m87-f")
    assert compiles == ["m87-f", "m87-f"], "the damaged cache was trusted"
    assert len(again.datapoints) == len(first.datapoints) > 0
    assert path.read_bytes() == good  # rewritten whole
    catalog_mod.clear_memory_cache()
    catalog_mod.load_catalog(package, "m87-f")
    assert compiles == ["m87-f", "m87-f"], "a good cache is used as it is"


def test_cli_on_a_list_shaped_cache_rebuilds_it(fresh_home, compiles, package):
    catalog_mod.load_catalog(package, "m87-f")
    _cache_file(fresh_home).write_text("[]")
    catalog_mod.clear_memory_cache()
    r = CliRunner().invoke(main, ["taxonomy", "show", "m87-f", "9904"])
    assert r.exit_code == 0, r.output
    assert "9904" in r.output and "internal error" not in r.output
    assert read_checked_json(_cache_file(fresh_home), "catalog", catalog_mod.CACHE_FORMAT) is not None


REGISTRIES = ["[]", "not json {", '{"packages": [1, {"path": 3}]}', '{"packages": {"a": 1}}', "\x00\x01"]


@pytest.mark.parametrize("content", REGISTRIES)
def test_damaged_registry_is_tolerated_then_repaired_by_install(fresh_home, replica_path, monkeypatch, content):
    monkeypatch.delenv("NBB_FILING_TAXONOMY", raising=False)
    runner = CliRunner()
    assert runner.invoke(main, ["taxonomy", "install", "--from", str(replica_path)]).exit_code == 0
    [pkg] = installed_packages()
    reg = fresh_home / "packages" / "installed.json"
    reg.write_text(content)
    # tolerated elsewhere: listed as damaged (issue 23), and commands needing a package say how to repair
    assert installed_packages() == []
    r = runner.invoke(main, ["taxonomy", "list"])
    assert r.exit_code == 2 and "is damaged" in r.output
    r = runner.invoke(main, ["taxonomy", "show", "m87-f"])
    assert r.exit_code == 2
    assert r.output.strip().splitlines() == [r.output.strip()] and "damaged; installing repairs it" in r.output
    # repaired by install
    r = runner.invoke(main, ["taxonomy", "install", "--from", str(replica_path)])
    assert r.exit_code == 0, r.output
    assert [p.sha256 for p in installed_packages()] == [pkg.sha256]
    assert json.loads(reg.read_text())["packages"][0]["sha256"] == pkg.sha256


def test_install_rebuilds_lost_entries_from_the_packages_folder(fresh_home, replica_path, tmp_path, monkeypatch):
    import shutil
    import zipfile

    runner = CliRunner()
    assert runner.invoke(main, ["taxonomy", "install", "--from", str(replica_path)]).exit_code == 0
    [pkg] = installed_packages()
    # another package (the replica with one more entry: another digest), then the registry breaks
    other = tmp_path / "other.zip"
    shutil.copyfile(replica_path, other)
    with zipfile.ZipFile(other, "a") as zf:
        zf.writestr("extra.txt", "x")
    assert runner.invoke(main, ["taxonomy", "install", "--from", str(other)]).exit_code == 0
    assert len(installed_packages()) == 2
    (fresh_home / "packages" / "installed.json").write_text("[]")
    assert runner.invoke(main, ["taxonomy", "install", "--from", str(replica_path)]).exit_code == 0
    assert {p.sha256 for p in installed_packages()} == {pkg.sha256} | {p.sha256 for p in installed_packages()}
    assert len(installed_packages()) == 2  # the other package was found again in the folder


@pytest.mark.parametrize("command", ["list", "install", "show"])
def test_home_that_is_a_file_gives_one_line(tmp_path, monkeypatch, replica_path, command):
    cmd = {
        "list": ["taxonomy", "list"],
        "install": ["taxonomy", "install", "--from", str(replica_path)],
        "show": ["taxonomy", "show", "m87-f", "--taxonomy", str(replica_path)],
    }[command]
    f = tmp_path / "home"
    f.write_text("not a directory")
    monkeypatch.setenv("NBB_FILING_HOME", str(f))
    r = CliRunner().invoke(main, cmd)
    assert r.exit_code == 2
    expected = f"error: NBB_FILING_HOME={f}: {f} is not a directory (point NBB_FILING_HOME at a directory)"
    assert r.output.strip() == expected
    # a path below a regular file is refused the same way
    monkeypatch.setenv("NBB_FILING_HOME", str(f / "sub"))
    r = CliRunner().invoke(main, cmd)
    assert r.exit_code == 2 and f"{f} is not a directory" in r.output and "internal error" not in r.output


@pytest.mark.parametrize("read_first_line", [True, False])
def test_closed_stdout_ends_quietly(nbb_home, package, catalog, read_first_line):
    catalog("m82-f")  # compiled (or loaded) once: the command below reads the cache
    env = {**os.environ, "NBB_FILING_HOME": str(nbb_home), "NBB_FILING_TAXONOMY": str(package.path)}
    r, w = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "nbb_filing.cli", "taxonomy", "show", "m82-f"], stdout=w, stderr=subprocess.PIPE, env=env
    )
    os.close(w)
    if read_first_line:  # `| head -1`: one line read, then the pipe is closed
        with os.fdopen(r, "rb") as out:
            assert out.readline().startswith(b"m82-f")
    else:  # closed before the command writes anything: its first write breaks the pipe
        os.close(r)
    err = proc.stderr.read()
    code = proc.wait(timeout=120)
    assert err == b"", err
    assert code == 141 or (read_first_line and code == 0)  # 0 only if everything fitted in the pipe first
