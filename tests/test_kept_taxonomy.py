"""The work done once on a kept taxonomy, and the guesses carried from one validation to the next.

:mod:`nbb_filing.checks.taxonomy_checked` runs Arelle's checks of the taxonomy alone once and lets
each forked child skip what they found clean; :mod:`nbb_filing.checks.dimension_hints` lets the
dimension checks try first the link role that made a kind of fact valid before.  Both must leave
every finding Arelle's: ``tests/test_differential.py`` compares whole reports with bare Arelle;
here, each mechanism's own promises.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

import pytest
from lxml import etree

XBRLI = "http://www.xbrl.org/2003/instance"
XBRLDI = "http://xbrl.org/2006/xbrldi"
DIMENSION_ERROR = "xbrldie:PrimaryItemDimensionallyInvalidError"


@pytest.fixture(scope="module")
def kept_m87(package):
    """The m87-f taxonomy kept loaded in this process (shared with the differential test's)."""
    from nbb_filing.checks import kept_dts

    return kept_dts.load_dts(package, "m87-f"), kept_dts


def test_the_taxonomy_checks_done_once_cover_the_taxonomy(kept_m87, package):
    from arelle import ValidateXbrl, ValidateXbrlDimensions

    dts, kept = kept_m87
    pre = kept._prechecked[(package.sha256, "m87-f")]
    # the link and formula base-set checks were noted in the same run: every link, the formula base sets
    assert pre.links == {link for links in dts.baseSets.values() for link in links}
    assert pre.base_sets and all(key[0].startswith("http://xbrl.org/") for key in pre.base_sets)
    checked = pre.taxonomy
    # every part was clean for this taxonomy, so every part is skipped in the children
    assert checked.acyclic and checked.acyclic <= set(dts.baseSets)
    assert checked.documents and dts.modelDocument in checked.documents
    assert checked.dimension_state is not None and checked.dimension_sets
    # the dimension defaults put back in a child are those Arelle computes from the taxonomy
    val = ValidateXbrl.ValidateXbrl(dts)
    val.modelXbrl = dts
    ValidateXbrlDimensions.loadDimensionDefaults(val)
    assert checked.dimension_state[1] == dts.qnameDimensionDefaults
    assert any(dim.localName == "prd" for dim in checked.dimension_state[1])  # "this year" is prd's default
    # the variable-set analysis replayed in a child covers every assertion of the model
    analysed = checked.variable_sets
    assert analysed is not None and not analysed.records
    assert sum(len(v) for v in analysed.producing_variable_sets.values()) == len(dts.modelVariableSets)


class _QName(NamedTuple):
    clarkNotation: str  # Arelle's attribute name


def _fact(valid_in: set[str], concept: str = "{m}am1", dims: tuple[str, ...] = ("{d}prd",)) -> SimpleNamespace:
    return SimpleNamespace(
        concept=SimpleNamespace(qname=_QName(concept)),
        context=SimpleNamespace(qnameDims={_QName(d): None for d in dims}),
        valid_in=valid_in,
    )


@pytest.fixture
def fake_dimensions(monkeypatch):
    """Arelle's three functions replaced by a fact that is valid in the link roles it names; the
    full search tries r1, r2, r3 in order like Arelle's, through the module's ``checkFactElrHcs``."""
    from arelle import ValidateXbrlDimensions as dims

    tried: list[str] = []

    def check(val, f, ELR, hcRels, setPrototypeContextElements=False):  # Arelle's parameter names
        tried.append(ELR)
        return ELR in f.valid_in

    def full(val, f, setPrototypeContextElements=False, otherFacts=None):  # Arelle's parameter names
        tried.append("full search")
        return any(
            dims.checkFactElrHcs(val, f, elr, rels) for elr, rels in dims.priItemElrHcRels(val, f.concept).items()
        )

    monkeypatch.setattr(dims, "checkFactElrHcs", check)
    monkeypatch.setattr(dims, "isFactDimensionallyValid", full)
    monkeypatch.setattr(
        dims, "priItemElrHcRels", lambda val, concept, ELR=None: {"r1": ["h"], "r2": ["h"], "r3": ["h"]}
    )
    return dims, tried, (check, full)


def test_a_guess_that_fits_answers_valid_at_once(fake_dimensions):
    from nbb_filing.checks.dimension_hints import fact_key, hinted

    dims, tried, _ = fake_dimensions
    fact = _fact({"r3"})
    with hinted({fact_key(fact): ("r3",)}) as learnt:
        assert dims.isFactDimensionallyValid(None, fact) is True
    assert tried == ["r3"]
    assert learnt == {fact_key(fact): ("r3",)}


def test_a_guess_that_does_not_fit_leaves_the_answer_to_arelle(fake_dimensions):
    from nbb_filing.checks.dimension_hints import fact_key, hinted

    dims, tried, (check, full) = fake_dimensions
    valid_elsewhere, invalid = _fact({"r2"}), _fact(set(), dims=("{d}prd", "{d}part"))
    with hinted({fact_key(valid_elsewhere): ("r1",), fact_key(invalid): ("r1",)}) as learnt:
        assert dims.isFactDimensionallyValid(None, valid_elsewhere) is True
        assert tried == ["r1", "full search", "r1", "r2"]
        tried.clear()
        assert dims.isFactDimensionallyValid(None, invalid) is False  # an invalid fact stays invalid
        assert tried == ["r1", "full search", "r1", "r2", "r3"]
    assert learnt == {fact_key(valid_elsewhere): ("r2", "r1")}  # where it did fit comes first
    assert (dims.checkFactElrHcs, dims.isFactDimensionallyValid) == (check, full)  # Arelle's, back


def test_without_a_guess_arelle_searches_and_the_role_is_learnt(fake_dimensions):
    from nbb_filing.checks.dimension_hints import fact_key, hinted

    dims, tried, _ = fake_dimensions
    fact = _fact({"r2", "r3"})
    with hinted({}) as learnt:
        assert dims.isFactDimensionallyValid(None, fact) is True
        assert dims.isFactDimensionallyValid(None, _fact(set(), concept="{m}str1")) is False
    assert tried == ["full search", "r1", "r2", "full search", "r1", "r2", "r3"]
    assert learnt == {fact_key(fact): ("r2",)}


def test_guesses_carry_to_the_next_filing_and_a_bad_member_is_still_found(kept_m87, package, accepted_m87, tmp_path):
    """Validated on the kept taxonomy one after the other (as ``watch`` does): the accepted filing,
    then a copy with a member the hypercube does not admit in one context."""
    from nbb_filing.checks.session import ValidationSession

    dts, kept = kept_m87
    key = (package.sha256, "m87-f")
    kept._hints.pop(key, None)
    tree = etree.parse(str(accepted_m87))
    root = tree.getroot()
    member = next(m for m in root.iter(f"{{{XBRLDI}}}explicitMember") if m.get("dimension") == "dim:part")
    context = next(member.iterancestors(f"{{{XBRLI}}}context"))
    member.text = "part:m3"
    bad = tmp_path / "m87-bad-member.xbrl"
    tree.write(str(bad), xml_declaration=True, encoding="UTF-8")
    facts_of_context = [el for el in root if el.get("contextRef") == context.get("id")]
    assert facts_of_context

    session = ValidationSession(package)
    first = session.file_report(accepted_m87)
    assert DIMENSION_ERROR not in {f.rule for f in first.findings}
    hints = dict(kept._hints[key])
    # one guess per kind of fact of the filing (concept and dimensions), each a link role
    ns = root.nsmap
    contexts = {
        c.get("id"): frozenset(
            _clark(m.get("dimension"), ns) for m in c.iter(f"{{{XBRLDI}}}explicitMember", f"{{{XBRLDI}}}typedMember")
        )
        for c in root.iter(f"{{{XBRLI}}}context")
    }
    kinds = {(_clark(el.tag, ns), contexts[el.get("contextRef")]) for el in root if el.get("contextRef") in contexts}
    # (by local names: the filing is of framework 23.0, validated moved to the package's, whose
    # enumeration namespaces differ)
    assert {_local(k) for k in hints} == {_local(k) for k in kinds}
    assert all(role.startswith("http://www.nbb.be/") for roles in hints.values() for role in roles)
    # the altered facts are of a kind seen in the first filing: their guess is tried, and fails
    assert any(
        _local((_clark(el.tag, ns), contexts[context.get("id")])) in map(_local, hints) for el in facts_of_context
    )
    second = session.file_report(bad)
    assert DIMENSION_ERROR in {f.rule for f in second.findings if f.effect == "blocking"}


def _clark(name: str, nsmap: dict) -> str:
    """``prefix:local`` (or an lxml ``{ns}local`` tag) in Clark notation: how
    :func:`nbb_filing.checks.dimension_hints.fact_key` names concepts and dimensions."""
    if name.startswith("{"):
        return name
    prefix, local = name.split(":")
    return f"{{{nsmap[prefix]}}}{local}"


def _local(key: tuple[str, frozenset[str]]) -> tuple[str, frozenset[str]]:
    concept, dims = key
    return concept.rsplit("}", 1)[1], frozenset(d.rsplit("}", 1)[1] for d in dims)
