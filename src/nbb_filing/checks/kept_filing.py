"""A filing kept loaded for its next validation: what a session (``nbb-filing watch``) saves per check.

In a session the model's taxonomy is loaded once and each validation runs in a forked child
(:mod:`nbb_filing.checks.session`).  That child still loads the filing, and for a full model that
is a third of its time (m82-f sample: ~0.46 s of ~1.3 s): Arelle validates every element of the
instance against its schema, and the contexts make most of the ~12,000 elements.  Between two saves
an accountant changes figures far more often than the shape of the filing: the same contexts and
the same facts come back with other amounts.

So after each validation the session forks a child that loads the file just validated and waits
(:class:`KeptFiling`).  At the next validation of the same path the parent compares the new file
with the kept one (:func:`text_changes`): when they differ only in the text of facts, the waiting
child is given those texts, puts them in, has Arelle validate those facts' values again
(:func:`patch_facts`) and then validates the whole filing exactly as a fresh child would.  Any
other difference (a fact more or less, another context, unit, attribute, namespace or line) and the
kept child is discarded and a fresh one loads the file.

Why the result is the same as a fresh load: Arelle's load of an instance derives three things from
a fact's text, all in the fact's own schema validation (``xValid``, ``xValue``, ``sValue``), and
that is redone for every changed fact; every index Arelle builds at load (facts by concept, by
context, by dimension) depends on elements and attributes, which are unchanged.  A kept load that
logged a warning or an error is never used, so every unchanged fact is known to be clean and the
messages come in the order a fresh load gives them.  ``tests/test_kept_filing.py`` compares, edit
after edit, with fresh validations, valid and invalid values alike.

Limit: the replacements touch Arelle objects (``XmlValidate``'s validation state of a fact): used
only with a verified Arelle release and ``os.fork``, like the rest of the kept taxonomy.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from nbb_filing.core.lifetime import die_with_parent
from nbb_filing.core.xmlns import LINK, XBRLDI, XBRLI, XLINK

#: Namespaces whose elements are not facts: a change of their text changes a context, a unit or a link.
_NOT_FACTS = frozenset({XBRLI, LINK, XBRLDI, XLINK})

#: What a kept child writes back when the changes it was given do not fit what it loaded.
UNPATCHABLE = "unpatchable"

#: One change: the position of a fact among the root's children, and its new text.
Change = tuple[int, str]


@dataclass(frozen=True)
class Snapshot:
    """What the comparison needs of the file a child keeps: its serialisation and its facts' texts."""

    serialised: bytes
    texts: tuple[str, ...]
    docinfo: tuple[Any, ...]


def snapshot(tree: etree._ElementTree) -> Snapshot:
    """The comparison's view of ``tree`` (taken when a child starts keeping it)."""
    root = tree.getroot()
    return Snapshot(etree.tostring(tree), tuple(el.text or "" for el in root), _docinfo(tree))


def _docinfo(tree: etree._ElementTree) -> tuple[Any, ...]:
    info = tree.docinfo
    return (info.encoding, info.xml_version, info.doctype, info.standalone)


def loaded_as_kept(document: Any, kept: Snapshot) -> bool:
    """In the kept child, after Arelle's load: whether Arelle read the file the parent compared
    (the file may have been rewritten between the parent's reading and the child's)."""
    return etree.tostring(document.xmlDocument) == kept.serialised


def _is_fact(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and len(el) == 0 and etree.QName(el).namespace not in _NOT_FACTS


def text_changes(kept: Snapshot, tree: etree._ElementTree) -> list[Change] | None:
    """The facts whose text differs between the kept file and ``tree``, when nothing else does
    (elements, attributes, namespace declarations, comments, whitespace between elements, and the
    lines each element starts on); ``None`` when anything else differs.

    Compared by serialising ``tree`` with the kept texts put back in the changed facts: equal bytes
    mean an equal document but for those texts.  A changed text must keep its number of line breaks,
    so that every element keeps its line (Arelle's messages name it)."""
    root = tree.getroot()
    if len(root) != len(kept.texts) or _docinfo(tree) != kept.docinfo:
        return None
    changes: list[Change] = []
    for i, el in enumerate(root):
        text = el.text or ""
        if text != kept.texts[i]:
            if not _is_fact(el) or text.count("\n") != kept.texts[i].count("\n"):
                return None
            changes.append((i, text))
    new_texts = [root[i].text for i, _ in changes]
    try:
        for i, _ in changes:
            root[i].text = kept.texts[i]
        same = etree.tostring(tree) == kept.serialised
    finally:
        for (i, _), text in zip(changes, new_texts, strict=True):
            root[i].text = text
    return changes if same else None


def patch_facts(dts: Any, document: Any, changes: list[Change]) -> bool:
    """In the kept child: the new texts put in the loaded facts, each fact's value validated again by
    Arelle as its load would (messages included).  False, with nothing decided, when a position does
    not hold a fact without children (the caller then gives up this child)."""
    from arelle import XmlValidate
    from arelle.ModelInstanceObject import ModelFact

    children = list(document.xmlRootElement)
    facts = []
    for i, text in changes:
        el = children[i] if 0 <= i < len(children) else None
        if not isinstance(el, ModelFact) or len(el):
            return False
        facts.append((el, text))
    for el, text in facts:
        el.text = text or None
        el.xValid = XmlValidate.UNVALIDATED
        XmlValidate.validate(dts, el)
    return True


#: The kept child's work, given two functions: ``wait()`` blocks until the parent's order and
#: returns it (``None`` if the parent gave none), ``answer(data)`` sends the result back.
Serve = Callable[[Callable[[], Any], Callable[[bytes], None]], None]


@dataclass
class KeptFiling:
    """A forked child holding ``path`` loaded on the model's taxonomy, waiting for the next validation."""

    path: Path
    taxonomy: tuple[str, str]  # (package SHA-256, model)
    kept: Snapshot
    pid: int
    command: int  # write end: the parent's order
    result: int  # read end: the child's answer
    spent: bool = False  # given its order: the child is the reaper's now

    @classmethod
    def start(cls, path: Path, kept: Snapshot, taxonomy: tuple[str, str], serve: Serve) -> KeptFiling:
        """Fork the child that runs ``serve`` (it loads ``path``, of which the parent keeps the
        :class:`Snapshot` ``kept``, checks it read that file (:func:`loaded_as_kept`), then waits for
        :meth:`use`).  An empty answer means the child did not use the order (its load logged
        something or read another file, or the parent gave none)."""
        rcmd, wcmd = os.pipe()
        rres, wres = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the forked child (its results are what the tests compare)
            try:
                die_with_parent(parent)
                os.close(wcmd)
                os.close(rres)
                serve(lambda: _read_order(rcmd), lambda data: _write_all(wres, data))
            finally:
                os._exit(0)
        os.close(rcmd)
        os.close(wres)
        return cls(path, taxonomy, kept, pid, wcmd, rres)

    def use(self, order: Any) -> tuple[int, int]:
        """Give the child its order (pickled); returns ``(pid, result fd)`` to read its answer from and
        reap it, as for any validation child.  The child is spent."""
        data = pickle.dumps(order)
        try:  # its length first: a process forked meanwhile may hold this pipe open, so no end-of-file
            with os.fdopen(self.command, "wb") as out:
                out.write(len(data).to_bytes(8, "big") + data)
        except OSError:
            pass  # the child is gone (its load was not clean): its answer is empty
        self.spent = True  # its result pipe and its reaping are the caller's now
        return self.pid, self.result

    def discard(self) -> None:
        """Kill and reap the child (a file of another shape, the taxonomy released); nothing once spent."""
        if self.spent:
            return
        self.spent = True
        for fd in (self.command, self.result):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def _read_order(fd: int) -> Any:  # pragma: no cover - in the kept child
    """The parent's order (``None`` if it closed the pipe without one): its length, then its bytes."""
    with os.fdopen(fd, "rb") as inp:
        head = inp.read(8)
        if len(head) < 8:
            return None
        size = int.from_bytes(head, "big")
        data = inp.read(size)
    return pickle.loads(data) if len(data) == size else None


def _write_all(fd: int, data: bytes) -> None:  # pragma: no cover - in the kept child
    with os.fdopen(fd, "wb") as out:
        out.write(data)
