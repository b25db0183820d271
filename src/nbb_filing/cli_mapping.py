"""CLI: `nbb-filing mapping` (placeholder until implemented)."""

from __future__ import annotations

import click

from .errors import NbbFilingError


@click.command(name="mapping")
def mapping() -> None:
    """Not implemented yet."""
    raise NbbFilingError("'nbb-filing mapping' is not implemented yet")
