"""A source never shrinks silently: an empty or far smaller release is refused (kept stale, with the
reason) unless an operator accepts it; one bad file gives way to a usable sibling."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from assets.settings import Settings
from pipelines.cli import main as cli_main
from sources import shrink
from tests.conftest import real_file
from tests.faults.helpers import land_source, scratch_mirror, work_query

POPULATION_VALUES = "SELECT count(value) FROM landing.indicator_values WHERE source_id = 'population'"
STATUS = "SELECT status, coalesce(reason, '') FROM landing.source_status WHERE source_id = $s"


def _tidy(rows):
    return pd.DataFrame(rows, columns=["indicator_id", "area_code", "period", "value"])


def test_extent_counts_only_rows_with_a_value():
    ext = shrink.extent(_tidy([("a", "E1", "2020", 1.0), ("a", "E2", "2020", None), ("a", "E1", "2021", 2.0)]))
    assert ext.to_dict("records") == [{"indicator_id": "a", "rows": 2, "areas": 1, "periods": 2}]


def test_shrinks_flags_rows_areas_and_periods_below_the_share():
    before = pd.DataFrame(
        [
            {"indicator_id": "a", "rows": 100, "areas": 10, "periods": 10},
            {"indicator_id": "b", "rows": 10, "areas": 10, "periods": 1},
            {"indicator_id": "gone", "rows": 5, "areas": 5, "periods": 1},
        ]
    )
    after = pd.DataFrame(
        [
            {"indicator_id": "a", "rows": 80, "areas": 10, "periods": 7},
            {"indicator_id": "b", "rows": 10, "areas": 10, "periods": 1},
        ]
    )
    found = shrink.shrinks(before, after, min_share=0.75)
    assert [(s.indicator_id, s.measure, s.before, s.after) for s in found] == [
        ("a", "periods", 10, 7),
        ("gone", "rows", 5, 0),
        ("gone", "areas", 5, 0),
        ("gone", "periods", 1, 0),
    ]
    assert shrink.shrinks(before, after, min_share=0.75, excused={"a", "gone"}) == []
    assert shrink.shrinks(before, after, min_share=0.0) == []
    assert "gone: 0 rows (was 5), 0 areas (was 5), 0 periods (was 1)" in shrink.summary(found)


def test_one_shot_acceptance_is_used_up(tmp_path):
    shrink.accept(tmp_path, ["population"], when="2026-01-01T00:00:00Z")
    assert shrink.accepted(tmp_path) == {"population"}
    assert shrink.accepted(tmp_path, ("social_mobility",)) == {"population", "social_mobility"}
    shrink.consume(tmp_path, "population")
    assert shrink.accepted(tmp_path) == set()


def test_share_setting_is_checked():
    assert Settings.from_env({"INCLUSION_SHRINK_MIN_SHARE": "0.5"}).shrink_min_share == 0.5
    assert Settings.from_env({"INCLUSION_ACCEPT_SHRINK": "population, social_mobility"}).accept_shrink == (
        "population",
        "social_mobility",
    )
    with pytest.raises(ValueError, match="INCLUSION_SHRINK_MIN_SHARE"):
        Settings.from_env({"INCLUSION_SHRINK_MIN_SHARE": "75%"})


@pytest.mark.realdata
def test_empty_population_folder_is_refused_then_accepted(tmp_path, shared_data, monkeypatch):
    """The reported case: an empty population folder must not publish a warehouse without population."""
    home = tmp_path / "home"
    good = scratch_mirror(shared_data, tmp_path / "good")
    assert land_source(home, good, "population").success
    ((landed,),) = work_query(home, POPULATION_VALUES)
    assert (
        landed == 4144
    )  # one edition per year: mid-2023 for 2011-2023 (Nomis 2021 rows of abolished areas are weights only)
    files_before = work_query(home, "SELECT sha256 FROM landing.raw_files WHERE source_id = 'population' ORDER BY 1")

    empty = scratch_mirror(shared_data, tmp_path / "empty", empty=("population",))
    result = land_source(home, empty, "population")
    assert result.success  # the run goes on: the other sources must still publish
    status, reason = work_query(home, STATUS, {"s": "population"})[0]
    assert status == "stale"
    assert "no data files were found" in reason and "inclusion accept-shrink population" in reason
    assert "population_all_ages: 0 rows (was 3,848)" in reason
    assert work_query(home, POPULATION_VALUES) == [(4144,)]
    # Provenance follows the rows kept: the last good raw files, not the empty release.
    assert (
        work_query(home, "SELECT sha256 FROM landing.raw_files WHERE source_id = 'population' ORDER BY 1")
        == files_before
    )

    # Again: still refused (a refusal is not forgotten between runs).
    assert land_source(home, empty, "population").success
    assert work_query(home, STATUS, {"s": "population"})[0][0] == "stale"

    monkeypatch.setenv("INCLUSION_HOME", str(home))
    assert cli_main(["accept-shrink", "population"]) == 0
    assert cli_main(["accept-shrink", "no_such_source"]) == 2
    assert land_source(home, empty, "population").success
    status, reason = work_query(home, STATUS, {"s": "population"})[0]
    assert status == "ok" and "accepted by the operator" in reason
    assert work_query(home, POPULATION_VALUES) == [(0,)]
    assert shrink.accepted(Settings.from_env().work_db_path.parent) == set()  # used up


@pytest.mark.realdata
def test_standing_acceptance_and_threshold_setting(tmp_path, shared_data):
    home = tmp_path / "home"
    mirror = scratch_mirror(shared_data, tmp_path / "m", copy=("social_mobility",))
    assert land_source(home, mirror, "social_mobility").success
    # Remove two of the four indices: half the rows go.
    for f in (mirror / "social_mobility").glob("CI[12]-*--full-dataset.csv"):
        f.unlink()
    assert land_source(home, mirror, "social_mobility").success
    assert work_query(home, STATUS, {"s": "social_mobility"})[0][0] == "stale"
    assert land_source(home, mirror, "social_mobility", shrink_min_share=0.0).success
    assert work_query(home, STATUS, {"s": "social_mobility"})[0][0] == "ok"


@pytest.mark.realdata
def test_unreadable_file_skipped_when_a_sibling_supplies_the_index(tmp_path, shared_data):
    """The 2024-layout Social Mobility Commission CSV, named as the newest version of an index the
    mirror already holds, is set aside with a warning; the source still lands."""
    home = tmp_path / "home"
    mirror = scratch_mirror(shared_data, tmp_path / "m", copy=("social_mobility",))
    old_layout = real_file(
        shared_data.parent / "editions" / "social_mobility" / "CI1-2.0-promising-prospects--full-dataset.csv"
    )
    shutil.copyfile(old_layout, mirror / "social_mobility" / "CI4-9.0-promising-prospects--full-dataset.csv")
    result = land_source(home, mirror, "social_mobility")
    assert result.success
    status, reason = work_query(home, STATUS, {"s": "social_mobility"})[0]
    assert status == "ok"
    assert "skipped CI4-9.0-promising-prospects--full-dataset.csv" in reason
    assert "CI4-3.0-promising-prospects--full-dataset.csv" in reason
    assert work_query(
        home, "SELECT count(DISTINCT indicator_id) FROM landing.indicator_values WHERE source_id = 'social_mobility'"
    ) == [(4,)]


@pytest.mark.realdata
def test_unreadable_file_without_a_sibling_fails_the_source_only(tmp_path, shared_data):
    home = tmp_path / "home"
    mirror = scratch_mirror(shared_data, tmp_path / "m", copy=("social_mobility",))
    (mirror / "social_mobility" / "CI4-3.0-promising-prospects--full-dataset.csv").write_text("not,a\nvalid,file\n")
    result = land_source(home, mirror, "social_mobility")
    assert result.success
    status, reason = work_query(home, STATUS, {"s": "social_mobility"})[0]
    assert status == "unavailable"  # first build: no earlier good data
    assert "CI4-3.0-promising-prospects--full-dataset.csv" in reason


@pytest.mark.parametrize(
    "fault", [KeyError("Table 1 Total"), ValueError("invalid literal for int() with base 10: 'abc'")]
)
def test_a_parser_that_crashes_fails_its_own_source_only(fault, monkeypatch):
    """A parser fault that is not a SourceError (a KeyError, int('abc') on a setting, ...) used to fail
    the landing step itself: Dagster then skipped everything downstream, so no source published, and
    the summary still said the source was ok. It is now that source's SourceError, which the landing
    step turns into 'stale, last good rows kept, reason named' like any other (the tests above)."""
    from assets.sources import _parse_reconciled
    from sources.errors import SourceError
    from sources.registry import package

    def crashes(files, **options):
        raise fault

    monkeypatch.setattr(package("rough_sleeping"), "parse", crashes)
    with pytest.raises(SourceError) as raised:
        _parse_reconciled("rough_sleeping", [], {})
    assert raised.value.source_id == "rough_sleeping"
    assert str(raised.value).startswith(
        f"source rough_sleeping: the parser stopped on these files ({type(fault).__name__}: "
    )
    assert raised.value.__cause__ is fault
