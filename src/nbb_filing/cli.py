"""The ``nbb-filing`` command: a thin layer over the Python API.

Subcommands live in their own modules (``cli_taxonomy``, ``cli_mapping``, ``cli_generate``,
``cli_validate``, ``cli_import``) and are registered here.
"""

from __future__ import annotations

import click

from . import __version__
from .cli_common import ErrorHandlingGroup


@click.group(cls=ErrorHandlingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nbb-filing")
def main() -> None:
    """Annual-accounts filings for the NBB Central Balance Sheet Office (XBRL), validated offline."""
    from .packages import pin_environment

    pin_environment()  # relative NBB_FILING_TAXONOMY / NBB_FILING_HOME: resolved once, here


def _register() -> None:
    from .cli_generate import generate
    from .cli_import import import_filing
    from .cli_mapping import mapping
    from .cli_taxonomy import taxonomy
    from .cli_validate import validate

    for cmd in (taxonomy, mapping, generate, validate, import_filing):
        main.add_command(cmd)


_register()

if __name__ == "__main__":  # pragma: no cover
    main()
