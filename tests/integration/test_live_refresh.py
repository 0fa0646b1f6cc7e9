"""The production path: one source fetched live from a publisher stand-in on 127.0.0.1, the
others from the mirror. Unchanged releases are not downloaded again; a failing publisher leaves
its last good data published, marked stale, while the other sources refresh.

Starts from a copy of the session's refresh of the generated mirror (tests/fixtures/mirror.py: the
publishers' layouts, small; no ../shared), the publisher serving its rough sleeping workbook, and
runs only rough sleeping's raw and landing assets, marts.sources/raw_files and the publish step,
except one failure case that runs the whole job but the site to show the other sources still
refresh."""

import dataclasses
import json
import threading
from datetime import date

import pytest

from tests.fixtures.http_server import LocalServer
from tests.fixtures.mirror import LADS, rough_sleepers
from tests.fixtures.warehouses import ALL_BUT_SITE, copy_home, mirror_without, refresh, settings_for, source_and_publish
from tests.integration.refresh_helpers import materializations, query

pytestmark = pytest.mark.slow

ROUGH_SLEEPING = source_and_publish("rough_sleeping")
PAGE = "/govuk/api/content/government/statistics/rough-sleeping-snapshot-in-england-autumn-2022"
FILE = "/assets/media/64f0c0ffee/Rough_sleeping.xlsx"
TOTAL_SQL = (
    "SELECT sum(value) FROM marts.indicator_values WHERE indicator_id = 'rough_sleeping_count' AND period = '2022'"
)
TOTAL_2022 = float(sum(rough_sleepers(code, 2022) for code, *_ in LADS))  # the generated workbook's


def _content_api_page() -> bytes:
    return json.dumps(
        {
            "title": "Rough sleeping snapshot in England: autumn 2022",
            "first_public_at": "2023-02-28T09:30:00.000+00:00",
            "details": {
                "attachments": [
                    {
                        "title": "Rough sleeping snapshot in England: autumn 2022 - tables (accessible)",
                        "url": "https://assets.publishing.service.gov.uk/media/64f0c0ffee/Rough_sleeping_acc.xlsx",
                    },
                    {
                        "title": "Rough sleeping snapshot in England: autumn 2022 - tables",
                        "url": "https://assets.publishing.service.gov.uk/media/64f0c0ffee/Rough_sleeping.xlsx",
                        "filename": "Rough_sleeping.xlsx",
                    },
                ]
            },
        }
    ).encode()


@pytest.fixture(scope="module")
def live(tmp_path_factory, generated_mirror, generated_home, small_igplus_config):
    root = tmp_path_factory.mktemp("live")
    mirror = mirror_without(generated_mirror, root / "mirror", "rough_sleeping")
    home = copy_home(generated_home, root / "home")
    with LocalServer() as server:
        server.static(PAGE, _content_api_page(), "application/json")
        server.static(FILE, (generated_mirror / "rough_sleeping" / "Rough_sleeping.xlsx").read_bytes())
        settings = settings_for(
            home,
            mirror,
            http_rewrites=(
                ("https://www.gov.uk", server.url + "/govuk"),
                ("https://assets.publishing.service.gov.uk", server.url + "/assets"),
            ),
            # Long enough that a loaded machine's local answers never time out; the timeout case
            # below is made by a server that does not answer until the client has given up.
            http_timeout=3.0,
        )

        def run(whole_job: bool = False, **overrides):
            chosen = dataclasses.replace(settings, **overrides)
            return refresh(chosen, small_igplus_config, ALL_BUT_SITE if whole_job else ROUGH_SLEEPING)

        yield settings, server, run


def _file_requests(server):
    return [r for r in server.requests if r[1] == FILE]


def test_live_release_is_discovered_downloaded_and_archived(live):
    settings, server, run = live
    result = run()
    assert result.success
    assert query(settings.warehouse_path, TOTAL_SQL) == [(TOTAL_2022,)]
    ((mode, release),) = query(
        settings.work_db_path, "SELECT mode, releases FROM landing.source_status WHERE source_id = 'rough_sleeping'"
    )
    assert mode == "live" and release == "autumn 2022"
    ((origin,),) = query(
        settings.warehouse_path, "SELECT origin FROM marts.raw_files WHERE source_id = 'rough_sleeping'"
    )
    assert origin == "https://assets.publishing.service.gov.uk/media/64f0c0ffee/Rough_sleeping.xlsx"
    assert len(_file_requests(server)) == 1
    currency = query(
        settings.warehouse_path,
        "SELECT source_id, release_title, release_date, currency, releases_behind, "
        "newest_release_title, newest_release_date, currency_checked_at IS NOT NULL "
        "FROM marts.sources ORDER BY source_id",
    )
    by_source = {r[0]: r[1:] for r in currency}
    assert by_source.pop("rough_sleeping") == (
        "autumn 2022",
        date(2023, 2, 28),
        "latest",
        None,
        "autumn 2022",
        date(2023, 2, 28),
        True,
    )
    assert {r[2] for r in by_source.values()} == {"not_checked"}  # the mirrored sources
    mats = materializations(result)  # row counts shown in the Dagster UI
    assert mats["marts/sources"]["dagster/row_count"] == 6 and mats["landing/rough_sleeping"]["dagster/row_count"] > 0


def test_unchanged_release_is_not_downloaded_or_reprocessed(live):
    settings, server, run = live
    before = len(_file_requests(server))
    result = run()
    assert result.success
    assert _file_requests(server)[before:] == []  # an archived edition's media URL is not fetched again
    derived = {k: v for k, v in materializations(result).items() if not k.startswith("raw/")}
    rebuilt = {k for k, v in derived.items() if not v.get("unchanged")}
    # Not reprocessed: the parse and the raw-file mart keep their data versions and are skipped.
    # Rebuilt: the sources' outcomes and the freshness mart (the publisher was checked again just
    # now, so currency_checked_at moved) and the publish step that carries them; nothing else.
    assert set(derived) - rebuilt == {"landing/rough_sleeping", "marts/raw_files"}
    assert rebuilt == {"landing/source_status", "marts/sources", "published_warehouse"}


@pytest.mark.parametrize("failure", ["http_500", "timeout", "truncated"])
def test_failing_publisher_keeps_last_good_data_and_others_refresh(live, failure):
    """http_500 runs the whole job but the site (the other sources refresh); the others only rough
    sleeping's branch."""
    settings, server, run = live
    original = server.routes[FILE]
    client_gave_up = threading.Event()  # set after the run: the server never answers in time
    server.routes[FILE] = {
        "http_500": lambda req: (500, {}, b"internal error"),
        "timeout": lambda req: (client_gave_up.wait(120), (200, {}, b"late"))[1],
        "truncated": lambda req: (200, {"Content-Length": "999999"}, b"PK\x03\x04 cut short"),
    }[failure]
    # a changed ETag would normally be needed to refetch; forget validators to force the download
    settings.http_cache.unlink(missing_ok=True)
    before = len(_file_requests(server))
    # The timeout case waits out every attempt: a short timeout there keeps that wait small. The
    # page is still answered (the file is asked for below), so the timeout falls on the download.
    timeout = {"http_timeout": 1.0} if failure == "timeout" else {}
    try:
        result = run(whole_job=failure == "http_500", **timeout)
    finally:
        client_gave_up.set()
        server.routes[FILE] = original
    assert _file_requests(server)[before:], "the release's file was never asked for"
    statuses = dict(query(settings.work_db_path, "SELECT source_id, status FROM landing.source_status"))
    assert statuses.pop("rough_sleeping") == "stale"
    assert set(statuses.values()) == {"ok"}
    ((reason,),) = query(
        settings.warehouse_path, "SELECT stale_reason FROM marts.sources WHERE source_id = 'rough_sleeping'"
    )
    expected = {"http_500": "HTTP 500", "timeout": "timed out", "truncated": "truncated"}[failure]
    assert "source rough_sleeping could not be reached" in reason and expected in reason
    assert query(settings.warehouse_path, TOTAL_SQL) == [(TOTAL_2022,)]  # last good values still published
    assert not any(e.event_type_value == "RUN_FAILURE" for e in result.all_events)
