"""The ``nbb-filing`` command: a thin layer over the Python API.

Subcommands live in their own modules (``cli_taxonomy``, ``cli_mapping``, ``cli_generate``,
``cli_validate``, ``cli_import``) and are registered here.
"""

from __future__ import annotations

import click

from nbb_filing import __version__
from nbb_filing.cli.common import ErrorHandlingGroup


@click.group(cls=ErrorHandlingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nbb-filing")
def main() -> None:
    """Annual-accounts filings for the NBB Central Balance Sheet Office (XBRL), validated offline."""


def _register() -> None:
    from nbb_filing.cli.cmd_generate import generate
    from nbb_filing.cli.cmd_import import import_filing
    from nbb_filing.cli.cmd_mapping import mapping
    from nbb_filing.cli.cmd_taxonomy import taxonomy
    from nbb_filing.cli.cmd_validate import validate
    from nbb_filing.cli.cmd_watch import watch

    for cmd in (taxonomy, mapping, generate, validate, import_filing, watch):
        main.add_command(cmd)


_register()

if __name__ == "__main__":  # pragma: no cover
    main()
