"""The run's environment, second round (issue 23, classes 4, 13 and 14).

Arelle's cache is the user's own folder under the data home (another local user cannot plant a
schema in it); the speed-ups that replace Arelle functions apply only to the Arelle versions they
were verified with, plain Arelle (with a note in the report) otherwise; a damaged package registry
is called damaged by ``taxonomy list``.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile

import pytest
from click.testing import CliRunner

from nbb_filing.cli import main
from nbb_filing.core.errors import PackageError
from nbb_filing.taxonomy import arelle_env

# ---------------------------------------------------------------------- class 4: Arelle's cache


def test_arelle_cache_is_private_under_the_data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NBB_FILING_HOME", str(tmp_path / "home"))
    folder = arelle_env.arelle_home()
    assert folder.is_relative_to(tmp_path / "home")
    assert not folder.is_relative_to(tempfile.gettempdir()) or folder.is_relative_to(tmp_path)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_arelle_cache_opened_to_others_is_closed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("NBB_FILING_HOME", str(tmp_path / "home"))
    folder = arelle_env.arelle_home()
    folder.chmod(0o777)
    assert arelle_env.arelle_home() == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_arelle_cache_of_another_user_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("NBB_FILING_HOME", str(tmp_path / "home"))
    folder = arelle_env.arelle_home()
    monkeypatch.setattr(os, "getuid", lambda: folder.stat().st_uid + 1)
    with pytest.raises(PackageError, match="belongs to another user"):
        arelle_env.arelle_home()


def test_arelle_cache_that_is_a_symbolic_link_is_refused(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    (home / "arelle").symlink_to(tmp_path / "elsewhere")
    monkeypatch.setenv("NBB_FILING_HOME", str(home))
    with pytest.raises(PackageError, match="not a folder"):
        arelle_env.arelle_home()


# ---------------------------------------------------------------------- class 13: the Arelle version


def test_installed_arelle_is_the_verified_one():
    # the venv's Arelle is the version the speed-ups were checked against (tests/test_differential.py)
    assert arelle_env.arelle_version() in arelle_env.VERIFIED_ARELLE
    assert arelle_env.speedups_verified()
    assert arelle_env.plain_arelle_note() is None


@pytest.mark.parametrize("version", ["2.48.0", "2.47.2", "3.0.0", "2.47.3.dev1"])
def test_other_arelle_versions_are_not_verified(monkeypatch, version):
    monkeypatch.setattr(arelle_env, "arelle_version", lambda: version)
    assert not arelle_env.speedups_verified()
    note = arelle_env.plain_arelle_note()
    assert note is not None and version in note and "plain Arelle" in note


def _spy_modes(monkeypatch):
    import nbb_filing.checks.kept_dts as kept_dts
    import nbb_filing.checks.validate as v

    used: list[str] = []

    def reusing(files, info, lang, n, *context):  # the dossier's completeness context may follow
        used.append("reuse")
        return [v.FileReport(path=f) for f in files], 0.0

    def plain(path, info, lang="fr", *context, **named):
        used.append("plain")
        return v.FileReport(path=str(path))

    monkeypatch.setattr(kept_dts, "validate_reusing_dts", reusing)
    monkeypatch.setattr(v, "validate_file", plain)
    return v, used


def test_verified_arelle_keeps_the_speed_ups(monkeypatch, package, accepted_m87):
    v, used = _spy_modes(monkeypatch)
    report = v.validate_files([accepted_m87, accepted_m87], package, reuse=True)
    assert used == ["reuse"]
    assert "plain Arelle" not in report.notice


def test_unverified_arelle_falls_back_to_plain_arelle_with_a_note(monkeypatch, package, accepted_m87):
    monkeypatch.setattr(arelle_env, "arelle_version", lambda: "2.99.0")
    v, used = _spy_modes(monkeypatch)
    report = v.validate_files([accepted_m87, accepted_m87], package, reuse=True)
    assert used == ["plain", "plain"]
    assert "2.99.0" in report.notice and "plain Arelle" in report.notice
    from nbb_filing.checks.session import ValidationSession

    assert not ValidationSession(package).keeps_taxonomy


def test_plain_arelle_run_replaces_no_arelle_function(monkeypatch, package, accepted_m87):
    """The unverified branch for real: Arelle's own dimension check runs (no hints wrapped around it)."""
    from arelle import Validate, ValidateXbrlDimensions

    import nbb_filing.checks.validate as v

    monkeypatch.setattr(arelle_env, "arelle_version", lambda: "2.99.0")
    original = ValidateXbrlDimensions.isFactDimensionallyValid
    seen: list[bool] = []
    validate = Validate.validate

    def spying(model, *a, **k):
        seen.append(ValidateXbrlDimensions.isFactDimensionallyValid is original)
        return validate(model, *a, **k)

    monkeypatch.setattr(Validate, "validate", spying)
    report = v.validate_files([accepted_m87], package, reuse=True)
    assert seen == [True]
    assert report.files[0].error is None and report.files[0].findings is not None


# ---------------------------------------------------------------------- class 14: damaged registry


@pytest.mark.parametrize("content", ["not json {", '{"packages": {"a": 1}}', '{"packages": [1]}'])
def test_taxonomy_list_says_the_registry_is_damaged(tmp_path, monkeypatch, content):
    home = tmp_path / "home"
    (home / "packages").mkdir(parents=True)
    (home / "packages" / "installed.json").write_text(content)
    monkeypatch.setenv("NBB_FILING_HOME", str(home))
    for args in (["taxonomy", "list"], ["taxonomy", "list", "--format", "json"]):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 2, r.output
        assert "damaged" in r.output and "taxonomy install" in r.output
        assert "no taxonomy package installed" not in r.output
        assert len(r.output.strip().splitlines()) == 1


def test_taxonomy_list_of_an_empty_home_is_not_damaged(tmp_path, monkeypatch):
    monkeypatch.setenv("NBB_FILING_HOME", str(tmp_path / "home"))
    r = CliRunner().invoke(main, ["taxonomy", "list", "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.output) == []
