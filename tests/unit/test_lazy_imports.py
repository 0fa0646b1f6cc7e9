"""Heavy libraries load only where used: loading the definitions (what every refresh, the UI and a
refresh with nothing new pay first) must not import them. Checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _loaded_after(code: str, modules: list[str]) -> dict[str, bool]:
    probe = code + f"\nimport sys\nprint('loaded:' + ','.join(m for m in {modules!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    last = out.stdout.splitlines()[-1]
    assert last.startswith("loaded:"), out.stdout
    loaded = set(filter(None, last.removeprefix("loaded:").split(",")))
    return {m: m in loaded for m in modules}


def test_definitions_and_an_http_client_do_not_import_requests():
    loaded = _loaded_after(
        "import pipelines.definitions\nfrom sources.http import HttpClient\nHttpClient()",
        ["requests", "great_expectations", "plotly"],
    )
    assert loaded == {"requests": False, "great_expectations": False, "plotly": False}


def test_the_first_request_imports_it():
    loaded = _loaded_after("from sources.http import HttpClient\nHttpClient().session", ["requests"])
    assert loaded == {"requests": True}
