"""Reading is retried after a transient I/O error, never after deterministic bad input."""
from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from vntopics.flows import topic_report as module
from vntopics.pipeline.config_io import load_config
from vntopics.pipeline.text import InputError, PreparedText, cache


@pytest.fixture
def calls(prefect_server, monkeypatch):
    from prefect.settings import (PREFECT_API_URL, PREFECT_LOGGING_TO_API_ENABLED,
                                  temporary_settings)

    with temporary_settings({PREFECT_API_URL: prefect_server["url"],
                             PREFECT_LOGGING_TO_API_ENABLED: False}):
        yield []


def run_read_and_clean(calls, monkeypatch, failures, work_dir):
    def flaky(*args, **kwargs):
        calls.append(1)
        if failures:
            raise failures.pop(0)
        return [], False

    monkeypatch.setattr(cache, "load_or_prepare", flaky)   # text.prepare_text calls it
    config = load_config(overrides=[f"input.paths=[{FIXTURES / 'seeds'}]"])
    task = module.ingest.with_options(retry_delay_seconds=0)
    return task([FIXTURES / "seeds"], config, work_dir)


def test_bad_input_is_not_retried(calls, monkeypatch, tmp_path):
    with pytest.raises(InputError, match="no 'text' column"):
        run_read_and_clean(calls, monkeypatch, [InputError("a.csv: no 'text' column")],
                           tmp_path)
    assert len(calls) == 1


def test_a_transient_read_error_is_retried(calls, monkeypatch, tmp_path):
    prepared = run_read_and_clean(calls, monkeypatch, [OSError("stale NFS handle")], tmp_path)
    assert isinstance(prepared, PreparedText) and prepared.documents == []
    assert not prepared.reused and len(prepared.inputs) == 6   # 5 articles + metadata.csv
    assert len(calls) == 2
