"""marts.sources: the release loaded and its currency against what the publisher lists."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from assets import landing as ld
from assets.warehouse import Warehouse
from sources.acquire import PublisherRelease
from sources.archive import RawFile
from tests.unit.landing_db import landing_connection

CHECKED = "2026-03-01T02:00:00+00:00"


@pytest.fixture
def con():
    con = landing_connection()
    Warehouse.replace_table(
        con,
        "landing",
        "source_catalogue",
        pd.DataFrame([{"source_id": s, "title": s, "publisher": "p", "licence": "OGL"} for s in ("a", "b", "c", "d")]),
    )
    yield con
    con.close()


def load(con, source_id, mode, file_release, editions, listed=None):
    ld.replace_raw_files(con, source_id, [RawFile(source_id, "/x", "0" * 64, "f.ods", "u", CHECKED, file_release, 1)])
    ld.record_acquired(con, source_id, mode, "fp")
    ld.record_attempt(con, source_id, "ok", releases=[e[0] for e in editions], parsed_fingerprint="p")
    ld.replace_source_editions(
        con,
        source_id,
        pd.DataFrame(
            [
                {
                    "source_id": source_id,
                    "edition_group": "g",
                    "release": r,
                    "release_date": d,
                    "edition_rank": i,
                    "used": True,
                    "periods_used": "2022",
                    "periods_superseded": None,
                    "rows_used": 1,
                    "rows_superseded": 0,
                }
                for i, (r, d) in enumerate(editions)
            ]
        ),
    )
    if listed is not None:
        ld.replace_publisher_releases(con, source_id, listed, CHECKED)


def sources(con) -> dict:
    Warehouse.run(con, "marts/sources.sql")
    df = con.execute(
        "SELECT source_id, release_title, release_date, currency, releases_behind, "
        "newest_release_title, newest_release_date, next_release_date, currency_checked_at, withdrawn_releases "
        "FROM marts.sources"
    ).df()
    return {r.source_id: r for r in df.itertuples()}


def test_mirror_is_not_checked_live_latest_and_behind_by_the_publishers_listing(con):
    load(con, "a", "mirror", None, [("autumn 2022", date(2023, 2, 28))])
    load(
        con,
        "b",
        "live",
        "autumn 2025",
        [("autumn 2025", date(2026, 2, 26))],
        [
            PublisherRelease("autumn 2025", "2026-02-26"),
            # an earlier version of the loaded release (ONS previous versions): not a newer release
            PublisherRelease("autumn 2025 (previous version v1)", "2026-02-27", state="superseded"),
        ],
    )
    load(
        con,
        "c",
        "live",
        "autumn 2023",
        [("autumn 2023", None)],
        [
            PublisherRelease("autumn 2026", None, state="announced"),
            PublisherRelease("autumn 2025", "2026-02-26"),
            PublisherRelease("autumn 2024", "2025-02-27"),
            PublisherRelease("autumn 2023", "2024-02-29"),
            PublisherRelease("autumn 2022", "2023-02-28", state="withdrawn"),
        ],
    )
    out = sources(con)
    a, b, c, d = out["a"], out["b"], out["c"], out["d"]
    assert (a.release_title, a.release_date.date(), a.currency) == ("autumn 2022", date(2023, 2, 28), "not_checked")
    assert pd.isna(a.releases_behind) and a.newest_release_title is None and pd.isna(a.currency_checked_at)
    assert (b.currency, b.newest_release_title, b.newest_release_date.date()) == (
        "latest",
        "autumn 2025",
        date(2026, 2, 26),
    )
    assert pd.isna(b.releases_behind) and b.currency_checked_at == datetime(2026, 3, 1, 2, 0)
    # two newer releases listed (the announced one and the withdrawn one do not count)
    assert (c.currency, c.releases_behind, c.newest_release_title) == ("behind", 2, "autumn 2025")
    assert c.release_date.date() == date(2024, 2, 29)  # from the listing: the file gave none
    assert pd.isna(c.next_release_date)  # announced, but with no date yet
    assert (d.currency, d.release_title) == ("not_checked", None)  # never run


def test_next_announced_release_and_the_listing_read_before_a_failed_download(con):
    load(
        con,
        "a",
        "live",
        "2023 provisional",
        [("2023 provisional", None)],
        [
            PublisherRelease("2024 provisional", "2026-10-28", state="announced"),
            PublisherRelease("2023 provisional", "2025-10-29"),
        ],
    )
    out = sources(con)["a"]
    assert (out.currency, out.next_release_date.date()) == ("latest", date(2026, 10, 28))
    ld.replace_publisher_releases(
        con,
        "a",
        [PublisherRelease("2024 provisional", "2026-10-28"), PublisherRelease("2023 provisional", "2025-10-29")],
        CHECKED,
    )
    out = sources(con)["a"]
    assert (out.currency, out.releases_behind, out.newest_release_title) == ("behind", 1, "2024 provisional")


def test_pages_read_an_unknown_release_date_as_no_date():
    """A source whose files give no publication date (living wage) has release_date NULL: NaT in pandas."""
    from dashboards.currency import release_words, when

    assert when(pd.NaT) == ""
    assert release_words({"release_title": "2022 provisional", "release_date": pd.NaT}) == "2022 provisional"


def test_the_release_title_check_fails_on_a_loaded_source_without_a_release(con):
    load(con, "a", "mirror", None, [("autumn 2022", date(2023, 2, 28))])
    ld.record_acquired(con, "b", "mirror", "fp")
    ld.record_attempt(con, "b", "ok", releases=["LAD 2025"], parsed_fingerprint="p")  # no editions: geography
    ld.record_acquired(con, "c", "mirror", "fp")
    ld.record_attempt(con, "c", "ok", releases=None, parsed_fingerprint="p")  # loaded, release unknown
    Warehouse.run(con, "marts/sources.sql")
    titles = dict(con.execute("SELECT source_id, release_title FROM marts.sources").fetchall())
    assert (titles["a"], titles["b"], titles["d"]) == ("autumn 2022", "LAD 2025", None)
    # c is loaded and untitled; d never ran, so it has no release to name
    assert Warehouse.run(con, "checks/sources_release_titled.sql").fetchall() == [("c", "ok", None)]


def test_withdrawn_releases_are_named_and_figures_from_one_are_never_called_current(con):
    from dashboards.currency import currency_words, page_note

    withdrawn = PublisherRelease("autumn 2024", "2025-02-27", state="withdrawn")
    # b loaded autumn 2025; the publisher withdrew autumn 2024, which was never loaded
    load(
        con,
        "b",
        "live",
        "autumn 2025",
        [("autumn 2025", date(2026, 2, 26))],
        [PublisherRelease("autumn 2025", "2026-02-26"), withdrawn],
    )
    # c still holds autumn 2024's figures (the refresh that would replace them failed): withdrawn
    load(
        con,
        "c",
        "live",
        "autumn 2024",
        [("autumn 2024", date(2025, 2, 27))],
        [withdrawn, PublisherRelease("autumn 2023", "2024-02-29")],
    )
    out = sources(con)
    b, c = out["b"], out["c"]
    assert (b.currency, b.withdrawn_releases) == ("latest", "autumn 2024")
    assert (c.currency, c.withdrawn_releases) == ("withdrawn", "autumn 2024")
    assert currency_words(b._asdict()).endswith("; withdrawn by the publisher and not used: autumn 2024")
    assert currency_words(c._asdict()) == (
        "Withdrawn by the publisher: these figures are from a release it has withdrawn (autumn 2024)"
    )
    note = page_note(pd.DataFrame([{**c._asdict(), "title": "Rough sleeping"}]))
    assert "has withdrawn the release of Rough sleeping these figures are from" in note
    assert "latest release" not in note.lower()
