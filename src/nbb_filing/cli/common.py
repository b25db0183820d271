"""What every CLI command shares: error handling, the --taxonomy option, output helpers.

The CLI is a thin layer: each command parses options, calls the Python API, prints.  Errors of
type :class:`~nbb_filing.core.errors.NbbFilingError` become one line on stderr and the error's exit
code; anything unexpected becomes one line too (exit code 2), with the traceback only when
``NBB_FILING_DEBUG=1``.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

import click

from nbb_filing.core.errors import NbbFilingError


class ErrorHandlingGroup(click.Group):
    """A click group whose commands report errors as one line and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NbbFilingError as e:
            click.echo(f"error: {e}", err=True)
            ctx.exit(e.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("error: interrupted", err=True)
            ctx.exit(2)
        except Exception as e:  # an unexpected failure still gets one line
            if os.environ.get("NBB_FILING_DEBUG"):
                traceback.print_exc()
            msg = " ".join(str(e).split()) or type(e).__name__
            click.echo(f"error: internal error ({type(e).__name__}): {msg}", err=True)
            ctx.exit(2)


taxonomy_option = click.option(
    "--taxonomy",
    "taxonomy",
    metavar="PATH.zip",
    default=None,
    help="NBB taxonomy package ZIP (default: $NBB_FILING_TAXONOMY, then the newest installed package).",
)

lang_option = click.option(
    "--lang",
    type=click.Choice(["fr", "nl", "de", "en"]),
    default="fr",
    show_default=True,
    help="Language of labels.",
)


def echo_err(msg: str) -> None:
    click.echo(msg, err=True)


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()
