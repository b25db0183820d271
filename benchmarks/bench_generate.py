"""Benchmark: generation time of the SmartCoop sample as a ratio of one Arelle load of its instance.

Usage::

    python benchmarks/bench_generate.py [--runs 5] [--model m82-f] [--dossier samples/smartcoop-2024/dossier.yaml]

Generation is timed warm (catalog already compiled and cached, as on a user's machine after the
first run) and cold-in-process (first call of the process: YAML parsing, catalog JSON loading).  The
reference is one Arelle load of the written instance with the same package, offline, without
validation: the cheapest thing any validation must do.  Only ratios are meaningful across machines.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _timing import arelle_load, timed_runs

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dossier", default=str(ROOT / "samples" / "smartcoop-2024" / "dossier.yaml"))
    ap.add_argument("--model", default=None)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)

    from nbb_filing.api import generate
    from nbb_filing.taxonomy import arelle_env
    from nbb_filing.taxonomy.catalog_cache import load_catalog
    from nbb_filing.taxonomy.packages import resolve_package

    info = resolve_package()
    out_dir = Path(tempfile.mkdtemp(prefix="bench-generate-"))
    out = out_dir / "bench.xbrl"

    t = time.perf_counter()
    first = generate(args.dossier, out, package=info, model=args.model)
    cold = time.perf_counter() - t
    load_catalog(info, first.model)  # warm: catalog in the process cache from here on
    warm = timed_runs(lambda: generate(args.dossier, out, package=info, model=args.model), args.runs)

    arelle_env.use_package(info)  # package activation is not part of a load
    arelle_seconds, n_facts = arelle_load(info, out)

    med = statistics.median(warm)
    print(f"instance: {first.model}, {first.facts} facts ({n_facts} loaded by Arelle), {out.stat().st_size} bytes")
    print(f"generate, first call in process: {cold:.3f} s")
    print(f"generate, warm (median of {args.runs}): {med:.3f} s  (min {min(warm):.3f}, max {max(warm):.3f})")
    print(f"one Arelle load of the same instance: {arelle_seconds:.3f} s")
    print(f"ratio generate(warm) / Arelle load: {med / arelle_seconds:.3f}")
    print(f"ratio generate(first call) / Arelle load: {cold / arelle_seconds:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
