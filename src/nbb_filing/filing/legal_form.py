"""Legal form <-> model family: an SRL does not file the model for companies with capital.

The legal forms (codes and labels) are the package's: the enumeration of the entity's legal-form
cell (``lgf-enum``), read from the catalog.  Which family of models each form files with (with
capital m01/m02/m07, without capital m81/m82/m87, associations m04/m05/m08) is domain data kept in
``data/legal-forms.yaml`` with its legal source (the Code of companies and associations).

A form of the wrong family is refused, naming the models that fit; a form the data does not
classify (a code a newer package adds, a pension fund, a foreign entity ...) is a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from nbb_filing.core.data_files import load_data_yaml
from nbb_filing.core.errors import InputError
from nbb_filing.taxonomy.catalog import Catalog
from nbb_filing.taxonomy.values import match_enum

if TYPE_CHECKING:  # pragma: no cover
    from nbb_filing.filing.dossier import Dossier

DATA_FILE = "legal-forms.yaml"
SIZES = ("full", "abbreviated", "micro")

__all__ = ["Family", "LegalForms", "load_legal_forms", "legal_form_metric", "judge_legal_form", "check_legal_form"]


@dataclass(frozen=True)
class Family:
    name: str
    label: str
    models: tuple[tuple[str, str], ...]  # (size, model stem): ("full", "m02") ...

    def model(self, size: str) -> str | None:
        return dict(self.models).get(size)

    def fitting(self, part: str) -> list[str]:
        """``m81-f (abbreviated), m82-f (full), m87-f (micro)`` style names for one model part."""
        return [f"{stem}-{part} ({size})" for size, stem in sorted(self.models, key=lambda x: x[1])]


@dataclass(frozen=True)
class LegalForms:
    families: dict[str, Family]
    forms: dict[str, tuple[str, str]]  # code -> (family name or "none", note)

    def family_of_model(self, model: str) -> tuple[Family, str] | None:
        """The family of ``model`` (``m01-f``) and the size it is for (``abbreviated``)."""
        stem = model.split("-", 1)[0]
        for fam in self.families.values():
            for size, s in fam.models:
                if s == stem:
                    return fam, size
        return None


@lru_cache(maxsize=1)
def load_legal_forms() -> LegalForms:
    data = load_data_yaml(DATA_FILE)
    families = {
        name: Family(name, str(f.get("label", name)), tuple((s, str(m)) for s, m in (f.get("models") or {}).items()))
        for name, f in (data.get("families") or {}).items()
    }
    forms = {
        str(code): (str(v["family"]), str(v.get("note", ""))) for code, v in (data.get("legal_forms") or {}).items()
    }
    return LegalForms(families, forms)


def legal_form_metric(catalog: Catalog) -> str | None:
    """The metric of the entity's legal-form cell (from ``data/dossier-datapoints.yaml``), if the model has it."""
    data = load_data_yaml("dossier-datapoints.yaml")
    spec = ((data.get("roles") or {}).get("entity") or {}).get("fields", {}).get("legal_form")
    metric = spec.get("metric") if isinstance(spec, dict) else None
    return metric if metric and metric in catalog.metrics else None


def judge_legal_form(catalog: Catalog, given: str) -> tuple[str, str] | None:
    """``("refuse", why)`` for a legal form of another family than the model's, ``("warn", why)`` for
    one the data does not classify, ``None`` when it fits (or cannot be judged: no such cell, not in
    the package's list, a model of no known family)."""
    table = load_legal_forms()
    placed = table.family_of_model(catalog.model)
    metric = legal_form_metric(catalog)
    if placed is None or metric is None:
        return None
    family, size = placed
    mt = catalog.metric_type(metric)
    qname = match_enum(mt, given)
    if qname is None:
        return None  # not in the package's list: the fact writer refuses it with the list's values
    code = qname.split(":", 1)[1].removeprefix("m")
    label = next((e.label("fr") for e in mt.enum_values if e.qname == qname), code)
    known = table.forms.get(code)
    if known is None or known[0] not in table.families:
        why = f" ({known[1]})" if known and known[1] else ""
        return "warn", (
            f"legal form {code} ({label}) is not classified in data/{DATA_FILE}{why}; check that "
            f"model {catalog.model} ({family.label}) fits it"
        )
    fam_name, note = known
    if fam_name == family.name:
        return None
    right = table.families[fam_name]
    part = catalog.model.split("-", 1)[1] if "-" in catalog.model else "f"
    return "refuse", (
        f"legal form {code} ({label}) is one of the {right.label}{f' ({note})' if note else ''}, but model "
        f"{catalog.model} is the {size} model for {family.label}; the models that fit are "
        f"{', '.join(right.fitting(part))}"
    )


def check_legal_form(catalog: Catalog, dossier: Dossier) -> list[str]:
    """Refuse a legal form of another family than the model's; return warnings for what cannot be decided."""
    verdict = judge_legal_form(catalog, dossier.entity.legal_form)
    if verdict is None:
        return []
    kind, why = verdict
    where = dossier.where("entity", "legal_form")
    if kind == "refuse":
        raise InputError(f"{where}: {why}")
    return [f"{where}: {why}"]
