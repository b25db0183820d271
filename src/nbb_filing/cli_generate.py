"""CLI: `nbb-filing generate` (placeholder until implemented)."""

from __future__ import annotations

import click

from .errors import NbbFilingError


@click.command(name="generate")
def generate() -> None:
    """Not implemented yet."""
    raise NbbFilingError("'nbb-filing generate' is not implemented yet")
