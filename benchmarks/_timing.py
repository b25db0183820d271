"""Timing pieces shared by the benchmark scripts (imported as ``_timing``: each script's folder is on
``sys.path`` when it runs as ``python benchmarks/bench_x.py``).

The reference of the generate and import benchmarks is one Arelle load of an instance: what any
validation has to do at the least, and a figure that scales with the machine, so that the ratios
printed mean the same on a laptop and on a loaded build server.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def timed_runs(fn: Callable[[], Any], repeat: int) -> list[float]:
    """Seconds of each of ``repeat`` calls of ``fn``."""
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return runs


def arelle_load(info: Any, instance: Path) -> tuple[float, int]:
    """Seconds of one in-process Arelle load of ``instance`` (offline, no validation), and how many
    facts Arelle found in it.

    When the package ``info`` is not active yet, activating it is part of the time: a caller that
    wants the load alone calls ``arelle_env.use_package(info)`` first.
    """
    from nbb_filing.taxonomy import arelle_env

    t = time.perf_counter()
    with arelle_env.capture() as log:
        mx = arelle_env.load(info, str(instance), log)
    seconds = time.perf_counter() - t
    n_facts = len(mx.factsInInstance)
    mx.close()
    return seconds, n_facts


def bare_arelle_cmd(pkg: Path, f: Path, log: Path) -> list[str]:
    """The bare Arelle validation the speed targets are measured against: ``arelleCmdLine`` of this
    environment, offline, on the package, with the same checks as ``nbb-filing validate`` (duplicate
    facts, formulas), its log written as JSON to ``log``."""
    return [
        str(Path(sys.executable).parent / "arelleCmdLine"),
        "--workOffline",
        "--baseTaxonomyValidation",
        "none",
        "-v",
        "--validateDuplicateFacts",
        "all",
        "--packages",
        str(pkg),
        "-f",
        str(f),
        "--logFile",
        str(log),
        "--logFileMode",
        "w",
    ]


#: A wrapper process that runs its arguments as a command and prints its exit code, wall seconds, CPU
#: seconds (user + system of the command and its children) and peak RSS (KiB): run as
#: ``python -c MEASURE_WRAPPER CMD...`` so that nothing of the benchmark's own process is counted.
MEASURE_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "w = time.perf_counter() - t\n"
    "ru = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(rc, w, ru.ru_utime + ru.ru_stime, ru.ru_maxrss)\n"
)
