"""The whole live path with every publisher and several editions each, played on 127.0.0.1 with
the real publisher files of ../shared where it has them: MHCLG's rough sleeping snapshots through
the GOV.UK Content API (autumn 2020, a withdrawn autumn 2021, autumn 2022 published between two
refreshes, then an autumn 2023 whose tables cannot be fetched) and its release calendar; DWP's
children in low income families through GOV.UK search and content pages (the real 2014 to 2021
edition, a small 2014 to 2020 one, a withdrawn 2014 to 2019 one; no Stat-Xplore key, so the
fallback); ONS's living-wage tables through the dataset pages' JSON (the real 2022 provisional zip
and a small April 2014 and 2015 edition) with Nomis's ASHE medians; ONS's population estimates (the
mid-2022 and mid-2023 editions) and Nomis (mid-2021).

A refresh loads every edition; a release that appears between two refreshes is the only download
of the next; a withdrawn release is listed as withdrawn and never fetched; marts.sources and the
pages say which release is latest and how many releases behind a source is. Starts from a copy of
the session's refreshed warehouse; the other sources stay on the mirror."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboards.site import build_site
from sources.living_wage_ashe.discover import LWF_PATH
from sources.population.discover import NOMIS_DATASET, ONS_LANDING
from sources.rough_sleeping.discover import PAGE_PATH
from tests.fixtures.http_server import LocalServer
from tests.fixtures.warehouses import copy_home, mirror_without, refresh, settings_for
from tests.integration.refresh_helpers import materializations, query
from tests.integration.test_in_work_poverty_live import SLUG as CILIF_SLUG
from tests.integration.test_in_work_poverty_live import edition_ods
from tests.integration.test_living_wage_ashe_live import (
    OLD_EDITIONS,
    edition_zip,
    geography_types,
    nomis_route,
    old_edition_zip,
)

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

LIVE = ["rough_sleeping", "population", "in_work_poverty", "living_wage_ashe"]
SELECTION = [
    *(f"raw/{s}" for s in LIVE),
    *(f"landing/{s}" for s in LIVE),
    "landing/source_status",
    "marts/sources",
    "marts/raw_files",
    "marts/source_editions",
    "published_warehouse",
]
MEDIA = "/media/"
# autumn -> (tables file in ../shared/data/rough_sleeping, publication date)
SNAPSHOTS = {2020: ("rs_statistics2020.xlsx", "2021-02-25"), 2022: ("Rough_sleeping.xlsx", "2023-02-28")}
POPULATION = {  # ONS edition uri -> (edition label, release date, workbook under ../shared)
    f"{ONS_LANDING}/mid2022": ("Mid-2022", "2024-03-26", "editions/population/mye22final.xlsx"),
    f"{ONS_LANDING}/mid20232023localauthorityboundarieseditionofthisdataset": (
        "Mid-2023 (2023 local authority boundaries)",
        "2024-07-15",
        "data/population/mye23tablesew.xlsx",
    ),
}


LWF = {  # ONS living-wage edition slug -> (edition label, release date, zip name)
    "2022provisional": ("2022 provisional", "2022-10-25", "livingwagebyworkgeography2022provisional.zip"),
    "april2014and2015": ("April 2014 and 2015", "2015-10-29", OLD_EDITIONS["april2014and2015"][0]),
}
CILIF = {  # DWP edition years -> (published, withdrawn)
    (2014, 2021): ("2022-03-31", False),  # the real file in ../shared/data/in_work_poverty
    (2014, 2020): ("2021-03-25", False),
    (2014, 2019): ("2020-03-26", True),
}
NOMIS_ASHE = {  # Nomis ASHE dataset -> (number, observations: code, name, median hourly pay, CV)
    "NM_30_1": ("30", [("E06000005", "Darlington", 14.2, 3.0), ("E92000001", "England", 17.1, 0.4)]),
    "NM_99_1": ("99", [("E06000005", "Darlington", 13.5, 4.0), ("E92000001", "England", 17.0, 0.4)]),
}


class Publishers:
    """GOV.UK (content pages, assets, search and its calendar), the ONS website and Nomis on one server."""

    def __init__(self, server: LocalServer, shared, tmp):
        self.server, self.shared = server, shared
        self.announced: list[dict] = []
        server.routes["/govuk/api/search.json"] = self._search
        self._dwp(tmp)
        self._living_wage()
        landing = {"description": {"nextRelease": "To be announced"}, "datasets": [{"uri": u} for u in POPULATION]}
        server.json(f"/ons{ONS_LANDING}/data", landing)
        for uri, (label, released, path) in POPULATION.items():
            name = path.rsplit("/", 1)[-1]
            server.json(
                f"/ons{uri}/data",
                {
                    "uri": uri,
                    "description": {"edition": label, "releaseDate": f"{released}T08:30:00.000Z"},
                    "downloads": [{"file": name}],
                },
            )
        server.routes["/ons/file"] = self._ons_file
        server.static(
            f"/nomis/api/v01/dataset/{NOMIS_DATASET}.data.csv",
            (shared / "data" / "population" / "nomis_NM_2002_1" / "lad.csv").read_bytes(),
            "text/csv",
        )

    def _dwp(self, tmp):
        """Each CiLIF edition's content page (search finds them) and its ODS at a media URL."""
        self.tmp, self.cilif = tmp, dict(CILIF)
        for (first, last), (published, withdrawn) in CILIF.items():
            self._cilif_edition(first, last, published, withdrawn)

    def cilif_edition(self, first: int, last: int, published: str) -> str:
        """DWP publishes a new (small) edition: its media path."""
        self.cilif[(first, last)] = (published, False)
        return self._cilif_edition(first, last, published, False)

    def _cilif_edition(self, first: int, last: int, published: str, withdrawn: bool) -> str:
        name = f"children-in-low-income-families-local-area-statistics-{first}-to-{last}.ods"
        media = f"/media/cilif{last}/{name}"
        if (first, last) == (2014, 2021):
            body = (self.shared / "data" / "in_work_poverty" / "Children_low_income_families.ods").read_bytes()
        else:
            body = edition_ods(self.tmp / name, last, 5000 + last)
        self.server.static("/assets" + media, body)
        page = {
            "title": f"Children in low income families: local area statistics {first} to {last}",
            "first_published_at": f"{published}T09:30:00.000+00:00",
            "details": {"attachments": [{"filename": name, "url": f"https://assets.publishing.service.gov.uk{media}"}]},
        }
        if withdrawn:
            page["withdrawn_notice"] = {"explanation": "Withdrawn: superseded after an error was found."}
        self.server.json(f"/govuk/api/content{CILIF_SLUG}-{first}-to-{last}", page)
        return media

    def _living_wage(self):
        """ONS's living-wage dataset page and editions, and Nomis's ASHE medians."""
        self.new_lwf: dict[str, tuple[str, str, str]] = {}  # editions published between refreshes
        self._lwf_pages(LWF)
        for dataset, (number, observations) in NOMIS_ASHE.items():
            self.server.json(f"/nomis/api/v01/dataset/{dataset}/geography/TYPE.def.sdmx.json", geography_types())
            self.server.routes[f"/nomis/api/v01/dataset/{dataset}.data.csv"] = nomis_route(number, observations)

    def living_wage_edition(self, year: int) -> str:
        """ONS publishes a new provisional living-wage edition (a small one): its file's uri."""
        name = f"livingwagebyworkgeography{year}provisional.zip"
        self.new_lwf[f"{year}provisional"] = (f"{year} provisional", f"{year}-10-30", name)
        self._lwf_pages({**LWF, **self.new_lwf})
        return f"{LWF_PATH}/{year}provisional/{name}"

    def _lwf_pages(self, editions: dict):
        landing = {"datasets": [{"uri": f"{LWF_PATH}/{slug}"} for slug in editions]}
        self.server.json(f"/ons{LWF_PATH}/data", landing)
        for slug, (label, released, name) in editions.items():
            page = {
                "uri": f"{LWF_PATH}/{slug}",
                "description": {"edition": label, "releaseDate": f"{released}T08:30:00.000Z"},
                "downloads": [{"file": name}],
            }
            if slug == "2022provisional":  # corrected once: its first version is an edition of its own
                page["versions"] = [{"uri": f"{LWF_PATH}/{slug}/previous/v1", "updateDate": "2022-10-27T08:30:00.000Z"}]
                self.server.json(f"/ons{LWF_PATH}/{slug}/previous/v1/data", {**page, "versions": []})
            self.server.json(f"/ons{LWF_PATH}/{slug}/data", page)

    def _ons_file(self, req):
        uri = parse_qs(urlsplit(req.path).query)["uri"][0]
        edition, name = uri.rsplit("/", 1)
        if edition.startswith(LWF_PATH + "/"):
            slug = edition.rsplit("/", 1)[-1]
            if slug == "2022provisional" and name == LWF[slug][2]:
                return 200, {}, (self.shared / "data" / "living_wage_ashe" / name).read_bytes()
            if edition.endswith("/2022provisional/previous/v1") and name == LWF["2022provisional"][2]:
                return 200, {}, edition_zip(2022, "provisional", 30.0)  # a small first version
            if slug in OLD_EDITIONS and name == LWF[slug][2]:
                return 200, {}, old_edition_zip(OLD_EDITIONS[slug][2])
            if slug in self.new_lwf and name == self.new_lwf[slug][2]:
                return 200, {}, edition_zip(int(slug[:4]), "provisional", 12.0)
            return 404, {}, b"no such file"
        path = POPULATION.get(edition, (None, None, ""))[2]
        if not path.endswith(name):
            return 404, {}, b"no such file"
        return 200, {}, (self.shared / path).read_bytes()

    def _search(self, req):
        """GOV.UK's search API: statistics announcements (the release calendar), or DWP's editions."""
        import json

        if parse_qs(urlsplit(req.path).query).get("filter_format") == ["statistics_announcement"]:
            results = self.announced
        else:
            results = [
                {
                    "link": f"{CILIF_SLUG}-{first}-to-{last}",
                    "public_timestamp": f"{published}T09:30:00.000+00:00",
                    "format": "official_statistics",
                }
                for (first, last), (published, _) in self.cilif.items()
            ]
        return 200, {"Content-Type": "application/json"}, json.dumps({"results": results}).encode()

    def snapshot(self, year: int, published: str, *, withdrawn: bool = False, tables: bytes | None = None):
        """An autumn edition's content page; its tables file at a media URL unique to the edition."""
        media = f"{MEDIA}{year}0c0ffee/Rough_sleeping_snapshot_autumn_{year}.xlsx"
        page = {
            "title": f"Rough sleeping snapshot in England: autumn {year}",
            "first_public_at": f"{published}T09:30:00.000+00:00",
            "details": {
                "attachments": [
                    {
                        "title": f"Rough sleeping snapshot in England: autumn {year} - tables",
                        "url": f"https://assets.publishing.service.gov.uk{media}",
                    }
                ]
            },
        }
        if withdrawn:
            page["withdrawn_notice"] = {"explanation": "Withdrawn: figures for one authority were wrong."}
        self.server.json("/govuk" + PAGE_PATH.format(year=year), page)
        if tables is not None:
            self.server.static("/assets" + media, tables)
        return media


@pytest.fixture(scope="module")
def live(tmp_path_factory, shared_data, refreshed_home, small_igplus_config):
    root = tmp_path_factory.mktemp("editions")
    mirror = mirror_without(shared_data, root / "mirror", *LIVE)
    home = copy_home(refreshed_home, root / "home")
    with LocalServer() as server:
        publishers = Publishers(server, shared_data.parent, root)
        for year, (name, published) in SNAPSHOTS.items():
            if year < 2022:  # autumn 2022 is published between the first two refreshes
                publishers.snapshot(year, published, tables=(shared_data / "rough_sleeping" / name).read_bytes())
        withdrawn_media = publishers.snapshot(2021, "2022-02-24", withdrawn=True)
        settings = settings_for(
            home,
            mirror,
            http_rewrites=(
                ("https://www.gov.uk", server.url + "/govuk"),
                ("https://assets.publishing.service.gov.uk", server.url + "/assets"),
                ("https://www.ons.gov.uk", server.url + "/ons"),
                ("https://www.nomisweb.co.uk", server.url + "/nomis"),
            ),
            # Nothing here tests a timeout (test_live_refresh does, with a server that answers late).
            # A short one made a loaded machine retry a slow answer, so a file was requested twice.
            http_timeout=120.0,
            # The home starts from the mirror's autumn 2022 edition and the stand-in publisher from
            # autumn 2020 (which has no rates table): going back an edition is a shrink the guard
            # rightly refuses, so the test accepts it as an operator would.
            # Likewise the stand-in Nomis has two areas' ASHE medians where the mirror's ASHE table has
            # every authority's.
            accept_shrink=("rough_sleeping", "living_wage_ashe"),
        )

        def run(*extra: str):
            result = refresh(settings, small_igplus_config, [*SELECTION, *extra])
            assert not any(e.event_type_value == "RUN_FAILURE" for e in result.all_events)
            return result

        yield settings, server, publishers, run, withdrawn_media


def sources(settings) -> dict[str, tuple]:
    rows = query(
        settings.warehouse_path,
        "SELECT source_id, status, release_title, release_date, currency, releases_behind, newest_release_title, "
        "newest_release_date, next_release_date FROM marts.sources WHERE source_id IN "
        "('rough_sleeping', 'population', 'in_work_poverty', 'living_wage_ashe')",
    )
    return {r[0]: r[1:] for r in rows}


def editions(settings, source_id: str) -> dict[str, tuple]:
    rows = query(
        settings.warehouse_path,
        "SELECT release, bool_or(used), string_agg(DISTINCT periods_used, ', ') FROM marts.source_editions "
        "WHERE source_id = $s GROUP BY release",
        {"s": source_id},
    )
    return {r[0]: (r[1], r[2]) for r in rows}


def test_a_refresh_loads_every_edition_of_every_live_publisher(live):
    settings, server, _, run, withdrawn_media = live
    run()
    origins = query(
        settings.warehouse_path,
        "SELECT source_id, origin FROM marts.raw_files WHERE source_id IN "
        "('rough_sleeping', 'population', 'in_work_poverty', 'living_wage_ashe')",
    )
    by_source = {s: sorted(o for sid, o in origins if sid == s) for s in LIVE}
    assert by_source["rough_sleeping"] == [
        "https://assets.publishing.service.gov.uk/media/20200c0ffee/Rough_sleeping_snapshot_autumn_2020.xlsx"
    ]
    assert [o.rsplit("/", 1)[-1] for o in by_source["population"] if "ons.gov.uk" in o] == [
        "mye22final.xlsx",
        "mye23tablesew.xlsx",
    ]  # both ONS editions, and the Nomis extract beside them
    assert sum("nomisweb.co.uk" in o for o in by_source["population"]) == 1
    # every edition read; per period the newest supplies the figures (mid-2023 restates 2011-2022)
    population = editions(settings, "population")
    assert population["mid-2023 (2023 LA boundaries)"][0] is True
    assert population["mid-2022 (2023 LA boundaries)"][0] is False
    assert editions(settings, "rough_sleeping") == {"autumn 2020": (True, ", ".join(str(y) for y in range(2010, 2021)))}
    # the withdrawn edition is listed as withdrawn and its file never asked for
    assert server.requested("/assets" + withdrawn_media) == []
    listed = query(
        settings.work_db_path,
        "SELECT release_title, state FROM landing.publisher_releases WHERE source_id = 'rough_sleeping' ORDER BY 1",
    )
    assert listed == [("autumn 2020", "published"), ("autumn 2021", "withdrawn")]
    withdrawn = dict(
        query(
            settings.warehouse_path,
            "SELECT source_id, withdrawn_releases FROM marts.sources WHERE withdrawn_releases IS NOT NULL",
        )
    )
    assert withdrawn == {"rough_sleeping": "autumn 2021", "in_work_poverty": "2014 to 2019"}
    current = sources(settings)
    assert current["rough_sleeping"] == (
        "ok",
        "autumn 2020",
        date(2021, 2, 25),
        "latest",
        None,
        "autumn 2020",
        date(2021, 2, 25),
        None,
    )
    status, title, released, currency, behind, newest, _, _ = current["population"]
    assert (status, currency, behind) == ("ok", "latest", None)
    assert newest == "Mid-2023 (2023 local authority boundaries)" and released == date(2024, 7, 15)

    # DWP: both editions read, the withdrawn one never asked for; the real 2014 to 2021 edition
    # supplies every year it has (the small 2014 to 2020 edition is superseded)
    assert sorted(o.rsplit("/", 1)[-1] for o in by_source["in_work_poverty"]) == [
        "children-in-low-income-families-local-area-statistics-2014-to-2020.ods",
        "children-in-low-income-families-local-area-statistics-2014-to-2021.ods",
    ]
    assert server.requested("/assets/media/cilif2019/") == []
    cilif = editions(settings, "in_work_poverty")
    assert [r for r, (used, _) in cilif.items() if used] == ["FYE 2015 to 2021 (published 31 March 2022)"]
    assert current["in_work_poverty"][:4] == (
        "ok",
        "FYE 2015 to 2021 (published 31 March 2022)",
        date(2022, 3, 31),
        "latest",
    )
    # ONS living wage: the real 2022 edition and the April 2014 and 2015 one, and Nomis's medians
    ons = sorted(o.split("numberandproportionofemployeejobswithhourlypaybelowthelivingwage/")[1]
                 for o in by_source["living_wage_ashe"] if "ons.gov.uk" in o)  # fmt: skip
    assert ons == [
        "2022provisional/livingwagebyworkgeography2022provisional.zip",
        "2022provisional/previous/v1/livingwagebyworkgeography2022provisional.zip",  # its first version too
        f"april2014and2015/{LWF['april2014and2015'][2]}",
    ]
    assert sum("nomisweb.co.uk" in o for o in by_source["living_wage_ashe"]) == 2
    low_pay = dict(
        query(
            settings.work_db_path,
            "SELECT period, release FROM landing.indicator_values WHERE indicator_id = 'jobs_below_living_wage_pct' "
            "AND area_code = 'E06000005'",
        )
    )
    # the corrected 2022 provisional edition, never its first version (Darlington 30% there)
    assert low_pay == {"2014": "April 2014 and 2015", "2015": "2015 provisional", "2022": "2022 provisional"}
    first_version = editions(settings, "living_wage_ashe")["2022 provisional (previous version v1)"]
    assert first_version == (False, None)
    assert current["living_wage_ashe"][0] == "ok" and current["living_wage_ashe"][3] == "latest"


def test_a_release_published_between_refreshes_is_the_only_download(live, shared_data):
    settings, server, publishers, run, withdrawn_media = live
    before = len(server.requests)
    name, published = SNAPSHOTS[2022]
    media = publishers.snapshot(2022, published, tables=(shared_data / "rough_sleeping" / name).read_bytes())
    lwf_2023 = publishers.living_wage_edition(2023)  # and ONS's 2023 provisional living-wage tables
    cilif_2022 = publishers.cilif_edition(2014, 2022, "2023-03-23")  # and DWP's 2014 to 2022 edition
    result = run()
    new = [p for _, p, _ in server.requests[before:]]
    # of GOV.UK's files only the two new ones (MHCLG's and DWP's): no archived edition again
    assert sorted(p for p in new if p.startswith("/assets")) == sorted(["/assets" + media, "/assets" + cilif_2022])
    # of ONS's files only the new edition's: archived editions (and versions) are not fetched again
    assert [p for p in new if p.startswith("/ons/file")] == [f"/ons/file?uri={lwf_2023}"]
    mats = materializations(result)
    assert mats["landing/population"]["unchanged"] is True  # nothing new from ONS or Nomis: not re-parsed
    assert mats["landing/in_work_poverty"]["unchanged"] is False
    assert sources(settings)["in_work_poverty"][3:6] == ("latest", None, "2014 to 2022")
    assert mats["landing/living_wage_ashe"]["unchanged"] is False
    assert mats["landing/rough_sleeping"]["unchanged"] is False
    ((darlington_2023, release_2023),) = query(
        settings.work_db_path,
        "SELECT value, release FROM landing.indicator_values WHERE indicator_id = 'jobs_below_living_wage_pct' "
        "AND area_code = 'E06000005' AND period = '2023'",
    )
    assert (darlington_2023, release_2023) == (12.0, "2023 provisional")
    assert sources(settings)["living_wage_ashe"][3:6] == ("latest", None, "2023 provisional")
    # each year from the newest edition: autumn 2022 restates 2010-2020, so autumn 2020 supplies none
    assert editions(settings, "rough_sleeping") == {
        "autumn 2022": (True, ", ".join(str(y) for y in range(2010, 2023))),
        "autumn 2020": (False, None),
    }
    ((england_2022,),) = query(
        settings.work_db_path,
        "SELECT value FROM landing.aggregate_values WHERE source_id = 'rough_sleeping' "
        "AND indicator_id = 'rough_sleeping_count' AND area_code = 'E92000001' AND period = '2022'",
    )
    assert england_2022 == 3069  # the publisher's England total for autumn 2022
    assert sources(settings)["rough_sleeping"][1:6] == ("autumn 2022", date(2023, 2, 28), "latest", None, "autumn 2022")
    assert server.requested("/assets" + withdrawn_media) == []


def test_a_newer_release_that_cannot_be_loaded_shows_how_far_behind_on_the_pages(live, small_igplus_config, tmp_path):
    settings, server, publishers, run, _ = live
    publishers.snapshot(2023, "2024-02-29")  # listed, but its tables file is not there (HTTP 404)
    publishers.announced = [
        {
            "title": "Rough sleeping snapshot in England: autumn 2024",
            "link": "/government/statistics/announcements/rough-sleeping-snapshot-in-england-autumn-2024",
            "release_timestamp": "2025-02-27T09:30:00.000+00:00",
            "statistics_announcement_state": "confirmed",
        }
    ]
    run()
    status, title, released, currency, behind, newest, newest_date, next_date = sources(settings)["rough_sleeping"]
    assert (status, title, released) == ("stale", "autumn 2022", date(2023, 2, 28))  # last good release kept
    assert (currency, behind, newest, newest_date) == ("behind", 1, "autumn 2023", date(2024, 2, 29))
    assert next_date == date(2025, 2, 27)
    assert {s: row[3] for s, row in sources(settings).items() if s != "rough_sleeping"} == {
        "population": "latest",
        "in_work_poverty": "latest",
        "living_wage_ashe": "latest",
    }
    # The index is the page that says it; the site's own build (dashboards.site.build_site, what the
    # dashboard_site asset runs) with no area pages (area_codes=[]) writes it from the published
    # marts exactly as a whole build would, without rendering a page per real area.
    site = tmp_path / "site"
    build_site(settings.warehouse_path, site, area_codes=[], igplus_config=small_igplus_config)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "1 release behind: a newer release exists (autumn 2023, published 29 February 2024)" in index
    assert "Not checked against the publisher" in index  # the sources read from the mirror
    assert "withdrawn by the publisher and not used: autumn 2021" in index
    assert "withdrawn by the publisher and not used: 2014 to 2019" in index
