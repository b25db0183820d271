"""A hint for an account that reaches no rubric: where the mapping sends the accounts around it.

An account of the chart that a mapping leaves out is most often an account of another family of
companies: 100000 (capital) in a company without capital, whose contributions are 110/111 since the
Code of companies and associations.  The hint is read from the mappings themselves, not from a table
of accounts: the rules of this mapping nearest to the account in the chart's order, and the rubric a
shipped mapping of another family gives it.
"""

from __future__ import annotations

import bisect
from functools import lru_cache

from nbb_filing.books.mapping_model import Mapping, Rule
from nbb_filing.core.errors import InputError

__all__ = ["unmapped_hint"]

#: How many rules of the mapping the hint names after the account, and before it.
AFTER, BEFORE = 2, 1


def _rubric_rule(mapping: Mapping, account: str) -> Rule | None:
    """The rubric rule of ``mapping`` that catches ``account`` on some side (the most specific one)."""
    best: tuple[float, Rule] | None = None
    for r in mapping.rules:
        spec = r.specificity_for(account) if r.kind == "rubric" else None
        if spec is not None and (best is None or spec > best[0]):
            best = (spec, r)
    return best[1] if best else None


@lru_cache(maxsize=8)
def _other_families(family: str) -> tuple[Mapping, ...]:
    from nbb_filing.books.mapping_file import load_mapping
    from nbb_filing.core.shipped import shipped_mapping_names

    found = (load_mapping(name) for name in shipped_mapping_names())
    return tuple(m for m in found if m.family != family)


def unmapped_hint(mapping: Mapping, account: str) -> str:
    """``nearest rules of this mapping: 110 -> rubric 110, 111 -> rubric 111; the with-capital mapping
    sends it to rubric 100`` for ``account`` 100000 in the without-capital mapping ("" if none)."""
    keys = sorted(
        (sel.lo, r)
        for r in mapping.rules
        if r.kind == "rubric"
        for sel in r.selectors
        if sel.lo[:1] == account[:1]  # the same class of the chart
    )
    at = bisect.bisect_left([k for k, _ in keys], account)
    near = keys[max(0, at - BEFORE) : at] + keys[at : at + AFTER]
    parts = []
    if near:
        parts.append("nearest rules of this mapping: " + ", ".join(f"{k} -> rubric {r.target}" for k, r in near))
    try:
        others = _other_families(mapping.family)
    except InputError:  # a broken shipped file must not hide the finding the hint only adds to
        others = ()
    for other in others:
        r = _rubric_rule(other, account)
        if r is not None:
            parts.append(f"the {other.family} mapping (another family) sends it to rubric {r.target}")
    return "; ".join(parts)
