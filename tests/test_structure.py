"""The package's import graph: one-way stages, no cycles, no production code on ``testing``."""

from __future__ import annotations

import ast
from pathlib import Path

import cinemagraph

PACKAGE = Path(cinemagraph.__file__).parent

BASE = {"errors", "_version", "_jit", "tomlw", "recipe", "presets", "prompt", "frames"}
"""Modules every stage may use; they import only each other."""
STAGES = ["io", "analysis", "motion", "grade", "audio"]
"""Stages in data-flow order: each may import the base and earlier stages only."""
TOP = {"pipeline", "cli", "demo", "testing", "__init__", "__main__"}
"""The orchestrator and the front ends, which may import anything (``testing`` only from
``demo`` and itself)."""


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every cinemagraph module ``path`` imports, anywhere in the file (function-level too)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "cinemagraph")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "cinemagraph":
                continue
            out.add(mod)
            for a in node.names:  # ``from . import x`` may name a submodule
                sub = f"{mod}.{a.name}"
                if (PACKAGE.parent / sub.replace(".", "/")).with_suffix(".py").exists() or \
                        (PACKAGE.parent / sub.replace(".", "/") / "__init__.py").exists():
                    out.add(sub)
    return out


def graph() -> dict[str, set[str]]:
    return {_module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


def top_part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def layer(module: str) -> int:
    """-1 for the base, the stage's index, or len(STAGES) for the orchestrator and front ends."""
    part = top_part(module)
    if part in BASE:
        return -1
    if part in STAGES:
        return STAGES.index(part)
    assert part in TOP, f"{module} belongs to no layer: add it to BASE, STAGES or TOP"
    return len(STAGES)


def test_every_module_has_a_layer():
    for module in graph():
        layer(module)


def test_stages_import_only_earlier_stages_and_the_base():
    bad = []
    for module, deps in graph().items():
        for dep in deps:
            if dep == "cinemagraph":
                if layer(module) < len(STAGES):
                    bad.append(f"{module} -> cinemagraph (the package front)")
                continue
            if layer(dep) > layer(module):
                bad.append(f"{module} -> {dep}")
    assert not bad, "imports against the stage order:\n" + "\n".join(sorted(bad))


def test_only_demo_uses_testing():
    users = sorted(m for m, deps in graph().items()
                   if any(top_part(d) == "testing" for d in deps) and top_part(m) not in {"testing", "demo"})
    assert not users, f"production modules importing cinemagraph.testing: {users}"


def test_no_import_cycles():
    g = graph()
    # a package's __init__ importing its own submodules is how packages re-export; that edge and
    # the submodule importing names back from the package are not a cycle between stages
    edges = {m: {d for d in deps if d in g and d != m} for m, deps in g.items()}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(m, path):
        state[m] = 1
        for d in sorted(edges[m]):
            if state.get(d) == 1:
                cycle.extend(path[path.index(d):] + [d] if d in path else [m, d])
                return True
            if state.get(d) is None and visit(d, path + [d]):
                return True
        state[m] = 2
        return False

    for m in sorted(edges):
        if state.get(m) is None and visit(m, [m]):
            break
    assert not cycle, "import cycle: " + " -> ".join(cycle)


def test_the_walker_sees_relative_and_function_level_imports(tmp_path):
    """The checks above rest on imports_of: it must see both kinds."""
    deps = imports_of(PACKAGE / "pipeline.py")
    assert "cinemagraph.analysis" in deps or "cinemagraph.analysis.scene" in deps
    assert any(d.startswith("cinemagraph.io.video") for d in deps)  # imported inside render()
