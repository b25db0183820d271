"""``nbb-filing watch``: the loop driven in-process (bounded iterations, no sleeping subprocess).

One watcher over a copy of the SmartCoop sample: the first check (cold: the m82-f taxonomy is
loaded once), then edits of the current-year trial balance made between two polls:

1. a balanced edit that adds 1,000.00 of cash and 1,000.00 of supplier debt: total assets
   20/58 go from 10,018,553.00 to 10,019,553.00 (the new figure, in the report file), and the
   re-check on the kept taxonomy finds what a cold validation of the same file finds (one extra
   Arelle run, the only way to check "same findings as a cold run");
2. an unbalanced edit: the report file gets the problem as a blocking finding, the last good
   instance stays as it was (complete, untouched).

Arelle work of this file: one taxonomy load (first check), one cold validation; the re-checks
run on the kept taxonomy.  No network access is allowed during any of it.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT

SAMPLE = ROOT / "samples" / "smartcoop-2024"
CASH = "550000;Triodos;1912305,40;0,00"


def _copy_sample(dest: Path) -> Path:
    shutil.copytree(SAMPLE, dest)
    dossier = dest / "dossier.yaml"
    text = dossier.read_text(encoding="utf-8")
    mapping = (ROOT / "mappings" / "without-capital.yaml").as_posix()
    dossier.write_text(text.replace("../../mappings/without-capital.yaml", mapping), encoding="utf-8")
    return dossier


def _total_assets(report: dict) -> str | None:
    return next((t["current"] for t in report["watch"]["totals"] if t["rubric"] == "20/58"), None)


@pytest.fixture(scope="module")
def watched(tmp_path_factory, package, network_guard):
    from nbb_filing.cli.cmd_watch import Watcher

    d = tmp_path_factory.mktemp("watch")
    dossier = _copy_sample(d / "sc")
    tb = dossier.parent / "tb-2024.csv"
    original = tb.read_text(encoding="utf-8")
    assert CASH in original
    balanced = original.replace(CASH, "550000;Triodos;1913305,40;0,00") + "440900;Fournisseurs divers;0,00;1000,00\n"
    unbalanced = original.replace(CASH, "550000;Triodos;1913305,40;0,00")
    report_path, out = d / "report.json", d / "sc.xbrl"
    reports: list[dict] = []
    printed: list[str] = []
    edits = iter([balanced, None, unbalanced])

    def between_polls(_seconds: float) -> None:
        reports.append(json.loads(report_path.read_text(encoding="utf-8")))
        edit = next(edits)
        if edit is not None:
            tb.write_text(edit, encoding="utf-8")

    w = Watcher(dossier, out, package, lang="fr", report=report_path, echo=printed.append)
    with network_guard.watch():
        before = len(network_guard.attempts)
        w.run(interval=0, iterations=4, sleep=between_polls)
        attempts = network_guard.attempts[before:]
    reports.append(json.loads(report_path.read_text(encoding="utf-8")))
    return {"watcher": w, "reports": reports, "printed": printed, "out": out, "attempts": attempts, "tb": tb}


def test_first_check_then_an_edit_shows_the_new_total(watched):
    first, after_edit = watched["reports"][0], watched["reports"][1]
    assert _total_assets(first) == "10018553.00"
    assert _total_assets(after_edit) == "10019553.00"
    assert after_edit["watch"]["changed"] == [str(watched["tb"].resolve())]
    # the summary printed says what changed, with the difference
    text = "\n".join(watched["printed"])
    assert "changed: tb-2024.csv" in text and "10,019,553.00 (+1,000.00)" in text
    # the re-check gets the dossier's completeness context (its not_applicable declarations), as generate does
    assert first["files"][0]["status"] == "can be filed", first["files"][0]["completeness"]


def test_a_poll_without_change_does_nothing(watched):
    # 4 polls: first check, edit, no change (same report), broken edit
    assert watched["watcher"].checks == 3
    assert watched["reports"][2] == watched["reports"][1]


def test_recheck_finds_what_a_cold_validation_finds(watched, package):
    from nbb_filing.checks.validate import validate_files

    # the instance of the balanced edit was validated on the kept taxonomy; validate it cold
    recheck = watched["reports"][1]["files"][0]
    shutil.copyfile(watched["out"], watched["out"].with_name("cold.xbrl"))
    cold = validate_files([watched["out"].with_name("cold.xbrl")], package, lang="fr", reuse=False).files[0]

    def key(f: dict) -> tuple:
        return (f["rule"], f["effect"], tuple(x["key"] for x in f["facts"]))

    assert sorted(key(f) for f in recheck["findings"]) == sorted(
        (f.rule, f.effect, tuple(x.key for x in f.facts)) for f in cold.findings
    )
    evaluated = {a["id"]: (a["satisfied"], a["not_satisfied"]) for a in recheck["assertions"]}
    assert evaluated == {a.id: (a.satisfied, a.not_satisfied) for a in cold.assertions}
    assert recheck["summary"]["evaluated"] > 100


def test_a_broken_trial_balance_is_a_blocking_finding_and_keeps_the_last_instance(watched):
    last = watched["reports"][-1]
    assert last["files"] == []
    finding = last["watch"]["findings"][0]
    assert finding["effect"] == "blocking" and "tb-2024.csv" in finding["message"] and "1,000.00" in finding["message"]
    # the instance of the previous (good) check is still there, complete
    data = watched["out"].read_bytes()
    assert b"10019553.00" in data and data.rstrip().endswith(b"</xbrli:xbrl>")


def test_no_network_access_while_watching(watched):
    assert watched["attempts"] == []


def _balanced(thousands: int) -> str:
    """The sample's trial balance with ``thousands`` × 1 000.00 more cash and as much supplier debt."""
    original = (SAMPLE / "tb-2024.csv").read_text(encoding="utf-8")
    cash = f"550000;Triodos;{1912305 + 1000 * thousands},40;0,00"
    return original.replace(CASH, cash) + f"440900;Fournisseurs divers;0,00;{1000 * thousands},00\n"


def _edit_later(path: Path, text: str, when: Callable[[], bool], before: Path | None = None) -> threading.Thread:
    """A thread that waits for ``when()``, then (after a write to ``before``, a file nobody watches)
    writes ``text`` to ``path``."""

    def edit() -> None:
        deadline = time.monotonic() + 120
        while not when() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # the loop is waiting for events by now
        if before is not None:
            before.write_text("not watched\n", encoding="utf-8")
            time.sleep(0.3)
        path.write_text(text, encoding="utf-8")

    t = threading.Thread(target=edit, daemon=True)
    t.start()
    return t


def test_events_wake_the_loop_for_watched_files_only(watched, monkeypatch):
    """File-system events, not polling: ``listen`` never looks at the files on its own, so the
    re-check below can only come from the event of the edit; the write to another file of the same
    folder before it wakes nothing (``step`` is called twice: at the start, and for the edit)."""
    w, tb = watched["watcher"], watched["tb"]
    balanced = (
        tb.read_text(encoding="utf-8").replace("550000;Triodos;1913305,40;0,00", "550000;Triodos;1914305,40;0,00")
        + "440900;Fournisseurs divers;0,00;2000,00\n"
    )
    steps: list[bool] = []
    real_step = w.step

    def counted() -> bool:
        steps.append(real_step())
        return steps[-1]

    monkeypatch.setattr(w, "step", counted)
    before, printed = w.checks, len(watched["printed"])
    stop = threading.Event()
    safety = threading.Timer(120, stop.set)
    safety.start()
    edit = _edit_later(tb, balanced, lambda: bool(steps), before=tb.with_name("notes-to-self.txt"))
    try:
        w.listen(stop, checks=before + 1)
    finally:
        safety.cancel()
        edit.join(5)
    assert not stop.is_set(), "no event reached the loop within 120 s"
    assert steps == [False, True] and w.checks == before + 1
    assert "10,020,553.00" in "\n".join(watched["printed"][printed:])  # the new verdict was printed


def test_a_failing_event_source_falls_back_to_polling(watched, monkeypatch):
    from nbb_filing.cli import cmd_watch, watch_changes

    w, tb = watched["watcher"], watched["tb"]

    def refused(_files, _stop=None):
        raise OSError("inotify watch limit reached")
        yield set()  # pragma: no cover - a generator, like the real one

    monkeypatch.setattr(watch_changes, "changes", refused)
    stop = threading.Event()

    def sleep(_seconds: float) -> None:  # between two looks: an edit, then stop after the next look
        tb.write_text(_balanced(3), encoding="utf-8")
        stop.set()

    monkeypatch.setattr(cmd_watch.time, "sleep", sleep)
    before, printed = w.checks, len(watched["printed"])
    assert w.follow(interval=0.5, stop=stop) == "polling"
    out = "\n".join(watched["printed"][printed:])
    assert "file-system events failed (inotify watch limit reached); polling every 0.5 s" in out
    assert w.checks == before + 1 and "changed: tb-2024.csv" in out and "10,021,553.00" in out


def test_folders_watched_for_the_files(tmp_path):
    from nbb_filing.cli.watch_changes import interesting

    (tmp_path / "a").mkdir()
    files = [tmp_path / "a" / "dossier.yaml", tmp_path / "a" / "tb.csv", tmp_path / "later" / "sub" / "x.pdf"]
    folders, names = interesting(files)
    # folders, not files (a save by rename replaces the file); a missing folder: its nearest existing ancestor
    assert folders == sorted({tmp_path / "a", tmp_path})
    assert str(tmp_path / "a" / "tb.csv") in names and str(tmp_path / "later") in names
    assert str(tmp_path / "later" / "sub") in names and str(tmp_path / "a") not in names


def test_cli_stops_cleanly_on_ctrl_c(tmp_path, package, monkeypatch):
    from click.testing import CliRunner

    from nbb_filing.cli import cmd_watch, main

    dossier = _copy_sample(tmp_path / "sc")
    out = tmp_path / "sc.xbrl"

    def interrupted(_seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cmd_watch.time, "sleep", interrupted)
    result = CliRunner().invoke(
        main, ["watch", str(dossier), "-o", str(out), "--html", str(tmp_path / "x.html"), "--poll"]
    )
    assert result.exit_code == 0, result.output
    assert "polling every 1 s" in result.output and "stopped after 1 check(s)" in result.output
    page = (tmp_path / "x.html").read_text(encoding="utf-8")  # the render page, with this check's findings
    assert page.rstrip().endswith("</html>") and "10.018.553,00" in page
    # only complete files: the instance, the page and nothing half-written beside them
    assert out.read_bytes().rstrip().endswith(b"</xbrli:xbrl>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sc", "sc.xbrl", "x.html"]


def test_cli_waits_for_events_unless_asked_to_poll(tmp_path, package, monkeypatch):
    """The command's first line says how it watches; without --poll it calls ``listen`` (events)."""
    from click.testing import CliRunner

    from nbb_filing.cli import cmd_watch, main

    dossier = _copy_sample(tmp_path / "sc")
    used: list[str] = []

    def listen(self, stop=None, checks=None):
        used.append("events")
        raise KeyboardInterrupt

    monkeypatch.setattr(cmd_watch.Watcher, "listen", listen)
    result = CliRunner().invoke(main, ["watch", str(dossier), "-o", str(tmp_path / "sc.xbrl")])
    assert result.exit_code == 0, result.output
    assert f"watching {dossier} (file-system events; Ctrl-C to stop)" in result.output
    assert used == ["events"] and "stopped after 0 check(s)" in result.output
