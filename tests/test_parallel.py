"""Bounded pool maps: segmentation must not leave a worker idle behind one slow batch."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from vntopics.pipeline.parallel import completed_map, ordered_map


def test_completed_map_keeps_workers_busy_behind_a_slow_first_item():
    """Item 0 can only finish once the last item has run: with 2 workers and 3 in flight,
    that happens only if finished items are replaced while item 0 is still running."""
    last_ran = threading.Event()
    count = 12

    def work(item: int) -> int:
        if item == 0:
            assert last_ran.wait(timeout=20), "the last item never ran: the pool stalled"
        elif item == count - 1:
            last_ran.set()
        return item * item

    with ThreadPoolExecutor(2) as pool:
        results = list(completed_map(pool, work, ((f"tag{i}", i) for i in range(count)), 3))
    assert sorted(results) == sorted((f"tag{i}", i * i) for i in range(count))
    # item 0 did not hold the others back: all but the two in flight beside it when the last
    # item started (which may finish after it) were yielded before it
    assert [tag for tag, _ in results].index("tag0") >= count - 3


def test_ordered_map_keeps_input_order_with_few_in_flight():
    with ThreadPoolExecutor(2) as pool:
        assert list(ordered_map(pool, len, (["x"] * n for n in range(10)), 2)) == list(range(10))


def test_workers_do_not_rerun_a_guardless_main_script(tmp_path):
    """A script without `if __name__ == "__main__":` that maps on worker processes runs its
    body once: multiprocessing's 'spawn' would re-run it in each worker (where the map
    itself then fails while the worker is still starting)."""
    import subprocess
    import sys

    script = tmp_path / "guardless.py"
    script.write_text(
        "from vntopics.pipeline.parallel import ProcessMapper\n"
        "print('body ran', flush=True)\n"
        "print('lengths', list(ProcessMapper(2)(len, ['Hà Nội', 'Đà Nẵng', 'Huế'])), "
        "flush=True)\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == ["body ran", "lengths [6, 7, 3]"]
