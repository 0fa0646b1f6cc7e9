from pathlib import Path

from assets.settings import Settings


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
    s = Settings.from_env(
        {
            "INCLUSION_HOME": str(tmp_path / "h"),
            "INCLUSION_MIRROR": str(tmp_path / "m"),
            "INCLUSION_TARGET_VINTAGE": "2025",
        }
    )
    assert s.home == tmp_path / "h"
    assert s.mirror == tmp_path / "m"
    assert s.target_vintage == "2025"
    assert isinstance(s.archive_dir, Path)


def test_duckdb_memory_limit_is_checked_and_applied(tmp_path):
    import pytest

    from assets.resources import WarehouseResource

    assert Settings.from_env({}).duckdb_memory == "4GB"
    with pytest.raises(ValueError, match="INCLUSION_DUCKDB_MEMORY 'lots'"):
        Settings.from_env({"INCLUSION_DUCKDB_MEMORY": "lots"})
    s = Settings.from_env({"INCLUSION_HOME": str(tmp_path), "INCLUSION_DUCKDB_MEMORY": "512MB"})
    warehouse = WarehouseResource.from_settings(s).warehouse
    with warehouse.connect() as con:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit == "488.2 MiB"  # 512 MB, printed by DuckDB in MiB


def test_settings_file_is_read_under_the_environment_and_switches_the_schedule(tmp_path, monkeypatch):
    import dagster as dg
    import pytest

    from pipelines.definitions import build_defs

    (tmp_path / "inclusion.env").write_text(
        "# operator settings\nINCLUSION_MIRROR=../shared/data\nexport INCLUSION_NIGHTLY='on'\nINCLUSION_HOME=h\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INCLUSION_HOME", str(tmp_path / "from_env"))
    monkeypatch.delenv("INCLUSION_NIGHTLY", raising=False)
    monkeypatch.delenv("INCLUSION_MIRROR", raising=False)
    s = Settings.from_env()
    assert s.mirror == (tmp_path / "../shared/data").resolve() and s.nightly is True
    assert s.home == tmp_path / "from_env"  # the environment wins over the file
    schedule = build_defs(s).resolve_schedule_def("nightly_refresh")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert Settings.from_env({}).nightly is False  # an explicit environment reads no file
    with pytest.raises(ValueError, match="INCLUSION_NIGHTLY 'sometimes' is not 'on' or 'off'"):
        Settings.from_env({"INCLUSION_NIGHTLY": "sometimes"})
    (tmp_path / "bad.env").write_text("INCLUSION_MIRROR\n")
    with pytest.raises(ValueError, match="bad.env line 1 is not KEY=VALUE"):
        Settings.from_env({"INCLUSION_SETTINGS": str(tmp_path / "bad.env")})


def test_http_timeout_is_a_number_of_seconds_above_zero():
    import pytest

    assert Settings.from_env({}).http_timeout == 30.0
    assert Settings.from_env({"INCLUSION_HTTP_TIMEOUT": " 2.5 "}).http_timeout == 2.5
    for bad in ("abc", "0", "-5", "nan", "inf"):
        with pytest.raises(ValueError, match=f"INCLUSION_HTTP_TIMEOUT '{bad}' is not a number of seconds above 0"):
            Settings.from_env({"INCLUSION_HTTP_TIMEOUT": bad})


def test_target_vintage_is_a_year_or_unset():
    """INCLUSION_TARGET_VINTAGE=abc reached the geography parser's int() and failed its step, so
    nothing was published and the summary called geography ok: it is refused before anything runs."""
    import pytest

    assert Settings.from_env({"INCLUSION_TARGET_VINTAGE": " 2023 "}).target_vintage == "2023"
    assert Settings.from_env({"INCLUSION_TARGET_VINTAGE": ""}).target_vintage is None
    for bad in ("abc", "23", "2023a", "２０２３"):
        with pytest.raises(ValueError, match=f"INCLUSION_TARGET_VINTAGE '{bad}' is not a year such as 2023"):
            Settings.from_env({"INCLUSION_TARGET_VINTAGE": bad})


def test_an_igplus_config_that_is_not_a_file_is_named(tmp_path):
    import pytest

    with pytest.raises(ValueError, match="INCLUSION_IGPLUS_CONFIG '.*missing.yaml': no such file"):
        Settings.from_env({"INCLUSION_IGPLUS_CONFIG": str(tmp_path / "missing.yaml")})
    with pytest.raises(ValueError, match="INCLUSION_IGPLUS_CONFIG '.*': no such file"):
        Settings.from_env({"INCLUSION_IGPLUS_CONFIG": str(tmp_path)})  # a folder
    (tmp_path / "mine.yaml").write_text("version: mine\n")
    assert Settings.from_env({"INCLUSION_IGPLUS_CONFIG": str(tmp_path / "mine.yaml")}).igplus_config == (
        tmp_path / "mine.yaml"
    )


def test_a_settings_file_that_cannot_be_read_is_named_and_a_bom_is_no_part_of_a_key(tmp_path):
    import pytest

    (tmp_path / "latin1.env").write_bytes("INCLUSION_HOME=/srv/inclusi\u00f3n\n".encode("latin-1"))
    with pytest.raises(ValueError, match="settings file .*latin1.env cannot be read"):
        Settings.from_env({"INCLUSION_SETTINGS": str(tmp_path / "latin1.env")})
    (tmp_path / "bom.env").write_bytes("\ufeffINCLUSION_HOME=/srv/inclusion\n".encode())  # Notepad's UTF-8
    assert Settings.from_env({"INCLUSION_SETTINGS": str(tmp_path / "bom.env")}).home == Path("/srv/inclusion")


def test_accept_shrink_names_only_sources():
    import pytest

    assert Settings.from_env({"INCLUSION_ACCEPT_SHRINK": " population, rough_sleeping "}).accept_shrink == (
        "population",
        "rough_sleeping",
    )
    assert Settings.from_env({"INCLUSION_ACCEPT_SHRINK": ""}).accept_shrink == ()
    with pytest.raises(ValueError, match="INCLUSION_ACCEPT_SHRINK names 'populaton', not a source; sources are: "):
        Settings.from_env({"INCLUSION_ACCEPT_SHRINK": "populaton,rough_sleeping"})


def test_a_home_that_is_a_file_is_named(tmp_path):
    """It used to fail mid-start with 'NotADirectoryError: ... /dagster_home' and exit code 3."""
    import pytest

    (tmp_path / "build").write_text("")
    with pytest.raises(ValueError, match="INCLUSION_HOME '.*build' is a file, not a folder"):
        Settings.from_env({"INCLUSION_HOME": str(tmp_path / "build")})
    assert Settings.from_env({"INCLUSION_HOME": str(tmp_path / "new" / "home")}).home == tmp_path / "new" / "home"
