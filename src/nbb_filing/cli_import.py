"""CLI: `nbb-filing import` (placeholder until implemented)."""

from __future__ import annotations

import click

from .errors import NbbFilingError


@click.command(name="import")
def import_filing() -> None:
    """Not implemented yet."""
    raise NbbFilingError("'nbb-filing import' is not implemented yet")
