"""The instance writer, tested on the XML it produces (lxml), no Arelle here."""

from __future__ import annotations

import base64
import random
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from nbb_filing.core.errors import InputError
from nbb_filing.filing.dossier_files import load_dossier
from nbb_filing.filing.facts import build_facts
from nbb_filing.filing.instance import build_instance, format_value, write_instance

NS = {
    "xbrli": "http://www.xbrl.org/2003/instance",
    "link": "http://www.xbrl.org/2003/linkbase",
    "xlink": "http://www.w3.org/1999/xlink",
    "xbrldi": "http://xbrl.org/2006/xbrldi",
}


@pytest.fixture(scope="module")
def mini_xml(mini_text, m82, tmp_path_factory):
    p = tmp_path_factory.mktemp("mini") / "dossier.yaml"
    p.write_text(mini_text, encoding="utf-8")
    d = load_dossier(p)
    fs = build_facts(m82, d)
    data, stats = build_instance(
        m82, fs.facts, enterprise_number=d.entity.enterprise_number, closing=d.exercise.end, lang="fr"
    )
    return data, stats, fs


def contexts(root):
    out = {}
    for c in root.findall("xbrli:context", NS):
        scen = c.find("xbrli:scenario", NS)
        members = tuple(
            (m.get("dimension"), m.text if m.tag.endswith("explicitMember") else "typed:" + m[0].text)
            for m in (scen if scen is not None else ())
        )
        out[c.get("id")] = (c, members)
    return out


def test_root_schema_ref_and_language(mini_xml, m82):
    data, _, _ = mini_xml
    root = etree.fromstring(data)
    assert root.tag == "{http://www.xbrl.org/2003/instance}xbrl"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    refs = root.findall("link:schemaRef", NS)
    assert len(refs) == 1
    assert (
        refs[0].get("{http://www.w3.org/1999/xlink}href") == "http://www.nbb.be/be/fr/cbso/fws/22.19/mod/m82/m82-f.xsd"
    )
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")


def test_contexts_are_instants_at_closing_with_scenario_dimensions(mini_xml, m82):
    root = etree.fromstring(mini_xml[0])
    ctxs = contexts(root)
    assert ctxs
    seen = set()
    for cid, (c, members) in ctxs.items():
        ident = c.find("xbrli:entity/xbrli:identifier", NS)
        assert ident.get("scheme") == "http://www.fgov.be" and ident.text == "0999999922"
        assert c.find("xbrli:period/xbrli:instant", NS).text == "2024-12-31"
        assert c.find("xbrli:period/xbrli:startDate", NS) is None
        assert c.find("xbrli:entity/xbrli:segment", NS) is None  # dimensions go in the scenario
        for dim, mem in members:
            assert m82.defaults.get(dim) != mem, f"default member {mem} written in {cid}"
        assert members not in seen, "two contexts with the same dimensions"
        seen.add(members)


def test_one_context_per_distinct_dimension_set(mini_xml):
    root = etree.fromstring(mini_xml[0])
    used = Counter(el.get("contextRef") for el in root if el.get("contextRef"))
    # Each director's facts share nothing with another's, but exercise dates of the same year do
    # not share either (mmt differs); every declared context is used at least once.
    assert set(used) == set(contexts(root))
    assert mini_xml[1].contexts == len(contexts(root))


def test_units_decimals_and_amount_format(mini_xml):
    root = etree.fromstring(mini_xml[0])
    units = {u.get("id"): u.find("xbrli:measure", NS).text for u in root.findall("xbrli:unit", NS)}
    assert units == {"EUR": "iso4217:EUR"}  # the mini dossier has only amounts
    amounts = [el for el in root if el.get("unitRef") == "EUR"]
    assert {el.get("decimals") for el in amounts} == {"INF"}
    # 20/58 current was given as 1000.5 -> written with two decimals
    assert "1000.50" in [el.text for el in amounts]
    assert "-50.00" in [el.text for el in amounts]  # 9904 previous, a loss
    for el in root:
        if el.get("contextRef") and el.get("unitRef") is None:
            assert el.get("decimals") is None


def test_enumerations_use_versioned_namespaces(mini_xml, m82):
    root = etree.fromstring(mini_xml[0])
    legal = [el for el in root if etree.QName(el).localname == "list2" and "lgf-enum" in etree.QName(el).namespace]
    assert len(legal) == 1
    assert etree.QName(legal[0]).namespace == "http://www.nbb.be/be/fr/cbso/22.19/enum/lgf-enum"
    assert legal[0].text == "lgf:m706"
    assert legal[0].nsmap["lgf"] == m82.namespaces["lgf"]  # the member prefix is declared
    functions = sorted(el.text for el in root if "fct-enum" in etree.QName(el).namespace)
    assert functions == ["fct:m13", "fct:m14", "fct:m61"]  # director, managing director, auditor


def test_typed_dimensions_carry_names(mini_xml):
    root = etree.fromstring(mini_xml[0])
    typed = [(t.get("dimension"), t[0].text) for t in root.iter("{http://xbrl.org/2006/xbrldi}typedMember")]
    assert ("dim:afnp", "Anne") in typed and ("dim:annp", "Exemple") in typed
    assert ("dim:anlp", "Holding Exemple SA") in typed
    assert ("dim:aprf", "Jean") in typed  # the permanent representative
    assert ("dim:open", "1") in typed  # first mandate
    opens = [t for t in root.iter("{http://xbrl.org/2006/xbrldi}typedMember") if t.get("dimension") == "dim:open"]
    assert {etree.QName(t[0]).localname for t in opens} == {"id"}


def test_byte_stable_whatever_the_fact_order(mini_xml, m82):
    data, _, fs = mini_xml
    shuffled = list(fs.facts)
    random.Random(7).shuffle(shuffled)
    again, _ = build_instance(m82, shuffled, enterprise_number="0999999922", closing=date(2024, 12, 31), lang="fr")
    assert again == data


def test_format_value_by_type(catalog):
    m87 = catalog("m87-f")
    pct = m87.metrics["met:pct1"]
    assert format_value(pct, Decimal("0.16") / 100) == "0.0016"  # 0.16 % as a fraction
    assert format_value(pct, Decimal(1)) == "1"
    fte = m87.metrics["met:dec1"]
    assert format_value(fte, Decimal("187.40")) == "187.4"
    assert format_value(m87.metrics["met:am1"], Decimal("12")) == "12.00"
    assert format_value(m87.metrics["met:int2"], Decimal("620")) == "620"
    assert format_value(m87.metrics["met:bln1"], False) == "false"
    assert format_value(m87.metrics["met:dte1"], date(2025, 6, 17)) == "2025-06-17"
    assert format_value(m87.metrics["met:bsb1"], b"%PDF-1.4 x") == base64.b64encode(b"%PDF-1.4 x").decode()


def test_pdf_management_report_goes_in_as_base64(mini_text, write_dossier, m82):
    pdf = b"%PDF-1.4\n% a tiny stand-in\n%%EOF\n"
    p = write_dossier(
        mini_text.replace(
            'management_report: {text: "Rapport de gestion de test."}', "management_report: {file: rapport.pdf}"
        )
    )
    (p.parent / "rapport.pdf").write_bytes(pdf)
    d = load_dossier(p)
    fs = build_facts(m82, d)
    data, _ = build_instance(m82, fs.facts, enterprise_number="0999999922", closing=date(2024, 12, 31), lang="fr")
    root = etree.fromstring(data)
    b64 = [el for el in root if etree.QName(el).localname == "bsb1"]
    assert len(b64) == 1 and base64.b64decode(b64[0].text) == pdf
    assert not [el for el in root if etree.QName(el).localname == "str1"]  # no text report as well


def test_write_is_atomic(tmp_path):
    target = tmp_path / "out" / "f.xbrl"
    write_instance(target, b"<x/>")
    assert target.read_bytes() == b"<x/>"
    # a failure while writing leaves the previous file and no temporary behind
    with pytest.raises(TypeError):
        write_instance(target, 12345)  # not bytes: the write fails
    assert target.read_bytes() == b"<x/>"
    assert [p.name for p in target.parent.iterdir()] == ["f.xbrl"]


def test_two_facts_for_one_datapoint_are_refused_by_the_writer(mini_xml, m82):
    _, _, fs = mini_xml
    with pytest.raises(InputError, match="two facts for datapoint"):
        build_instance(
            m82, list(fs.facts) + [fs.facts[0]], enterprise_number="0999999922", closing=date(2024, 12, 31), lang="fr"
        )


def test_same_bytes_across_processes(mini_text, write_dossier, tmp_path):
    """Byte stability must not depend on hash randomisation (set/dict order) of one process."""
    import os
    import subprocess
    import sys

    p = write_dossier(mini_text)
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.xbrl"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        code = "import sys; from nbb_filing.api import generate; generate(sys.argv[1], sys.argv[2])"
        r = subprocess.run([sys.executable, "-c", code, str(p), str(out)], env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
