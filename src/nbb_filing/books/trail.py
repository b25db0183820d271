"""The mapping's audit trail: which accounts made each rubric, kept beside a generated filing.

``nbb-filing generate --trail`` writes ``FILE.trail.json`` next to ``FILE.xbrl``; ``nbb-filing
render`` reads it (beside the filing, or ``--trail PATH``) and lets a reviewer open a rubric and
see the accounts behind it.  For each period and each rubric the mapping computed, the trail holds
the amount, the provenance text of the mapping engine, the accounts posted to it (account, label,
amount in the rubric's sign, rule id) and, for a total, its formula and terms.

The trail repeats the mapping's own computation (:func:`nbb_filing.books.mapping.compute_period`, a few
milliseconds); it describes the figures the mapping computed, before the dossier's own ``figures:``
and a ``previous_filing:`` override any of them (the render shows the trail beside the filed value).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from nbb_filing.core.atomic import write_atomic
from nbb_filing.core.errors import InputError
from nbb_filing.taxonomy.catalog import Catalog

TRAIL_FORMAT = 1
_FORMULA_RE = re.compile(r"^computed: (?:(?P<solved>\S+) from )?(?P<total>\S+) = (?P<terms>.+)$")


@dataclass(frozen=True)
class TrailAccount:
    account: str
    label: str
    amount: Decimal
    rule: str
    via: str = ""  # the full model's rubric it reached, when that rubric is not on the page (60 in 60/61)


@dataclass(frozen=True)
class TrailEntry:
    """How one rubric of one period was made."""

    rubric: str
    period: str
    amount: Decimal
    source: str
    accounts: tuple[TrailAccount, ...] = ()
    formula: str | None = None
    terms: tuple[tuple[int, str], ...] = ()  # (sign, rubric) of the total the amount came from


@dataclass(frozen=True)
class Trail:
    model: str
    mapping: str
    sources: dict[str, str]  # period -> trial balance name
    entries: dict[tuple[str, str], TrailEntry]  # (rubric, period) -> entry
    #: SHA-256 of the filing the trail was written with; a trail is shown only beside that filing
    filing_sha256: str | None = None

    def get(self, rubric: str, period: str) -> TrailEntry | None:
        return self.entries.get((rubric, period))

    def reaching_accounts(self, entry: TrailEntry, shown: Callable[[str], bool]) -> TrailEntry:
        """``entry`` with each term that is not ``shown`` (a rubric of the full model that the filed
        model has no row for: 60 and 61 in m81-f's 60/61, 280/1 in its 28) replaced by the accounts
        behind it, through its own terms down to the accounts, each with its sign and ``via`` rubric.

        The drill-down of a total then ends at the accounts even where the smaller model shows no
        intermediate row to go to; the accounts and the terms that stay add up to the total."""
        accounts = list(entry.accounts)
        kept: list[tuple[int, str]] = []

        def expand(rubric: str, sign: int, depth: int) -> None:
            sub = self.get(rubric, entry.period)
            if sub is None:
                return  # a zero term: nothing behind it
            for a in sub.accounts:
                accounts.append(TrailAccount(a.account, a.label, sign * a.amount, a.rule, a.via or rubric))
            for s, t in sub.terms:
                if shown(t) or depth > 20:
                    kept.append((sign * s, t))
                else:
                    expand(t, sign * s, depth + 1)

        for s, t in entry.terms:
            if shown(t):
                kept.append((s, t))
            else:
                expand(t, s, 0)
        if len(kept) == len(entry.terms):
            return entry
        return replace(entry, accounts=tuple(accounts), terms=tuple(kept))


def _terms(source: str) -> tuple[str | None, tuple[tuple[int, str], ...]]:
    m = _FORMULA_RE.match(source)
    if not m:
        return None, ()
    tokens = m.group("terms").split()
    out: list[tuple[int, str]] = []
    sign = 1
    for tok in tokens:
        if tok in ("+", "-"):
            sign = -1 if tok == "-" else 1
            continue
        out.append((sign, tok))
        sign = 1
    return f"{m.group('total')} = {m.group('terms')}", tuple(out)


def build_trail(dossier: Any, catalog: Catalog) -> Trail | None:
    """The trail of the dossier's trial balances through its mapping, or ``None`` without a mapping."""
    inp = dossier.inputs
    if not (inp.trial_balance and inp.mapping):
        return None
    from nbb_filing.books.ledger import read_trial_balance
    from nbb_filing.books.mapping import compute_period
    from nbb_filing.books.mapping_file import load_mapping

    mp = load_mapping(dossier.mapping_path())  # the folder rule of the dossier's other inputs
    full = catalog if catalog.model == mp.model else catalog.sibling(mp.model)
    entries: dict[tuple[str, str], TrailEntry] = {}
    sources: dict[str, str] = {}
    for period, key in (("current", "trial_balance"), ("previous", "previous_trial_balance")):
        rel = getattr(inp, key)
        if not rel:
            continue
        tb = read_trial_balance(dossier.resolve_path(rel, "inputs", key))
        sources[period] = tb.source
        res = compute_period(mp, tb, period, full, catalog)
        posted: dict[str, list[TrailAccount]] = {}
        for p in res.allocation.postings:
            if p.rule.target:
                posted.setdefault(p.rule.target, []).append(
                    TrailAccount(p.account.account, p.account.label, p.amount, p.rule.id)
                )
        for rubric, amount in res.values.items():
            if amount == 0 and rubric not in posted:
                continue
            source = res.sources.get(rubric, "")
            formula, terms = _terms(source)
            entries[(rubric, period)] = TrailEntry(
                rubric, period, amount, source, tuple(posted.get(rubric, ())), formula, terms
            )
    return Trail(catalog.model, mp.source, sources, entries)


def trail_path_for(filing: str | os.PathLike) -> Path:
    """``out/x.xbrl`` -> ``out/x.trail.json``."""
    p = Path(filing)
    return p.with_name(p.stem + ".trail.json")


def trail_to_json(trail: Trail) -> dict:
    return {
        "format": TRAIL_FORMAT,
        "model": trail.model,
        "mapping": trail.mapping,
        "sources": trail.sources,
        "filing_sha256": trail.filing_sha256,
        "entries": [
            {
                "rubric": e.rubric,
                "period": e.period,
                "amount": str(e.amount),
                "source": e.source,
                "formula": e.formula,
                "terms": [[s, t] for s, t in e.terms],
                "accounts": [
                    {"account": a.account, "label": a.label, "amount": str(a.amount), "rule": a.rule}
                    for a in e.accounts
                ],
            }
            for e in trail.entries.values()
        ],
    }


def write_trail(trail: Trail, path: str | os.PathLike, filing: bytes | None = None) -> Path:
    """Write ``trail`` to ``path``, bound to ``filing`` (the bytes of the filing written with it)."""
    import dataclasses
    import hashlib

    if filing is not None:
        trail = dataclasses.replace(trail, filing_sha256=hashlib.sha256(filing).hexdigest())
    p = Path(path)
    write_atomic(p, (json.dumps(trail_to_json(trail), ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return p


def trail_mismatch(trail: Trail, filing: str | os.PathLike) -> str | None:
    """Why ``trail`` is not the trail of the filing at ``filing`` (``None`` when it is): a trail is
    bound to the SHA-256 of the filing it was written with, so a filing edited, regenerated without
    ``--trail`` or replaced keeps no stale drill-down beside it."""
    import hashlib

    if trail.filing_sha256 is None:
        return "it names no filing (written by an older version: generate --trail again)"
    try:
        digest = hashlib.sha256(Path(filing).read_bytes()).hexdigest()
    except OSError as e:
        return f"the filing cannot be read ({e.strerror or e})"
    if digest != trail.filing_sha256:
        return "it was written with another version of the filing (SHA-256 differs)"
    return None


def load_trail(path: str | os.PathLike) -> Trail:
    """Read a trail file; a file that is not one is an :class:`InputError` naming it."""
    p = Path(path)
    try:
        d = json.loads(p.read_text(encoding="utf-8"))
        if d.get("format") != TRAIL_FORMAT:
            raise InputError(
                f"{p}: not a trail file of format {TRAIL_FORMAT} (written by 'nbb-filing generate --trail')"
            )
        entries = {}
        for x in d["entries"]:
            accounts = tuple(
                TrailAccount(a["account"], a["label"], Decimal(a["amount"]), a["rule"]) for a in x["accounts"]
            )
            e = TrailEntry(
                x["rubric"],
                x["period"],
                Decimal(x["amount"]),
                x["source"],
                accounts,
                x.get("formula"),
                tuple((int(s), str(t)) for s, t in x.get("terms") or ()),
            )
            entries[(e.rubric, e.period)] = e
        bound = d.get("filing_sha256")
        return Trail(d["model"], d["mapping"], dict(d["sources"]), entries, bound if isinstance(bound, str) else None)
    except OSError as e:
        raise InputError(f"{p}: cannot read the trail file ({e.strerror or e})") from None
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise InputError(f"{p}: not a valid trail file ({type(e).__name__}: {e})") from None
