"""The dossier's city: kept through generate and import, not replaced by the package's label of the postal code."""

from __future__ import annotations

from nbb_filing.api import generate
from nbb_filing.filing.dossier import load_dossier
from nbb_filing.filing.facts import build_facts
from nbb_filing.reading.importer import import_filing

ENTITY_ADDRESS = "address: {street: Rue Haute, number: 12, postal_code: 1000, city: Bruxelles, country: BE}"


def _entity_cells(m82, path):
    facts = build_facts(m82, load_dossier(path), None).facts
    entity = [f for f in facts if dict(f.datapoint.members).get("dim:psn") == "psn:m1"]
    return {dict(f.datapoint.members).get("dim:ctc"): (f.datapoint.metric, f.value) for f in entity
            if dict(f.datapoint.members).get("dim:bas") == "bas:m31"}


def test_a_city_the_postal_code_names_is_not_repeated(mini_text, write_dossier, m82):
    cells = _entity_cells(m82, write_dossier(mini_text))
    assert cells["ctc:m4"] == ("pcd-enum:list1", "pcd:m1000")  # the package labels pcd:m1000 "Bruxelles"
    assert "ctc:m5" not in cells
    brussel = _entity_cells(m82, write_dossier(mini_text.replace("city: Bruxelles, country", "city: BRUSSEL, country")))
    assert "ctc:m5" not in brussel  # the nl label, in capitals, is the same town


def test_another_town_of_the_postal_code_is_written_and_read_back(mini_text, write_dossier, m82, package, tmp_path):
    text = mini_text.replace(ENTITY_ADDRESS, ENTITY_ADDRESS.replace("1000, city: Bruxelles", "5020, city: Malonne"))
    dossier = write_dossier(text)
    cells = _entity_cells(m82, dossier)
    assert cells["ctc:m4"] == ("pcd-enum:list1", "pcd:m5020")  # labelled "Champion" in the package
    assert cells["ctc:m5"] == ("met:str2", "Malonne")
    out = generate(dossier, tmp_path / "malonne.xbrl", package=package)
    assert "Malonne" in out.output.read_text(encoding="utf-8")
    back = import_filing(out.output, tmp_path / "imported", package)
    address = load_dossier(back.dossier_path).entity.address
    assert (address.postal_code, address.city) == ("5020", "Malonne")
    assert back.exact
