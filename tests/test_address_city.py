"""The dossier's city: kept through generate and import, not replaced by the package's label of the postal code."""

from __future__ import annotations

from nbb_filing.api import generate
from nbb_filing.filing.dossier_files import load_dossier
from nbb_filing.filing.facts import build_facts
from nbb_filing.reading.importer import import_filing

ENTITY_ADDRESS = "address: {street: Rue Haute, number: 12, postal_code: 1000, city: Bruxelles, country: BE}"


def _entity_cells(m82, path):
    facts = build_facts(m82, load_dossier(path), None).facts
    entity = [f for f in facts if dict(f.datapoint.members).get("dim:psn") == "psn:m1"]
    return {
        dict(f.datapoint.members).get("dim:ctc"): (f.datapoint.metric, f.value)
        for f in entity
        if dict(f.datapoint.members).get("dim:bas") == "bas:m31"
    }


def test_a_city_the_postal_code_names_is_not_repeated(mini_text, write_dossier, m82):
    cells = _entity_cells(m82, write_dossier(mini_text))
    assert cells["ctc:m4"] == ("pcd-enum:list1", "pcd:m1000")  # the package labels pcd:m1000 "Bruxelles"
    assert "ctc:m5" not in cells
    brussel = _entity_cells(m82, write_dossier(mini_text.replace("city: Bruxelles, country", "city: BRUSSEL, country")))
    assert "ctc:m5" not in brussel  # the nl label, in capitals, is the same town


def test_another_town_of_the_postal_code_is_reported_not_written(mini_text, write_dossier, m82, package, tmp_path):
    """A Belgian address is filed by its postal-code list member; the free city cell would break the
    package's rule that a list member and a free city are exclusive (oa_01.00.2_0010), so a town the
    list does not name (Malonne for 5020, labelled "Champion") is reported as not written."""
    text = mini_text.replace(ENTITY_ADDRESS, ENTITY_ADDRESS.replace("1000, city: Bruxelles", "5020, city: Malonne"))
    dossier = write_dossier(text)
    factset = build_facts(m82, load_dossier(dossier), None)
    cells = _entity_cells(m82, dossier)
    assert cells["ctc:m4"] == ("pcd-enum:list1", "pcd:m5020")
    assert "ctc:m5" not in cells
    said = [x for x in factset.left_out if "Malonne" in x]
    assert len(said) == 1 and "5020" in said[0] and "Champion" in said[0] and "line" in said[0]
    out = generate(dossier, tmp_path / "malonne.xbrl", package=package)
    assert "Malonne" not in out.output.read_text(encoding="utf-8")
    assert any("Malonne" in x for x in out.left_out)
    back = import_filing(out.output, tmp_path / "imported", package)
    address = load_dossier(back.dossier_path).entity.address
    assert address.postal_code == "5020" and address.city.casefold() == "champion"


def test_a_town_the_label_names_with_its_code_or_borough_is_the_same_town(mini_text, write_dossier, m82):
    """4020 is labelled "Liège-4020" (a part of Liège, told from 4000 by its code) and 4030 "Grivegnée
    (Liège)": "Liège" for 4020, and "Grivegnée" or "Liège" for 4030, are the town the code names,
    so nothing is reported as dropped; another town still is."""
    labels = {ev.qname: ev.label("fr") for ev in m82.metrics["pcd-enum:list1"].enum_values}
    assert labels["pcd:m4020"] == "Liège-4020" and labels["pcd:m4030"] == "Grivegnée (Liège)"
    for code, city, reported in (
        ("4020", "Liège", False),
        ("4020", "LIÈGE", False),
        ("4030", "Grivegnée", False),
        ("4030", "Liège", False),
        ("4020", "Herstal", True),
    ):
        address = ENTITY_ADDRESS.replace("1000, city: Bruxelles", f"{code}, city: {city}")
        factset = build_facts(m82, load_dossier(write_dossier(mini_text.replace(ENTITY_ADDRESS, address))), None)
        said = [x for x in factset.left_out if "is not written" in x]
        assert bool(said) == reported, (code, city, said)
