"""Package entry points that load with their module, on first use.

`import vntopics.pipeline.store` (or `.text`) then costs nothing: the CLI checks inputs and
the flow starts without importing pandas, gensim or scipy, which the first stage that needs
them loads (the fixed cost of a run, benchmarks/README.md)."""
from __future__ import annotations

from importlib import import_module
from typing import Any, Callable


def lazy_exports(package: str, exports: dict[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: name -> the attribute of submodule
    `exports[name]`."""
    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{exports[name]}"), name)
    return __getattr__
