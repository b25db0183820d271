"""Amounts as people read them, in messages and summaries.

One formatter for every message that shows an amount, so that an error about the fixed-asset
notes and one about a trial balance print 1,919,750.00 the same way.  Amounts are ``Decimal``
everywhere (the NBB checks to the cent); nothing here rounds: two decimals are shown because
the figures have at most two (the metric types allow no more).
"""

from __future__ import annotations

import re
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


#: Bounds on a number read from a file (a filing's fact, a trial-balance amount).  Together they
#: make 28 significant digits, the precision of Python's default decimal context: a number read
#: is never rounded, sums of such numbers stay exact, and ``1e999999`` is not written out as a
#: million digits.  The NBB's amount type itself stops at 99,999,999,999,999.99.
MAX_INTEGER_DIGITS = 18
MAX_DECIMALS = 10
#: a number written with more characters than this is refused before it is parsed
MAX_NUMBER_CHARS = 64


#: the syntax of a decimal number (as ``Decimal`` reads it, without NaN and infinities)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


class NumberOutOfBounds(ValueError):
    """A well-formed number outside :data:`MAX_INTEGER_DIGITS` / :data:`MAX_DECIMALS`."""


def bounded_decimal(text: str) -> Decimal:
    """``text`` (already stripped) as a finite Decimal within the bounds above, exactly as written.

    Raises :class:`NumberOutOfBounds` for a number out of bounds, :class:`ValueError` for text that
    is not a finite number.  Zero is always accepted (``0E-99`` is zero).
    """
    from decimal import InvalidOperation

    if len(text) > MAX_NUMBER_CHARS:
        if _NUMBER.fullmatch(text) is None:
            raise ValueError(f"{text[:20]!r}… is not a number")
        raise NumberOutOfBounds(f"{len(text)} characters, more than the {MAX_NUMBER_CHARS} accepted for a number")
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not d.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    if d.is_zero():  # accepted however written; 0E-99999 would carry its exponent into sums
        exponent = d.as_tuple().exponent
        return d if isinstance(exponent, int) and -MAX_DECIMALS <= exponent <= 0 else Decimal(0)
    sign, digits, exponent = d.as_tuple()
    assert isinstance(exponent, int)
    while len(digits) > 1 and digits[-1] == 0:  # trailing zeros: 1.50 has one decimal, 1E+3 none
        digits, exponent = digits[:-1], exponent + 1
    integer_digits = len(digits) + exponent
    if exponent > MAX_NUMBER_CHARS:
        raise NumberOutOfBounds(f"{text!r}: exponent {exponent} out of bounds ({MAX_INTEGER_DIGITS} digits accepted)")
    if integer_digits > MAX_INTEGER_DIGITS:
        raise NumberOutOfBounds(
            f"{text!r}: {integer_digits} digits before the decimal point, more than the {MAX_INTEGER_DIGITS} accepted"
        )
    if -exponent > MAX_DECIMALS:
        if -exponent > MAX_NUMBER_CHARS:
            raise NumberOutOfBounds(f"{text!r}: exponent {exponent} out of bounds ({MAX_DECIMALS} decimals accepted)")
        raise NumberOutOfBounds(f"{text!r}: {-exponent} decimals, more than the {MAX_DECIMALS} accepted")
    return d
