"""Benchmark of issue 24's first-run target, as a ratio: a newcomer's first ``generate --validate --html``.

Usage::

    python benchmarks/bench_first_run.py [--taxonomy PKG.zip] [--repeat 3] [--model m81-f]

**Ours**: ``nbb-filing generate DOSSIER -o F.xbrl --validate --html F.html`` with an EMPTY data home
(``NBB_FILING_HOME`` a new folder each run: every catalog the run needs is compiled, as on a
newcomer's machine).  **Reference**: a bare Arelle validation of the same filing,
``arelleCmdLine --workOffline --baseTaxonomyValidation none -v --validateDuplicateFacts all
--packages PKG -f F.xbrl`` (as in ``bench_targets.py``).  Runs interleaved (ours, bare, ours …),
medians of ``--repeat``; wall and CPU time (user + system of the process and its children), with
the load average before and after.  Target: ours / bare ≤ 1.5.

DOSSIER is the SmartCoop sample with its ``model:`` line set to ``--model`` (default m81-f, the
abbreviated model of the issue's newcomer; m82-f is the sample's own full model) and the shipped
mapping named by name.  The script also prints which catalogs the first run compiled.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import MEASURE_WRAPPER, bare_arelle_cmd

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SAMPLE = ROOT / "samples" / "smartcoop-2024"
_WRAP = MEASURE_WRAPPER


def measure(cmd: list[str], env: dict[str, str] | None = None) -> tuple[int, float, float]:
    """(exit code, wall s, CPU s) of ``cmd`` in a fresh wrapper process."""
    out = subprocess.run(
        [sys.executable, "-c", _WRAP, *cmd], capture_output=True, text=True, check=True, env=env
    ).stdout.split()
    return int(out[0]), float(out[1]), float(out[2])


def sample_dossier(tmp: Path, model: str) -> Path:
    """A copy of the SmartCoop sample filing ``model`` with the shipped mapping, by name."""
    work = tmp / "sc"
    shutil.copytree(SAMPLE, work)
    d = work / "dossier.yaml"
    text = d.read_text(encoding="utf-8")
    text = text.replace("../../mappings/without-capital.yaml", "without-capital").replace(
        "model: m82-f", f"model: {model}", 1
    )
    d.write_text(text, encoding="utf-8")
    return d


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--taxonomy", default=os.environ.get("NBB_FILING_TAXONOMY"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--model", default="m81-f")
    args = ap.parse_args()
    from nbb_filing.taxonomy.packages import resolve_package

    info = resolve_package(args.taxonomy)
    pkg = info.path
    tmp = Path(tempfile.mkdtemp(prefix="nbb-bench-first-"))
    try:
        d = sample_dossier(tmp, args.model)
        out, html = tmp / "first.xbrl", tmp / "first.html"
        ours = [str(BIN / "nbb-filing"), "generate", str(d), "-o", str(out), "--validate", "--html", str(html)]
        ours += ["--taxonomy", str(pkg)]
        print(f"machine   {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
        print(f"package   {pkg.name} ({info.version}); dossier: the SmartCoop sample as {args.model}")
        o_runs, b_runs, compiled = [], [], []
        for i in range(args.repeat):
            home = tmp / f"home-{i}"  # empty: the newcomer's first run
            env = dict(os.environ, NBB_FILING_HOME=str(home))
            rc, w, c = measure(ours, env)
            if rc not in (0, 1):
                raise SystemExit(f"generate --validate --html exited {rc}")
            o_runs.append((w, c))
            compiled = sorted(p.stem for p in home.glob("cache/catalogs/*/*.json"))
            b_runs.append(measure(bare_arelle_cmd(pkg, out, tmp / "bare.json"))[1:])
        ow, oc = statistics.median(r[0] for r in o_runs), statistics.median(r[1] for r in o_runs)
        bw, bc = statistics.median(r[0] for r in b_runs), statistics.median(r[1] for r in b_runs)
        print(f"load average {os.getloadavg()[0]:.2f} at the end; medians of {args.repeat}")
        print(f"catalogs compiled by the first run: {', '.join(compiled)}")
        print()
        print(f"| {'target':58} | {'wall':18} | {'ratio':>5} | {'CPU':18} | {'ratio':>5} |")
        print(f"|{'-' * 60}|{'-' * 20}|{'-' * 7}|{'-' * 20}|{'-' * 7}|")
        name = f"first generate --validate --html ({args.model}) / bare (≤ 1.5)"
        print(
            f"| {name:58} | {f'{ow:.1f} s / {bw:.1f} s':18} | {ow / bw:>5.2f} | {f'{oc:.1f} s / {bc:.1f} s':18} | {oc / bc:>5.2f} |"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
