"""The emulator's modules import in one direction: the app wires the route modules, and nothing
imports the app back (``TYPE_CHECKING`` imports count: they are how import circles start)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, List, Set

import geocatalog_emulator

PACKAGE = Path(geocatalog_emulator.__file__).parent
#: Modules allowed to import ``app``: the package's entry points, which serve it.
SERVERS = {"__init__", "__main__", "server", "testing", "app"}


def module_imports(path: Path) -> Set[str]:
    """The package's modules that ``path`` imports (relative or absolute, anywhere in the file)."""
    found: Set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 1:
                found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("geocatalog_emulator."):
                found.add(node.module.split(".")[1])
            elif node.module == "geocatalog_emulator":
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("geocatalog_emulator."))
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    return {name for name in found if name in modules}


def graph() -> Dict[str, Set[str]]:
    return {path.stem: module_imports(path) - {path.stem} for path in sorted(PACKAGE.glob("*.py"))}


def find_cycle(edges: Dict[str, Set[str]]) -> List[str]:
    """One import cycle as a path ``[a, b, ..., a]``, or [] when the graph has none."""
    state: Dict[str, int] = {}
    stack: List[str] = []

    def visit(node: str) -> List[str]:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target) :] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        state[node] = 2
        stack.pop()
        return []

    for node in sorted(edges):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return []


def test_the_parser_sees_relative_and_type_checking_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\nfrom . import stac_api, errors\nfrom .http import Request\n"
        "if TYPE_CHECKING:\n    from .app import App\nimport geocatalog_emulator.storage\n"
    )
    assert module_imports(sample) == {"stac_api", "errors", "http", "app", "storage"}
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycles() -> None:
    cycle = find_cycle(graph())
    assert not cycle, "import cycle: " + " -> ".join(cycle)


def test_only_entry_points_import_the_app() -> None:
    importers = sorted(name for name, targets in graph().items() if "app" in targets and name not in SERVERS)
    assert importers == [], f"modules importing app: {importers}"


def test_the_app_wires_the_route_modules() -> None:
    edges = graph()
    assert {"stac_api", "data_api", "ingestion_api", "sas_api"} <= edges["app"]
    assert "catalog" in edges["stac_api"] and "app" not in edges["catalog"]
