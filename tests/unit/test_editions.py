"""One edition per table (issue 11 item 7): per edition group and period, every figure comes from
the newest edition that covers the period, and the choice is recorded."""

from __future__ import annotations

from datetime import date

import pandas as pd

from sources.editions import Edition, label_rank, one_edition_per_period, published_date
from sources.tidy import to_tidy


def rows(release, indicator, period, values: dict) -> pd.DataFrame:
    return to_tidy(
        pd.DataFrame(
            [
                {
                    "indicator_id": indicator,
                    "area_code": code,
                    "period": period,
                    "value": v,
                    "unit": "count",
                    "source_id": "demo",
                    "release": release,
                }
                for code, v in values.items()
            ]
        )
    )


def test_newest_edition_supplies_the_whole_period_for_every_indicator_of_its_group():
    old, new = "mid-2022", "mid-2023"
    values = pd.concat(
        [
            rows(old, "all_ages", "2022", {"E06000001": 90, "E06000002": 10}),
            rows(old, "aged_16_64", "2022", {"E06000001": 60, "E06000002": 6}),  # only the old one has it
            rows(old, "all_ages", "2021", {"E06000001": 88}),
            rows(new, "all_ages", "2022", {"E06000001": 91}),  # revised; E06000002 gone
            rows(new, "all_ages", "2023", {"E06000001": 95}),
        ],
        ignore_index=True,
    )
    aggregates = pd.concat(
        [rows(old, "all_ages", "2022", {"E92000001": 100}), rows(new, "all_ages", "2022", {"E92000001": 91})],
        ignore_index=True,
    )
    editions = [Edition(old, date(2024, 3, 26)), Edition(new, date(2024, 7, 15))]
    groups = {"all_ages": "mye", "aged_16_64": "mye"}
    kept, kept_agg, chosen, former = one_edition_per_period("demo", values, aggregates, editions, groups)

    by_period = kept.groupby("period")["release"].agg(set).to_dict()
    assert by_period == {"2021": {old}, "2022": {new}, "2023": {new}}
    assert set(kept[kept.period == "2022"].indicator_id) == {"all_ages"}  # no superseded 16-64
    assert kept_agg.release.tolist() == [new]
    record = chosen.set_index("release")
    assert record.loc[old, "periods_used"] == "2021" and record.loc[old, "periods_superseded"] == "2022"
    assert record.loc[old, "rows_superseded"] == 4 + 1 and record.loc[new, "rows_superseded"] == 0
    assert record.loc[new, "release_date"] == date(2024, 7, 15) and bool(record.loc[new, "used"])
    # the abolished area's superseded population stays available as a weight, not as a figure
    assert sorted(former[["indicator_id", "area_code", "period"]].values.tolist()) == [
        ["aged_16_64", "E06000002", "2022"],
        ["all_ages", "E06000002", "2022"],
    ]


def test_groups_default_to_the_indicator_so_separate_tables_do_not_interfere():
    values = pd.concat(
        [
            rows("2022 provisional", "lwf_pct", "2022", {"E06000001": 12}),
            rows("2023 provisional", "ashe_median", "2022", {"E06000001": 600}),
        ]
    )
    kept, *_ = one_edition_per_period("demo", values, values.iloc[0:0], [], {})
    assert len(kept) == 2


def test_without_dates_revised_beats_provisional_and_a_dated_edition_beats_an_undated_one():
    values = pd.concat(
        [
            rows("2022 revised", "lwf_pct", "2022", {"E06000001": 12}),
            rows("2022 provisional", "lwf_pct", "2022", {"E06000001": 11, "E06000002": 3}),
        ]
    )
    kept, _, chosen, _ = one_edition_per_period("demo", values, values.iloc[0:0], [], {})
    assert kept.release.unique().tolist() == ["2022 revised"] and len(kept) == 1
    assert label_rank("2022 final") > label_rank("2022 revised") > label_rank("2022 provisional")
    assert label_rank("2023 provisional") > label_rank("2022 revised")
    # an ONS edition's current version beats its previous versions, the later of those the earlier
    assert label_rank("2022 revised") > label_rank("2022 revised (previous version v2)")
    assert label_rank("2022 revised (previous version v2)") > label_rank("2022 revised (previous version v1)")
    dated = [Edition("mid-2021 (workbook)", date(2022, 12, 21))]
    values = pd.concat(
        [
            rows("mid-2021 (workbook)", "pop", "2021", {"E06000001": 1}),
            rows("mid-2021 (Nomis)", "pop", "2021", {"E06000001": 2}),
        ]
    )
    kept, *_ = one_edition_per_period("demo", values, values.iloc[0:0], dated, {})
    assert kept.release.tolist() == ["mid-2021 (workbook)"]


def test_publication_dates_read_from_the_publishers_own_wording():
    assert published_date(
        "The data tables in this spreadsheet were originally published at 9.30am 15 July 2024."
    ) == date(2024, 7, 15)
    assert published_date("FYE 2015 to 2021 (published 31 March 2022)") == date(2022, 3, 31)
    assert published_date(pd.Timestamp("2021-02-25").to_pydatetime()) == date(2021, 2, 25)
    assert published_date("Next Update: Februrary 2024") is None
    assert published_date("31 Smarch 2022") is None and published_date(None) is None
