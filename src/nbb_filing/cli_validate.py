"""CLI: `nbb-filing validate` (placeholder until implemented)."""

from __future__ import annotations

import click

from .errors import NbbFilingError


@click.command(name="validate")
def validate() -> None:
    """Not implemented yet."""
    raise NbbFilingError("'nbb-filing validate' is not implemented yet")
