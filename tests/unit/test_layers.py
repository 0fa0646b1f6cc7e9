"""Layers import one way, read from the import statements themselves (no module is imported here).

pipelines/ composes assets/; assets/ never imports pipelines/; nothing assets/ imports, however
indirectly, imports assets/ back; sources/ and dashboards/ never import dagster.
"""

import ast
import functools
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGES = ("sources", "dashboards", "assets", "pipelines")


def module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of_node(path: pathlib.Path, node: ast.ImportFrom) -> str:
    """The module an ImportFrom reads from, relative imports resolved."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    if not node.level:
        return node.module or ""
    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*parent, node.module] if node.module else parent)


@functools.cache
def parsed(path: pathlib.Path) -> ast.Module:
    """A file's syntax tree, parsed once per test process (the files do not change during a run)."""
    return ast.parse(path.read_text())


def imports_of(path: pathlib.Path) -> set[str]:
    """Project modules (and third-party top-level packages) a file imports, relative ones resolved."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, node.module] if node.module else parent)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


@functools.cache
def project_graph() -> dict[str, set[str]]:
    """Each project module's project imports (read once per test process; callers do not change it)."""
    modules = {module_name(p): p for d in PACKAGES for p in (ROOT / d).rglob("*.py")}
    return {name: {m for m in imports_of(path) if m in modules} for name, path in modules.items()}


def reachable(graph: dict[str, set[str]], start: set[str]) -> set[str]:
    seen, todo = set(), list(start)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(graph.get(name, ()))
    return seen


def top(name: str) -> str:
    return name.split(".")[0]


def test_every_project_import_names_a_module_that_exists():
    """Imports inside functions too (a removed module must not be found only when a refresh runs)."""
    modules = {module_name(p) for d in PACKAGES for p in (ROOT / d).rglob("*.py")}
    missing = []
    for d in PACKAGES:
        for path in (ROOT / d).rglob("*.py"):
            for node in ast.walk(parsed(path)):
                if isinstance(node, ast.ImportFrom) and (node.level or top(node.module or "") in PACKAGES):
                    base = imports_of_node(path, node)
                    if base not in modules:
                        missing.append(f"{path.relative_to(ROOT)}: {base}")
    assert missing == []


def test_the_import_graph_is_read_from_the_code():
    graph = project_graph()
    assert "assets.warehouse" in graph["assets.resources"]
    assert "assets.settings" in graph["pipelines.cli"]
    assert "sources.tidy" in reachable(graph, {"sources.rough_sleeping"})


def test_nothing_assets_imports_imports_assets_back():
    """No import from assets/ into a module that assets/ imports: the layers cannot form a cycle."""
    graph = project_graph()
    below = {m for a in graph if top(a) == "assets" for m in graph[a] if top(m) != "assets"}
    cycles = sorted(m for m in reachable(graph, below) if top(m) == "assets")
    assert cycles == [], cycles


def test_assets_never_import_pipelines_and_sources_dashboards_never_import_upwards():
    graph = project_graph()
    banned = {
        "assets": {"pipelines"},
        "sources": {"assets", "pipelines", "dashboards"},
        "dashboards": {"assets", "pipelines"},
    }
    offenders = [
        f"{m} -> {i}" for m, imported in graph.items() for i in imported if top(i) in banned.get(top(m), set())
    ]
    assert offenders == []


def test_sources_and_dashboards_are_free_of_dagster():
    offenders = [
        str(p.relative_to(ROOT))
        for d in ("sources", "dashboards")
        for p in (ROOT / d).rglob("*.py")
        if any(top(name) == "dagster" for name in imports_of(p))
    ]
    assert offenders == []


def test_pipelines_holds_no_re_export_shims():
    """pipelines/ only composes: no module there is a star re-export of assets/ (the old shims)."""
    shims = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "pipelines").glob("*.py")
        if any(isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names) for n in ast.walk(parsed(p)))
    ]
    assert shims == []
