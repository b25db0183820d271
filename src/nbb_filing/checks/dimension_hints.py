"""Which link role made a fact dimensionally valid last time: tried first, to save time, never trusted.

XBRL Dimensions: a fact is valid when, in *one* of the link roles (ELRs) where its concept has
hypercubes, its context meets them.  Arelle (``ValidateXbrlDimensions.isFactDimensionallyValid``)
tries the link roles in taxonomy order until one fits.  In the NBB taxonomy every amount is the
same concept (``met:am1``) with hypercubes in dozens of link roles: for the SmartCoop m82-f
sample Arelle tests 4,535 (role, fact) pairs for 314 facts, ~0.1 s of every validation.

A fact of the same concept with the same dimensions (whatever their members) is valid in one of
a few link roles, those that made such facts valid before, in this filing or in the previous one
validated on the same taxonomy (``watch``, batches): good first guesses.  :func:`hinted` tries
them first, most recent first, with Arelle's own test (``checkFactElrHcs``); when one fits, the
answer is "valid", as Arelle's would be since validity only needs one role; when none does, or
there is no guess, Arelle's function runs as before.  The result is Arelle's in every case; only
the order of the tries changes.  Errors (invalid facts) are always Arelle's full search.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: (concept in Clark notation, dimensions of the fact's context in Clark notation)
HintKey = tuple[str, frozenset[str]]
#: the link roles that made facts of a kind valid, most recent first
Hints = dict[HintKey, tuple[str, ...]]

#: link roles kept per kind of fact
MAX_ROLES = 8


def fact_key(fact: Any) -> HintKey | None:
    """What a guess is kept under; None for a fact without a concept or context."""
    try:
        return (fact.concept.qname.clarkNotation, frozenset(q.clarkNotation for q in fact.context.qnameDims))
    except AttributeError:
        return None


@contextmanager
def hinted(hints: Hints) -> Iterator[Hints]:
    """Inside the block, Arelle's fact dimension checks try the guesses of ``hints`` first; yields
    the guesses updated in the block (per kind of fact met, the link roles that made such facts
    valid, most recent first), to keep for the next validation on the same taxonomy."""
    from arelle import ValidateXbrlDimensions

    is_valid = ValidateXbrlDimensions.isFactDimensionallyValid
    check_elr = ValidateXbrlDimensions.checkFactElrHcs
    learnt: Hints = {}

    def guesses(key: HintKey) -> tuple[str, ...]:
        return learnt.get(key) or hints.get(key) or ()

    def remember(key: HintKey, elr: str) -> None:
        known = guesses(key)
        learnt[key] = known if known[:1] == (elr,) else (elr, *(r for r in known if r != elr))[:MAX_ROLES]

    # (Arelle's parameter names, in case a caller passes them by name)
    def check_elr_noting(val: Any, f: Any, ELR: str, hcRels: Any, setPrototypeContextElements: bool = False) -> bool:
        ok = check_elr(val, f, ELR, hcRels, setPrototypeContextElements)
        if ok and not setPrototypeContextElements:
            key = fact_key(f)
            if key is not None:
                remember(key, ELR)
        return bool(ok)

    def is_valid_guess_first(
        val: Any, f: Any, setPrototypeContextElements: bool = False, otherFacts: Any = None
    ) -> bool:
        key = fact_key(f) if not setPrototypeContextElements else None
        if key is not None:
            for elr in guesses(key):
                rels = ValidateXbrlDimensions.priItemElrHcRels(val, f.concept).get(elr)
                if rels and check_elr(val, f, elr, rels, False):
                    remember(key, elr)
                    return True
        return bool(is_valid(val, f, setPrototypeContextElements, otherFacts))

    ValidateXbrlDimensions.isFactDimensionallyValid = is_valid_guess_first
    ValidateXbrlDimensions.checkFactElrHcs = check_elr_noting
    try:
        yield learnt
    finally:
        ValidateXbrlDimensions.isFactDimensionallyValid = is_valid
        ValidateXbrlDimensions.checkFactElrHcs = check_elr
