"""A newcomer's first run (issue 24): what a cold data home costs is only the catalogs it needs.

- ``generate`` asks for the model's catalog and the mapping's full model's together
  (:func:`nbb_filing.taxonomy.catalog_cache.load_catalogs`): on a cold cache the second is compiled in
  a forked child while this process compiles the first; a child that fails costs nothing but time;
- ``generate --validate`` gives this process other work meanwhile: every missing catalog is compiled
  in a child (the dossier's own, smaller one at a lower priority) while this process loads the
  taxonomy the validation then runs on, in a forked child, as ``validate`` does for several files;
- the page reads no other model when the model's own catalog labels its rows (``tests/test_render.py``).

The compilations themselves are replaced by a stand-in here (a real one costs seconds of Arelle):
what is checked is who compiles what, in which process, and that the answer is the same.
``benchmarks/bench_first_run.py`` measures the real thing against a bare Arelle validation.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def cold(monkeypatch, tmp_path, package):
    """A cold data home for ``catalog_cache``, whose compilation is a stand-in that records, in a
    file (children write there too), which process compiled which model, and leaves a cache file."""
    from nbb_filing.taxonomy import catalog_cache

    monkeypatch.setenv("NBB_FILING_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(catalog_cache, "_memory", {})
    log = tmp_path / "compiled.txt"
    fail_in_child: set[str] = set()

    def stand_in(info, model, framework=None, *, use_cache=True):
        path = catalog_cache._cache_path(info, model, info.entry_point(model, framework).framework)
        if not path.is_file():
            if os.getpid() != parent and model in fail_in_child:
                raise RuntimeError("a child that fails")
            with open(log, "a", encoding="utf-8") as fh:
                where = "parent" if os.getpid() == parent else "child"
                fh.write(f"{model} {where}{'' if os.nice(0) == niceness else ' lower'}\n")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("compiled", encoding="utf-8")
        return f"catalog {model}"

    parent = os.getpid()
    niceness = os.nice(0)
    monkeypatch.setattr(catalog_cache, "load_catalog", stand_in)
    monkeypatch.setattr(catalog_cache, "_parallel_available", lambda: True)
    return catalog_cache, log, fail_in_child


def _compiled(log: Path) -> list[str]:
    return sorted(log.read_text(encoding="utf-8").splitlines()) if log.is_file() else []


def test_two_missing_catalogs_are_compiled_side_by_side(cold, package):
    catalog_cache, log, _ = cold
    got = catalog_cache.load_catalogs(package, ["m81-f", "m82-f", "m81-f"])
    assert got == ["catalog m81-f", "catalog m82-f", "catalog m81-f"]  # in the order asked
    assert _compiled(log) == ["m81-f parent", "m82-f child"]  # each once, the second in a child


def test_a_failing_child_is_made_up_for(cold, package):
    catalog_cache, log, fail_in_child = cold
    fail_in_child.add("m82-f")
    assert catalog_cache.load_catalogs(package, ["m81-f", "m82-f"]) == ["catalog m81-f", "catalog m82-f"]
    assert _compiled(log) == ["m81-f parent", "m82-f parent"]


def test_nothing_is_forked_for_one_missing_catalog(cold, package):
    catalog_cache, log, _ = cold
    catalog_cache.load_catalogs(package, ["m81-f"])
    catalog_cache.load_catalogs(package, ["m81-f", "m82-f"])  # m81-f is cached now: m82-f alone, here
    assert _compiled(log) == ["m81-f parent", "m82-f parent"]


def test_meanwhile_this_process_works_and_every_missing_catalog_is_compiled_in_a_child(cold, package):
    catalog_cache, log, _ = cold
    ran: list[int] = []
    got = catalog_cache.load_catalogs(package, ["m81-f", "m82-f"], meanwhile=lambda: ran.append(os.getpid()))
    assert got == ["catalog m81-f", "catalog m82-f"]
    assert ran == [os.getpid()]  # once, in this process
    # the dossier's own (smaller) model yields the cores to the full model's compile and to ``meanwhile``
    assert _compiled(log) == ["m81-f child lower", "m82-f child"]


def test_meanwhile_alone_beside_one_missing_catalog(cold, package):
    catalog_cache, log, _ = cold
    ran: list[int] = []
    catalog_cache.load_catalogs(package, ["m82-f"], meanwhile=lambda: ran.append(os.getpid()))
    assert ran == [os.getpid()] and _compiled(log) == ["m82-f child"]  # at full priority: nothing to yield to


def test_meanwhile_is_not_called_when_nothing_is_compiled_or_nothing_can_be_forked(cold, package, monkeypatch):
    catalog_cache, log, fail_in_child = cold
    ran: list[str] = []
    monkeypatch.setattr(catalog_cache, "_parallel_available", lambda: False)
    catalog_cache.load_catalogs(package, ["m81-f", "m82-f"], meanwhile=lambda: ran.append("no fork"))
    assert _compiled(log) == ["m81-f parent", "m82-f parent"]
    monkeypatch.setattr(catalog_cache, "_parallel_available", lambda: True)
    catalog_cache.load_catalogs(package, ["m81-f", "m82-f"], meanwhile=lambda: ran.append("all cached"))
    assert ran == []


def test_a_failing_child_beside_meanwhile_is_made_up_for(cold, package):
    catalog_cache, log, fail_in_child = cold
    fail_in_child.add("m82-f")
    ran: list[str] = []
    got = catalog_cache.load_catalogs(package, ["m81-f", "m82-f"], meanwhile=lambda: ran.append("ran"))
    assert got == ["catalog m81-f", "catalog m82-f"] and ran == ["ran"]
    assert _compiled(log) == ["m81-f child lower", "m82-f parent"]


def test_generate_asks_for_the_mappings_full_model_with_its_own(sample_dir, package, catalog, monkeypatch, tmp_path):
    """The SmartCoop sample as m81-f: on a cold cache generate asks for m81-f and m82-f (its
    mapping's) in one call; once m81-f is at hand, for m81-f alone (no mapping read ahead)."""
    import shutil

    from nbb_filing import api
    from nbb_filing.taxonomy import catalog_cache

    catalog("m81-f"), catalog("m82-f")
    asked: list[list[str]] = []
    real = catalog_cache.load_catalogs

    def spy(info, models, framework=None, *, meanwhile=None):
        asked.append(list(models))
        return real(info, models, framework, meanwhile=meanwhile)

    monkeypatch.setattr(api, "load_catalogs", spy)
    copy = tmp_path / "sc"
    shutil.copytree(sample_dir, copy)
    d = copy / "dossier.yaml"
    text = d.read_text(encoding="utf-8").replace("model: m82-f", "model: m81-f", 1)
    d.write_text(text.replace("../../mappings/without-capital.yaml", "without-capital"), encoding="utf-8")
    monkeypatch.setattr(api, "cached_catalog", lambda info, model, framework=None: None)  # as on a cold cache
    api.generate(d, tmp_path / "out.xbrl", package=package)
    assert asked == [["m81-f", "m82-f"]]
    monkeypatch.undo()
    monkeypatch.setattr(api, "load_catalogs", spy)
    api.generate(d, tmp_path / "out.xbrl", package=package)  # m81-f at hand: the mapping is not read ahead
    assert asked == [["m81-f", "m82-f"], ["m81-f"]]


def _same_report(kept, fresh) -> None:
    assert kept.error is None and kept.facts == fresh.facts > 300
    assert [(f.rule, f.effect, f.message) for f in kept.findings] == [
        (f.rule, f.effect, f.message) for f in fresh.findings
    ]
    assert kept.assertions == fresh.assertions
    assert len(kept.assertions_evaluated) > 100 and not kept.assertions_unsatisfied


def test_a_first_generate_validate_and_a_first_validate_load_the_taxonomy_while_the_catalog_compiles(
    sample_dir, package, catalog, monkeypatch, tmp_path
):
    """Real Arelle, the SmartCoop sample as m81-f, its catalog missing (m82-f's at hand): a forked
    child compiles it while this process loads the taxonomy of the validation, which then runs on
    it in a forked child and says what a validation from scratch of the same file says.  Then the
    same for a first ``validate`` of the filing, on a cache without the m81-f catalog again."""
    import shutil

    from nbb_filing import api
    from nbb_filing.checks import kept_dts, validate
    from nbb_filing.taxonomy import catalog_cache

    catalog("m82-f")
    framework = package.entry_point("m82-f").framework
    full = catalog_cache._cache_path(package, "m82-f", framework)
    monkeypatch.setenv("NBB_FILING_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(catalog_cache, "_memory", {})
    catalog_cache._cache_path(package, "m82-f", framework).parent.mkdir(parents=True)
    shutil.copyfile(full, catalog_cache._cache_path(package, "m82-f", framework))
    copy = tmp_path / "sc"
    shutil.copytree(sample_dir, copy)
    d = copy / "dossier.yaml"
    text = d.read_text(encoding="utf-8").replace("model: m82-f", "model: m81-f", 1)
    d.write_text(text.replace("../../mappings/without-capital.yaml", "without-capital"), encoding="utf-8")

    steps: list[str] = []

    class Hook:
        def start(self, step):
            steps.append(f"start {step.split(' (')[0]}")

        def done(self, step, seconds):
            steps.append(f"done {step.split(' (')[0]}")

    overlapped = [
        "start compiling catalogs m81-f",
        "start loading taxonomy m81-f and compiling its assertions",
        "done loading taxonomy m81-f and compiling its assertions",
        "done compiling catalogs m81-f",
    ]
    own = catalog_cache._cache_path(package, "m81-f", framework)
    out = tmp_path / "out.xbrl"
    kept_dts.clear_dts_cache()
    try:
        result = api.generate(d, out, package=package, validate=True, progress=Hook())
        assert steps[:4] == overlapped
        assert own.is_file()  # the child's work
        assert kept_dts.dts_loaded(package, "m81-f")
        fresh = validate.validate_files([out], package, reuse=False).files[0]
        _same_report(result.validation.files[0], fresh)

        # a first validate of the filing: its catalog gone again, nothing loaded
        kept_dts.clear_dts_cache()
        own.unlink()
        monkeypatch.setattr(catalog_cache, "_memory", {})
        steps.clear()
        report = validate.validate_files([out], package, progress=Hook())
        assert steps[1:5] == overlapped and own.is_file()
        assert kept_dts.dts_loaded(package, "m81-f")
        _same_report(report.files[0], fresh)
    finally:
        kept_dts.clear_dts_cache()


def test_the_model_hint_reads_the_schema_ref_without_parsing(tmp_path):
    from nbb_filing.taxonomy.filing_xml import model_hint

    ref = '<link:schemaRef xlink:type="simple" xlink:href="http://www.nbb.be/be/fr/cbso/fws/22.19/mod/m81/m81-f.xsd"/>'
    f = tmp_path / "f.xbrl"
    f.write_text(f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><xbrli:xbrl>{ref}</xbrli:xbrl>')
    assert model_hint(f) == "m81-f"  # found without parsing: the DTD is refused later, by the real parse
    f.write_text(ref.replace("cbso/fws/22.19/mod/m81/m81-f.xsd", "other/taxonomy.xsd"))
    assert model_hint(f) is None  # not an NBB entry point
    f.write_text("<xbrli:xbrl>" + " " * 70_000 + ref + "</xbrli:xbrl>")
    assert model_hint(f) is None  # beyond the first 64 KB: no hint, the validation goes the usual way
    assert model_hint(tmp_path / "missing.xbrl") is None
    os.mkfifo(tmp_path / "pipe.xbrl")
    assert model_hint(tmp_path / "pipe.xbrl") is None  # not opened: a read would wait for a writer
