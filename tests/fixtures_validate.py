"""Session fixtures of the validate area: mutated copies of the accepted m87 filing, validated once.

Arelle runs cost 10-20 s each on the shared machine, so the whole area shares ONE
``validate_files`` call over: the accepted filing (moved from framework 23.0 by the validator
itself), one file with the XBRL-level mutations (broken total, member not admitted, default
member written, negative non-negative amount, three decimals), one file with the protocol-level
mutations (duplicate facts, bad enterprise number, missing court, general meeting before the end
of the exercise, a non-official language), and two files that cannot be validated.  The call runs
under a socket audit hook that refuses and records any connection attempt.
"""

from __future__ import annotations

import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree

XBRLI = "http://www.xbrl.org/2003/instance"
XBRLDI = "http://xbrl.org/2006/xbrldi"
LINK = "http://www.xbrl.org/2003/linkbase"
XLINK = "http://www.w3.org/1999/xlink"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# ---------------------------------------------------------------------- the network guard


class NetworkGuard:
    """A ``sys.addaudithook`` hook that refuses ``socket.connect`` while ``active``.

    Audit hooks cannot be removed, so the hook stays installed for the session but only acts
    while a validation runs under :meth:`watch`.
    """

    def __init__(self) -> None:
        self.active = False
        self.attempts: list[tuple] = []
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple) -> None:
        if self.active and event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname"):
            self.attempts.append((event, args[1:] if event == "socket.connect" else args))
            raise ConnectionRefusedError(f"network access refused by the test audit hook: {event} {args[1:]!r}")

    def watch(self):
        guard = self

        class _Ctx:
            def __enter__(self):
                guard.active = True
                return guard

            def __exit__(self, *exc):
                guard.active = False
                return False

        return _Ctx()


_GUARD: NetworkGuard | None = None


@pytest.fixture(scope="session")
def network_guard() -> NetworkGuard:
    global _GUARD
    if _GUARD is None:
        _GUARD = NetworkGuard()
    return _GUARD


# ---------------------------------------------------------------------- mutations


def _fact(root: etree._Element, fid: str) -> etree._Element:
    el = root.find(f"*[@id='{fid}']")
    assert el is not None, fid
    return el


def _context(root: etree._Element, cid: str) -> etree._Element:
    el = root.find(f"{{{XBRLI}}}context[@id='{cid}']")
    assert el is not None, cid
    return el


def _member(ctx: etree._Element, dimension: str) -> etree._Element:
    for m in ctx.iter(f"{{{XBRLDI}}}explicitMember"):
        if m.get("dimension") == dimension:
            return m
    raise AssertionError(f"{dimension} not in context {ctx.get('id')}")


def mutate_xbrl(root: etree._Element) -> dict[str, str]:
    """XBRL-level breakages, each on its own fact (every fact of this filing has its own context).

    Returns fact id -> what was done, for the tests.
    """
    done = {}
    # broken total: TOTAL DE L'ACTIF 20/58 (current year) 554894.28 -> 554000.00
    _fact(root, "f60").text = "554000.00"
    done["f60"] = "broken total"
    # member not admitted: part:m1 -> part:m3 on fixed assets (c40 / f40)
    _member(_context(root, "c40"), "dim:part").text = "part:m3"
    done["f40"] = "member not admitted"
    # default member written: dim:spec = spec:m0 added to c41 (f41)
    scen = _context(root, "c41").find(f"{{{XBRLI}}}scenario")
    m = etree.SubElement(scen, f"{{{XBRLDI}}}explicitMember", dimension="dim:spec")
    m.text = "spec:m0"
    done["f41"] = "default member written"
    # negative non-negative amount (met:am1) on f42
    _fact(root, "f42").text = "-82450.65"
    done["f42"] = "negative am1"
    # three decimals on f43
    _fact(root, "f43").text = "138141.961"
    done["f43"] = "three decimals"
    return done


def mutate_protocol(root: etree._Element) -> dict[str, str]:
    """Protocol-level breakages that Arelle alone would not report with a rubric."""
    done = {}
    # duplicate with another value (DAT 34) of f44, and an exact duplicate of f45
    f44 = _fact(root, "f44")
    dup = etree.fromstring(etree.tostring(f44))
    dup.set("id", "f44dup")
    dup.text = "157000.00"
    f44.addnext(dup)
    f45 = _fact(root, "f45")
    same = etree.fromstring(etree.tostring(f45))
    same.set("id", "f45dup")
    f45.addnext(same)
    done["f44"] = "inconsistent duplicate"
    done["f45"] = "consistent duplicate"
    # bad enterprise number: 0925590628 is valid (97 - 09255906 % 97 = 28); ...29 is not
    for ident in root.iter(f"{{{XBRLI}}}identifier"):
        ident.text = "0925590629"
    done["identifier"] = "bad enterprise number"
    # missing court: the cct-enum fact f17 removed
    f17 = _fact(root, "f17")
    f17.getparent().remove(f17)
    done["f17"] = "court removed"
    # general meeting (f2, 2023-06-02) moved before the end of the exercise (2022-12-31)
    _fact(root, "f2").text = "2022-06-02"
    done["f2"] = "general meeting before closing"
    # English is not an official language of a filing
    root.set(XML_LANG, "en")
    done["lang"] = "en"
    return done


def write(tree: etree._ElementTree, path: Path) -> Path:
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    return path


@dataclass
class ValidateRun:
    files: dict[str, Path]
    report: object  # nbb_filing.checks.validate.ValidationReport
    mutations: dict[str, dict[str, str]] = field(default_factory=dict)
    network_attempts: list = field(default_factory=list)

    def file(self, name: str):
        path = str(self.files[name])
        for f in self.report.files:
            if f.path == path:
                return f
        raise KeyError(name)


@pytest.fixture(scope="session")
def validate_run(tmp_path_factory, accepted_m87, package, network_guard) -> ValidateRun:
    from nbb_filing.checks.validate import validate_files

    d = tmp_path_factory.mktemp("validate")
    files: dict[str, Path] = {}
    mutations: dict[str, dict[str, str]] = {}
    # the accepted filing as it is (framework 23.0: the validator must move it itself)
    files["accepted"] = accepted_m87
    tree = etree.parse(str(accepted_m87))
    mutations["xbrl"] = mutate_xbrl(tree.getroot())
    files["xbrl"] = write(tree, d / "m87-xbrl-mutations.xbrl")
    tree = etree.parse(str(accepted_m87))
    mutations["protocol"] = mutate_protocol(tree.getroot())
    files["protocol"] = write(tree, d / "m87-protocol-mutations.xbrl")
    (d / "not-an-instance.xbrl").write_text("<html><body>not XBRL</body></html>", encoding="utf-8")
    files["not_instance"] = d / "not-an-instance.xbrl"
    tree = etree.parse(str(accepted_m87))
    ref = tree.getroot().find(f"{{{LINK}}}schemaRef")
    ref.set(f"{{{XLINK}}}href", "http://www.nbb.be/be/fr/cbso/fws/23.0/mod/m99/m99-f.xsd")
    files["wrong_model"] = write(tree, d / "m99-unknown-model.xbrl")

    # the accepted filing last: what the mutated files did must not leak into its result
    order = ["xbrl", "protocol", "not_instance", "accepted", "wrong_model"]
    with network_guard.watch():
        before = len(network_guard.attempts)
        report = validate_files([files[k] for k in order], package, lang="fr")
        attempts = network_guard.attempts[before:]
    return ValidateRun(files=files, report=report, mutations=mutations, network_attempts=list(attempts))


__all__ = ["NetworkGuard", "ValidateRun", "mutate_xbrl", "mutate_protocol", "socket"]
