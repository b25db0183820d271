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

from nbb_filing import NbbFilingError, money

#: Exit code when standard output was closed early (``nbb-filing ... | head -1``): 128 + SIGPIPE,
#: what a shell reports for a program ended by a broken pipe.
BROKEN_PIPE_EXIT = 141


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. click's test runner)
        pass


class ErrorHandlingGroup(click.Group):
    """A click group whose commands report errors as one line and an exit code, never a traceback.

    A reader that closes standard output early (``| head -1``) ends the command quietly with exit
    code :data:`BROKEN_PIPE_EXIT`, whether the pipe breaks while writing or at the final flush.
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        except BrokenPipeError:
            _quiet_stdout()
            sys.exit(BROKEN_PIPE_EXIT)
        finally:
            try:
                sys.stdout.flush()
            except BrokenPipeError:
                _quiet_stdout()
                sys.exit(BROKEN_PIPE_EXIT)
            except (OSError, ValueError):
                pass

    def invoke(self, ctx: click.Context) -> Any:
        from nbb_filing import reporting

        try:
            with reporting(progress_hook()):  # long steps show a status line on a terminal's stderr
                return super().invoke(ctx)
        except BrokenPipeError:
            _quiet_stdout()
            ctx.exit(BROKEN_PIPE_EXIT)
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


# --------------------------------------------------------------------------- output convention
#
# Every command that reports takes ``--format text|json`` (validate also ``junit``) and, where the
# report is the command's product, ``-o/--output FILE`` (``-`` or nothing: standard output).  Commands
# whose product is another file (generate: the instance, import: a folder, init: a dossier) keep
# ``-o`` for that product and print their report on standard output in the chosen format.


def format_option(*choices: str):
    """``--format`` with ``choices`` (default: the first, ``text``)."""
    names = choices or ("text", "json")
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(names)),
        default=names[0],
        show_default=True,
        help="Report format: text for people, json for scripts"
        + (", junit for CI servers." if "junit" in names else "."),
    )


def report_output_option(f):
    """``-o/--output FILE``: where the report goes (``-``: standard output, the default)."""
    return click.option(
        "-o",
        "--output",
        "output",
        metavar="FILE",
        default=None,
        help="Write the report to FILE instead of standard output ('-': standard output).",
    )(f)


def emit(text: str, output: str | None, what: str = "report") -> None:
    """Print ``text`` on standard output, or write it atomically to ``output`` (not ``-``)."""
    from pathlib import Path

    from nbb_filing import write_atomic

    if not text.endswith("\n"):
        text += "\n"
    if output in (None, "-"):
        click.echo(text, nl=False)
        return
    p = Path(output)
    try:
        write_atomic(p, text)
    except OSError as e:
        raise NbbFilingError(f"{p}: cannot write the {what} ({e.strerror or e})") from None
    click.echo(f"wrote {p}", err=True)


def amount_cell(amount: Any) -> str:
    """An amount in a CLI table or summary, written as in every message (``1,919,750.00``, see
    :func:`nbb_filing.core.money.money`), ``-`` when absent: one way of writing amounts in one output."""
    return money(amount)


def dump_json(data: Any) -> str:
    import json

    return json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n"


def progress_hook() -> Any:
    """The CLI's progress hook: a status line on stderr when stderr is a terminal, else nothing."""
    from nbb_filing import TerminalProgress

    return TerminalProgress()


def labels_note(result: Any) -> str:
    """The line saying how many rows of a page kept their rubric code because the model family's other
    catalogs were not at hand (``render_filing`` compiles them only with ``borrow_labels``)."""
    return (
        f"note: {result.kept_code} row(s) show their rubric code only; their label was not looked for in "
        f"{', '.join(result.labels_not_read)} (not compiled; 'nbb-filing render FILE --borrow-labels' does)"
    )
