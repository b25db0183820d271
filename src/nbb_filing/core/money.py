"""Amounts as people read them, in messages and summaries.

One formatter for every message that shows an amount, so that an error about the fixed-asset
notes and one about a trial balance print 1,919,750.00 the same way.  Amounts are ``Decimal``
everywhere (the NBB checks to the cent); nothing here rounds: two decimals are shown because
the figures have at most two (the metric types allow no more).
"""

from __future__ import annotations

from decimal import Decimal

#: What a summary shows for an amount that is absent (not zero: absent).
MISSING = "-"


def money(amount: Decimal | None, *, thousands: str = ",") -> str:
    """``Decimal("1919750")`` -> ``1,919,750.00`` (``thousands=" "``: ``1 919 750.00``); None -> ``-``."""
    if amount is None:
        return MISSING
    text = f"{amount:,.2f}"
    return text if thousands == "," else text.replace(",", thousands)


def quantity(number: Decimal | None) -> str:
    """A count, hours or FTE as written, with the same thousands separator: ``179,360``, ``4.8``.

    Not an amount: no cents are added (``10`` hours is not ``10.00``); None -> ``-``.
    """
    if number is None:
        return MISSING
    return f"{number:,}"
