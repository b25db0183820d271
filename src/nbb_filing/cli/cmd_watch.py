"""CLI: ``nbb-filing watch DOSSIER.yaml [-o FILE.xbrl] [--report REPORT.json] [--html FILE.html]``.

Keeps the package, the catalog and the model's loaded taxonomy in memory and watches the dossier and
every file it names (:func:`nbb_filing.dossier_files`): woken by file-system events
(:mod:`.watch_changes`), or polling where events are unavailable; size, mtime, then SHA-256 decide
whether a file changed.  On a change it
regenerates the filing (the ``generate`` workflow), revalidates it on the kept taxonomy
(:class:`nbb_filing.ValidationSession`), writes the report and prints what changed: key totals,
findings added and removed, the verdict.  Every file is written atomically (complete or not at
all), so Ctrl-C never leaves a partial file.  A bad edit (a YAML error, an unknown account) is
printed as one line and watching goes on.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

import nbb_filing
from nbb_filing.cli.common import lang_option, taxonomy_option
from nbb_filing.cli.watch_view import CheckState, state_of, summary


@dataclass
class Watcher:
    """The watch loop, without the click layer (tests drive :meth:`step` / :meth:`run` directly)."""

    dossier: Path
    output: Path
    package: Any  # nbb_filing.PackageInfo
    lang: str | None = None
    report: Path | None = None
    html: Path | None = None
    echo: Callable[[str], None] = print
    session: Any = None
    last: CheckState | None = None
    checks: int = 0
    _fingerprints: Any = None
    _files: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.dossier = self.dossier.resolve()
        self._fingerprints = nbb_filing.Fingerprints()
        self._files = [self.dossier]

    def files(self) -> list[Path]:
        """The dossier and the files it names (the last known list while the dossier is broken)."""
        try:
            self._files = nbb_filing.dossier_files(nbb_filing.load_dossier(self.dossier))
        except nbb_filing.NbbFilingError:
            pass  # the check itself reports the error
        return self._files

    def step(self) -> bool:
        """Check once for changes; regenerate and revalidate if there are any.  True if it did."""
        changed = self._fingerprints.changed(self.files())
        if not changed:
            return False
        self.check(changed)
        return True

    def check(self, changed: list[Path]) -> None:
        stamp = time.strftime("%H:%M:%S")
        self.checks += 1
        try:  # no output over a watched file (nor the error report: it would replace it too)
            outputs = [("the filing (-o)", self.output), ("the report (--report)", self.report)]
            nbb_filing.refuse_overlaps(
                [*outputs, ("the page (--html)", self.html)], [("a watched file", p) for p in self._files]
            )
        except nbb_filing.NbbFilingError as e:
            self.echo(f"[{stamp}] error: {e}")
            return
        try:
            t0 = time.perf_counter()
            result = nbb_filing.generate(self.dossier, self.output, package=self.package, lang=self.lang)
            t1 = time.perf_counter()
            if self.session is None:
                self.session = nbb_filing.ValidationSession(self.package, lang=self.lang or result.language)
            validation = self.session.validate(result.output, dossier=result.dossier_context)
            t2 = time.perf_counter()
        except nbb_filing.NbbFilingError as e:
            self.echo(f"[{stamp}] error: {e}\n  {self.output.name} not rewritten; waiting for the next change")
            if self.report is not None:
                self._write_error(str(e), changed)
            return
        now = state_of(result, validation.files[0])
        self.echo(f"[{stamp}] " + "\n".join(summary(now, self.last, changed, (t1 - t0, t2 - t1))))
        self.last = now
        if self.report is not None:
            self._write_report(result, validation, changed, (t1 - t0, t2 - t1))
        if self.html is not None:
            self._render_html(result, validation)

    def _write_report(self, result: Any, validation: Any, changed: list[Path], seconds: tuple[float, float]) -> None:
        data = json.loads(nbb_filing.render_report(validation, "json"))
        data["watch"] = {
            "check": self.checks,
            "changed": [str(p) for p in changed],
            "output": str(result.output),
            "generate_seconds": round(seconds[0], 3),
            "validate_seconds": round(seconds[1], 3),
            "totals": [t.to_json() for t in result.totals],
        }
        assert self.report is not None
        nbb_filing.write_atomic(self.report, json.dumps(data, ensure_ascii=False, indent=1) + "\n")

    def _write_error(self, message: str, changed: list[Path]) -> None:
        """The report of a check whose regeneration failed: the problem as a blocking finding."""
        data = {
            "files": [],
            "watch": {
                "check": self.checks,
                "changed": [str(p) for p in changed],
                "output": str(self.output),
                "error": message,
                "findings": [{"rule": "generate", "source": "generate", "effect": "blocking", "message": message}],
            },
        }
        assert self.report is not None
        nbb_filing.write_atomic(self.report, json.dumps(data, ensure_ascii=False, indent=1) + "\n")

    def _render_html(self, result: Any, validation: Any) -> None:
        """The page of ``nbb-filing render``, with this check's findings at their rows."""
        assert self.html is not None
        page = nbb_filing.render_filing(
            result.output,
            self.html,
            lang=self.lang or result.language,
            package=self.package,
            report=validation,
            trail=result.trail_path,
        )
        self.echo(f"  wrote {page.output}")

    def run(
        self, interval: float = 1.0, iterations: int | None = None, sleep: Callable[[float], None] | None = None
    ) -> None:
        """Poll every ``interval`` seconds, ``iterations`` times (forever when None)."""
        sleep = sleep or time.sleep
        done = 0
        while iterations is None or done < iterations:
            self.step()
            done += 1
            if iterations is None or done < iterations:
                sleep(interval)

    def listen(self, stop: Any = None, checks: int | None = None) -> None:
        """Check now, then again whenever a file-system event touches a watched file, until ``stop``
        (anything with ``is_set()``) is set or ``checks`` checks were made.

        Raises ``OSError`` / ``RuntimeError`` when the event source fails (the caller then polls).
        """
        from nbb_filing.cli.watch_changes import changes

        self.step()
        while not (stop is not None and stop.is_set()) and (checks is None or self.checks < checks):
            watched = list(self._files)
            for touched in changes(watched, stop):
                if not touched:
                    continue  # a quiet spell: only a chance to see ``stop``
                self.step()
                if checks is not None and self.checks >= checks:
                    return
                if self._files != watched:
                    break  # the dossier names other files now: watch their folders
            else:
                return  # stopped
            self.step()  # what changed while the folders were switched

    def follow(self, interval: float = 1.0, poll: bool = False, stop: Any = None) -> str:
        """:meth:`listen` where file-system events are available (and ``poll`` is not asked), else
        a look every ``interval`` seconds; an event source that fails while watching is replaced by
        polling, said in one line.
        Returns how the files were watched at the end: ``"events"`` or ``"polling"``."""
        from nbb_filing.cli.watch_changes import events_unavailable

        if not poll and events_unavailable() is None:
            try:
                self.listen(stop)
                return "events"
            except (OSError, RuntimeError) as e:
                self.echo(f"file-system events failed ({e}); polling every {interval:g} s from now on")
        while True:
            self.step()
            if stop is not None and stop.is_set():
                return "polling"
            time.sleep(interval)

    def close(self) -> None:
        if self.session is not None:
            self.session.close()


@click.command(name="watch", short_help="Regenerate and revalidate a dossier on every change.")
@click.argument("dossier", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    metavar="FILE.xbrl",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the instance (default: beside the dossier, .xbrl).",
)
@click.option(
    "--report",
    metavar="REPORT.json",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the validation report (JSON, with the key totals) after each check.",
)
@click.option(
    "--html",
    metavar="FILE.html",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Re-render the filing as HTML after each check (the page of nbb-filing render).",
)
@click.option(
    "--interval",
    type=click.FloatRange(0.1, 60),
    default=1.0,
    show_default=True,
    help="Seconds between two looks at the files when polling.",
)
@click.option(
    "--poll",
    is_flag=True,
    help="Look at the files every --interval seconds instead of waiting for file-system events "
    "(for folders whose changes the system does not report, e.g. some network shares).",
)
@taxonomy_option
@lang_option
def watch(
    dossier: Path,
    output: Path | None,
    report: Path | None,
    html: Path | None,
    interval: float,
    poll: bool,
    taxonomy: str | None,
    lang: str,
) -> None:
    """Regenerate and revalidate DOSSIER whenever it or a file it names changes (Ctrl-C to stop)."""
    info = nbb_filing.resolve_package(taxonomy)
    out = output if output is not None else dossier.with_suffix(".xbrl")
    w = Watcher(dossier, out, info, lang=lang, report=report, html=html, echo=click.echo)
    from nbb_filing.cli.watch_changes import events_unavailable

    why = None if poll else events_unavailable()
    how = f"polling every {interval:g} s" if poll or why else "file-system events"
    click.echo(f"watching {dossier} ({how}{'; ' + why if why else ''}; Ctrl-C to stop)")
    try:
        w.follow(interval, poll=poll)
    except KeyboardInterrupt:
        click.echo(f"stopped after {w.checks} check(s); files written so far are complete")
    finally:
        w.close()
