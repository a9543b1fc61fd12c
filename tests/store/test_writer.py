"""Version names sort by creation time, whatever the fingerprints, and are never reused."""
from __future__ import annotations

from datetime import datetime, timezone

from vntopics.pipeline.store import writer
from vntopics.pipeline.store.versions import list_versions, prune_versions


class FrozenClock(datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime(2026, 11, 23, 6, 0, 0, tzinfo=timezone.utc)


def publish(artifacts, fingerprint):
    version = writer.VersionWriter(artifacts, fingerprint)
    (version.staging / "manifest.json").write_text("{}", encoding="utf-8")
    return version.publish()


def test_a_later_run_sorts_later_even_with_a_smaller_fingerprint(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "datetime", FrozenClock)
    first = publish(tmp_path, "ffffffff")
    second = publish(tmp_path, "00000000")
    assert list_versions(tmp_path) == [first, second]
    assert second.name == "20261123T060001Z-00000000"


def test_a_pruned_name_is_not_reused_in_the_same_second(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "datetime", FrozenClock)
    names = []
    for _ in range(3):
        final = publish(tmp_path, "abcdef01")
        names.append(final.name)
        prune_versions(tmp_path, 1, protect=[final])
    assert len(set(names)) == 3 and names == sorted(names)
    assert list_versions(tmp_path) == [tmp_path / names[-1]]


def test_a_run_in_progress_holds_its_second(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "datetime", FrozenClock)
    running = writer.VersionWriter(tmp_path, "11111111")
    later = writer.VersionWriter(tmp_path, "00000000")
    assert later.version > running.version


def test_staging_folders_of_killed_runs_are_cleaned_and_live_ones_kept(tmp_path):
    import os
    import subprocess
    import sys

    from vntopics.pipeline.store.artifacts_dir import clean_stale_staging

    published = publish(tmp_path, "aaaaaaaa")
    killed = subprocess.run(
        [sys.executable, "-c", "import os, signal, sys\n"
         "from pathlib import Path\nfrom vntopics.pipeline.store.writer import VersionWriter\n"
         "VersionWriter(Path(sys.argv[1]), 'bbbbbbbb')\nos.kill(os.getpid(), signal.SIGKILL)",
         str(tmp_path)])
    assert killed.returncode == -9
    live = writer.VersionWriter(tmp_path, "cccccccc")
    old_unlocked = tmp_path / ".tmp-20200101T000000Z-dddddddd"
    old_unlocked.mkdir()
    os.utime(old_unlocked, (0, 0))
    fresh_unlocked = tmp_path / ".tmp-20990101T000000Z-eeeeeeee"
    fresh_unlocked.mkdir()
    stale = [p.name for p in tmp_path.glob(".tmp-*") if "bbbbbbbb" in p.name]
    assert len(stale) == 1
    removed = clean_stale_staging(tmp_path)
    assert sorted(removed) == sorted([*stale, old_unlocked.name])
    assert live.staging.is_dir() and fresh_unlocked.is_dir() and published.is_dir()
    assert not (published / ".lock").exists()
    live.discard()
    assert clean_stale_staging(tmp_path / "not-yet") == []


def test_a_run_work_folder_is_removed_when_the_run_ends_or_after_it_was_killed(tmp_path):
    import subprocess
    import sys

    from vntopics.pipeline.store.artifacts_dir import clean_stale_staging, work_folder

    with work_folder(tmp_path) as work:
        (work / "texts").mkdir()
        assert work.name.startswith(".tmp-work-") and work.parent == tmp_path
        assert clean_stale_staging(tmp_path) == []          # a live run's: kept
    assert not work.exists()
    killed = subprocess.run(
        [sys.executable, "-c", "import os, signal, sys\nfrom pathlib import Path\n"
         "from vntopics.pipeline.store.artifacts_dir import work_folder\n"
         "with work_folder(Path(sys.argv[1])) as work:\n"
         "    (work / 'tokens.u32').write_bytes(b'0' * 64)\n"
         "    os.kill(os.getpid(), signal.SIGKILL)", str(tmp_path)])
    assert killed.returncode == -9
    (left,) = tmp_path.glob(".tmp-work-*")
    assert clean_stale_staging(tmp_path) == [left.name] and not left.exists()
