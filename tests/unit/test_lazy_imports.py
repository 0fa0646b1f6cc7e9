"""Heavy libraries load only where used: loading the definitions (what every refresh, the UI and a
refresh with nothing new pay first) must not import them. Checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _loaded_after(code: str, modules: list[str]) -> dict[str, bool]:
    probe = code + f"\nimport sys\nprint('loaded:' + ','.join(m for m in {modules!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
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


def test_definitions_load_without_pandas_or_any_parser():
    """Registering every source and building every asset and check never parses: pandas, openpyxl and
    the parsers are imported by the steps that parse (numpy and pyarrow still come with the records
    engine, sources/records)."""
    parsers = [f"sources.{s}.parse" for s in ("geography", "population", "living_wage_ashe", "rough_sleeping")]
    loaded = _loaded_after("import pipelines.definitions", ["pandas", "openpyxl", "geopandas", *parsers])
    assert not any(loaded.values()), loaded


def test_a_parser_is_imported_when_first_used_and_its_function_wins_over_its_module():
    code = (
        "import sources.population as population\n"
        "import sources.population.parse\n"  # binds the submodule on the package: the function must stay
        "from sources.registry import package\n"
        "assert callable(population.parse) and population.parse.__name__ == 'parse', population.parse\n"
        "import sys\n"
        "assert package('population').parse is sys.modules['sources.population.parse'].parse\n"
        "from sources.rough_sleeping import parse, Edition\n"
        "assert parse.__module__ == 'sources.rough_sleeping.parse' and Edition.__name__ == 'Edition'\n"
        "from sources import in_work_poverty\n"
        "assert in_work_poverty.supplement.__module__ == 'sources.in_work_poverty.statxplore'\n"
    )
    assert _loaded_after(code, ["sources.population.parse", "pandas"]) == {
        "sources.population.parse": True,
        "pandas": True,
    }
