"""The code reads top-down: a small base, the config, the store, the stages, the orchestration.

Every import of ours (also the ones inside functions) must point at a lower layer, or stay inside
its own package; and no module imports, at module level, a module that imports it back.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# folder in the repository -> (installed package, layer). A package may import its own layer's
# package and any lower layer; crawlers and analysis are siblings and do not import each other.
LAYERS = {
    "yuqing": ("yuqing", 0),               # base: time, paths, logs, signing
    "sample_sites": ("yuqing.sample_sites", 1),
    "config": ("yuqing.config", 1),
    "storage": ("yuqing.storage", 2),
    "crawlers": ("yuqing.crawlers", 3),
    "analysis": ("yuqing.analysis", 3),
    "alerts": ("yuqing.alerts", 4),
    "reports": ("yuqing.reports", 5),
    "web": ("yuqing.web", 6),
    "app": ("yuqing.app", 7),
}
PACKAGE_OF = {pkg: folder for folder, (pkg, _) in LAYERS.items()}


def _owner(module: str) -> str | None:
    """The repository folder a dotted module name of ours lives in, or None if not ours."""
    parts = module.split(".")
    if parts[0] != "yuqing":
        return None
    if len(parts) > 1 and f"yuqing.{parts[1]}" in PACKAGE_OF:
        return PACKAGE_OF[f"yuqing.{parts[1]}"]
    return "yuqing"


def _module_name(path: Path) -> str:
    folder = path.relative_to(ROOT).parts[0]
    rest = list(path.relative_to(ROOT / folder).with_suffix("").parts)
    if rest[-1] == "__init__":
        rest.pop()
    return ".".join([LAYERS[folder][0], *rest])


def _imports(tree: ast.AST, module: str, is_package: bool, top_only: bool):
    nodes = tree.body if top_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield node.lineno, target, [f"{target}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []


def _sources():
    for folder in LAYERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "__pycache__" not in path.parts:
                yield folder, path


def test_base_imports_nothing_of_ours_and_each_layer_only_looks_down():
    wrong = []
    for folder, path in _sources():
        module = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, target, _ in _imports(tree, module, path.name == "__init__.py", top_only=False):
            owner = _owner(target)
            if owner is None or owner == folder:
                continue
            if LAYERS[owner][1] >= LAYERS[folder][1]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target} "
                             f"(layer {LAYERS[owner][1]} ≥ {LAYERS[folder][1]})")
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


def test_no_module_level_import_circle():
    graph: dict[str, set[str]] = {}
    files = {_module_name(p): p for _, p in _sources()}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        deps = set()
        for _, target, names in _imports(tree, module, path.name == "__init__.py", top_only=True):
            for candidate in [*names, target]:
                if candidate in files and candidate != module:
                    deps.add(candidate)
                    break
        graph[module] = deps

    # Tarjan's strongly connected components: any component of two or more is a circle
    index, low, stack, on_stack, circles, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    assert not circles, f"import circles: {circles}"


def test_no_generic_top_level_package_is_installed():
    """pyproject maps every folder under the yuqing namespace; nothing else is a package."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project["tool"]["setuptools"]
    assert all(p == "yuqing" or p.startswith("yuqing.") for p in setuptools["packages"])
    assert "py-modules" not in setuptools
    for folder, (package, _) in LAYERS.items():
        assert setuptools["package-dir"][package] == folder


def test_every_subcommand_module_is_listed_for_lazy_loading():
    """`yuqing --help` lists commands from app.cli.COMMANDS without importing their modules;
    a module with register(subparsers) that is missing there would never be reachable, and a
    wrong help line or name would mislead."""
    import argparse
    import importlib

    from yuqing.app.cli import COMMANDS

    registering = set()
    for folder, path in _sources():
        if "def register(" in path.read_text(encoding="utf-8"):
            registering.add(_module_name(path))
    assert registering == {module for module, _ in COMMANDS.values()}
    for module in registering:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(module).register(sub)
        names = set(sub.choices)
        assert names == {n for n, (m, _) in COMMANDS.items() if m == module}, module
        for action in sub._choices_actions:
            assert COMMANDS[action.dest][1] == action.help, action.dest


def test_the_built_wheel_holds_only_the_yuqing_package(tmp_path):
    """What `pip install .` puts into site-packages: one `yuqing` package with the stage
    folders inside it, their data files (configs, templates, the sentiment model), and the
    scheduler as yuqing.app.scheduler."""
    import subprocess
    import sys
    import zipfile

    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                            "--wheel-dir", str(tmp_path), str(ROOT)], capture_output=True, text=True)
    if build.returncode != 0 and "No matching distribution" in build.stderr:
        pytest.skip(f"cannot fetch the build backend (offline?): {build.stderr[-300:]}")
    assert build.returncode == 0, build.stderr
    [wheel] = tmp_path.glob("yuqing-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert top == {"yuqing"}
    for needed in ("yuqing/crawlers/spiders/__init__.py", "yuqing/config/default/settings.yaml",
                   "yuqing/analysis/sentiment_model/model.npz", "yuqing/app/scheduler.py",
                   "yuqing/storage/migrations/env.py", "yuqing/reports/templates/weekly.html.j2",
                   "yuqing/sample_sites/__init__.py"):
        assert needed in names, needed
