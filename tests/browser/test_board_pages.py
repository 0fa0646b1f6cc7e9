"""The site built from the real mirror, read in headless Chromium as a board member would, at desktop
(1366 px) and phone (390 px) widths: Mansfield, Nottingham, the D2N2 LEP, the East Midlands Combined
County Authority and the overview.

Every page: no wrong ordinal, no rank among fewer than 5 areas, no operator text or setting name, no
"Up to date" for a mirror copy; on a phone nothing scrolls sideways but the tables, which show a cue.
Mansfield states that its social mobility figures are Nottinghamshire's and claims no IG+ rank.

The site is the one in INCLUSION_TEST_SITE when set (a site built from ../shared/data); otherwise a
full refresh of the real mirror is run into a temporary folder first (several minutes).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

from dashboards.serve import make_server
from tests.browser.test_site_browser import CHROMIUM, npm_modules
from tests.page_checks import board_problems, igplus_claims

MANSFIELD, NOTTINGHAM, D2N2, EMCCA = "E07000174", "E06000018", "E37000045", "E47000013"
PAGES = [
    "index.html",
    f"areas/{MANSFIELD}.html",
    f"areas/{NOTTINGHAM}.html",
    f"areas/{D2N2}.html",
    f"areas/{EMCCA}.html",
]
DEVICES = ["desktop", "phone"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.realdata,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


@pytest.fixture(scope="module")
def real_site(request):
    given = os.environ.get("INCLUSION_TEST_SITE", "").strip()
    if given:
        return Path(given)
    home = request.getfixturevalue("refreshed_home")  # the session's one refresh of the real mirror
    assert (home / "site" / "index.html").is_file()
    return home / "site"


@pytest.fixture(scope="module")
def reports(real_site):
    modules = npm_modules()
    shots = Path(tempfile.mkdtemp(prefix="board-screenshots-"))
    print(f"\nboard screenshots in {shots}")
    server = make_server(real_site, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        done = subprocess.run(
            [
                "node",
                str(Path(__file__).with_name("board_check.js")),
                str(modules),
                str(shots),
                "D2N2",
                *[f"{origin}/{p}" for p in PAGES],
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 0, done.stderr[-2000:]
    out = {}
    for report in json.loads(done.stdout):
        name = report["url"].removeprefix(origin + "/")
        out[(name, report["device"])] = report
    return out


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", PAGES)
def test_page_reads_true(reports, name, device):
    report = reports[(name, device)]
    assert report["errors"] == []
    assert board_problems(report["text"]) == {}, name
    assert "Not checked against the publisher" in report["text"] or name != "index.html"


@pytest.mark.parametrize("name", PAGES)
def test_phone_tables_scroll_inside_their_box_with_a_cue(reports, name):
    report = reports[(name, "phone")]
    assert report["overflow"] <= 0, f"{name} scrolls sideways by {report['overflow']}px"
    for table in report["tables"]:
        if table["scrolls"]:
            assert table["cueVisible"], (name, table["id"])
        assert table["cellWidth"] is None or table["cellWidth"] >= 40, (name, table)


def test_mansfield_states_the_county_basis_and_claims_no_igplus(reports):
    for device in DEVICES:
        text = reports[(f"areas/{MANSFIELD}.html", device)]["text"]
        assert "Nottinghamshire figure; not published for Mansfield" in text
        assert "social mobility figures are Nottinghamshire’s" in text
        assert "Mansfield has no IG+ score because" in text
        assert igplus_claims(text) == []
        assert "On the pillar A score (inclusive growth outcomes)" in text
        assert "Region: East Midlands" in text and "East Midlands Combined County Authority" in text
        assert "(D2N2)" in text


def test_groupings_named_and_ranked_only_among_enough(reports):
    ca = reports[(f"areas/{EMCCA}.html", "desktop")]["text"]
    assert "East Midlands Combined County Authority" in ca.splitlines()[0:40].__str__()
    d2n2 = reports[(f"areas/{D2N2}.html", "desktop")]["text"]
    assert "Derby, Derbyshire, Nottingham and Nottinghamshire LEP (D2N2)" in d2n2
    assert igplus_claims(d2n2) == []


def test_search_finds_d2n2_by_its_short_name(reports):
    results = reports[("index.html", "phone")]["search"]
    assert [name for name, href in results if href == f"areas/{D2N2}.html"], results
    area = reports[(f"areas/{MANSFIELD}.html", "desktop")]["search"]
    assert [href for _, href in area if href == f"../areas/{D2N2}.html"], area


def test_example_scores_are_not_on_the_front_page(reports):
    text = reports[("index.html", "desktop")]["text"]
    assert "IG+ score by local authority" not in text
    assert "Pillar A: inclusive growth by local authority" in text


def test_every_page_of_the_real_site_reads_true(real_site):
    """All the real site's pages (not only the five opened in Chromium), from their HTML text."""
    from dashboards.pages import plain_text

    pages = sorted(real_site.rglob("*.html"))
    assert len(pages) > 300
    for path in pages:
        name = str(path.relative_to(real_site))
        assert (
            board_problems(plain_text(path.read_text(encoding="utf-8")), methodology=name == "methodology.html") == {}
        ), name
