"""Benchmark: reading and importing a filing, as ratios of one Arelle load of the same filing.

Usage: python benchmarks/bench_import.py [--taxonomy PKG.zip] [FILING.xbrl]
       (default: tests/data/m87-f-accepted-2022-anonymised.xbrl)

Measures, with the catalog already cached (median of --repeat runs):
  parse    safe lxml parse only (filing_xml.parse_filing)
  read     read_facts: parse + retarget + resolve every fact against the catalog
  import   import_filing into a temporary directory, including the round-trip self-check
and once: an in-process Arelle load of the instance without validation (arelle_env.load).
Prints each time and its ratio to the Arelle load; the target is read and import at least 5x
faster than that one load (they must not feel like a validation run).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from _timing import arelle_load, timed_runs

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "tests" / "data" / "m87-f-accepted-2022-anonymised.xbrl"


def median_time(fn, repeat: int) -> float:
    return statistics.median(timed_runs(fn, repeat))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("filing", nargs="?", default=str(DEFAULT))
    ap.add_argument("--taxonomy", default=os.environ.get("NBB_FILING_TAXONOMY"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from nbb_filing.reading.importer import import_filing
    from nbb_filing.reading.reader import read_facts
    from nbb_filing.taxonomy.catalog_cache import load_catalog
    from nbb_filing.taxonomy.filing_xml import parse_filing, schema_ref
    from nbb_filing.taxonomy.packages import resolve_package

    info = resolve_package(args.taxonomy)
    path = Path(args.filing)
    model = schema_ref(parse_filing(path).getroot()).model
    load_catalog(info, model)  # compiled or read from the cache before timing
    facts = read_facts(path, info)

    t_parse = median_time(lambda: parse_filing(path), args.repeat)
    t_read = median_time(lambda: read_facts(path, info), args.repeat)
    with tempfile.TemporaryDirectory(prefix="nbb-bench-import-") as tmp:
        counter = iter(range(10_000))
        t_import = median_time(lambda: import_filing(path, Path(tmp) / str(next(counter)), info), args.repeat)

    # the reference: Arelle loading the same instance once (DTS from the package, offline)
    from nbb_filing.taxonomy.filing_xml import retarget_framework

    tree, _ = retarget_framework(parse_filing(path), load_catalog(info, model).framework)
    with tempfile.TemporaryDirectory(prefix="nbb-bench-arelle-") as tmp:
        target = Path(tmp) / "instance.xbrl"
        tree.write(str(target), xml_declaration=True, encoding="utf-8")
        t_arelle, n_arelle = arelle_load(info, target)

    print(
        f"filing {path.name}: {len(facts)} facts resolved ({len(facts.unresolved)} unresolved); Arelle saw {n_arelle}"
    )
    print(f"{'step':8} {'seconds':>9} {'x faster than one Arelle load':>31}")
    for name, secs in (("parse", t_parse), ("read", t_read), ("import", t_import), ("arelle", t_arelle)):
        print(f"{name:8} {secs:>9.4f} {t_arelle / secs:>30.1f}x")
    worst = min(t_arelle / t_read, t_arelle / t_import)
    print(f"smallest ratio (read, import): {worst:.1f}x (target >= 5x)")
    return 0 if worst >= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
