"""A copy of the session's refresh of the real mirror, refreshed again: a bad workbook is reported
and the last good data stays published; the same raw files are re-harmonised to an older vintage.
(In a module of its own, so these two refreshes run beside the read-only tests of
test_refresh_real.py on the other pytest worker.)"""

import shutil

import openpyxl
import pytest

from tests.fixtures.warehouses import ALL_BUT_SITE, source_and_publish
from tests.integration.refresh_helpers import query, run_refresh
from tests.integration.test_refresh_real import COUNT_SQL

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


def test_bad_workbook_is_reported_and_published_data_kept(refreshed_copy, shared_data, small_igplus_config, tmp_path):
    home = refreshed_copy
    db = home / "warehouse.duckdb"
    before = query(db, "SELECT sum(value) FROM marts.indicator_values WHERE source_id = 'rough_sleeping'")
    mirror = tmp_path / "mirror"
    for folder in shared_data.iterdir():
        if folder.is_dir() and folder.name != "rough_sleeping":
            (mirror / folder.name).parent.mkdir(parents=True, exist_ok=True)
            (mirror / folder.name).symlink_to(folder)
    (mirror / "rough_sleeping").mkdir()
    broken = mirror / "rough_sleeping" / "Rough_sleeping.xlsx"
    shutil.copy(shared_data / "rough_sleeping" / "Rough_sleeping.xlsx", broken)
    wb = openpyxl.load_workbook(broken)
    ws = wb["Table 1 Total"]
    header = next(r for r in ws.iter_rows() if any(c.value in ("2022", 2022) for c in r))
    col_2022 = next(c.column for c in header if c.value in ("2022", 2022))
    england = next(r for r in ws.iter_rows() if any(c.value == "England" for c in r[:4]))
    ws.cell(row=england[0].row, column=col_2022).value = 3070  # no longer the sum of its LAs (3,069)
    wb.save(broken)

    result = run_refresh(home, mirror, small_igplus_config, selection=source_and_publish("rough_sleeping"))
    ((status, reason),) = query(
        home / "work" / "refresh.duckdb",
        "SELECT status, reason FROM landing.source_status WHERE source_id = 'rough_sleeping'",
    )
    assert status == "stale"
    assert "Rough_sleeping.xlsx" in reason and "Table 1 Total" in reason and "2022" in reason
    assert query(db, "SELECT sum(value) FROM marts.indicator_values WHERE source_id = 'rough_sleeping'") == before
    assert query(db, "SELECT status FROM marts.sources WHERE source_id = 'rough_sleeping'") == [("stale",)]
    # the failure is visible to operators as a failed freshness check
    failed_checks = [
        e
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed
    ]
    assert any(e.event_specific_data.check_name == "fresh" for e in failed_checks)


def test_an_older_target_vintage_can_be_chosen(refreshed_copy, shared_data, small_igplus_config):
    # The same raw files re-harmonised to the 2023 vintage (sources are not parsed again).
    result = run_refresh(refreshed_copy, shared_data, small_igplus_config, ALL_BUT_SITE, target_vintage="2023")
    assert result.success
    db = refreshed_copy / "warehouse.duckdb"
    assert query(db, "SELECT DISTINCT vintage FROM marts.areas WHERE area_type = 'lad'") == [("2023",)]
    # Barnsley keeps its pre-2025 code on a 2023 target; totals are unchanged.
    assert query(db, "SELECT count(*) FROM marts.indicator_values WHERE area_code = 'E08000016'")[0][0] > 0
    assert query(db, "SELECT count(*) FROM marts.indicator_values WHERE area_code = 'E08000038'") == [(0,)]
    assert query(db, COUNT_SQL, {"period": "2022"}) == [(296, 3069.0)]
