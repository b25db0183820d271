"""Limits the NBB sets on a filing that the taxonomy package does not hold (``data/nbb-limits.yaml``).

``generate`` checks the size of the instance before writing it, and ``validate``'s protocol rule
``file_size_under_50mb`` reports a larger file, so that no filing leaves the tool that the NBB
would refuse for its size.
"""

from __future__ import annotations

from functools import cache

from nbb_filing.core.data_files import load_data_yaml
from nbb_filing.core.errors import InputError


@cache
def max_filing_bytes() -> int:
    """The NBB's upload limit per filing, in bytes (a filing must stay strictly under it)."""
    data = load_data_yaml("nbb-limits.yaml")
    return int(data["max_filing_bytes"])


def check_filing_size(size: int, target: str, parts: dict[str, int] | None = None) -> None:
    """Raise :class:`InputError` when a filing of ``size`` bytes is too large for the NBB.

    ``parts`` names the largest contributors (e.g. embedded documents and their sizes) for the message.
    """
    limit = max_filing_bytes()
    if size < limit:
        return
    biggest = sorted((parts or {}).items(), key=lambda kv: -kv[1])[:3]
    why = "; largest parts: " + ", ".join(f"{k} {v / 2**20:.1f} MB" for k, v in biggest) if biggest else ""
    raise InputError(
        f"{target}: not written, the filing would have {size} bytes ({size / 2**20:.1f} MB); "
        f"the NBB accepts filings under {limit / 2**20:.0f} MB{why}"
    )
