"""Benchmark: reading trial balances and computing rubric figures scale linearly with the accounts.

Usage: python benchmarks/bench_mapping.py [--taxonomy PKG.zip] [--small 2000] [--large 20000]

Builds two synthetic balanced trial balances (CSV, decimal comma) from account numbers that the
default mapping for companies without capital routes to a rubric, then times reading the CSV,
routing the accounts (side rules) and the whole ``compute_figures`` (routing + totals + type checks)
for the full model m82-f.  Prints the times, the time per account, and the ratio large/small
against the ratio of sizes: close to 1 means linear.  The target is a normalised ratio below 1.5 (the machine may be shared: rounds alternate the sizes).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path


def synthetic_csv(path: Path, n: int, mapping, seed: int) -> None:
    from nbb_filing.books.allocation import resolve_account
    from nbb_filing.books.ledger import AccountLine

    def root_of(s) -> str:
        if s.kind == "range":
            return str(random.Random(seed).randint(int(s.lo), int(s.hi))).zfill(len(s.lo))
        return s.lo.replace("x", "0")  # a pattern (2x9: any digit in place of x)

    # contra accounts (depreciation, write-downs) are left out: on their own they would make assets negative
    roots = sorted({root_of(s) for r in mapping.rules if r.kind == "rubric" and not r.contra for s in r.selectors})
    roots = [r for r in roots if not r.startswith(("14", "69", "79", "649"))]  # 649 is credit-natured (<= 0)
    rng = random.Random(seed)
    balances: dict[str, Decimal] = {}
    while len(balances) < n - 1:
        root = rng.choice(roots)
        number = root + "".join(rng.choice("0123456789") for _ in range(max(0, 8 - len(root))))
        if number in balances:
            continue
        amount = Decimal(rng.randint(1, 10**8)) / 100
        # give each account the side its rubric expects, so that every figure fits its type
        for sign in (1, -1):
            line = AccountLine(number, "", max(sign * amount, Decimal(0)), max(-sign * amount, Decimal(0)), 1)
            rules = resolve_account(mapping, line)
            ok = len(rules) == 1 and rules[0].kind == "rubric" and not rules[0].contra
            if ok and rules[0].sign == ("debit" if sign > 0 else "credit"):
                balances[number] = sign * amount
                break
    # the signed rubric 14 (result carried forward) absorbs the difference
    balances["14000000"] = -sum(balances.values(), Decimal(0))
    with path.open("w", encoding="utf-8") as f:
        f.write("account;label;debit;credit\n")
        for number, b in balances.items():
            d = f"{b:.2f}".replace(".", ",") if b > 0 else "0"
            c = f"{-b:.2f}".replace(".", ",") if b < 0 else "0"
            f.write(f"{number};synthetic;{d};{c}\n")


def timed(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--taxonomy", default=os.environ.get("NBB_FILING_TAXONOMY"))
    ap.add_argument("--small", type=int, default=2000)
    ap.add_argument("--large", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from nbb_filing.books.allocation import apply_mapping
    from nbb_filing.books.ledger import read_trial_balance
    from nbb_filing.books.mapping import compute_figures
    from nbb_filing.books.mapping_file import load_mapping
    from nbb_filing.taxonomy.catalog_cache import load_catalog
    from nbb_filing.taxonomy.packages import resolve_package

    info = resolve_package(args.taxonomy)
    catalog = load_catalog(info, "m82-f")
    # the statements' rules only: the notes: rules tie the notes to the statements (personnel costs
    # 620-624 = 62 ...), which random balances cannot satisfy; routing is what is measured here
    mapping = dataclasses.replace(load_mapping("without-capital"), notes=())
    tmp = Path(tempfile.mkdtemp(prefix="nbb-bench-mapping-"))
    tbs = []
    for n in (args.small, args.large):
        p = tmp / f"tb-{n}.csv"
        synthetic_csv(p, n, mapping, seed=n)
        tbs.append((p, read_trial_balance(p)))
    # the machine is shared: alternate the two sizes in every round and keep each one's best time
    best = [[float("inf")] * 3 for _ in tbs]
    for _ in range(args.repeat):
        for i, (p, tb) in enumerate(tbs):
            for j, fn in enumerate(
                (
                    lambda p=p: read_trial_balance(p),
                    lambda tb=tb: apply_mapping(mapping, tb),
                    lambda tb=tb: compute_figures(catalog, mapping, tb, None),
                )
            ):
                t, _ = timed(fn, 1)
                best[i][j] = min(best[i][j], t)
    rows = [(len(tb.accounts), *best[i]) for i, (_, tb) in enumerate(tbs)]
    print(f"{'accounts':>9} {'read s':>8} {'route s':>8} {'figures s':>10} {'µs/account (figures)':>22}")
    for n, r, a, f in rows:
        print(f"{n:>9} {r:8.3f} {a:8.3f} {f:10.3f} {f / n * 1e6:22.1f}")
    (n1, r1, a1, f1), (n2, r2, a2, f2) = rows
    size = n2 / n1
    verdict = 0.0
    for name, small, large in (("read", r1, r2), ("route", a1, a2), ("figures", f1, f2)):
        norm = (large / small) / size
        if name == "figures":
            verdict = norm  # end to end; the parts are shown for information (noisy on a shared machine)
        print(f"{name:8} time ratio {large / small:6.2f} for {size:.0f}x the accounts -> normalised {norm:.2f}")
    print("OK (linear)" if verdict < 1.5 else "SLOWER THAN LINEAR")
    return 0 if verdict < 1.5 else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    raise SystemExit(main())
