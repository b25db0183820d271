"""``render --pdf``: the page printed to PDF by headless Chromium, for the general meeting's paper copy.

The page carries its own print rules (``page.css`` and :func:`running_header_css`): each part of the
accounts starts a page, and every page has a running header with the company and the year and a
page number "3 / 12" in its margin boxes (CSS ``@page``).  So the PDF is the page as Chromium prints
it, with Chromium's own header and footer (date, file address) turned off.

Chromium runs as the page test runs it: headless, offline (no background networking, component
updates or sync), with a throw-away profile, on the written HTML file.  Nothing is installed or
fetched: without a Chromium on the machine the command stops with one line naming what to install.
The PDF is printed into a temporary folder and then written atomically, so a failed print leaves no
half-written PDF.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from nbb_filing.core.atomic import write_atomic
from nbb_filing.core.errors import InputError

__all__ = ["CHROMIUM_FLAGS", "find_chromium", "print_pdf", "css_string", "running_header_css"]

#: The browsers tried, in order (Debian's package installs ``chromium``); NBB_FILING_CHROMIUM overrides.
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Headless and offline: no sandbox (root in containers), no GPU, no first-run work, no network of its own.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
TIMEOUT = 180  # seconds: a large filing prints in a few


def find_chromium() -> str | None:
    """The Chromium to print with: ``$NBB_FILING_CHROMIUM`` when set, else the first candidate on PATH."""
    given = os.environ.get("NBB_FILING_CHROMIUM")
    if given:
        return shutil.which(given) or (given if Path(given).is_file() else None)
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def print_pdf(html: Path, pdf: Path, *, chromium: str | None = None, timeout: int = TIMEOUT) -> Path:
    """Print the page ``html`` to ``pdf`` with headless Chromium; one-line :class:`InputError` otherwise."""
    exe = chromium or find_chromium()
    if exe is None:
        raise InputError(
            "render --pdf needs Chromium to print the page: install it (Debian/Ubuntu: apt-get install chromium) "
            "or set NBB_FILING_CHROMIUM to its path; the HTML page was written"
        )
    with tempfile.TemporaryDirectory(prefix="nbb-filing-chromium-") as work:
        printed = Path(work) / "page.pdf"
        cmd = [
            exe,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={Path(work) / 'profile'}",
            "--no-pdf-header-footer",  # the page's own running header and page numbers (CSS @page)
            f"--print-to-pdf={printed}",
            html.resolve().as_uri(),
        ]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise InputError(f"{pdf}: Chromium did not print the page within {timeout} s") from None
        except OSError as e:
            raise InputError(f"{pdf}: cannot run Chromium {exe} ({e.strerror or e})") from None
        data = printed.read_bytes() if printed.is_file() else b""
        if res.returncode != 0 or not data.startswith(b"%PDF-"):
            last = next((x for x in reversed(res.stderr.splitlines()) if x.strip()), "no message")
            raise InputError(f"{pdf}: Chromium could not print the page (exit {res.returncode}: {last[:200]})")
    try:
        write_atomic(pdf, data)  # through a temporary file: never a half-written PDF
    except OSError as e:
        raise InputError(f"{pdf}: cannot write the PDF ({e.strerror or e})") from None
    return pdf


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: every character but letters, digits, space and a few signs is
    escaped (``\\3C `` for ``<``), so a company name from a filing cannot end the string or the style."""
    safe = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-/()'")
    out = "".join(c if c in safe else f"\\{ord(c):X} " for c in re.sub(r"\s+", " ", text))
    return f'"{out}"'


def running_header_css(header: str, page_word: str) -> str:
    """The print margin boxes: ``header`` (company — year) on top of every page, "page 3 / 12" below."""
    return (
        "@page { size: A4; margin: 16mm 11mm 14mm 11mm;\n"
        f"  @top-left {{ content: {css_string(header)}; font: 9px sans-serif; color: #5b6577; }}\n"
        f"  @bottom-right {{ content: {css_string(page_word + ' ')} counter(page) "
        '" / " counter(pages); font: 9px sans-serif; color: #5b6577; }\n'
        "}\n"
    )
