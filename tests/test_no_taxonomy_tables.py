"""Guard: the code keeps no hand-written datapoints, rubric codes, member or enumeration QNames.

Taxonomy knowledge is read from the installed package (issue #2).  This scans every string
literal of ``src/nbb_filing/**/*.py`` for shapes that only taxonomy tables have: datapoint keys
(``met:am1[...]``), dictionary member QNames (``bas:m25``, ``lgf:m610``), rubric codes with a
slash (``10/15``, ``70/76A``) and the four-digit 99xx result rubrics.  The previous-year members
``prd:m1``/``prd:m2`` of ``dim:prd`` are the one structural rule the code relies on by design;
docstrings and help texts (examples for people) are not scanned.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "nbb_filing"
ALLOWED = {"prd:m0", "prd:m1", "prd:m2"}
PATTERNS = [
    ("datapoint key", re.compile(r"\b[a-z][\w-]*:[a-z]+\d*\[")),
    ("member QName", re.compile(r"\b[a-z]{2,8}:m[0-9A-Z][0-9A-Za-z]*\b")),
    ("rubric code", re.compile(r"^\d{2,4}[A-Z]?/\d{1,4}[A-Z]?P?$")),
    ("result rubric", re.compile(r"^99\d\d$")),
]


def _string_literals(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
                docstrings.add(id(body[0].value))
        # examples in user-facing help texts (Field(description=...), click help=...) are prose
        if isinstance(node, ast.keyword) and node.arg in ("description", "help", "examples"):
            for sub in ast.walk(node.value):
                docstrings.add(id(sub))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_source_has_no_taxonomy_tables():
    offences = []
    for path in sorted(SRC.rglob("*.py")):
        for line, text in _string_literals(path):
            for what, rx in PATTERNS:
                for m in rx.finditer(text):
                    if m.group(0) not in ALLOWED:
                        offences.append(f"{path.relative_to(SRC)}:{line}: {what} {m.group(0)!r}")
    assert not offences, "\n".join(offences)


def test_guard_catches_what_it_should(tmp_path):
    """The patterns do flag typical table entries (so the guard above can fail)."""
    samples = {
        "met:am1[dim:bas=bas:m1]": "datapoint key",
        "lgf:m610": "member QName",
        "10/15": "rubric code",
        "70/76A": "rubric code",
        "9904": "result rubric",
    }
    for text, what in samples.items():
        assert any(rx.search(text) for w, rx in PATTERNS if w == what), text
