"""The ``nbb-filing`` command: a thin layer over the Python API.

Subcommands live in their own modules (``cli_init``, ``cli_taxonomy``, ``cli_mapping``,
``cli_generate``, ``cli_validate``, ``cli_import``) and are registered here.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys

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


def run() -> None:
    """The ``nbb-filing`` console script: :func:`main`, then a quick exit.

    A validation leaves a few hundred MB of Arelle objects and modules behind; the interpreter's
    normal shutdown frees them one by one, which costs ~0.4-0.5 s after the work is done (measured
    on ``validate`` of the m82-f sample).  Once :func:`main` has finished, the exit handlers run as
    usual (LIFO) and the last one, registered here first, flushes the standard streams and the
    logging handlers and leaves with the command's exit code through ``os._exit``, skipping the
    teardown.  Every output was already written atomically by then; nothing else changes.
    ``main`` itself (what the tests and ``python -m`` call) exits normally.
    """
    code: list[int] = []

    def leave() -> None:
        if not code:  # an exit code that is not a number: Python's own exit prints it
            return
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        logging.shutdown()
        os._exit(code[0])

    atexit.register(leave)
    try:
        main()
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            code.append(e.code or 0)
        raise


if __name__ == "__main__":  # pragma: no cover
    main()
