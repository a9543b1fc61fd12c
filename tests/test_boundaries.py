"""Package boundaries: code outside a stage imports it through its package
(`vntopics.pipeline.<stage>`, the names its `__init__.py` exports), never one of its modules
(`vntopics.pipeline.<stage>.<module>`), so a stage can rearrange its modules freely."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).parent.parent
STAGES = sorted(p.name for p in (PROJECT / "pipeline").iterdir() if (p / "__init__.py").is_file())
SCANNED = ("pipeline", "flows", "vntopics")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports, by line (absolute names; `from a import b` is `a`, or
    `a.b` when b is a module of a stage package)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names
                      if stage_module(f"{node.module}.{alias.name}")]
    return found


def stage_module(module: str) -> str | None:
    """The stage whose private module `module` names (vntopics.pipeline.<stage>.<module>)."""
    parts = module.split(".")
    if (len(parts) >= 4 and parts[:2] == ["vntopics", "pipeline"]
            and (PROJECT / "pipeline" / parts[2] / f"{parts[3]}.py").is_file()):
        return parts[2]
    return None


def stage_of(path: Path) -> str | None:
    parts = path.relative_to(PROJECT).parts
    return parts[1] if parts[0] == "pipeline" and len(parts) > 2 else None


def boundary_crossings() -> list[str]:
    """One line per import statement that names another stage's module."""
    crossings = {}
    for folder in SCANNED:
        for path in sorted((PROJECT / folder).rglob("*.py")):
            own = stage_of(path)
            for line, module in imported_modules(path):
                stage = stage_module(module)
                if stage in STAGES and stage != own:
                    crossings.setdefault((str(path.relative_to(PROJECT)), line), module)
    return [f"{path}:{line}: {module}" for (path, line), module in sorted(crossings.items())]


def test_the_scan_sees_a_crossing(tmp_path):
    """The scanner itself: a module import of another stage is found, the package is not."""
    sample = tmp_path / "sample.py"
    sample.write_text("from vntopics.pipeline.store.versions import read_table\n"
                      "from vntopics.pipeline.store import read_table, versions\n"
                      "import vntopics.pipeline.text\n", encoding="utf-8")
    crossing_lines = {line for line, module in imported_modules(sample) if stage_module(module)}
    assert crossing_lines == {1, 2}   # the module, and the module named in a from-import
    assert "store" in STAGES and "text" in STAGES


def test_no_import_of_another_stage_s_module():
    crossings = boundary_crossings()
    assert crossings == [], "import these from the stage package instead:\n" + "\n".join(
        crossings)


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_exports_what_it_lists(stage):
    import importlib

    package = importlib.import_module(f"vntopics.pipeline.{stage}")
    assert package.__all__, f"vntopics.pipeline.{stage} lists no exports"
    for name in package.__all__:
        assert getattr(package, name, None) is not None, f"{stage}.{name} does not resolve"


@pytest.mark.parametrize("stage", STAGES)
def test_exports_are_listed_once_for_people_and_type_checkers(stage):
    """`__all__` is exactly what the `if TYPE_CHECKING:` block imports (pipeline/lazy.py)."""
    from vntopics.pipeline.lazy import type_checking_imports

    init = PROJECT / "pipeline" / stage / "__init__.py"
    package = __import__(f"vntopics.pipeline.{stage}", fromlist=["__all__"])
    assert sorted(package.__all__) == sorted(type_checking_imports(init))


def test_every_export_is_used_outside_its_module():
    """An exported name nobody imports through the package is not an export."""
    sources = "\n".join(path.read_text(encoding="utf-8") for folder in
                        (*SCANNED, "tests", "benchmarks", "scripts")
                        for path in (PROJECT / folder).rglob("*.py")
                        if path.name != "__init__.py")
    unused = []
    for stage in STAGES:
        package = __import__(f"vntopics.pipeline.{stage}", fromlist=["__all__"])
        imports = re.findall(rf"from vntopics\.pipeline\.{stage} import (\([^)]*\)|[^\n(]+)",
                             sources)
        used = {name for group in imports for name in re.split(r"[,\s()]+", group)}
        unused += [f"{stage}.{name}" for name in package.__all__ if name not in used]
    assert unused == []
