"""Packaging: what an installed vntopics needs is where the code looks for it.

The repository's folders install under one import name (pyproject.toml's package-dir:
pipeline/ -> vntopics.pipeline, flows/ -> vntopics.flows, configs/ -> vntopics.configs), so a
folder or data file missing from the `packages` / `package-data` lists works in the editable
checkout and breaks only in a wheel. The fast tests check the lists; the slow one builds the
wheel and reads its file list.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

import vntopics
from vntopics.pipeline.config_io import (BUILTIN, DEFAULT_CONFIG_FILE, load_config,
                                         resolve_path)

PROJECT = Path(__file__).parent.parent
SETUPTOOLS = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "setuptools"]


def test_default_config_is_shipped_and_loads():
    assert DEFAULT_CONFIG_FILE.is_file()
    config = load_config(DEFAULT_CONFIG_FILE)
    assert config.text.stopword_files


def test_builtin_stopword_lists_resolve_to_files():
    builtins = [name for name in load_config().text.stopword_files if name.startswith(BUILTIN)]
    assert builtins
    for name in builtins:
        path = resolve_path(name)
        assert path.is_file(), f"{name} -> {path} does not exist"
        assert path.read_text(encoding="utf-8").strip(), f"{name} is empty"


def test_python_m_vntopics_prints_the_version(tmp_path):
    result = subprocess.run([sys.executable, "-m", "vntopics", "--version"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"vntopics {vntopics.__version__}"


def source_folder(package: str) -> Path:
    """Where `package` lives in the checkout, by pyproject.toml's package-dir."""
    mapping = SETUPTOOLS["package-dir"]
    parts = package.split(".")
    for cut in range(len(parts), 0, -1):
        if ".".join(parts[:cut]) in mapping:
            return PROJECT / mapping[".".join(parts[:cut])] / Path(*parts[cut:])
    raise AssertionError(f"{package} is not under any package-dir")


def test_every_source_package_is_listed():
    """A new subfolder of pipeline/ or flows/ must be added to pyproject.toml's `packages`,
    or the wheel silently leaves it out."""
    listed = set(SETUPTOOLS["packages"])
    found = set()
    for root, folder in SETUPTOOLS["package-dir"].items():
        for init in (PROJECT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(PROJECT / folder)
            found.add(".".join([root, *relative.parts]))
    assert found <= listed, f"missing from [tool.setuptools] packages: {sorted(found - listed)}"
    assert all(source_folder(p).is_dir() for p in listed)


def test_every_config_file_is_package_data():
    """Every non-Python file under configs/ and the report's strings and explorer files
    match a package-data pattern."""
    patterns = SETUPTOOLS["package-data"]
    covered = {path for package, globs in patterns.items() for glob in globs
               for path in source_folder(package).glob(glob)}
    shipped = {path for folder in ("configs", "pipeline/report/lang", "pipeline/report/explorer")
               for path in (PROJECT / folder).rglob("*")
               if path.is_file() and path.suffix not in (".py", ".pyc")}
    assert shipped <= covered, f"not package data: {sorted(map(str, shipped - covered))}"


@pytest.mark.slow
def test_wheel_contains_the_package_data_and_no_tests(tmp_path):
    """Builds from a copy of the checkout (an in-tree build would leave build/ behind, whose
    stale files later builds pick up), with this venv's setuptools (the test extra)."""
    source = tmp_path / "src"
    shutil.copytree(PROJECT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", ".cache", ".hypothesis", ".pytest_cache", "__pycache__", "*.egg-info",
        "build", "dist", "artifacts", "*.so"))
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                             "--no-build-isolation", "--no-cache-dir", "-v",
                             "-w", str(tmp_path / "wheels"), str(source)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    output = result.stdout + result.stderr
    assert "is absent from the `packages` configuration" not in output, output[-3000:]
    assert "SetuptoolsDeprecationWarning" not in output, output[-3000:]

    (wheel,) = (tmp_path / "wheels").glob("vntopics-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("vntopics/__init__.py", "vntopics/__main__.py",
                     "vntopics/configs/default.yaml", "vntopics/configs/stopwords/domain.txt",
                     "vntopics/configs/stopwords/vietnamese-stopwords-dash.txt",
                     "vntopics/pipeline/model/lda.py", "vntopics/cli/main.py",
                     "vntopics/pipeline/report/lang/vi.yaml",
                     "vntopics/pipeline/report/explorer/main.js"):
        assert expected in names, f"{expected} not in {wheel.name}"
    assert not [n for n in names if n.startswith("tests/") or "/tests/" in n]
    top_level = {n.split("/")[0] for n in names}
    assert all(t == "vntopics" or t.endswith(".dist-info") for t in top_level), top_level
