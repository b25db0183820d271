"""The package's enumeration lists (legal forms, courts, countries, functions, missions ...).

Everything here is read from the catalog: an enumeration list is a metric of kind ``enum``
(``lgf-enum:list2``, ``cct-enum:list1`` ...) whose allowed members, with their fr/nl/de/en
labels, the catalog took from the package.  A list is named by its metric, or by its domain
prefix alone (``lgf``) when the model has one list of that domain; ``lgf`` names every list of
the domain otherwise.

The *code* of a value is what a dossier may write: NBB code-list members are named ``m`` + the
official code (``lgf:m706`` has code ``706``), the same rule :func:`nbb_filing.taxonomy.values.match_enum`
applies when it reads a dossier.
"""

from __future__ import annotations

from dataclasses import dataclass

from nbb_filing.core.errors import InputError
from nbb_filing.taxonomy.catalog import Catalog, EnumValue


@dataclass(frozen=True)
class EnumList:
    """One enumeration list of a model: its metric, its values, and the datapoints that use it."""

    name: str  # the metric, e.g. lgf-enum:list2
    values: tuple[EnumValue, ...]
    datapoints: tuple[str, ...]  # keys of the model's datapoints whose metric is this list

    @property
    def domain(self) -> str:
        return self.name.split("-enum:", 1)[0].split(":", 1)[0]

    def used_for(self, catalog: Catalog, lang: str) -> list[str]:
        """The distinct labels (table > row) of the datapoints using the list."""
        out: list[str] = []
        for key in self.datapoints:
            dp = catalog.by_key(key)
            label = dp.path_label(lang) if dp is not None else ""
            if label and label not in out:
                out.append(label)
        return out


def value_code(v: EnumValue) -> str:
    """``lgf:m706`` -> ``706``; a member not named ``m…`` keeps its local name."""
    local = v.qname.split(":", 1)[-1]
    return local[1:] if local.startswith("m") and len(local) > 1 else local


def enumeration_lists(catalog: Catalog) -> list[EnumList]:
    """Every enumeration list of the catalog's model, sorted by name."""
    used: dict[str, list[str]] = {}
    for dp in catalog.datapoints:
        used.setdefault(dp.metric, []).append(dp.key)
    out = [
        EnumList(name, mt.enum_values, tuple(used.get(name, ())))
        for name, mt in catalog.metrics.items()
        if mt.kind == "enum"
    ]
    return sorted(out, key=lambda x: x.name)


def find_lists(catalog: Catalog, name: str) -> list[EnumList]:
    """The list(s) ``name`` designates: a metric (``cct-enum:list1``) or a domain prefix (``cct``)."""
    lists = enumeration_lists(catalog)
    wanted = name.strip()
    exact = [x for x in lists if x.name == wanted]
    if exact:
        return exact
    by_domain = [x for x in lists if x.domain.casefold() == wanted.casefold()]
    if by_domain:
        return by_domain
    known = ", ".join(sorted({x.domain for x in lists}))
    raise InputError(
        f"{wanted!r} is not an enumeration list of model {catalog.model} (lists: {known}; "
        f"all of them: nbb-filing taxonomy values --model {catalog.model})"
    )


def values_command(list_name: str, model: str) -> str:
    """The command that prints the allowed values of a list, for error messages."""
    return f"nbb-filing taxonomy values {list_name} --model {model}"


def list_to_json(lst: EnumList, lang: str, catalog: Catalog, fields: dict[str, list[str]] | None = None) -> dict:
    """The list as JSON; ``fields``: list metric -> the dossier fields that take it (filing knowledge)."""
    return {
        "list": lst.name,
        "domain": lst.domain,
        "count": len(lst.values),
        "datapoints": len(lst.datapoints),
        "used_for": lst.used_for(catalog, lang),
        "dossier_fields": (fields or {}).get(lst.name, []),
        "values": [{"code": value_code(v), "qname": v.qname, "label": v.label(lang)} for v in lst.values],
    }
