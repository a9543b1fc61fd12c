"""Package entry points that load with their module, on first use.

`import vntopics.pipeline.store` (or `.text`) then costs nothing: the CLI checks inputs and
the flow starts without importing pandas, gensim or scipy, which the first stage that needs
them loads (the fixed cost of a run, benchmarks/README.md), and a fit worker that imports
`vntopics.pipeline.model.fitting` does not load the K choice and its tables (pandas).

A stage package lists its exports once, as real imports under `if TYPE_CHECKING:` (what IDEs
and type checkers read) plus the literal `__all__`; `lazy_exports` reads that block to load
each name from its module when it is first asked for (tests/test_boundaries.py checks both
lists agree and every name resolves)."""
from __future__ import annotations

import ast
from importlib import import_module
from pathlib import Path
from typing import Any, Callable


def type_checking_imports(init_file: str | Path) -> dict[str, tuple[str, str]]:
    """Exported name -> (module, attribute) from the `if TYPE_CHECKING:` block of a package's
    `__init__.py`."""
    tree = ast.parse(Path(init_file).read_text(encoding="utf-8"))
    exports = {}
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom):
                    for alias in statement.names:
                        exports[alias.asname or alias.name] = (statement.module, alias.name)
    return exports


def lazy_exports(package: str, init_file: str) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: each name of its TYPE_CHECKING imports, loaded
    from its module on first use."""
    exports = type_checking_imports(init_file)

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, attribute = exports[name]
        return getattr(import_module(module), attribute)
    return __getattr__
