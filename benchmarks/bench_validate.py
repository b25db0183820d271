"""Benchmark: ``nbb-filing validate`` against bare ``arelleCmdLine --workOffline`` doing the same validation.

Usage::

    python benchmarks/bench_validate.py [--taxonomy PKG.zip] [--files 20] [--workers 2] [FILE.xbrl]

The filing used is, in this order: the FILE given; the SmartCoop m82-f sample if a generated
instance exists (``out/**/*.xbrl`` or ``samples/**/*.xbrl`` whose schemaRef names m82-f); else
the accepted m87-f filing of ``tests/data`` moved to the package's framework.  The script
says which one it used.

Measured in the same run, each command in its own subprocess (wall time; peak RSS of that
subprocess through ``resource.getrusage(RUSAGE_CHILDREN)`` of a one-shot wrapper):

1. one file: ``nbb-filing validate FILE --format json`` vs ``arelleCmdLine -f FILE --packages PKG
   --workOffline -v --baseTaxonomyValidation none --validateDuplicateFacts all
   --formulaAsserResultCounts --logFile log.json`` (the command of the replica's README);
2. N copies of the file: one ``nbb-filing validate`` call (and one with ``--workers``) vs N bare
   runs one after another.

Ratios are bare time / our time (above 1 means we are faster).  This is a benchmark, not a test:
timings depend on the machine and its load; run it on a quiet machine and read the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
_WRAP = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "w = time.perf_counter() - t\n"
    "print(rc, w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def measure(cmd: list[str]) -> tuple[int, float, float]:
    """(exit code, wall seconds, peak RSS in MB) of ``cmd`` run in a fresh wrapper process."""
    out = subprocess.run([sys.executable, "-c", _WRAP, *cmd], capture_output=True, text=True, check=True).stdout.split()
    rc, wall, rss_kb = int(out[0]), float(out[1]), float(out[2])
    return rc, wall, rss_kb / 1024.0


def find_sample(explicit: str | None, tmp: Path, info) -> tuple[Path, str]:
    from nbb_filing.checks.validate import serialise_retargeted
    from nbb_filing.taxonomy.filing_xml import parse_filing, schema_ref

    if explicit:
        ref = schema_ref(parse_filing(explicit).getroot())
        return Path(explicit), f"{explicit} (given; model {ref.model}, framework {ref.framework})"
    for base in (ROOT / "out", ROOT / "samples"):
        for p in sorted(base.glob("**/*.xbrl")) if base.is_dir() else ():
            try:
                ref = schema_ref(parse_filing(p).getroot())
            except Exception:
                continue
            if ref.model == "m82-f":
                return p, f"SmartCoop m82-f sample {p.relative_to(ROOT)}"
    accepted = ROOT / "tests" / "data" / "m87-f-accepted-2022-anonymised.xbrl"
    tree = parse_filing(accepted)
    fw = info.frameworks[0]
    target = tmp / "m87-accepted-retargeted.xbrl"
    target.write_bytes(serialise_retargeted(tree.getroot(), fw))
    return target, f"accepted m87-f filing (framework 23.0) moved to framework {fw} (no SmartCoop m82-f instance found)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?")
    ap.add_argument("--taxonomy", default=os.environ.get("NBB_FILING_TAXONOMY"))
    ap.add_argument("--files", type=int, default=20, help="number of copies for the many-files case (default 20)")
    ap.add_argument("--workers", type=int, default=2, help="workers for the parallel many-files run (default 2)")
    args = ap.parse_args()

    from nbb_filing.taxonomy.packages import resolve_package

    info = resolve_package(args.taxonomy)
    tmp = Path(tempfile.mkdtemp(prefix="nbb-bench-validate-"))
    try:
        sample, what = find_sample(args.file, tmp, info)
        print(f"package   {info.path.name} ({info.version})")
        print(f"filing    {what}")
        print(f"machine   {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
        env_ours = [str(BIN / "nbb-filing"), "validate", "--taxonomy", str(info.path), "--format", "json"]
        bare = [
            str(BIN / "arelleCmdLine"),
            "--packages",
            str(info.path),
            "--workOffline",
            "-v",
            "--baseTaxonomyValidation",
            "none",
            "--validateDuplicateFacts",
            "all",
            "--formulaAsserResultCounts",
            "--logFileMode",
            "w",
        ]

        # warm the catalog cache so that both sides do only validation work
        measure(env_ours + ["-o", str(tmp / "warm.json"), str(sample)])

        rows = []
        rc, t_ours, m_ours = measure(env_ours + ["-o", str(tmp / "one.json"), str(sample)])
        verdict = json.loads((tmp / "one.json").read_text())["files"][0]["summary"]
        rc_b, t_bare, m_bare = measure(bare + ["-f", str(sample), "--logFile", str(tmp / "one-log.json")])
        errors = _bare_errors(tmp / "one-log.json")
        rows.append(("1 file", t_ours, m_ours, t_bare, m_bare))
        print(
            f"our verdict: exit {rc}, {verdict['evaluated']} assertions evaluated, {verdict['blocking']} blocking; "
            f"bare Arelle: exit {rc_b}, {errors} error-level messages"
        )

        copies = []
        for i in range(args.files):
            c = tmp / f"copy-{i:02d}.xbrl"
            shutil.copyfile(sample, c)
            copies.append(str(c))
        _, t_many, m_many = measure(env_ours + ["-o", str(tmp / "many.json")] + copies)
        _, t_par, m_par = measure(env_ours + ["--workers", str(args.workers), "-o", str(tmp / "par.json")] + copies)
        t_bare_many, m_bare_many = 0.0, 0.0
        for i, c in enumerate(copies):
            _, t, m = measure(bare + ["-f", c, "--logFile", str(tmp / f"log-{i}.json")])
            t_bare_many += t
            m_bare_many = max(m_bare_many, m)
        rows.append((f"{args.files} files, 1 process", t_many, m_many, t_bare_many, m_bare_many))
        rows.append((f"{args.files} files, {args.workers} workers", t_par, m_par, t_bare_many, m_bare_many))

        print()
        print(f"{'case':26} {'ours s':>9} {'ours MB':>8} {'bare s':>9} {'bare MB':>8} {'ratio':>7}")
        for name, a, ma, b, mb in rows:
            print(f"{name:26} {a:9.1f} {ma:8.0f} {b:9.1f} {mb:8.0f} {b / a:7.2f}")
        print(
            "ratio = bare Arelle time / nbb-filing validate time (above 1: nbb-filing is faster); "
            "peak MB = max RSS of the largest single process of the command (with --workers: the largest worker or parent)"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _bare_errors(log: Path) -> int:
    try:
        data = json.loads(log.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return -1
    return sum(1 for r in data.get("log", []) if str(r.get("level", "")).lower() in ("error", "critical", "fatal"))


if __name__ == "__main__":
    sys.exit(main())
