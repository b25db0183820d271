"""The dossier's note blocks (issue 21): contributions/capital, shareholders, auditor's report,
consolidation, commitments, other information.

Each block: a good value lands in the cell the package gives it (found here from the catalog by
rubric code, label or list, not from the data file the writer uses), a value outside the package's
list fails with one line naming file, line and field, and a model without the note reports the
block as left out.  Round trips: generate -> import gives the blocks back, on the samples and on
the shared accepted filing (to which the blocks are added, since it has none of these notes).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from nbb_filing.core.errors import InputError, NbbFilingError
from nbb_filing.filing.binding import resolve_field
from nbb_filing.filing.dossier_files import load_dossier, parse_dossier
from nbb_filing.filing.facts import build_facts
from nbb_filing.filing.notes.dossier_blocks import BLOCKS, load_notes_table

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
MODELS = ("m82-f", "m81-f", "m87-f", "m01-f", "m02-f", "m08-f")
#: A minimal PDF (header, one empty page): what the package's document metric takes.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _facts(catalog, mini_text: str, block: str, model: str = "m82-f", tmp: Path | None = None):
    text = mini_text.replace("model: m82-f", f"model: {model}") + block
    if model == "m08-f":  # an association: its legal form and functions
        text = text.replace('legal_form: "706"', 'legal_form: "017"').replace(
            'function: "13"', "function: Administrateur"
        )
    path = (tmp / "dossier.yaml") if tmp else None
    if path is not None:
        path.write_text(text, encoding="utf-8")
        d = load_dossier(path)
    else:
        d = parse_dossier(text, Path("dossier.yaml"))
    return build_facts(catalog(model), d)


def _by_rubric(fs, code: str):
    return [f for f in fs.facts if f.datapoint.rubric == code]


def _by_metric(fs, metric: str):
    return [f for f in fs.facts if f.datapoint.metric == metric]


def _line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


# ---------------------------------------------------------------------- the data file


def test_every_cell_of_the_data_file_is_in_some_model(catalog):
    """A typo in data/dossier-notes.yaml would silently leave a field out everywhere."""
    cats = [catalog(m) for m in MODELS]
    missing = [
        f"{r.spec.name}.{f.name}"
        for r in load_notes_table().roles.values()
        for f, t in r.spec.all_fields()
        if not any(resolve_field(c, f, t) for c in cats)
    ]
    assert missing == []


def test_auditor_report_cells_found_by_members_not_by_section(catalog):
    """The full model files the report in s.08.00.0.abghi, the abbreviated one in s.11.00.0.cd."""
    role = load_notes_table().roles["auditor_report"].spec
    opinion = next(f for f in role.fields if f.name == "opinion")
    full, abbreviated = resolve_field(catalog("m82-f"), opinion, ()), resolve_field(catalog("m81-f"), opinion, ())
    assert full is not None and abbreviated is not None
    assert full.key == abbreviated.key and full.section != abbreviated.section


# ---------------------------------------------------------------------- one block at a time


def test_contributions_written_where_the_model_has_cells(catalog, mini_text):
    fs = _facts(catalog, mini_text, "contributions:\n  amount: 1000.00\n  subsidiaries_shares_number: 4\n")
    [held] = _by_rubric(fs, "8732")
    assert held.value == Decimal(4)
    assert any("contributions.amount" in x and "no cell" in x for x in fs.left_out)


def test_capital_own_shares_in_the_capital_model(catalog, mini_text):
    text = mini_text.replace('legal_form: "706"', 'legal_form: "014"')
    fs = _facts(catalog, text, "capital:\n  own_shares_amount: 6200.00\n  own_shares_number: 10\n", model="m01-f")
    assert [f.value for f in _by_rubric(fs, "8721")] == [Decimal("6200.00")]
    assert [f.value for f in _by_rubric(fs, "8722")] == [Decimal(10)]


def test_shareholders_named_by_typed_dimensions_percent_as_fraction(catalog, mini_text):
    block = (
        "shareholders:\n"
        "  - {first_name: Paul, last_name: Dupont, holdings: [{nature: Actions, voting_rights_attached: 60, percent: 60}]}\n"
        "  - {kind: legal, name: Holding SA, enterprise_number: 0888.888.895, holdings: [{percent: 40}]}\n"
    )
    fs = _facts(catalog, mini_text, block)
    pct = {frozenset(f.typed): f.value for f in _by_metric(fs, "met:pct1")}
    assert pct == {
        frozenset({("dim:open", "1"), ("dim:sfnp", "Paul"), ("dim:snnp", "Dupont")}): Decimal("0.6"),
        frozenset({("dim:open", "1"), ("dim:snlp", "Holding SA")}): Decimal("0.4"),
    }
    numbers = [f for f in _by_metric(fs, "met:str2") if f.value == "0888888895" and "shareholders" in f.source]
    assert len(numbers) == 1 and dict(numbers[0].typed) == {"dim:snlp": "Holding SA"}


def test_auditor_report_parts_and_fees(catalog, mini_text):
    block = (
        "auditor_report:\n  title: Rapport\n  introduction: Intro\n  opinion: Attestation sans réserve\n"
        "  opinion_explanation: Base\n  other_requirements: Autres\n  place: Gent\n  date: 2025-05-20\n"
        "  fees: [{description: Mandat, amount: 18500.00}, {description: Autres missions, amount: 1200.00}]\n"
    )
    fs = _facts(catalog, mini_text, block)
    mt = catalog("m82-f").metric_type("opn-enum:list1")
    unqualified = next(v.qname for v in mt.enum_values if v.label("fr") == "Attestation sans réserve")
    assert [f.value for f in _by_metric(fs, "opn-enum:list1")] == [unqualified]
    assert [f.value.isoformat() for f in _by_metric(fs, "met:dte1") if f.datapoint.section.startswith("s.08")] == [
        "2025-05-20"
    ]
    fees = sorted((dict(f.typed)["dim:open"], f.value) for f in _by_metric(fs, "met:am2") if f.typed)
    assert fees == [("1", Decimal("18500.00")), ("2", Decimal("1200.00"))]


def test_auditor_report_pdf_embedded(catalog, mini_text, tmp_path):
    (tmp_path / "rapport.pdf").write_bytes(PDF)
    fs = _facts(catalog, mini_text, "auditor_report: {file: rapport.pdf}\n", tmp=tmp_path)
    docs = [f for f in _by_metric(fs, "met:bsb1") if f.datapoint.section.startswith("s.08")]
    assert [d.value for d in docs] == [PDF]


def test_consolidation_parents_written_declaration_left_out(catalog, mini_text):
    block = (
        "consolidation:\n  drawn_up: false\n  exemption_reason: petit groupe\n"
        "  parents:\n    - {name: Groupe SC, enterprise_number: 0888.888.895, level: '2', publishes_consolidated: true,\n"
        "       address: {street: Rue Haute, number: 1, postal_code: 1000, city: Bruxelles}}\n"
    )
    fs = _facts(catalog, mini_text, block)
    [level] = _by_metric(fs, "clc-enum:list1")
    assert level.value.endswith(":m2") and dict(level.typed) == {"dim:petn": "Groupe SC"}
    assert [f.value for f in _by_metric(fs, "met:bln1") if dict(f.typed).get("dim:petn")] == [True]
    assert any("consolidation.drawn_up" in x for x in fs.left_out)
    assert any("consolidation.exemption_reason" in x for x in fs.left_out)


def test_commitments_in_company_and_association_models(catalog, mini_text):
    block = (
        "commitments:\n  personal_guarantees: 250000.00\n"
        "  real_guarantees_own: {mortgages_book_value: 480000.00}\n"
        "  litigation: [{description: Litige, amount: 35000.00}]\n"
        "  pensions: {description: Assurance de groupe, past_services_amount: 12000.00}\n"
        "  other: [{description: Garantie locative, amount: 42000.00}]\n"
    )
    for model in ("m82-f", "m08-f"):
        fs = _facts(catalog, mini_text, block, model=model)
        assert [f.value for f in _by_rubric(fs, "9149")] == [Decimal("250000.00")], model
        assert [f.value for f in _by_rubric(fs, "91611")] == [Decimal("480000.00")], model
        assert [f.value for f in _by_rubric(fs, "9220")] == [Decimal("12000.00")], model
        texts = sorted(f.value for f in _by_metric(fs, "met:str1") if dict(f.typed).get("dim:open"))
        assert texts == ["Garantie locative", "Litige"], model
        assert not [x for x in fs.left_out if "commitments" in x], model


def test_other_information_and_unlimited_liability(catalog, mini_text):
    block = (
        "other_information:\n  text: Autre information\n  public_subsidies: 12500.00\n"
        "  unlimited_liability:\n    - {name: Ateliers SNC, enterprise_number: 0888.888.895, legal_form: '011',\n"
        "       publication_code: A, address: {street: Rue Haute, number: 1, postal_code: 1000, city: Bruxelles}}\n"
    )
    fs = _facts(catalog, mini_text, block)
    assert [f.value for f in _by_rubric(fs, "9078")] == [Decimal("12500.00")]
    [pub] = _by_metric(fs, "pub-enum:list2")
    assert dict(pub.typed) == {"dim:curn": "Ateliers SNC"}
    assert "Autre information" in [f.value for f in _by_metric(fs, "met:str1")]


# ---------------------------------------------------------------------- bad values: one line


@pytest.mark.parametrize(
    "block, needle, field, listed",
    [
        (
            "auditor_report:\n  title: T\n  introduction: I\n  opinion: '9'\n  opinion_explanation: E\n"
            "  other_requirements: O\n  place: P\n  date: 2025-05-20\n",
            "opinion:",
            "auditor_report.opinion",
            "opn-enum:list1",
        ),
        (
            "consolidation:\n  parents:\n    - name: Groupe\n      level: '7'\n",
            "level:",
            "consolidation.parents[0].level",
            "clc-enum:list1",
        ),
        (
            "other_information:\n  unlimited_liability:\n    - name: SNC\n      publication_code: Z\n",
            "publication_code:",
            "other_information.unlimited_liability[0].publication_code",
            "pub-enum:list2",
        ),
    ],
)
def test_value_outside_the_package_list_fails_in_one_line(catalog, mini_text, block, needle, field, listed):
    with pytest.raises(InputError) as e:
        _facts(catalog, mini_text, block)
    msg = str(e.value)
    line = _line_of(mini_text + block, needle)
    assert "\n" not in msg
    assert msg.startswith(f"dossier.yaml line {line} ({field}):") and listed in msg


def test_auditor_report_pdf_and_parts_refused_in_one_line(catalog, mini_text, write_dossier):
    text = mini_text + "auditor_report:\n  file: rapport.pdf\n  opinion: '1'\n"
    with pytest.raises(NbbFilingError) as e:
        load_dossier(write_dossier(text))
    msg = str(e.value)
    assert "\n" not in msg and "auditor_report" in msg and f"line {_line_of(text, 'auditor_report:')}" in msg
    assert "not both" in msg


# ---------------------------------------------------------------------- models without the note


def test_model_without_the_note_reports_the_block_left_out(catalog, mini_text):
    block = (
        "shareholders: [{first_name: Paul, last_name: Dupont}]\n"
        "consolidation: {parents: [{name: Groupe}]}\n"
        "auditor_report:\n  title: T\n  introduction: I\n  opinion: '1'\n  opinion_explanation: E\n"
        "  other_requirements: O\n  place: P\n  date: 2025-05-20\n  fees: [{description: Mandat, amount: 100}]\n"
    )
    block += (
        "contributions: {own_shares_number: 3}\nother_information: {text: Autre}\n"
        "commitments: {off_balance_transactions: [{description: Affacturage}]}\n"
    )
    fs = _facts(catalog, mini_text, block, model="m08-f")
    assert any(x.startswith("dossier.yaml") and "no datapoints for shareholder natural" in x for x in fs.left_out)
    for role in ("contributions", "other information", "off balance transactions"):
        assert any(f"no datapoints for {role}" in x for x in fs.left_out), role
    assert any("no datapoints for parent" in x for x in fs.left_out)
    assert any("no datapoints for auditor fees" in x for x in fs.left_out)
    assert not [f for f in fs.facts if f.datapoint.section.startswith("s.08.00.0.cd")]
    assert len(_by_metric(fs, "opn-enum:list1")) == 1  # the association model has the report itself


# ---------------------------------------------------------------------- round trips


def _blocks(dossier) -> dict:
    return {b: getattr(dossier, b) for b in BLOCKS if getattr(dossier, b)}


def _import(package, xbrl: Path, out: Path):
    from nbb_filing.reading.importer import import_filing

    result = import_filing(xbrl, out, package)
    assert result.round_trip == () and not result.not_imported, (result.round_trip, result.not_imported)
    return load_dossier(result.dossier_path)


def _city(shareholder, city: str):
    return shareholder.model_copy(update={"address": shareholder.address.model_copy(update={"city": city})})


def _written_part(block, left_out_fields: set[str]):
    """``block`` without the fields generate reported as left out (the package has no cell for them)."""
    return block.model_copy(update={k: type(block).model_fields[k].default for k in left_out_fields})


def test_smartcoop_blocks_round_trip(sample_outputs, sample_dir, package, tmp_path):
    original = load_dossier(sample_dir / "dossier.yaml")
    for model in ("m82-f", "m81-f"):
        back = _import(package, Path(sample_outputs[model].output), tmp_path / model)
        assert back.auditor_report == original.auditor_report, model  # m81-f: the same cells, another section
        assert back.commitments == original.commitments, model
        assert back.other_information == original.other_information, model
        expected = _written_part(original.contributions, {"amount", "shares", "not_paid_up", "movements"})
        assert back.contributions == expected, model
        assert back.consolidation is None  # nothing of it has a cell in the replica


@pytest.mark.parametrize("sample", ["menuiserie-lambotte-2024", "jeugdhuis-de-vonk-2024"])
def test_other_samples_blocks_round_trip(sample, package, tmp_path):
    from nbb_filing.api import generate

    src = SAMPLES / sample / "dossier.yaml"
    out = tmp_path / f"{sample}.xbrl"
    generate(src, out, package=package)
    original, back = load_dossier(src), _import(package, out, tmp_path / "imported")
    expected = _blocks(original)
    if original.shareholders:  # a Belgian town comes back as the postal-code list's name ("Jambes (Namur)")
        expected["shareholders"] = tuple(_city(s, back.shareholders[0].address.city) for s in original.shareholders)
    if original.capital is not None:
        expected["capital"] = None  # the replica has cells for own shares only: none held here
        expected = {k: v for k, v in expected.items() if v}
    assert expected and _blocks(back) == expected


def test_blocks_round_trip_on_the_accepted_filing(imported_m87, package, tmp_path):
    """The accepted m87-f filing has none of these notes: its imported dossier gets the blocks its
    model has, is generated, imported again, and gives the same blocks back."""
    from nbb_filing.api import generate

    assert imported_m87.exact
    assert not _blocks(load_dossier(imported_m87.dossier_path))
    folder = tmp_path / "accepted"
    shutil.copytree(imported_m87.dossier_path.parent, folder)
    (folder / "rapport.pdf").write_bytes(PDF)
    data = yaml.safe_load((folder / "dossier.yaml").read_text(encoding="utf-8"))
    blocks = {
        "contributions": {"own_shares_number": 12},
        "auditor_report": {"file": "rapport.pdf"},
        "commitments": {
            "personal_guarantees": "5000.00",
            "real_guarantees_third_parties": {"vendor_privilege_unpaid": "800.00"},
            "litigation": [{"description": "Litige client", "amount": "1500.00"}],
            "other": [{"description": "Leasing camionnette", "amount": "9600.00"}],
        },
        "other_information": {
            "text": "Information complémentaire.",
            "public_subsidies": "2500.00",
            "unlimited_liability": [
                {
                    "name": "Atelier Commun SNC",
                    "enterprise_number": "0888.888.895",
                    "legal_form": "011",
                    "publication_code": "D",
                    "address": {"street": "Rue Haute", "number": "1", "postal_code": "1000", "city": "Bruxelles"},
                }
            ],
        },
    }
    data.update(blocks)
    (folder / "dossier.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    original = load_dossier(folder / "dossier.yaml")
    out = tmp_path / "with-blocks.xbrl"
    result = generate(folder / "dossier.yaml", out, package=package)
    assert not [x for x in result.left_out if any(b in x for b in blocks)]
    back = _import(package, out, tmp_path / "back")
    assert back.commitments == original.commitments
    assert back.contributions == original.contributions
    assert back.other_information.model_copy(
        update={"unlimited_liability": ()}
    ) == original.other_information.model_copy(update={"unlimited_liability": ()})
    [company] = back.other_information.unlimited_liability
    assert company.model_copy(update={"address": None}) == original.other_information.unlimited_liability[0].model_copy(
        update={"address": None}
    )
    assert back.auditor_report is not None and back.auditor_report.file
    assert (tmp_path / "back" / back.auditor_report.file).read_bytes() == PDF


# ---------------------------------------------------------------------- rendered in the package's layout


def test_blocks_rendered_in_their_package_tables(sample_outputs, package, catalog):
    import lxml.html

    from nbb_filing.reading.reader import read_facts
    from nbb_filing.rendering import render_html

    page, _, _ = render_html(read_facts(sample_outputs["m82-f"].output, package), lang="fr")
    doc = lxml.html.fromstring(page)
    cat = catalog("m82-f")
    fee_tables = {dp.table for dp in cat.datapoints if dp.member("dim:psn") == "psn:m24"}
    shown = " ".join(t.text_content() for t in doc.xpath("//table[@data-table]") if t.get("data-table") in fee_tables)
    assert "Émoluments du commissaire" in shown and "38.500,00" in shown
    guarantees = doc.xpath('//tr[@data-rubric="9149"]')
    assert guarantees and "150.000,00" in guarantees[0].text_content()
    opinion_table = cat.resolve(
        "opn-enum:list1",
        [("dim:bas", "bas:m109"), ("dim:bkd", "bkd:m10"), ("dim:part", "part:m7"), ("dim:psn", "psn:m8")],
    )
    assert opinion_table is not None
    report = [t for t in doc.xpath("//table[@data-table]") if t.get("data-table") == opinion_table.table]
    assert report and "Attestation sans réserve" in report[0].text_content()


def test_contributions_in_a_model_with_capital_refused(catalog, mini_text):
    text = mini_text.replace('legal_form: "706"', 'legal_form: "014"')
    with pytest.raises(InputError) as e:
        _facts(catalog, text, "contributions: {own_shares_number: 3}\n", model="m01-f")
    line = _line_of(text + "contributions:", "contributions:")
    assert str(e.value) == (
        f"dossier.yaml line {line} (contributions): model m01-f is for companies with capital: "
        "give 'capital:' instead of 'contributions:'"
    )


@pytest.mark.parametrize(
    "block, field",
    [
        ("commitments:\n  personal_guarantees: -5\n", "commitments.personal_guarantees"),
        ("contributions:\n  amount: true\n", "contributions.amount"),
        ("shareholders:\n  - {kind: legal, first_name: Paul}\n", "shareholders[0]"),
        ("consolidation:\n  drawn_up: true\n  exemption_reason: petit groupe\n", "consolidation"),
    ],
)
def test_bad_block_values_fail_in_one_line_on_reading(mini_text, write_dossier, block, field):
    text = mini_text + block
    with pytest.raises(NbbFilingError) as e:
        load_dossier(write_dossier(text))
    msg = str(e.value)
    assert "\n" not in msg and f"({field}" in msg and msg.startswith("dossier.yaml line ")


def test_bad_country_of_a_shareholder_named_with_its_field(catalog, mini_text):
    block = "shareholders:\n  - first_name: Paul\n    last_name: Dupont\n    address: {street: R, number: 1, postal_code: 1, city: X, country: Atlantis}\n"
    with pytest.raises(
        InputError, match=r"^dossier\.yaml line \d+ \(shareholders\[0\]\.address\.country\): 'Atlantis'"
    ):
        _facts(catalog, mini_text, block)


# ---------------------------------------------------------------------- scaffolded by init


def test_init_scaffolds_the_blocks_and_names_their_lists(tmp_path, catalog):
    from click.testing import CliRunner

    from nbb_filing.cli import main

    out = tmp_path / "d.yaml"
    res = CliRunner().invoke(main, ["init", "m82-f", "-o", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    for block in BLOCKS:
        assert f"# {block}:" in text, block
    flat = " ".join(x.strip().lstrip("#").strip() for x in text.splitlines())
    opinions = catalog("m82-f").metrics["opn-enum:list1"].enum_values
    assert f"one of list opn-enum:list1: 1 = {opinions[0].label('fr')}" in flat
    assert "one of list clc-enum:list1:" in flat and "one of list pub-enum:list2:" in flat
