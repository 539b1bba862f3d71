"""The house: imports point one way (no module cycle; each room imports only rooms before it), and
docs/architecture.md lists every module there is, and no other."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "audio_edition"
DOC = PACKAGE.parent / "docs" / "architecture.md"

# The rooms in pipeline order; a module may import its own room and rooms listed before it.
ROOMS = ("base", "inputs", "speech", "assemble", "voice", "publish", "pipeline", "cli")
BASE = {"errors", "model", "sizes", "datafiles", "episode", "folder", "cache", "faults"}
VOICE = {"engines", "voices", "render"}
TOP = {"cli", "__init__", "__main__"}


def modules() -> dict[str, Path]:
    """Dotted name -> file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1 and parts[:-1] != ("audio_edition",):
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules `name` imports anywhere in its body (lazy imports too; not TYPE_CHECKING ones)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if _type_checking_only(child):
                continue
            stack.append(child)
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports(name, path, known) for name, path in found.items()}


def room(module: str) -> str:
    parts = module.split(".")
    first = parts[1] if len(parts) > 1 else "__init__"
    if first in BASE:
        return "base"
    if first in VOICE:
        return "voice"
    if first in TOP:
        return "cli"
    assert first in ROOMS, f"{module} is in no room: add it to a room in tests/test_architecture.py and the docs"
    return first


def test_no_module_imports_itself_round_a_cycle() -> None:
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    assert cycles == []


def test_each_room_imports_only_rooms_before_it() -> None:
    wrong = []
    for module, targets in graph().items():
        for target in targets:
            if ROOMS.index(room(target)) > ROOMS.index(room(module)):
                wrong.append(f"{module} ({room(module)}) imports {target} ({room(target)})")
    assert wrong == []


def test_the_checker_sees_a_cycle_and_a_backward_import(tmp_path: Path) -> None:
    """The two tests above can fail: a planted lazy import inside a function is found."""
    fake = tmp_path / "audio_edition"
    (fake / "speech").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "speech" / "__init__.py").write_text("def f():\n    from audio_edition.publish import rss\n")
    known = {"audio_edition", "audio_edition.speech", "audio_edition.publish", "audio_edition.publish.rss"}
    found = imports("audio_edition.speech", fake / "speech" / "__init__.py", known)
    assert found == {"audio_edition.publish.rss"}
    assert ROOMS.index(room("audio_edition.publish.rss")) > ROOMS.index(room("audio_edition.speech"))
    guarded = fake / "speech" / "typed.py"
    guarded.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from audio_edition.publish import rss\n"
    )
    assert imports("audio_edition.speech.typed", guarded, known) == set()


def documented() -> set[str]:
    """The modules docs/architecture.md names in its tree: lines like `    name.py   what it owns`."""
    text = DOC.read_text(encoding="utf-8")
    tree = text.split("```text", 1)[1].split("```", 1)[0]
    names: set[str] = set()
    path: list[tuple[int, str]] = []
    for line in tree.splitlines():
        match = re.match(r"(\s*)([\w]+)(/|\.py)\s", line + " ")
        if not match:
            continue
        depth, name, kind = len(match.group(1)), match.group(2), match.group(3)
        path = [(d, n) for d, n in path if d < depth]
        if kind == "/":
            path.append((depth, name))
            if name != "audio_edition":
                names.add(".".join(n for _, n in path))
        elif name != "__init__":  # a package's __init__.py is the package itself
            names.add(".".join([n for _, n in path] + [name]))
    return names


def test_architecture_doc_matches_the_tree() -> None:
    actual = {name for name in modules() if not name.endswith("__main__")}
    actual = {("audio_edition" if n == "audio_edition.__init__" else n) for n in actual}
    assert documented() - {"audio_edition"} == actual - {"audio_edition"}


@pytest.mark.parametrize("question", ["input format", "engine", "speech rule", "output file", "feed tag"])
def test_architecture_doc_answers_where_to_add(question: str) -> None:
    text = DOC.read_text(encoding="utf-8").lower()
    assert f"a new {question}" in text
