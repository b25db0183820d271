"""Safe reading of filings and the move to the installed framework (filing_xml)."""

from __future__ import annotations

import pytest
from lxml import etree

from nbb_filing.core.errors import InputError
from nbb_filing.core.xmlns import LINK, XLINK
from nbb_filing.taxonomy.filing_xml import (
    parse_filing,
    retarget_framework,
    schema_ref,
)


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "is a directory"),
        (b"", "empty file"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xbrl/>', "DOCTYPE or entities"),
        (b"<xbrl", "not well-formed XML"),
        (b"<html/>", "not an XBRL instance"),
    ],
)
def test_bad_files_give_one_line_input_errors(tmp_path, content, expected):
    target = tmp_path / "f.xbrl"
    if content is None:
        target.mkdir()
    else:
        target.write_bytes(content)
    with pytest.raises(InputError, match=expected) as err:
        parse_filing(target)
    assert "\n" not in str(err.value) and str(target) in str(err.value)


def test_retarget_moves_schema_ref_and_enum_namespaces_only(accepted_m87):
    tree = parse_filing(accepted_m87)
    before = schema_ref(tree.getroot())
    assert (before.framework, before.model) == ("23.0", "m87-f")
    moved, changes = retarget_framework(tree, "22.19")
    root = moved.getroot()
    assert schema_ref(root).href == before.href.replace("/fws/23.0/", "/fws/22.19/")
    assert changes[0] == "schemaRef fws/23.0 -> fws/22.19"
    enum_uris = {u for u in root.nsmap.values() if "/enum/" in u}
    assert enum_uris and all("/cbso/22.19/enum/" in u for u in enum_uris)
    # the dictionary is untouched and no fact is lost or renamed outside the enumeration lists
    old_facts = [(etree.QName(f).localname, f.get("contextRef"), f.text) for f in tree.getroot() if f.get("contextRef")]
    new_facts = [(etree.QName(f).localname, f.get("contextRef"), f.text) for f in root if f.get("contextRef")]
    assert old_facts == new_facts and len(new_facts) == 121
    assert all(
        etree.QName(f).namespace.endswith(("/cbso/dict/met",)) or "/cbso/22.19/enum/" in etree.QName(f).namespace
        for f in root
        if f.get("contextRef")
    )
    # a filing already in the target framework is left as it is
    again, none = retarget_framework(moved, "22.19")
    assert none == [] and root.find(f"{{{LINK}}}schemaRef").get(f"{{{XLINK}}}href") == schema_ref(again.getroot()).href
