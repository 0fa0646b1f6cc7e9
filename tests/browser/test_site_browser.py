"""The built site in real headless Chromium: charts render, no request leaves the site, no console
errors, every table present, readable on a phone, and no serious axe-core accessibility violations.

One browser reads every page once: a node script (tests/browser/site_check.js: playwright-core and
axe-core at the versions in tests/browser/package-lock.json, installed by `make browser-deps` = `npm
ci`, driving Debian's /usr/bin/chromium) reports each page's drawn charts, tables, requests, console
errors, phone width, first Tab and axe violations, and saves its screenshots. Outside CI a missing
tool skips these tests; with CI=true it fails them (conftest).
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

from dashboards import build_site
from dashboards.serve import make_server
from tests.unit.area_values_helper import add_area_values
from tests.unit.test_dashboards import LADS, make_warehouse
from tests.unit.test_dashboards_areas import CA, LEP, REGION, add_areas_and_records, add_igplus

CHROMIUM = Path("/usr/bin/chromium")
NPM_DIR = Path(__file__).resolve().parent  # package.json + package-lock.json
SAMPLE = [
    "index.html",
    "areas/E06000001.html",
    f"areas/{LEP}.html",
    f"areas/{REGION}.html",
    f"areas/{CA}.html",
    "methodology.html",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    """The fixture site (with IG+ tables) on a random 127.0.0.1 port, logging every path requested."""
    tmp = tmp_path_factory.mktemp("browser")
    path = make_warehouse(tmp / "w.duckdb")
    add_areas_and_records(path)
    add_igplus(path)
    add_area_values(path)
    summary = build_site(path, tmp / "site")
    requested: list[str] = []
    server = make_server(tmp / "site", port=0, on_request=requested.append)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requested, summary, tmp / "site"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def screenshots():
    """Screenshots are kept after the run (printed path) so a person can look at them."""
    folder = Path(tempfile.mkdtemp(prefix="site-screenshots-"))
    print(f"\nscreenshots in {folder}")
    return folder


def allowed(path: str) -> bool:
    path = path.split("?")[0]
    return (
        path in ("/", "/index.html")
        or path.startswith(("/assets/", "/areas/"))
        or path.endswith(".html")
        and "/" not in path[1:]
    )


def npm_modules() -> Path:
    """node_modules with axe-core and playwright-core, installed from the lockfile when missing."""
    modules = NPM_DIR / "node_modules"
    if (modules / "axe-core" / "axe.min.js").is_file() and (modules / "playwright-core").is_dir():
        return modules
    if not shutil.which("npm") or not shutil.which("node"):
        pytest.skip("node/npm are not installed, so axe-core cannot run")
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=NPM_DIR, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        pytest.skip(f"npm ci in {NPM_DIR} failed: {done.stderr.strip()[-300:]}")
    return modules


@pytest.fixture(scope="module")
def node_reports(served_site, screenshots):
    """Every SAMPLE page read once by site_check.js; and every path the server was asked for then."""
    origin, requested, _, _ = served_site
    modules = npm_modules()
    script = Path(__file__).with_name("site_check.js")
    requested.clear()
    done = subprocess.run(
        ["node", str(script), str(modules), str(screenshots), *[f"{origin}/{name}" for name in SAMPLE]],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    reports = dict(zip(SAMPLE, json.loads(done.stdout)))
    return reports, list(requested)


@pytest.mark.parametrize("name", SAMPLE)
def test_charts_render_offline_from_site_files_only(node_reports, served_site, name):
    reports, requested = node_reports
    _, _, summary, _ = served_site
    report = reports[name]
    expected = len(summary["charts"][name])
    assert report["plots"] == expected, name  # every chart drawn
    assert report["mainSvg"] >= 2 * expected  # plotly draws two layers per chart
    if name == "index.html":
        assert report["mapAreas"] >= 3 * len(LADS) + len(LADS)  # 3 IG+ maps + rates
    if name == "areas/E06000001.html":
        assert report["mapAreas"] > 0 and report["bars"] > 0  # its map and the ladder bars
    assert all(allowed(p) for p in requested), requested  # the server was asked for site files only


def test_screenshot(node_reports, screenshots):
    shot = screenshots / "page-0-tall.png"  # SAMPLE[0], index.html, at 1280x2000
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1280, 2000)
    assert shot.stat().st_size > 50_000  # a drawn page, not a blank one


@pytest.mark.parametrize("name", SAMPLE)
def test_no_console_errors_and_no_outside_requests(node_reports, served_site, name):
    origin, _, summary, _ = served_site
    report = node_reports[0][name]
    assert report["consoleErrors"] == []
    assert report["requests"] and all(
        u.startswith(origin + "/") or u.startswith("data:") for u in report["requests"]
    ), report["requests"]
    assert report["plots"] == report["specs"] == len(summary["charts"][name])
    assert report["tables"] == report["captions"] == summary["tables"][name]


@pytest.mark.parametrize("name", SAMPLE)
def test_accessibility_axe_no_serious_violations(node_reports, name):
    serious = [v for v in node_reports[0][name]["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


@pytest.mark.parametrize("name", SAMPLE)
def test_readable_on_a_phone_and_by_keyboard(node_reports, name):
    report = node_reports[0][name]
    assert report["phoneOverflow"] <= 0, f"{name} scrolls sideways by {report['phoneOverflow']}px on a phone"
    assert report["firstTab"] == "skip-link"
