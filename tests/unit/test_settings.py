from pathlib import Path

from pipelines.settings import Settings


def test_defaults_put_everything_under_build(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = Settings.from_env({})
    assert s.home == tmp_path / "build"
    assert s.warehouse_path == tmp_path / "build" / "warehouse.duckdb"
    assert s.site_dir == tmp_path / "build" / "site"
    assert s.mirror is None and s.records_dir is None
    # the refresh's private database is not the published file
    assert s.work_db_path != s.warehouse_path


def test_environment_overrides(tmp_path):
    s = Settings.from_env({"INCLUSION_HOME": str(tmp_path / "h"), "INCLUSION_MIRROR": str(tmp_path / "m"),
                           "INCLUSION_TARGET_VINTAGE": "2025"})
    assert s.home == tmp_path / "h"
    assert s.mirror == tmp_path / "m"
    assert s.target_vintage == "2025"
    assert isinstance(s.archive_dir, Path)
