"""Benchmark of issue 24's watch target, as a ratio: from a save to the printed verdict, end to end.

Usage::

    python benchmarks/bench_watch.py [--taxonomy PKG.zip] [--repeat 5] [--poll] [--model m81-f]

One ``nbb-filing watch DOSSIER`` process runs over a copy of the SmartCoop m82-f sample (its
``model:`` line set to ``--model`` when given: m81-f is the issue's newcomer's model), its output
read line by line.  ``--repeat`` times: a cold ``nbb-filing generate DOSSIER --validate`` process is
timed (the watcher idle meanwhile; the catalog cache warm, as for anyone past their first run),
then, after a random pause of 0.5–1.5 s (so that a polling watcher is met at any point of its
interval), the current-year trial balance is saved with a balanced change and the time from the save to
the line of the watcher's verdict (``can be filed`` …) is taken.  Cold runs and edits interleaved,
medians.  Target: edit-to-verdict / cold ≤ 0.15.

``--poll`` measures the watcher with ``--poll`` (a look every second, as before file-system events)
instead, for comparison.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SAMPLE = ROOT / "samples" / "smartcoop-2024"
CASH = "550000;Triodos;1912305,40;0,00"


def _reader(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put((time.perf_counter(), line.rstrip("\n")))
    lines.put((time.perf_counter(), None))


def verdict(lines: queue.Queue, timeout: float = 300) -> tuple[float, str]:
    """(time, text) of the next verdict line: the first line after ``findings:`` that lists no finding."""
    seen_findings = False
    deadline = time.monotonic() + timeout
    while True:
        at, line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        if line is None:
            raise SystemExit("the watcher stopped")
        if line.startswith("  findings:"):
            seen_findings = True
        elif seen_findings and not line.startswith(("  + ", "  - ")):
            return at, line.strip()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--taxonomy", default=os.environ.get("NBB_FILING_TAXONOMY"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--poll", action="store_true", help="measure the watcher with --poll (every 1 s)")
    ap.add_argument("--model", default="m82-f", help="the model the sample is filed as (default: its own, m82-f)")
    args = ap.parse_args()
    from nbb_filing.taxonomy.packages import resolve_package

    info = resolve_package(args.taxonomy)
    pkg = info.path
    tmp = Path(tempfile.mkdtemp(prefix="nbb-bench-watch-"))
    watcher = None
    try:
        work = tmp / "sc"
        shutil.copytree(SAMPLE, work)
        d = work / "dossier.yaml"
        text = d.read_text(encoding="utf-8").replace("../../mappings/without-capital.yaml", "without-capital")
        d.write_text(text.replace("model: m82-f", f"model: {args.model}", 1), encoding="utf-8")
        tb = work / "tb-2024.csv"
        original = tb.read_text(encoding="utf-8")
        cold_cmd = [str(BIN / "nbb-filing"), "generate", str(d), "-o", str(tmp / "cold.xbrl"), "--validate"]
        cold_cmd += ["--taxonomy", str(pkg)]
        subprocess.run(cold_cmd, capture_output=True, check=False)  # the catalog cache, warm
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        cmd = [str(BIN / "nbb-filing"), "watch", str(d), "-o", str(tmp / "w.xbrl"), "--taxonomy", str(pkg)]
        watcher = subprocess.Popen(
            cmd + (["--poll"] if args.poll else []),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=_reader, args=(watcher.stdout, lines), daemon=True).start()
        first = lines.get(timeout=60)[1]
        print(f"machine   {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
        print(f"package   {pkg.name} ({info.version}); the SmartCoop sample as {args.model}; watcher: {first}")
        verdict(lines)  # the first check (the taxonomy loaded once)
        edits, colds, verdicts = [], [], []
        for i in range(args.repeat):
            t = time.perf_counter()
            subprocess.run(cold_cmd, capture_output=True, check=False)
            colds.append(time.perf_counter() - t)
            # the watcher is waiting; a random pause, so that polling's phase is sampled fairly
            time.sleep(random.uniform(0.5, 1.5))
            k = i + 1
            saved = time.perf_counter()
            tb.write_text(
                original.replace(CASH, f"550000;Triodos;{1912305 + 1000 * k},40;0,00")
                + f"440900;Fournisseurs divers;0,00;{1000 * k},00\n",
                encoding="utf-8",
            )
            at, text = verdict(lines)
            edits.append(at - saved)
            verdicts.append(text)
        e, c = statistics.median(edits), statistics.median(colds)
        print(f"load average {os.getloadavg()[0]:.2f} at the end; medians of {args.repeat}; verdicts: {set(verdicts)}")
        print(
            f"edit-to-verdict: {', '.join(f'{x:.2f}' for x in edits)} s; cold: {', '.join(f'{x:.1f}' for x in colds)} s"
        )
        print()
        how = "polling every 1 s" if args.poll else "file-system events"
        print(f"| {'target':88} | {'wall':18} | {'ratio':>5} |")
        print(f"|{'-' * 90}|{'-' * 20}|{'-' * 7}|")
        name = f"watch edit-to-verdict ({how}, {args.model}) / cold generate --validate (≤ 0.15)"
        print(f"| {name:88} | {f'{e:.2f} s / {c:.1f} s':18} | {e / c:>5.2f} |")
    finally:
        if watcher is not None:
            watcher.terminate()
            watcher.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
