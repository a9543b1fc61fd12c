"""Input folders of any depth are read: walking is iterative, so 1,000 nested folders (a
scraper's mirror of a deep site) give their articles, not a RecursionError."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import FIXTURES, parse_csv, run_cli

DEPTH = 1_000
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))


def nested_input(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An input folder with folders nested DEPTH deep ('d/d/…'), an article at its top,
    one halfway down and one (with a metadata.csv naming its province) at the bottom."""
    top = tmp_path / "input"
    bottom = top
    top.mkdir()
    for _ in range(DEPTH):             # os.makedirs would recurse as deep
        bottom = bottom / "d"
        bottom.mkdir()
    middle = top.joinpath(*["d"] * (DEPTH // 2))
    for folder, seed in ((top, SEEDS[0]), (middle, SEEDS[1]), (bottom, SEEDS[2])):
        (folder / seed.name).write_bytes(seed.read_bytes())
    (bottom / "metadata.csv").write_text(f"file,province\n{SEEDS[2].name},Gia Lai\n",
                                         encoding="utf-8")
    return top, middle, bottom


def remove_bottom_up(bottom: Path, top: Path) -> None:
    """shutil.rmtree (pytest's clean-up of old temporary folders) recurses as deep."""
    folder = bottom
    while folder != top.parent:
        for item in folder.iterdir():
            if not item.is_dir():
                item.unlink()
        folder.rmdir()
        folder = folder.parent


def test_articles_in_1000_nested_folders_are_read(tmp_path, request):
    top, _, bottom = nested_input(tmp_path)
    request.addfinalizer(lambda: remove_bottom_up(bottom, top))
    result = run_cli(["ingest", "--input", str(top)], timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = {r["doc_id"]: r for r in parse_csv(result.stdout)}
    deep = "d/" * DEPTH + SEEDS[2].name
    assert set(rows) == {SEEDS[0].name, "d/" * (DEPTH // 2) + SEEDS[1].name, deep}
    assert all(r["status"] == "ok" for r in rows.values())
    assert rows[deep]["province"] == "Gia Lai" and rows[deep]["province_source"] == "given"
