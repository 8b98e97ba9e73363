"""Imports flow one way (docs/architecture): cli -> web -> reports -> intake, regions, tps, alerts -> engine -> vocabulary.

Every ``import`` in src/rawan counts, also those inside functions (a late import is still a
dependency).  A package may import its own modules, anything on a lower layer, and nothing on its
own layer or above; so there can be no cycle between packages.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "rawan"

# lower number = lower layer; a package imports only strictly lower layers (and itself)
LAYER = {
    "__init__": 0,  # the root package: its version string only
    "vocabulary": 0, "paths": 0,
    "engine": 1,
    "extras": 2,  # the message for a missing optional package: engine's error type, used by all above
    "regions": 3, "intake": 3, "alerts": 3, "models": 3,
    "tps": 3.5,  # TPS registry and checklists: files read through intake, names matched through regions
    "demo": 4,  # synthetic data over the region list
    "reports": 5, "robustness_chart": 5,
    "web": 6,
    "cli": 7,  # `rawan serve` and `rawan web ...` start the web app
    "__main__": 8,
}


def _package_of(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py") if len(rel.parts) > 1 or rel.name != "__init__.py" else "__init__"


def _is_module(parts: list[str]) -> bool:
    p = SRC.parent.joinpath(*parts)
    return p.is_dir() or p.with_suffix(".py").is_file()


def _imported_packages(path: Path) -> set[tuple[str, int]]:
    """(top-level rawan package, line) of every rawan import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module_parts = list(path.relative_to(SRC.parent).with_suffix("").parts)  # ['rawan', 'regions', 'render']
    if module_parts[-1] == "__init__":
        module_parts = module_parts[:-1]
    package_parts = module_parts if path.name == "__init__.py" else module_parts[:-1]
    out = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[:len(package_parts) - node.level + 1]
                target = base + (node.module.split(".") if node.module else [])
                if not node.module:  # "from . import x": x is a module, or a name of the package
                    names = [".".join(target + [a.name]) if _is_module(target + [a.name]) else ".".join(target)
                             for a in node.names]
                else:
                    names = [".".join(target)]
            elif node.module:
                names = [node.module]
        for n in names:
            parts = n.split(".")
            if parts[0] == "rawan":
                out.add((parts[1] if len(parts) > 1 else "__init__", node.lineno))
    return out


@functools.cache
def _edges() -> tuple:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        pkg = _package_of(path)
        for target, line in _imported_packages(path):
            if target != pkg:
                out.append((pkg, target, path.relative_to(SRC.parent), line))
    return tuple(out)


def test_every_package_has_a_layer():
    packages = {_package_of(p) for p in SRC.rglob("*.py")} | {t for _, t, _, _ in _edges()}
    assert packages <= set(LAYER), sorted(packages - set(LAYER))


def test_imports_flow_downwards_only():
    wrong = [f"{where}:{line}: {pkg} imports {target}" for pkg, target, where, line in _edges()
             if LAYER.get(target, 99) >= LAYER.get(pkg, -1)]
    assert not wrong, "\n".join(wrong)


def test_the_engine_imports_nothing_of_rawan_above_it():
    above = [f"{where}:{line}: {target}" for pkg, target, where, line in _edges()
             if pkg == "engine" and target not in ("vocabulary", "__init__")]  # __init__: the version
    assert not above, "\n".join(above)


def test_no_cycles_between_packages():
    graph: dict[str, set[str]] = {}
    for pkg, target, _, _ in _edges():
        graph.setdefault(pkg, set()).add(target)
    state: dict[str, int] = {}

    def visit(node, trail):
        if state.get(node) == 1:
            raise AssertionError("import cycle: " + " -> ".join(trail + [node]))
        if state.get(node) == 2:
            return
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, trail + [node])
        state[node] = 2

    for node in sorted(graph):
        visit(node, [])


def test_the_checker_sees_relative_and_late_imports(tmp_path):
    # the checker itself must not be blind: a known late relative import in the CLI is found
    edges = {(pkg, target) for pkg, target, _, _ in _edges()}
    assert ("cli", "engine") in edges and ("regions", "engine") in edges and ("reports", "regions") in edges
