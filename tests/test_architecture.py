"""The shape of the code, as tests: the layers import downwards only, click stays in the CLI,
modules stay small, and every rule of the framework the code enforces has a test marked with it.

The layers, lowest first (docs/dev/architecture.md draws them):

    base (errors, layout, atomic, findings) ← model ← load ← framework ← rules (and agreement) ← plan ← privacy
        ← outputs (reporting, documents, repo_files, site, demo) ← cli
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ehqa.framework.checks import enforced_rules

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tools" / "ehqa"
MAX_LINES = 400

LAYERS: tuple[tuple[str, ...], ...] = (
    ("ehqa", "ehqa.errors", "ehqa.layout", "ehqa.atomic", "ehqa.findings"),
    ("ehqa.model",),
    ("ehqa.load",),
    ("ehqa.framework",),
    ("ehqa.rules", "ehqa.agreement"),
    ("ehqa.plan",),
    ("ehqa.privacy",),
    ("ehqa.reporting", "ehqa.documents", "ehqa.repo_files", "ehqa.site", "ehqa.demo"),
    ("ehqa.cli", "ehqa.__main__"),
)
CLICK_ALLOWED = ("ehqa.cli", "ehqa.__main__", "ehqa.errors")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    """The index of the layer a module belongs to: the longest matching prefix wins."""
    best, index = "", -1
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
                best, index = prefix, number
    if index < 0:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS or move it into one")
    return index


def imports(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports (absolute, resolved), with its line."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names
                      if _is_module(f"{target}.{alias.name}")]
    return found


def _is_module(name: str) -> bool:
    """``from ehqa import model`` imports a module (a package here), not a name."""
    path = PACKAGE.parent / name.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_down_the_layers(path: Path) -> None:
    me = module_name(path)
    mine = layer_of(me)
    upward = [f"line {line}: {target} (layer {layer_of(target)} > {mine})"
              for line, target in imports(path)
              if target.split(".")[0] == "ehqa" and target != "ehqa" and layer_of(target) > mine]
    assert not upward, f"{me} imports a higher layer:\n" + "\n".join(upward)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_click_only_in_the_cli(path: Path) -> None:
    me = module_name(path)
    if any(me == p or me.startswith(p + ".") for p in CLICK_ALLOWED):
        return
    uses = [line for line, target in imports(path) if target.split(".")[0] == "click"]
    assert not uses, f"{me} imports click on line(s) {uses}: raise an ehqa.errors error instead"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines (at most {MAX_LINES}): split it"


def test_no_import_cycles_between_modules() -> None:
    graph = {module_name(p): {t for _, t in imports(p) if t.startswith("ehqa.")} for p in SOURCES}
    graph = {m: {t for t in targets if t in graph and t != m} for m, targets in graph.items()}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append(" -> ".join(stack[stack.index(target):] + [target]))
            elif target not in state:
                visit(target, stack + [target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    # A package's __init__ re-exporting its modules is not a cycle of meaning.
    cycles = [c for c in cycles if not all(c.startswith(m) for m in c.split(" -> "))]
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


_MARK = re.compile(r"""pytest\.mark\.rule\(\s*((?:["']R\d+["']\s*,?\s*)+)\)""")


def marked_rules() -> dict[str, list[str]]:
    """Every R-number some test is marked with, and the test files that mark it."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for match in _MARK.finditer(path.read_text(encoding="utf-8")):
            for number in re.findall(r"R\d+", match.group(1)):
                found.setdefault(number, []).append(str(path.relative_to(ROOT)))
    return found


def test_every_enforced_rule_has_a_marked_test() -> None:
    missing = sorted(enforced_rules() - set(marked_rules()), key=lambda r: int(r[1:]))
    assert not missing, ("rules the code enforces with no test marked @pytest.mark.rule(...): "
                         + ", ".join(missing))


def test_marks_name_real_rules() -> None:
    from ehqa.framework.rules import BY_NUMBER

    unknown = sorted(set(marked_rules()) - set(BY_NUMBER))
    assert not unknown, f"tests marked with rules the framework does not have: {unknown}"


# --- the picture in docs/dev/architecture.md ----------------------------------------------------

OUTPUTS = LAYERS[-2]
_NODE_NAMES = {"ehqa.model": "model", "ehqa.load": "load", "ehqa.framework": "framework", "ehqa.rules": "rules",
               "ehqa.agreement": "rules",
               "ehqa.plan": "plan", "ehqa.privacy": "privacy", "ehqa.cli": "cli", "ehqa.__main__": "cli"}


def node_of(module: str) -> str:
    """The box a module is drawn in: an output package by its own name, any other layer by the layer's."""
    for prefix in sorted(_NODE_NAMES, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return _NODE_NAMES[prefix]
    for prefix in OUTPUTS:
        if module == prefix or module.startswith(prefix + "."):
            return prefix.removeprefix("ehqa.")
    return "base"


def edges_in_the_code() -> set[tuple[str, str]]:
    """(importer, imported) between boxes, with the outputs seen as one box from outside it."""
    outputs = {p.removeprefix("ehqa.") for p in OUTPUTS}
    found = set()
    for path in SOURCES:
        source = node_of(module_name(path))
        for _, target in imports(path):
            if target == "ehqa" or target.startswith("ehqa."):
                imported = node_of(target)
                if imported == source:
                    continue
                if source in outputs and imported in outputs:
                    found.add((source, imported))
                else:
                    found.add(("outputs" if source in outputs else source, "outputs" if imported in outputs else imported))
    return found


def edges_in_the_picture() -> set[tuple[str, str]]:
    text = (ROOT / "docs" / "dev" / "architecture.md").read_text(encoding="utf-8")
    chart = re.search(r"```mermaid\n(.*?)```", text, re.S).group(1)
    drawn = set()
    for source, targets in re.findall(r"^\s*(\w+) --> ([\w &]+)$", chart, re.M):
        drawn |= {(source, target.strip()) for target in targets.split("&")}
    return drawn


def test_the_architecture_picture_draws_every_import_between_layers_and_no_other() -> None:
    code, picture = edges_in_the_code(), edges_in_the_picture()
    assert picture, "no arrows found in docs/dev/architecture.md's mermaid chart"
    assert not code - picture, f"imports the picture does not draw: {sorted(code - picture)}"
    assert not picture - code, f"arrows in the picture no import makes: {sorted(picture - code)}"
