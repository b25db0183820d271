"""The taxonomy catalog against the replica package and a real accepted filing (issue #2)."""

from __future__ import annotations

import json
import re
import zipfile
from decimal import Decimal

import pytest
from click.testing import CliRunner
from lxml import etree

from nbb_filing.cli import main
from nbb_filing.taxonomy.catalog import RUBRIC_ROLE, datapoint_key

FULL_MODELS = ["m01-f", "m02-f", "m04-f", "m05-f", "m07-f", "m08-f", "m81-f", "m82-f", "m87-f"]
XBRLI = "{http://www.xbrl.org/2003/instance}"
XBRLDI = "{http://xbrl.org/2006/xbrldi}"


def _rubric_labels_from_zip(zip_path, section_prefix):
    """Independent oracle: rubric code -> French row label, read straight from the label linkbase XML."""
    out = {}
    with zipfile.ZipFile(zip_path) as zf:
        for name in zf.namelist():
            if "/sect/" in name and name.rsplit("/", 1)[1].startswith(section_prefix) and name.endswith("-lab.xml"):
                root = etree.fromstring(zf.read(name))
                for link in root:
                    locs = {
                        el.get("{http://www.w3.org/1999/xlink}label"): el.get("{http://www.w3.org/1999/xlink}href")
                        for el in link
                        if etree.QName(el).localname == "loc"
                    }
                    res = {}
                    for r in link:
                        if etree.QName(r).localname == "label":
                            res.setdefault(r.get("{http://www.w3.org/1999/xlink}label"), []).append(r)
                    for arc in link:
                        if etree.QName(arc).localname != "arc":
                            continue
                        labels = res.get(arc.get("{http://www.w3.org/1999/xlink}to"), [])
                        rub = [el.text for el in labels if el.get("{http://www.w3.org/1999/xlink}role") == RUBRIC_ROLE]
                        if rub:
                            node = locs[arc.get("{http://www.w3.org/1999/xlink}from")]
                            out.setdefault(rub[0].strip(), set()).add(node)
                # second pass: the fr standard label of those nodes
                labels_by_node = {}
                for link in root:
                    locs = {
                        el.get("{http://www.w3.org/1999/xlink}label"): el.get("{http://www.w3.org/1999/xlink}href")
                        for el in link
                        if etree.QName(el).localname == "loc"
                    }
                    for arc in link:
                        if etree.QName(arc).localname != "arc":
                            continue
                        for el in link:
                            if (
                                etree.QName(el).localname == "label"
                                and el.get("{http://www.w3.org/1999/xlink}label")
                                == arc.get("{http://www.w3.org/1999/xlink}to")
                                and el.get("{http://www.w3.org/1999/xlink}role")
                                == "http://www.xbrl.org/2008/role/label"
                                and el.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
                            ):
                                labels_by_node[locs[arc.get("{http://www.w3.org/1999/xlink}from")]] = el.text
                for code, nodes in list(out.items()):
                    if isinstance(nodes, set):
                        texts = {labels_by_node[n] for n in nodes if n in labels_by_node}
                        if texts:
                            out[code] = texts
    return out


def test_all_nine_full_models_compile(catalog, replica_path):
    sizes = {}
    for model in FULL_MODELS:
        cat = catalog(model)
        sizes[model] = len(cat)
        assert cat.model == model and cat.framework == "22.19"
        # every datapoint key is canonical and unique, and no default member is ever part of one
        keys = [dp.key for dp in cat.datapoints]
        assert len(keys) == len(set(keys))
        for dp in cat.datapoints:
            assert dp.key == datapoint_key(dp.metric, dp.members, dp.typed)
            assert all(cat.defaults.get(d) != m for d, m in dp.members), dp.key
            assert dp.metric in cat.metrics
        # amounts always carry a rubric code in the NBB models
        amounts = [dp for dp in cat.datapoints if cat.metric_type(dp).kind == "amount"]
        assert amounts and all(dp.rubric for dp in amounts if dp.section.startswith(("s.03", "s.04"))), model
    # the replica's build report (beside the zip) states the number of distinct fact prototypes
    # (datapoints) of each model of that very build: the catalog must find exactly those, whatever
    # the build (no count of one package version is pinned here)
    report_path = replica_path.with_name("build-report.json")
    if report_path.is_file():
        report = json.loads(report_path.read_text(encoding="utf-8"))
        if report.get("package_version") == catalog(FULL_MODELS[0]).package_version:
            assert sizes == {m: report["models"][m]["datapoints"] for m in FULL_MODELS}


def test_metric_types_read_from_schema(catalog):
    cat = catalog("m87-f")
    am1, am2, am3 = (cat.metrics[m] for m in ("met:am1", "met:am2", "met:am3"))
    assert (am1.kind, am1.sign, am1.unit, am1.fraction_digits) == ("amount", "nonnegative", "EUR", 2)
    assert (am2.sign, am3.sign) == ("signed", "nonpositive")
    assert am1.check(Decimal("-0.01")) and am1.check(Decimal("1.001")) and am1.check(Decimal("12.30")) is None
    assert cat.metrics["met:dte1"].kind == "date" and cat.metrics["met:bln1"].kind == "boolean"
    lgf = cat.metrics["lgf-enum:list2"]
    assert lgf.kind == "enum" and lgf.enum_value("lgf:m610") is not None and lgf.check("lgf:m9999")
    assert cat.namespaces["lgf-enum"] == "http://www.nbb.be/be/fr/cbso/22.19/enum/lgf-enum"
    assert cat.defaults["dim:prd"] == "prd:m0"
    # the previous year is a member of dim:prd, never a period
    prev = cat.lookup("9904", "previous")
    cur = cat.lookup("9904", "current")
    assert dict(prev.members)["dim:prd"] == "prd:m2" and dict(cur.members)["dim:prd"] == "prd:m1"
    assert {k: v for k, v in prev.members if k != "dim:prd"} == {k: v for k, v in cur.members if k != "dim:prd"}


@pytest.mark.parametrize("model, rubric, section", [("m82-f", "10/49", "x.m82-f"), ("m87-f", "9904", "s.04")])
def test_taxonomy_show_answers_with_label_and_datapoint(catalog, replica_path, model, rubric, section):
    res = CliRunner().invoke(main, ["taxonomy", "show", model, rubric])
    assert res.exit_code == 0, res.output
    expected_labels = _rubric_labels_from_zip(replica_path, section)[rubric]
    assert any(label in res.output for label in expected_labels), (expected_labels, res.output)
    for dp in catalog(model).by_rubric(rubric):
        assert f"datapoint: {dp.key}" in res.output
    assert "(current)" in res.output and "(previous)" in res.output


def test_show_errors_are_one_line(tmp_path):
    runner = CliRunner()
    for args, text in [
        (["taxonomy", "show", "m99-f"], "model 'm99-f' is not in taxonomy package"),
        (["taxonomy", "show", "m87-f", "99/99"], "rubric '99/99' is not in model m87-f"),
        (["taxonomy", "show", "m87-f", "--taxonomy", str(tmp_path / "x.zip")], "no such taxonomy package"),
    ]:
        res = runner.invoke(main, args)
        assert res.exit_code == 2 and text in res.stderr and res.stderr.count("\n") == 1, res.stderr


def _filing_facts(path):
    root = etree.parse(str(path)).getroot()
    ctx = {}
    for c in root.iter(XBRLI + "context"):
        ctx[c.get("id")] = (
            [(e.get("dimension"), e.text.strip()) for e in c.iter(XBRLDI + "explicitMember")],
            [e.get("dimension") for e in c.iter(XBRLDI + "typedMember")],
        )
    for f in root:
        if f.get("contextRef"):
            q = etree.QName(f)
            yield f"{f.prefix}:{q.localname}", ctx[f.get("contextRef")], (f.text or "").strip()


def test_every_fact_of_the_accepted_filing_resolves_to_one_datapoint(catalog, accepted_m87):
    cat = catalog("m87-f")
    facts = list(_filing_facts(accepted_m87))
    assert len(facts) == 121
    values: dict[tuple[str, str], Decimal] = {}
    seen = set()
    for metric, (members, typed), value in facts:
        dp = cat.resolve(metric, members, typed)
        assert dp is not None, (metric, members, typed)
        # exactly one: no other datapoint shares metric and members modulo defaults
        same = [
            d
            for d in cat.datapoints
            if d.metric == metric and set(d.members) == set(dp.members) and set(d.typed) == set(typed)
        ]
        assert same == [dp]
        seen.add((dp.key, value if typed else ""))
        if cat.metric_type(dp).kind == "amount":
            assert dp.rubric, dp.key
            values[(dp.rubric, dp.period)] = Decimal(value)
    # rubric codes as published for this filing (shared/taxonomies/README.md, rendering check)
    assert values[("21/28", "current")] == Decimal("284932.83")
    assert values[("20/58", "current")] == Decimal("554894.28")
    assert values[("20/58", "previous")] == Decimal("273907.17")
    # the package's own totals hold on an accepted filing: rubric assignment and totals agree
    # (an absent term counts as zero, as the assertions' fallback value says)
    checked = 0
    for total in cat.totals:
        for period in ("current", "previous"):
            if (total.rubric, period) in values and any((r, period) in values for _, r in total.terms):
                parts = sum(s * values.get((r, period), Decimal(0)) for s, r in total.terms)
                assert values[(total.rubric, period)] == parts, total
                checked += 1
    assert checked >= 10


def test_totals_come_from_the_package(catalog, replica_path):
    cat = catalog("m82-f")
    assert len(cat.totals) >= 60
    by_rubric = {t.rubric: t for t in cat.totals}
    # the balance-sheet identity and the result cascade are among them
    assert sorted(r for _, r in by_rubric["20/58"].terms) == ["20", "21/28", "29/58"]
    assert sorted(r for _, r in by_rubric["10/49"].terms) == ["10/15", "16", "17/49"]
    assert {"9901", "9903", "9904", "9905"} <= set(by_rubric)
    ids = {t.id for t in cat.totals}
    with zipfile.ZipFile(replica_path) as zf:
        formula = zf.read(next(n for n in zf.namelist() if n.endswith("m82-f-calc-formula.xml"))).decode()
    declared = set(re.findall(r'id="(va_calc_\d+)"', formula))
    assert ids <= declared
    for t in cat.totals:
        assert cat.has_rubric(t.rubric) and all(cat.has_rubric(r) for _, r in t.terms)


def test_cached_catalog_equals_compiled(package, catalog):
    from nbb_filing.taxonomy.catalog import Catalog

    cat = catalog("m87-f")
    again = Catalog.from_json(cat.to_json())
    assert again.datapoints == cat.datapoints and dict(again.metrics) == dict(cat.metrics)
    assert again.totals == cat.totals and dict(again.defaults) == dict(cat.defaults)


def test_sibling_loads_another_model_of_the_same_package(catalog):
    from nbb_filing.core.errors import PackageError
    from nbb_filing.taxonomy.catalog import Catalog

    micro = catalog("m87-f")
    full = micro.sibling("m82-f")
    assert full is catalog("m82-f") and full.package_sha256 == micro.package_sha256
    bare = Catalog.from_json(micro.to_json())
    with pytest.raises(PackageError, match="does not know its taxonomy package"):
        bare.sibling("m82-f")


@pytest.mark.parametrize("model", ["m81-f", "m01-f", "m04-f"])
def test_a_datapoint_at_two_columns_takes_its_own_header(catalog, model):
    """The mandates tables put start/end (dim:mmt) on rows and the dates' headers on two columns that
    carry no member of it: each date is at both columns.  The end date must be headed by the end
    column, not by the first column it meets ("Date de début de mandat" for both, before)."""
    cat = catalog(model)
    pairs = 0
    for table in {dp.table for dp in cat.datapoints if dp.metric == "met:dte1" and dp.member("dim:mmt")}:
        dates = {dp.member("dim:mmt"): dp for dp in cat.datapoints if dp.table == table and dp.metric == "met:dte1"}
        if {"mmt:m1", "mmt:m2"} <= set(dates) and all(dp.typed for dp in dates.values()):
            pairs += 1
            start, end = dates["mmt:m1"].column_label("fr"), dates["mmt:m2"].column_label("fr")
            assert start != end, (table, start)
            assert "début" in start.lower() and "fin" in end.lower(), (table, start, end)
            assert dates["mmt:m1"].column_label("nl") != dates["mmt:m2"].column_label("nl")
    assert pairs >= 4  # directors and auditors, legal and natural persons
