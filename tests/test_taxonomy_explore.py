"""``taxonomy show`` grouped by the package's sections; ``taxonomy find WORDS`` over every label."""

from __future__ import annotations

import json

from click.testing import CliRunner

from nbb_filing.cli import main


def run(*args: str):
    return CliRunner().invoke(main, ["taxonomy", *args])


def test_show_groups_rubrics_by_section_with_their_column(catalog):
    cat = catalog("m81-f")
    r = run("show", "m81-f")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    # every rubric once, under the header of its own cell's section
    section = None
    seen = {}
    for line in lines[1:]:
        if line and not line.startswith(" "):
            section = line.split()[0]
        elif line.strip() and not line.strip().startswith("rubric"):
            seen[line.split()[0]] = section
    assert set(seen) == set(cat.rubrics())
    for code, sec in seen.items():  # its cell's section, or the other table that shows it with this code ("(21)")
        dp = cat.by_rubric(code)[0]
        assert sec in {dp.section} | {a.section for a in dp.appearances if a.rubric == code}, code
    order = [line.split()[0] for line in lines[1:] if line and not line.startswith(" ")]
    assert order.index(seen["9906"]) < order.index(seen["8059"]) < order.index(seen["1001"])  # the package's order
    # 8059P and 8059 share a label; the column tells them apart, in the fixed-asset note's section
    row = {line.split()[0]: line for line in lines if line.startswith("  ") and line.split()}
    assert row["8059P"].rstrip().endswith(cat.by_rubric("8059P")[0].column_label("fr"))
    assert row["8059"].rstrip().endswith(cat.by_rubric("8059")[0].column_label("fr"))
    assert cat.by_rubric("8059P")[0].column_label("fr") != cat.by_rubric("8059")[0].column_label("fr")
    header = next(x for x in lines if x.startswith(seen["8059P"] + "  "))
    assert "IMMOBILISATIONS INCORPORELLES" in header and "S.06" not in header  # the package's table label
    data = json.loads(run("show", "m81-f", "--format", "json").output)
    assert {d["rubric"]: d["section"] for d in data} == seen


def test_find_reaches_cells_without_a_rubric_in_any_language(catalog):
    cat = catalog("m81-f")
    r = run("find", "m81-f", "autres documents", "--format", "json")
    assert r.exit_code == 0, r.output
    cells = json.loads(r.output)["cells"]
    pdf = [c for c in cells if c["type"] == "base64"]
    assert pdf and all(c["rubric"] is None for c in pdf)  # the other-documents PDF has no rubric code
    dp = cat.by_key(pdf[0]["key"])
    assert dp is not None and dp.rubric is None and dp.section == "s.17.00.0.cd"
    # the same cell by its English label, with the page in French; accents and case do not matter
    en = json.loads(run("find", "m81-f", "other DOCUMENTS pdf", "--format", "json").output)["cells"]
    assert [c["key"] for c in en] == [pdf[0]["key"]] and en[0]["label"].startswith("Autres documents")
    fr = json.loads(run("find", "m81-f", "creances commerciales", "--format", "json").output)["cells"]
    assert {"40", "290"} <= {c["rubric"] for c in fr}
    # text: grouped under the section title, the key printed to use in datapoint_facts:
    text = run("find", "m81-f", "PDF").output
    assert "AUTRES DOCUMENTS" in text and f"datapoint {pdf[0]['key']}" in text
    nothing = run("find", "m81-f", "zzzz-no-such-word")
    assert nothing.exit_code == 1 and nothing.output.startswith("m81-f: 0 cell(s)")
