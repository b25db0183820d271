"""write_atomic: all or nothing, and an earlier file stays as it was on failure."""

from __future__ import annotations

import pytest

from nbb_filing.core.atomic import write_atomic


def test_writes_bytes_and_text_and_creates_parents(tmp_path):
    p = write_atomic(tmp_path / "a" / "b.txt", "été")
    assert p.read_bytes() == "été".encode()
    write_atomic(p, b"\x00\x01")
    assert p.read_bytes() == b"\x00\x01"
    assert sorted(x.name for x in p.parent.iterdir()) == ["b.txt"]


def test_failure_keeps_the_earlier_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.xbrl"
    target.write_text("old")

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("nbb_filing.core.atomic.os.replace", boom)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [x.name for x in tmp_path.iterdir()] == ["out.xbrl"]


@pytest.fixture
def umask():
    """``umask(mask)`` sets the process umask for the test; the earlier one is put back."""
    import os

    earlier = os.umask(0o022)
    os.umask(earlier)
    yield os.umask
    os.umask(earlier)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_follows_the_umask(tmp_path, umask, mask, mode):
    import stat

    umask(mask)
    p = write_atomic(tmp_path / "report.json", "{}")
    assert stat.S_IMODE(p.stat().st_mode) == mode


def test_a_replaced_file_keeps_its_mode(tmp_path, umask):
    import os
    import stat

    umask(0o022)
    p = tmp_path / "private.xbrl"
    p.write_text("old")
    os.chmod(p, 0o600)
    write_atomic(p, "new")
    assert stat.S_IMODE(p.stat().st_mode) == 0o600 and p.read_text() == "new"


def test_an_installed_package_follows_the_umask(tmp_path, umask, monkeypatch, replica_path):
    import stat

    from nbb_filing.taxonomy.packages import install_package

    monkeypatch.setenv("NBB_FILING_HOME", str(tmp_path / "home"))
    umask(0o027)
    info = install_package(replica_path)
    assert stat.S_IMODE(info.path.stat().st_mode) == 0o640
    registry = tmp_path / "home" / "packages" / "installed.json"
    assert stat.S_IMODE(registry.stat().st_mode) == 0o640
