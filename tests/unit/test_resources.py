"""Resources are small and typed, one per concern; each asset asks only for those it uses; the two
secrets reach them as dg.EnvVar, so their values never sit in the definitions."""

from __future__ import annotations

import ast
import pathlib

import dagster as dg

from assets.resources import PublishersResource, RecordsResource, with_fields
from assets.settings import Settings
from pipelines.definitions import SECRETS, build_defs, deployment_resources
from sources.registry import SOURCE_IDS

ROOT = pathlib.Path(__file__).resolve().parents[2]


def unused_resource_parameters(source: str) -> list[str]:
    """Functions taking a parameter typed as a resource (...Resource) that their body never reads."""
    unused = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        read = {n.id for statement in node.body for n in ast.walk(statement) if isinstance(n, ast.Name)}
        for arg in node.args.args + node.args.kwonlyargs:
            annotation = ast.unparse(arg.annotation) if arg.annotation else ""
            if annotation.endswith("Resource") and arg.arg not in read:
                unused.append(f"line {node.lineno} {node.name}({arg.arg})")
    return unused


def test_no_function_asks_for_a_resource_it_does_not_use():
    offenders = {
        str(path.relative_to(ROOT)): found
        for folder in ("assets", "pipelines")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (found := unused_resource_parameters(path.read_text()))
    }
    assert offenders == {}


def test_an_unused_resource_is_found():
    source = (
        "def step(context, warehouse: WarehouseResource, publishers: PublishersResource):\n    warehouse.connect()\n"
    )
    assert unused_resource_parameters(source) == ["line 1 step(publishers)"]


def test_each_asset_asks_only_for_the_resources_of_its_concern(tmp_path):
    defs = build_defs(Settings(home=tmp_path, mirror=None, records_dir=None, target_vintage=None))
    graph = defs.resolve_asset_graph()
    asks: dict[str, set[str]] = {}
    for key in graph.get_all_asset_keys():
        needed = set(defs.resolve_assets_def(key).required_resource_keys) - {"io_manager"}
        asks[key.to_user_string()] = needed
    publishers = {k for k, v in asks.items() if "publishers" in v}
    records = {k for k, v in asks.items() if "records" in v}
    assert all("warehouse" in v for v in asks.values())
    assert publishers == {
        k for k in asks if k.split("/")[0] in ("raw", "landing") and k.split("/")[1] in SOURCE_IDS
    } | {"published_warehouse"}
    assert records == {"raw/records", "landing/records", "published_warehouse"}
    assert {k for k, v in asks.items() if "igplus" in v} == {"landing/igplus_config", "dashboard_site"}
    assert not any("retention" in v for v in asks.values())
    (op,) = defs.resolve_job_def("housekeeping").graph.node_defs
    assert set(op.required_resource_keys) == {"retention"}


def test_secrets_are_given_as_env_vars_and_their_values_stay_out(tmp_path, monkeypatch):
    settings = Settings(home=tmp_path, mirror=None, records_dir=None, target_vintage=None)
    for name in SECRETS.values():
        monkeypatch.delenv(name, raising=False)
    unset = deployment_resources(settings)
    assert unset["records"].records_key is None and unset["publishers"].statxplore_api_key is None

    values = {name: f"value-of-{name.lower()}-7Qx" for name in SECRETS.values()}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    resources = deployment_resources(settings)
    for (key, field), name in SECRETS.items():
        given = getattr(resources[key], field)
        assert isinstance(given, dg.EnvVar) and given == name
    shown = repr(resources) + repr({k: vars(r) for k, r in resources.items()})
    assert not any(value in shown for value in values.values())
    # Everything else is as the settings say.
    assert resources["records"].home == str(tmp_path) and resources["publishers"].home == str(tmp_path)


def test_a_secret_set_on_a_copy_reaches_the_run(tmp_path):
    """with_fields builds a new resource: model_copy would keep the config Dagster resolved before."""
    with_key = with_fields(RecordsResource(home=str(tmp_path), records_key="first-key"), records_key=None)
    seen = {}

    @dg.asset
    def probe(records: RecordsResource) -> None:
        seen["key"] = records.records_key

    dg.materialize([probe], resources={"records": with_key})
    assert seen == {"key": None}


def test_a_source_api_key_and_parse_settings_name_fields_of_the_publishers_resource():
    from sources.registry import registered

    fields = set(PublishersResource.model_fields)
    for described in registered():
        assert set(described.parse_settings) <= fields, described.source_id
        assert described.api_key is None or described.api_key in fields, described.source_id


# Reads of the environment below pipelines/: the settings (read once, where the resources are
# built) and GX's analytics switch (a library option set before GX is imported, not a setting).
ENVIRONMENT_READERS = {"assets/settings.py", "assets/quality.py"}


def environment_reads(source: str) -> list[int]:
    """Lines reading os.environ or os.getenv."""
    return sorted(
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
        and node.attr in ("environ", "getenv")
    )


def test_only_the_settings_read_the_environment():
    offenders = {
        rel: lines
        for folder in ("assets", "sources", "dashboards")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (rel := str(path.relative_to(ROOT))) not in ENVIRONMENT_READERS
        and (lines := environment_reads(path.read_text()))
    }
    assert offenders == {}
    assert environment_reads("import os\nx = os.environ.get('A')\ny = os.getenv('B')\n") == [2, 3]


def test_the_igplus_config_is_a_setting_given_to_its_asset_by_the_resource(tmp_path, monkeypatch):
    from assets.igplus import DEFAULT_CONFIG, igplus_config
    from assets.resources import IgplusResource, WarehouseResource
    from tests.fixtures.warehouses import write_small_igplus_config

    chosen = write_small_igplus_config(tmp_path / "chosen.yaml", draws=7)
    assert Settings.from_env({}).igplus_config == DEFAULT_CONFIG
    settings = Settings.from_env({"INCLUSION_HOME": str(tmp_path), "INCLUSION_IGPLUS_CONFIG": str(chosen)})
    assert settings.igplus_config == chosen.resolve()
    assert deployment_resources(settings)["igplus"].config == str(chosen.resolve())

    # The asset reads the resource, not the environment: a variable set now changes nothing.
    monkeypatch.setenv("INCLUSION_IGPLUS_CONFIG", str(DEFAULT_CONFIG))
    warehouse = WarehouseResource(home=str(tmp_path))
    dg.materialize([igplus_config], resources={"warehouse": warehouse, "igplus": IgplusResource(config=str(chosen))})
    with warehouse.connect() as con:
        rows = con.execute(
            "SELECT config_set, path, mc_draws FROM landing.igplus_config_settings ORDER BY 1"
        ).fetchall()
    assert rows == [("current", str(chosen), 7), ("default", str(DEFAULT_CONFIG), 2000)]
