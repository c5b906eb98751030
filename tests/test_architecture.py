"""The imports of every module under ckanext/nd47 follow docs/architecture.md.

The layer table and the list of independent plugin packages are read from the
document itself (between its ``<!-- layers -->`` and ``<!-- independent -->``
markers), so the rule is stated once. The imports are read with ``ast``, not
by importing: every ``import`` and ``from ... import`` anywhere in a module
counts, including those inside functions.
"""

from __future__ import annotations

import ast
import re
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = ROOT / "ckanext" / "nd47"
PACKAGE = "ckanext.nd47"
DOC = ROOT / "docs" / "architecture.md"


def _between(marker: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    found = re.search(rf"<!-- {marker}: begin -->(.*?)<!-- {marker}: end -->", text, re.S)
    assert found, f"docs/architecture.md has no '{marker}' section"
    return found.group(1)


@cache
def layers() -> tuple[tuple[int, tuple[str, ...]], ...]:
    """(layer, module patterns) rows of the table in docs/architecture.md."""
    rows = []
    for line in _between("layers").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not cells[0].isdigit():
            continue
        rows.append((int(cells[0]), tuple(re.findall(r"`([^`]+)`", cells[1]))))
    return tuple(rows)


@cache
def independent() -> tuple[str, ...]:
    return tuple(re.findall(r"`([^`]+)`", _between("independent")))


def _modules() -> dict[str, Path]:
    """Module name relative to ckanext.nd47 ('' for the package) -> file."""
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR).with_suffix("").parts
        if "migration" in parts:  # alembic scripts, loaded by alembic only
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _relative(absolute: str) -> str | None:
    if absolute == PACKAGE:
        return ""
    if absolute.startswith(PACKAGE + "."):
        return absolute[len(PACKAGE) + 1 :]
    return None


def imports_of(name: str) -> set[str]:
    """Our modules a module imports (relative names), however it spells them."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _relative(alias.name)
                if target is not None:
                    found.add(target)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = [p for p in f"{PACKAGE}.{package}".split(".") if p]
                base = base[: len(base) - node.level + 1]
                absolute = ".".join([*base, *([node.module] if node.module else [])])
            else:
                absolute = node.module or ""
            source = _relative(absolute)
            if source is None:
                continue
            for alias in node.names:
                # "from pkg import module" imports the module, not the package.
                sub = f"{source}.{alias.name}" if source else alias.name
                found.add(sub if sub in MODULES else source)
    found.discard(name)
    return found


def _package_of(name: str) -> str:
    head = name.split(".", 1)[0]
    return head if head in independent() else ""


def _role(name: str) -> str:
    """The name that decides a module's layer: relative to its plugin package."""
    package = _package_of(name)
    return name[len(package) + 1 :] if package and name != package else name


def layer_of(name: str) -> int | None:
    role = _role(name)
    if _package_of(name) and role == name:  # the plugin package itself
        role = ""
    for layer, patterns in layers():
        if any(fnmatchcase(role, pattern) for pattern in patterns):
            return layer
    return None


def test_the_document_states_the_layers() -> None:
    assert len(layers()) >= 8
    assert {"text", "vocab", "logic.rules", "logic.validators", "plugin"} <= {
        pattern for _layer, patterns in layers() for pattern in patterns
    }
    assert set(independent()) >= {"plans", "dcat"}


def test_every_core_module_has_a_layer() -> None:
    # Packages' __init__ modules are containers; they are checked like any
    # other module when they import something.
    unranked = [
        name
        for name in MODULES
        if name
        and not _package_of(name)
        and layer_of(name) is None
        and (MODULES[name].name != "__init__.py" or imports_of(name))
    ]
    assert not unranked, f"add these modules to the table in docs/architecture.md: {unranked}"


def test_the_reader_sees_each_way_of_importing() -> None:
    """Guards the reader itself against a silent miss."""
    assert "vocab" in imports_of("search")  # from ckanext.nd47 import vocab
    assert "text" in imports_of("vocab")  # from ckanext.nd47.text import fold
    assert "logic.rules" in imports_of("helpers")  # from ckanext.nd47.logic import rules


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_imports_a_layer_above_it(name: str) -> None:
    mine = layer_of(name)
    package = _package_of(name)
    wrong = []
    for target in sorted(imports_of(name)):
        target_package = _package_of(target)
        if target_package != package:
            if target_package and package:
                wrong.append(f"{target} (plugin packages never import each other)")
            elif target_package:
                wrong.append(f"{target} (the core never imports a plugin package)")
            continue  # a plugin package may use any part of the core
        theirs = layer_of(target)
        if mine is not None and theirs is not None and theirs > mine:
            wrong.append(f"{target} (layer {theirs} above {mine})")
    assert not wrong, f"{name} imports: {wrong}"


def test_no_import_cycle() -> None:
    graph = {name: imports_of(name) for name in MODULES}
    cycles = []
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph.get(name, ())):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, " ; ".join(" -> ".join(cycle) for cycle in cycles)
