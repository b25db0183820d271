"""Interrupted runs leave nothing behind (issue 15, class 11).

Children forked by validate end with their parent, even when it is SIGKILLed; SIGTERM in the parent
kills its children and removes its temporary folder; leftovers of killed runs (temporary folders,
partial package copies) are swept by later runs.  No Arelle here: the child-lifetime mechanism is
tested on dummy children, and validate's own wiring with Arelle's two steps replaced by stand-ins.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from nbb_filing.core.lifetime import (
    TERMINATED_EXIT,
    owned_name,
    pid_namespace,
    sweep_stale,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl and fork are Linux mechanisms")

DUMMY = textwrap.dedent("""
    import os, sys, time
    from nbb_filing.core.lifetime import Children, die_with_parent, run_temp_dir, terminate_as_exit
    with terminate_as_exit(), run_temp_dir("nbb-validate-") as tmp, Children() as kids:
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            die_with_parent(parent)
            time.sleep(60)
            os._exit(0)
        kids.add(pid)
        print(tmp, pid, flush=True)
        time.sleep(60)
""")

# validate_files with Arelle's two steps replaced: the taxonomy "load" is instant, the forked
# child's "validation" announces its pid in a file and sleeps
VALIDATE = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    import nbb_filing.checks.kept_dts as kd
    import nbb_filing.checks.validate as v
    marker = Path(sys.argv[2])
    kd.dts_for = lambda info, model: object()
    def slow(report, dts, job, lang, *more):
        marker.write_text(str(os.getpid()))
        time.sleep(60)
    kd._validate_on_dts = slow
    v.validate_files([sys.argv[1]], reuse=True)
""")


def _gone(pid: int, within: float = 5.0) -> bool:
    """The process has ended (absent, or a zombie nobody reaped yet) within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


def _dead_pid() -> int:
    """The pid of a process that has ended."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def _start(script: str, tmp_path: Path, *args: str) -> subprocess.Popen:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )


def _leftovers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "tmp").iterdir() if p.name.startswith("nbb-validate-"))


def test_sigterm_kills_the_children_and_removes_the_temp_folder(tmp_path):
    proc = _start(DUMMY, tmp_path)
    tmp, child = proc.stdout.readline().split()
    assert Path(tmp).is_dir() and Path(tmp).name.startswith(f"nbb-validate-{proc.pid}-{pid_namespace()}-")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == TERMINATED_EXIT == 143
    assert _gone(int(child))
    assert not Path(tmp).exists() and _leftovers(tmp_path) == []
    assert "Traceback" not in proc.stderr.read()


def test_sigkill_takes_the_children_along_and_a_later_run_sweeps_the_folder(tmp_path):
    proc = _start(DUMMY, tmp_path)
    tmp, child = proc.stdout.readline().split()
    proc.kill()
    proc.wait(timeout=10)
    assert _gone(int(child)), "the child outlived its SIGKILLed parent"
    assert Path(tmp).is_dir()  # a SIGKILLed run cannot clean up ...
    live = tmp_path / "tmp" / f"{owned_name('nbb-validate-')}live"  # ... a live run's folder is never touched
    live.mkdir()
    # ... nor, for a day, one of a dead pid in another PID namespace (a container sharing /tmp)
    other_ns = tmp_path / "tmp" / f"nbb-validate-{_dead_pid()}-999-x"
    other_ns.mkdir()
    assert sweep_stale(tmp_path / "tmp", "nbb-validate-") == [Path(tmp)]  # ... the next run does
    assert _leftovers(tmp_path) == sorted([live.name, other_ns.name])
    os.utime(other_ns, (time.time() - 2 * 86400,) * 2)
    assert sweep_stale(tmp_path / "tmp", "nbb-validate-") == [other_ns]


def test_validate_files_on_sigterm_and_sigkill(tmp_path, accepted_m87, nbb_home, catalog):
    catalog("m87-f")  # the stand-in run reads the compiled catalog from the session home
    for sig in (signal.SIGTERM, signal.SIGKILL):
        marker = tmp_path / f"child-{sig.name}"
        proc = _start(VALIDATE, tmp_path, str(accepted_m87), str(marker))
        deadline = time.monotonic() + 60
        while not marker.is_file() or not marker.read_text():
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "the child never started"
            time.sleep(0.05)
        child = int(marker.read_text())
        proc.send_signal(sig)
        code = proc.wait(timeout=20)
        assert _gone(child), f"validate's child outlived its parent ({sig.name})"
        if sig == signal.SIGTERM:
            assert code == 143 and _leftovers(tmp_path) == []
            assert "Traceback" not in proc.stderr.read()


def test_install_sweeps_partial_copies_of_dead_runs(tmp_path, monkeypatch, replica_path):
    from nbb_filing.taxonomy.packages import install_package

    monkeypatch.setenv("NBB_FILING_HOME", str(tmp_path / "home"))
    packages = tmp_path / "home" / "packages"
    packages.mkdir(parents=True)
    stale = packages / f".partial-{_dead_pid()}-{pid_namespace()}-abcd.zip.tmp"
    stale.write_bytes(b"\0" * 1024)  # what a kill during the copy of a package leaves
    old = packages / "tmpk2j3h4.zip.tmp"  # the earlier naming, without a pid: swept once a day old
    old.write_bytes(b"\0")
    os.utime(old, (time.time() - 2 * 86400,) * 2)
    live = packages / f"{owned_name('.partial-')}efgh.zip.tmp"
    live.write_bytes(b"\0")
    install_package(replica_path)
    left = sorted(p.name for p in packages.iterdir())
    assert stale.name not in left and old.name not in left and live.name in left
    assert [n for n in left if n.endswith(".zip")] and "installed.json" in left
