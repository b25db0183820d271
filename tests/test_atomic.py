"""write_atomic: all or nothing, and an earlier file stays as it was on failure."""

from __future__ import annotations

import pytest

from nbb_filing.core.atomic import write_atomic


def test_writes_bytes_and_text_and_creates_parents(tmp_path):
    p = write_atomic(tmp_path / "a" / "b.txt", "été")
    assert p.read_bytes() == "été".encode("utf-8")
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
