"""The refresh summary names example data and the fallbacks standing in."""

import duckdb

from assets.settings import Settings
from pipelines.summary import caveats


def test_summary_flags_example_data_and_fallbacks(tmp_path):
    settings = Settings(home=tmp_path, mirror=None, records_dir=None, target_vintage=None)
    assert caveats(settings) == []  # no build yet: nothing to say, no error
    settings.work_db_path.parent.mkdir(parents=True)
    con = duckdb.connect(str(settings.work_db_path))
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE TABLE marts.build_info AS SELECT * FROM (VALUES ('example_data', 'true')) t(key, value)")
    con.execute(
        "CREATE TABLE marts.indicators AS SELECT * FROM (VALUES "
        "('children_low_income_relative_pct', true, 'Used in place of X: caveat.'), "
        "('uc_in_employment_rate', false, 'Not available in this build; Y is used in its place.'), "
        "('rough_sleeping_count', true, NULL)) t(indicator_id, available, fallback_note)"
    )
    con.close()
    lines = caveats(settings)
    assert lines[0].startswith("example data: the co-production measures")
    assert lines[1:] == ["fallback: children_low_income_relative_pct: Used in place of X: caveat."]
