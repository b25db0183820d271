"""Benchmark: compiling a model's catalog with Arelle vs loading it from the disk cache.

Usage: python benchmarks/bench_catalog.py [--taxonomy PKG.zip] [MODEL ...]   (default m87-f m82-f)

Each model is compiled once into a fresh temporary data home (cold: one Arelle load of the
model plus the table walk), then loaded from the JSON cache several times with the in-memory
cache cleared (warm).  Prints both times and their ratio; the target is a ratio of at least 20.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="*", default=["m87-f", "m82-f"])
    ap.add_argument("--taxonomy", default=os.environ.get("NBB_FILING_TAXONOMY"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    os.environ["NBB_FILING_HOME"] = tempfile.mkdtemp(prefix="nbb-bench-catalog-")

    from nbb_filing.taxonomy import catalog_cache as catalog_mod
    from nbb_filing.taxonomy.packages import resolve_package

    info = resolve_package(args.taxonomy)
    print(f"package {info.name} {info.version}")
    print(f"{'model':8} {'datapoints':>10} {'compile s':>10} {'cached s':>10} {'ratio':>8}")
    worst = None
    for model in args.models:
        catalog_mod.clear_memory_cache()
        t = time.perf_counter()
        cat = catalog_mod.load_catalog(info, model)
        cold = time.perf_counter() - t
        warm_runs = []
        for _ in range(args.repeat):
            catalog_mod.clear_memory_cache()
            t = time.perf_counter()
            again = catalog_mod.load_catalog(info, model)
            warm_runs.append(time.perf_counter() - t)
            assert len(again) == len(cat)
        warm = statistics.median(warm_runs)
        ratio = cold / warm
        worst = ratio if worst is None else min(worst, ratio)
        print(f"{model:8} {len(cat):>10} {cold:>10.2f} {warm:>10.4f} {ratio:>7.0f}x")
    print(f"smallest ratio: {worst:.0f}x (target >= 20x)")
    return 0 if worst is not None and worst >= 20 else 1


if __name__ == "__main__":
    sys.exit(main())
