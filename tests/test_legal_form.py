"""Legal form <-> model family (issue 11, defect 4): an SRL (lgf 610, without capital since the
Code of companies and associations) filing the with-capital model m01-f is refused, naming the
models that fit; unclassified forms are a warning.
"""

from __future__ import annotations

import pytest

from nbb_filing.api import generate
from nbb_filing.core.errors import InputError
from nbb_filing.filing.dossier_files import load_dossier
from nbb_filing.filing.legal_form import (
    check_legal_form,
    legal_form_metric,
    load_legal_forms,
)


def _dossier(write_dossier, mini_text, legal_form: str, model: str):
    text = mini_text.replace('legal_form: "706"', f'legal_form: "{legal_form}"', 1)
    text = text.replace("model: m82-f", f"model: {model}")
    return load_dossier(write_dossier(text))


def test_srl_on_the_with_capital_model_is_refused(write_dossier, mini_text, catalog):
    d = _dossier(write_dossier, mini_text, "610", "m01-f")
    with pytest.raises(InputError) as e:
        check_legal_form(catalog("m01-f"), d)
    msg = str(e.value)
    assert "(entity.legal_form)" in msg and "legal form 610 (Société à responsabilité limitée)" in msg
    assert "companies without capital" in msg and "m01-f is the abbreviated model for companies with capital" in msg
    assert "m81-f (abbreviated), m82-f (full), m87-f (micro)" in msg


def test_generate_refuses_before_writing(write_dossier, mini_text, catalog, package, tmp_path):
    catalog("m01-f")
    text = mini_text.replace('legal_form: "706"', 'legal_form: "610"', 1).replace("model: m82-f", "model: m01-f")
    out = tmp_path / "out.xbrl"
    with pytest.raises(InputError, match="models that fit are m81-f"):
        generate(write_dossier(text), out, package=package)
    assert not out.exists()


@pytest.mark.parametrize("form, model", [("014", "m01-f"), ("706", "m82-f"), ("610", "m87-f"), ("017", "m04-f")])
def test_matching_family_passes(write_dossier, mini_text, catalog, form, model):
    assert check_legal_form(catalog(model), _dossier(write_dossier, mini_text, form, model)) == []


def test_association_on_a_company_model_is_refused(write_dossier, mini_text, catalog):
    with pytest.raises(InputError, match=r"m04-f \(abbreviated\), m05-f \(full\), m08-f \(micro\)"):
        check_legal_form(catalog("m82-f"), _dossier(write_dossier, mini_text, "017", "m82-f"))


def test_unclassified_form_is_a_warning(write_dossier, mini_text, catalog):
    [w] = check_legal_form(catalog("m82-f"), _dossier(write_dossier, mini_text, "418", "m82-f"))
    assert "legal form 418" in w and "not classified" in w and "check that model m82-f" in w


def test_every_form_of_the_package_is_classified_and_no_other(catalog):
    c = catalog("m82-f")
    metric = legal_form_metric(c)
    assert metric is not None
    package_codes = {e.qname.split(":", 1)[1].removeprefix("m") for e in c.metric_type(metric).enum_values}
    table = load_legal_forms()
    assert set(table.forms) == package_codes
    assert {fam for fam, _ in table.forms.values()} == {"with-capital", "without-capital", "association", "none"}
