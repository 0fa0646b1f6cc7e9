"""The built site in real headless Chromium: charts render, and no request leaves the site."""
from __future__ import annotations

import json
import shutil
import struct
import subprocess
import threading
from pathlib import Path

import pytest

from dashboards import build_site
from dashboards.serve import make_server
from tests.unit.test_dashboards import LADS, make_warehouse

CHROMIUM = Path("/usr/bin/chromium")
SITE_FILES = {"/", "/index.html", "/assets/site.css", "/assets/site.js", "/assets/plotly.min.js"}

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")]


@pytest.fixture
def served_site(tmp_path):
    """The fixture site on a random 127.0.0.1 port, with a log of every path requested."""
    site = tmp_path / "site"
    build_site(make_warehouse(tmp_path / "w.duckdb"), site)
    requested: list[str] = []
    server = make_server(site, port=0, on_request=requested.append)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requested
    server.shutdown()
    server.server_close()


def chromium(tmp_path: Path, name: str, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{name}"
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
           "--virtual-time-budget=10000", *args]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def page_requests(net_log: Path, origin: str) -> list[str]:
    """URLs the page itself asked for (Chromium's own background traffic has another isolation key)."""
    log, _ = json.JSONDecoder().raw_decode(net_log.read_text())
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    host = origin.rsplit(":", 1)[0]
    return [e["params"]["url"] for e in log["events"]
            if e["type"] == start_job and e.get("params", {}).get("network_isolation_key", "").startswith(host)]


def test_charts_render_offline_from_site_files_only(served_site, tmp_path):
    origin, requested = served_site
    net_log = tmp_path / "net.json"
    dom = chromium(tmp_path, "dom", f"--log-net-log={net_log}", "--dump-dom", f"{origin}/index.html").stdout
    assert dom.count('class="main-svg"') >= 4          # plotly ran: two layers per chart
    assert dom.count("js-plotly-plot") == 2             # both the map and the trend line
    assert dom.count('class="choroplethlocation"') == len(LADS)
    assert "scatterlayer" in dom
    assert "/assets/plotly.min.js" in requested and set(requested) <= SITE_FILES, requested
    urls = page_requests(net_log, origin)
    assert urls and all(u.startswith(origin + "/") for u in urls), urls


def test_screenshot(served_site, tmp_path):
    origin, requested = served_site
    shot = tmp_path / "index.png"
    chromium(tmp_path, "shot", "--window-size=1280,2000", f"--screenshot={shot}", f"{origin}/index.html")
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1280, 2000)
    assert shot.stat().st_size > 50_000                 # a drawn page, not a blank one
    assert set(requested) <= SITE_FILES, requested
