"""The package's structure: layers import only downwards, no import circles, no private names
across modules, the CLI speaks only the public API, and the public API is what ``__all__`` says.

Read from the source with ``ast`` (lazy imports inside functions count too), so a violation is
caught even where it would only show at run time on a rare path.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import nbb_filing

SRC = Path(nbb_filing.__file__).parent

#: the rooms, bottom to top; a module may import its own room and the rooms below it
LAYERS = ("core", "taxonomy", "books", "filing", "reading", "checks", "rendering", "api", "cli")


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


MODULES = _modules()


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None  # the package's face (nbb_filing/__init__.py)
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    is_pkg = MODULES.get(module, Path()).name == "__init__.py"
    base = base if is_pkg else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str) -> list[tuple[str, tuple[str, ...], int]]:
    """(imported module, names taken from it, line) for every import in ``module``."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    out: list[tuple[str, tuple[str, ...], int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((a.name, (), node.lineno) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            names = tuple(a.name for a in node.names)
            # `from pkg import mod` imports the submodule pkg.mod
            subs = [n for n in names if f"{target}.{n}" in MODULES]
            for n in subs:
                out.append((f"{target}.{n}", (), node.lineno))
            rest = tuple(n for n in names if n not in subs)
            if rest or not subs:
                out.append((target, rest, node.lineno))
    return [(t, n, line) for t, n, line in out if t == "nbb_filing" or t.startswith("nbb_filing.")]


def _targets_in_package(target: str) -> str | None:
    """The package module an import lands in (``nbb_filing.x.y`` may name a module or a package)."""
    return target if target in MODULES else None


def test_every_module_lives_in_a_room():
    stray = [m for m in MODULES if m != "nbb_filing" and _layer(m) is None]
    assert not stray, f"modules outside the rooms {LAYERS}: {stray}"


def test_layers_import_only_downwards():
    bad = []
    for module in MODULES:
        own = _layer(module)
        if own is None:
            continue
        for target, _names, line in _imports(module):
            if target == "nbb_filing":
                if LAYERS[own] != "cli":
                    bad.append(f"{module}:{line} imports the package face (only the CLI may)")
                continue
            theirs = _layer(target)
            if theirs is not None and theirs > own:
                bad.append(f"{module}:{line} ({LAYERS[own]}) imports {target} ({LAYERS[theirs]})")
    assert not bad, "\n".join(bad)


def test_no_private_names_across_modules():
    bad = []
    for module in MODULES:
        tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
        aliases: dict[str, str] = {}
        for target, names, line in _imports(module):
            for n in names:
                if n.startswith("_") and not n.startswith("__") and target != module:
                    bad.append(f"{module}:{line} imports {target}.{n}")
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = _resolve(module, node)
                for a in node.names:
                    if f"{target}.{a.name}" in MODULES:
                        aliases[a.asname or a.name] = f"{target}.{a.name}"
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name in MODULES and a.asname:
                        aliases[a.asname] = a.name
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                bad.append(f"{module}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    assert not bad, "\n".join(bad)


def test_no_import_circles():
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        if module == "nbb_filing":
            continue  # the face imports lazily, on attribute access
        for target, _names, _line in _imports(module):
            t = _targets_in_package(target)
            if t and t != module and t != "nbb_filing":
                graph[module].add(t)
    # Tarjan's strongly connected components
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                circles.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    assert not circles, f"import circles: {circles}"


def test_cli_uses_only_the_public_api():
    bad = []
    for module in MODULES:
        if _layer(module) != LAYERS.index("cli"):
            continue
        for target, _names, line in _imports(module):
            if target != "nbb_filing" and not target.startswith("nbb_filing.cli"):
                bad.append(f"{module}:{line} imports {target}; use `from nbb_filing import ...`")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("name", sorted(set(nbb_filing.__all__) - {"__version__"}))
def test_public_api_names_resolve(name):
    value = getattr(nbb_filing, name)
    assert value is not None
    module = importlib.import_module(value.__module__) if hasattr(value, "__module__") else None
    assert module is not None and module.__name__.startswith("nbb_filing")


def test_public_api_has_the_workflows():
    # what a Python caller needs without knowing the rooms
    needed = {
        "generate",
        "validate_files",
        "import_filing",
        "read_facts",
        "load_dossier",
        "load_mapping",
        "read_trial_balance",
        "compute_figures",
        "check_mapping",
        "resolve_package",
        "load_catalog",
    }
    assert needed <= set(nbb_filing.__all__)
    with pytest.raises(AttributeError):
        nbb_filing.no_such_name  # noqa: B018
