"""Post-appropriation guards: the books must be closed, whatever the package's assertions hold.

A filing is drawn from the trial balance *after* the appropriation of the result: the year's
result (classes 60-68 / 70-78) and the result brought forward (690 / 790) are appropriated through
691-699 / 791-799 against equity (13, 14) or debts (47), so that classes 6 and 7 net to zero.  A
trial balance before appropriation still balances (the result sits in classes 6 and 7), but its
balance sheet does not: 20/58 differs from 10/49 by the unappropriated result.  Some models of
the NBB packages have no assertion 20/58 = 10/49, so the product checks, itself:

* classes 6 and 7 net to zero (:func:`unappropriated`), naming the unappropriated result, its
  amount, its parts and its accounts;
* total assets = total liabilities, computed from the figures (:func:`balance_sheet_mismatch`);
* the result brought forward (14P) equals last year's result carried forward (14), from the
  previous trial balance or the previous filing (:func:`carried_forward_mismatch`).

The rubric codes (20/58, 10/49, 14, 14P) are those the dossier's binding table names for these
roles (``data/dossier-datapoints.yaml``, ``rubrics:``), checked there against every model.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache

from nbb_filing.books.ledger import AccountLine, TrialBalance
from nbb_filing.core.data_files import load_data_yaml
from nbb_filing.core.money import money

ZERO = Decimal(0)

__all__ = ["closing_rubrics", "unappropriated", "balance_sheet_mismatch", "carried_forward_mismatch"]


@lru_cache(maxsize=1)
def closing_rubrics() -> dict[str, str]:
    """Role -> rubric code: ``total_assets``, ``total_liabilities``, ``carried_forward`` and
    ``carried_forward_previous``."""
    table = load_data_yaml("dossier-datapoints.yaml").get("rubrics") or {}
    roles = ("total_assets", "total_liabilities", "carried_forward", "carried_forward_previous")
    return {r: str(table[r]) for r in roles if r in table}


def _profit(x: Decimal) -> str:
    """A result in the income sense (credit positive): ``a profit of 1,000.00`` / ``a loss of ...``."""
    return f"a {'profit' if x >= 0 else 'loss'} of {money(abs(x))}"


def _accounts(lines: list[AccountLine], limit: int = 8) -> str:
    shown = ", ".join(f"{a.account} ({'D' if a.balance > 0 else 'C'} {money(abs(a.balance))})" for a in lines[:limit])
    return shown + (f" and {len(lines) - limit} more" if len(lines) > limit else "")


def unappropriated(tb: TrialBalance) -> str | None:
    """Why ``tb`` is not a trial balance after appropriation, or ``None`` when classes 6 and 7 net to zero.

    The message names the unappropriated amount, the year's result (60-68 / 70-78), what was
    brought forward (690/790) and appropriated (691-699/791-799), and the accounts involved.
    """
    six_seven = [a for a in tb.nonzero() if a.account[:1] in "67"]
    net = sum((a.balance for a in six_seven), ZERO)  # debit positive
    if net == 0:
        return None
    appropriation = [a for a in six_seven if a.account[:2] in ("69", "79")]
    brought = [a for a in appropriation if a.account[:3] in ("690", "790")]
    allocated = [a for a in appropriation if a not in brought]
    result = [a for a in six_seven if a not in appropriation]
    year = -sum((a.balance for a in result), ZERO)
    forward = -sum((a.balance for a in brought), ZERO)
    done = sum((a.balance for a in allocated), ZERO)
    if not allocated:
        what = (
            f"the result of the year ({_profit(year)}) is not appropriated: there is no appropriation "
            f"account (691-699/791-799) in the trial balance"
        )
    else:
        what = (
            f"{_profit(-net)} is unappropriated (result of the year, 60-68/70-78: {_profit(year)}; brought "
            f"forward, 690/790: {_profit(forward)}; appropriated, 691-699/791-799: {_profit(done)} through "
            f"{_accounts(allocated)})"
        )
    return (
        f"{tb.source}: classes 6 and 7 do not net to zero ({'debit' if net > 0 else 'credit'} "
        f"{money(abs(net))}), so this is not a trial balance after appropriation: {what}; result accounts "
        f"{_accounts(result)}; book the appropriation (69x/79x against 13, 14 or 47) before filing"
    )


def balance_sheet_mismatch(values: Mapping[str, Decimal], where: str, period: str) -> str | None:
    """``20/58 != 10/49`` in ``values`` (absent rubrics count as zero), or ``None``."""
    codes = closing_rubrics()
    assets, liabilities = codes.get("total_assets"), codes.get("total_liabilities")
    if not assets or not liabilities:
        return None
    a, li = values.get(assets) or ZERO, values.get(liabilities) or ZERO
    if a == li:
        return None
    return (
        f"{where}: total assets {assets} ({period} year) is {money(a)} but total liabilities {liabilities} is "
        f"{money(li)} (difference {money(a - li)}); a balance sheet that does not balance is not filed, "
        f"whatever the package's assertions say (an unappropriated result, or accounts mapped outside "
        f"the balance sheet and the income statement)"
    )


def carried_forward_mismatch(
    current: Mapping[str, Decimal], previous: Mapping[str, Decimal], where: str, previous_source: str
) -> str | None:
    """14P of this year differs from 14 of the previous year (from ``previous_source``), or ``None``."""
    codes = closing_rubrics()
    bf, cf = codes.get("carried_forward_previous"), codes.get("carried_forward")
    if not bf or not cf:
        return None
    got, want = current.get(bf) or ZERO, previous.get(cf) or ZERO
    if got == want:
        return None
    return (
        f"{where}: rubric {bf} (result brought forward) is {money(got)} but rubric {cf} of the previous year "
        f"({previous_source}) is {money(want)}; book last year's result carried forward through 690/790"
    )
