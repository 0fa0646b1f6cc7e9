"""One registered Source per publisher, every publisher a package of the same shape, and the GSS
marker and Nomis status conventions each written once."""

import ast
import functools
import importlib
import pathlib

import pytest

from sources.catalogue import indicators_frame, sources_frame
from sources.markers import marker_status
from sources.nomis import UnknownNomisStatus, nomis_status
from sources.registry import SOURCE_IDS, package, registered, source

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHAPE = ("__init__.py", "meta.py", "discover.py", "parse.py")


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_every_publisher_is_a_package_of_the_same_shape(source_id):
    folder = ROOT / "sources" / source_id
    assert [name for name in SHAPE if not (folder / name).is_file()] == []
    pkg = package(source_id)
    for name in ("SOURCE", "discover", "parse", "dataset_of"):
        assert hasattr(pkg, name), f"sources.{source_id} does not export {name}"
    assert pkg.discover.__module__ == f"sources.{source_id}.discover"
    assert pkg.parse.__module__ == f"sources.{source_id}.parse"
    assert pkg.SOURCE is importlib.import_module(f"sources.{source_id}.meta").SOURCE is source(source_id)


def test_each_registered_description_names_its_own_source():
    described = registered()
    assert [s.source_id for s in described] == list(SOURCE_IDS)
    for s in described:
        assert s.title and s.publisher and s.licence and "." in s.host
        assert {i.source_id for i in s.indicators} <= {s.source_id}
    assert source("geography").parse_settings == ("target_vintage",)
    assert [s.source_id for s in described if s.keep_former_areas] == ["population"]


def test_the_catalogue_is_read_from_the_registry():
    frame = sources_frame().set_index("source_id")
    assert list(frame.index) == list(SOURCE_IDS)
    assert frame.loc["rough_sleeping", "publisher"] == source("rough_sleeping").publisher
    indicators = indicators_frame()
    assert set(indicators["indicator_id"]) == {i.indicator_id for s in registered() for i in s.indicators}
    assert indicators["indicator_id"].is_unique


def test_an_unknown_source_is_named_in_the_error():
    with pytest.raises(KeyError, match="unknown source 'nowhere'"):
        source("nowhere")


@functools.cache
def _tree(path: pathlib.Path) -> ast.Module:
    """A file's syntax tree, parsed once per test process (the files do not change during a run)."""
    return ast.parse(path.read_text())


@functools.cache
def _dict_literals(path: pathlib.Path) -> tuple[set[str], ...]:
    """The string keys of each dict literal in a file."""
    return tuple(
        {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Dict)
    )


def _project_files():
    for folder in ("sources", "assets", "pipelines", "dashboards"):
        yield from (ROOT / folder).rglob("*.py")


def test_no_second_per_source_registry():
    """Facts about sources live in their Source description, not in dicts keyed by source id."""
    offenders = [
        str(p.relative_to(ROOT))
        for p in _project_files()
        if any(len(keys & set(SOURCE_IDS)) >= 2 for keys in _dict_literals(p))
    ]
    assert offenders == []


def test_marker_and_nomis_status_maps_are_written_once():
    markers = [
        str(p.relative_to(ROOT)) for p in _project_files() if any({"[x]", ".."} & keys for keys in _dict_literals(p))
    ]
    nomis = [str(p.relative_to(ROOT)) for p in _project_files() if any({"A", "Q", "X"} <= k for k in _dict_literals(p))]
    assert markers == ["sources/markers.py"]
    assert nomis == ["sources/nomis.py"]


@pytest.mark.parametrize(
    "text, overrides, expected",
    [
        ("[x]", None, "not_available"),
        (" [C] ", None, "suppressed"),
        ("[z]", None, "not_applicable"),
        ("[u]", None, "unreliable"),
        ("..", None, "not_available"),
        ("x", None, "not_available"),
        ("x", {"x": "suppressed"}, "suppressed"),  # ASHE's key: x = CV above 20%
        ("12.5", None, None),
        ("", None, None),
    ],
)
def test_one_marker_means_one_thing_unless_the_publisher_says_otherwise(text, overrides, expected):
    assert marker_status(text, overrides) == expected


def test_nomis_statuses_are_shared_and_unknown_codes_refused():
    assert nomis_status("A") is None and nomis_status(" ") is None
    assert (
        nomis_status("Q") == "unreliable" and nomis_status("!") == "suppressed" and nomis_status("P") == "provisional"
    )
    with pytest.raises(UnknownNomisStatus, match="'?'"):
        nomis_status("?")


def test_assets_never_branch_on_a_source_id():
    """What differs between sources is said in their Source description, not in `if source_id == ...`."""
    offenders = []
    for folder in ("assets", "pipelines"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(_tree(path)):
                if isinstance(node, ast.Compare):
                    names = [c.value for c in [node.left, *node.comparators] if isinstance(c, ast.Constant)]
                    if set(names) & set(SOURCE_IDS):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_an_api_key_a_source_names_is_a_secret_of_the_resource():
    from assets.resources import PublishersResource

    keyed = {s.source_id: s.api_key for s in registered() if s.api_key}
    assert keyed == {"in_work_poverty": "statxplore_api_key"}
    assert set(keyed.values()) <= set(PublishersResource.model_fields)
    assert callable(package("in_work_poverty").supplement)


def test_every_raw_file_states_its_licence():
    # Provenance in the published warehouse: each raw file with the licence it is published under.
    from assets import landing as ld
    from assets.warehouse import Warehouse
    from sources.archive import RawFile
    from tests.unit.landing_db import landing_connection

    con = landing_connection()
    Warehouse.replace_table(con, "landing", "source_catalogue", sources_frame())
    for source_id in SOURCE_IDS:
        raw = RawFile(
            source_id, "/x", "0" * 64, f"{source_id}.csv", "https://example/x", "2026-01-01T00:00:00+00:00", None, 1
        )
        ld.replace_raw_files(con, source_id, [raw])
    Warehouse.run(con, "marts/raw_files.sql")
    licences = dict(con.execute("SELECT source_id, licence FROM marts.raw_files").fetchall())
    assert set(licences) == set(SOURCE_IDS)
    assert all("Open Government Licence v3.0" in text for text in licences.values()), licences
