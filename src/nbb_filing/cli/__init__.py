"""The ``nbb-filing`` command: a thin layer over the Python API.

Subcommands live in their own modules (``cli_init``, ``cli_taxonomy``, ``cli_mapping``,
``cli_generate``, ``cli_validate``, ``cli_import``) and are registered here.
"""

from __future__ import annotations

import click

from nbb_filing import __version__
from nbb_filing.cli.common import ErrorHandlingGroup


@click.group(cls=ErrorHandlingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nbb-filing")
def main() -> None:
    """Annual-accounts filings for the NBB Central Balance Sheet Office (XBRL), validated offline."""
    from nbb_filing import pin_environment

    pin_environment()  # relative NBB_FILING_TAXONOMY / NBB_FILING_HOME: resolved once, here


def _register() -> None:
    from nbb_filing.cli.cmd_generate import generate
    from nbb_filing.cli.cmd_import import import_filing
    from nbb_filing.cli.cmd_init import init
    from nbb_filing.cli.cmd_mapping import mapping
    from nbb_filing.cli.cmd_render import render
    from nbb_filing.cli.cmd_taxonomy import taxonomy
    from nbb_filing.cli.cmd_validate import validate
    from nbb_filing.cli.cmd_watch import watch

    for cmd in (init, taxonomy, mapping, generate, validate, import_filing, render, watch):
        main.add_command(cmd)


_register()

if __name__ == "__main__":  # pragma: no cover
    main()
