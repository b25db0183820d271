"""The declarative table data/dossier-datapoints.yaml checked against the catalogs of the models.

Every entry must name a datapoint of each model that has the role at all; the identification roles
(filing, entity) must be complete in every model.  A role wholly absent from a model (which
one lacks which table is read from its catalog) is allowed and reported as "left out" by generate.
"""

from __future__ import annotations

import pytest

from nbb_filing.filing.binding import load_table, parse_table, resolve_field
from nbb_filing.taxonomy.values import match_enum

MODELS = ("m82-f", "m81-f", "m87-f")


@pytest.mark.parametrize("model", MODELS)
def test_every_entry_resolves(catalog, model):
    cat = catalog(model)
    assert load_table().problems(cat) == []


def test_participations_table_present_only_where_the_model_has_it(catalog):
    # where the model has the list of participations is read from the catalog: the section that
    # holds the participation's typed dimension (dim:ptpn).  The table file's entries must then
    # resolve wholly in exactly those models, and not at all elsewhere.
    table = load_table()
    role = table.roles["participation"]
    for m in MODELS:
        cat = catalog(m)
        has_list = any("dim:ptpn" in dp.typed for dp in cat.datapoints)
        resolved = [resolve_field(cat, f, t) for f, t in role.all_fields()]
        assert resolved and (all(resolved) if has_list else not any(resolved)), m
        # the list is read where the model keeps it: every resolved cell is one of the list's datapoints
        assert all("dim:ptpn" in dp.typed for dp in resolved if dp is not None), m


def test_a_member_list_is_the_first_member_the_model_has(catalog):
    # m81-f files the participations list in part m7, the full model m82-f (note 6.5.1) in part m6:
    # one table entry with dim:part: [part:m7, part:m6] reaches both, and the order is the preference
    role = load_table().roles["participation"]
    equity = next(f for f in role.fields if f.name == "equity")
    parts = {m: dict(resolve_field(catalog(m), equity, ("dim:ptpn",)).members)["dim:part"] for m in ("m81-f", "m82-f")}
    assert parts == {"m81-f": "part:m7", "m82-f": "part:m6"}
    swapped = parse_table(
        {
            "address": {},
            "address_type": {"metric": "atc-enum:list1"},
            "roles": {
                "p": {
                    "members": {"dim:part": ["part:m99", "part:m7"], "dim:psn": "psn:m1", "dim:rls": "rls:m7"},
                    "typed": {"name": "dim:ptpn"},
                    "fields": {"equity": {"metric": "met:am2", "members": {"dim:bas": "bas:m37", "dim:ntr": "ntr:m4"}}},
                }
            },
        }
    )
    spec = swapped.roles["p"].fields[0]
    assert dict(spec.members)["dim:part"] == "part:m99"
    assert resolve_field(catalog("m81-f"), spec, ("dim:ptpn",)) is not None
    assert resolve_field(catalog("m82-f"), spec, ("dim:ptpn",)) is None


def test_a_member_list_of_no_qnames_is_refused():
    with pytest.raises(Exception, match="members of dim:part must be a QName or a list of QNames"):
        parse_table(
            {"address": {}, "roles": {"p": {"members": {"dim:part": []}, "fields": {"x": {"metric": "met:am2"}}}}}
        )


def test_a_wrong_entry_is_reported(catalog):
    data = {
        "address": {},
        "address_type": {"metric": "atc-enum:list1", "members": {}},
        "mandate": {"index": "dim:open", "fields": {}},
        "missions": {"index": "dim:open", "field": {"metric": "nmc-enum:list1"}},
        "roles": {
            "entity": {
                "members": {"dim:part": "part:m2", "dim:psn": "psn:m1"},
                "fields": {
                    "name": {"metric": "met:str2", "members": {"dim:bas": "bas:m29"}},
                    # bas:m28 is not the member of the name cell: this datapoint does not exist
                    "legal_form": {"metric": "lgf-enum:list2", "members": {"dim:bas": "bas:m28"}},
                },
            }
        },
        "rubrics": {"total_assets": "20/58", "nonsense": "99999"},
    }
    problems = parse_table(data).problems(catalog("m82-f"))
    assert problems == [
        "role entity, field legal_form: lgf-enum:list2[dim:bas=bas:m28,dim:part=part:m2,dim:psn=psn:m1] is not a datapoint of m82-f",
        "rubric 99999 (nonsense) is not in model m82-f",
    ]


def test_enumeration_values_by_qname_code_or_label(catalog):
    cat = catalog("m82-f")
    legal = cat.metrics["lgf-enum:list2"]
    assert match_enum(legal, "lgf:m706") == "lgf:m706"
    assert match_enum(legal, "706") == "lgf:m706"
    assert match_enum(legal, "société coopérative") == "lgf:m706"  # fr label, any case
    assert match_enum(legal, "999") is None
    court = cat.metrics["cct-enum:list1"]
    assert match_enum(court, "Bruxelles, francophone") == "cct:m31"
    country = cat.metrics["cty-enum:list1"]
    assert match_enum(country, "BE") == "cty:mBE"
    assert match_enum(country, "Belgique") == "cty:mBE"
