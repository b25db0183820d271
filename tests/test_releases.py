"""The releases data (taxonomies/releases.yaml): framework of a closing date, download addresses;
the embedded replica as the default package and the notice of every report made with a replica;
relative package paths resolved once, at start."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from nbb_filing.api import framework_of
from nbb_filing.cli import main
from nbb_filing.core.errors import PackageError
from nbb_filing.taxonomy.packages import (
    START_DIR,
    official_url,
    pin_environment,
    resolve_package,
)
from nbb_filing.taxonomy.releases import (
    framework_for_closing,
    load_releases,
    parse_releases,
    replica_notice,
)

NOTICE = (
    "validated against the replica 22.19.3, not an official NBB package: "
    "validate with the official package before upload"
)


def test_releases_data_is_read_and_every_fact_says_whether_verified():
    rel = load_releases()
    assert rel.embedded_file == "nbb-cbso-22.19.3-replica.zip" and rel.embedded_replica_of == "22.19.3"
    assert {f.framework: f.in_force_from for f in rel.frameworks}["26.0"] == date(2026, 1, 2)
    assert {f.framework: f.in_force_from for f in rel.frameworks}["25.0"] == date(2025, 1, 6)
    assert not any(f.verified for f in rel.frameworks) and not any(p.verified for p in rel.packages)


@pytest.mark.parametrize(
    "carried, closing, chosen, notice",
    [
        (("23.0", "25.0", "26.0"), date(2026, 12, 31), "26.0", None),
        (("23.0", "25.0", "26.0"), date(2025, 12, 31), "25.0", None),  # 26.0 is in force from 2026-01-02 only
        (("23.0", "25.0", "26.0"), date(2025, 1, 6), "25.0", None),
        (("23.0", "25.0"), date(2026, 6, 30), "25.0", "framework 26.0 is in force for closing date 2026-06-30"),
        (("25.0", "26.0"), date(2024, 12, 31), "26.0", "no framework of releases.yaml has a known in-force date"),
    ],
)
def test_framework_for_a_closing_date(carried, closing, chosen, notice):
    fw, said = framework_for_closing(carried, closing, package_label="nbb-cbso-x.zip")
    assert fw == chosen
    if notice is None:
        assert said is None
    else:
        assert said.startswith(notice) and f"using fws/{chosen}" in said


def test_framework_of_the_replica_says_it_has_only_22_19(package):
    fw, said = framework_of(package, "m82-f", date(2026, 3, 31))
    assert fw == "22.19"
    assert said == (
        "framework 26.0 is in force for closing date 2026-03-31 (releases.yaml, verified: no); "
        "the replica 22.19.3 carries only framework 22.19: using fws/22.19"
    )
    assert framework_of(package, "m99-f", date(2026, 3, 31)) == (None, None)


def test_the_framework_rule_reads_the_data_not_the_code(tmp_path):
    data = {
        "version": 1,
        "embedded": {"file": "x.zip", "replica_of": "1.0"},
        "address_pattern": "https://h/{year}/{version}.zip",
        "packages": [{"version": "30.1.2", "address": "https://elsewhere/p.zip", "verified": True}],
        "frameworks": [{"framework": "30.0", "in_force_from": date(2030, 1, 1), "verified": True}],
    }
    rel = parse_releases(data, tmp_path / "releases.yaml")
    assert framework_for_closing(("26.0", "30.0"), date(2030, 6, 30), package_label="p", releases=rel) == ("30.0", None)
    assert framework_for_closing(("26.0", "30.0"), date(2029, 6, 30), package_label="p", releases=rel)[0] == "30.0"
    assert rel.address("30.1.2") == ("https://elsewhere/p.zip", "listed in releases.yaml, verified: yes")
    assert rel.address("31.0.1")[0] == "https://h/2031/31.0.1.zip"
    with pytest.raises(PackageError, match="not a releases file"):
        parse_releases({"version": 2}, tmp_path / "releases.yaml")


def test_install_version_takes_the_address_from_the_data(tmp_path, monkeypatch):
    monkeypatch.setenv("NBB_FILING_HOME", str(tmp_path / "home"))
    listed = next(p for p in load_releases().packages if p.version == "26.0.15")
    assert official_url("26.0.15") == listed.address
    asked = []

    def offline(url, *a, **k):
        asked.append(url)
        raise OSError("no network here")

    monkeypatch.setattr("urllib.request.urlopen", offline)
    res = CliRunner().invoke(main, ["taxonomy", "install", "25.0.11"])
    assert res.exit_code != 0
    assert asked == ["https://www.nbb.be/doc/ba/xbrl/taxo2025/nbb-cbso-25.0.11.zip"]  # listed without address: pattern
    assert "listed in releases.yaml; address from its pattern, verified: no" in res.output


def test_the_embedded_replica_is_the_default(tmp_path, monkeypatch, package):
    monkeypatch.setenv("NBB_FILING_HOME", str(tmp_path / "empty-home"))
    monkeypatch.delenv("NBB_FILING_TAXONOMY", raising=False)
    info = resolve_package(None)
    assert info.path == (Path(__file__).resolve().parents[1] / "taxonomies" / "nbb-cbso-22.19.3-replica.zip")
    assert info.replica_notice == NOTICE
    res = CliRunner().invoke(main, ["taxonomy", "list"])
    assert "commands use the embedded replica (not an official NBB package)" in res.output


def test_only_replicas_carry_the_notice():
    assert replica_notice("NBB CBSO taxonomy 22.19.3 (replica)", "22.19.3-replica.3") == NOTICE
    assert replica_notice("NBB CBSO taxonomy", "26.0.15") is None


def test_relative_package_path_is_resolved_once_at_start(tmp_path, monkeypatch, package):
    relative = os.path.relpath(package.path, START_DIR)
    assert not Path(relative).is_absolute()
    monkeypatch.setenv("NBB_FILING_TAXONOMY", relative)
    monkeypatch.chdir(tmp_path)  # a later change of directory does not change which file is meant
    assert resolve_package(None).sha256 == package.sha256
    monkeypatch.setenv("NBB_FILING_HOME", "rel-home")
    pin_environment()  # what the CLI does first: children and later calls see absolute paths
    assert os.environ["NBB_FILING_TAXONOMY"] == str(START_DIR / relative)
    assert os.environ["NBB_FILING_HOME"] == str(START_DIR / "rel-home")


def test_every_validation_report_of_a_replica_says_so(tmp_path, package):
    import json

    from nbb_filing.checks.report_formats import render
    from nbb_filing.checks.validate import validate_files

    report = validate_files([tmp_path / "missing.xbrl"], package=package, reuse=False)
    assert report.notice == NOTICE
    assert render(report, "text").splitlines()[0] == f"note: {NOTICE}"
    assert json.loads(render(report, "json"))["notice"] == NOTICE
    assert NOTICE in render(report, "junit")


def test_the_generate_summary_says_so(sample_outputs):
    assert NOTICE in sample_outputs["m82-f"].notes
