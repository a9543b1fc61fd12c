"""The deployment's Custom run form as the Prefect UI renders it, in real headless Chromium:
the analyst's knobs first, each with its description, the rest under `config`, no
deployment-wide settings. The screenshot is kept next to the test's tmp folder."""
from __future__ import annotations

import json
import time

import pytest

from tests import browser
from tests.conftest import FIXTURES, started_prefect_server

KNOBS = ["num_topics", "models", "language", "watchlist", "seed_topics", "continue_from",
         "config"]
pytestmark = pytest.mark.skipif(browser.CHROMIUM is None, reason="no chromium installed")


@pytest.fixture(scope="module")
def ui_server(tmp_path_factory):
    yield from started_prefect_server(tmp_path_factory.mktemp("prefect-ui-home"), ui=True)


@pytest.fixture(scope="module")
def deployment_id(ui_server, tmp_path_factory):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from vntopics.flows.serve import build_deployment
    from vntopics.pipeline.config_io import configure

    config = configure(None, ["schedule.deployment=form-test"],
                       [FIXTURES / "unc-small.jsonl.gz"], tmp_path_factory.mktemp("runs"))
    with temporary_settings({PREFECT_API_URL: ui_server["url"]}):
        return str(build_deployment(config).apply())


def rendered_form(page: browser.Browser, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = page.evaluate("document.body ? document.body.innerText : ''") or ""
        if "continue_from" in text and "Submit" in text:
            return text
        page.tools.drain(0.5)
    raise AssertionError(f"the run form did not render: {text[:2000]}")


def test_the_custom_run_form_shows_the_analysts_knobs_first(ui_server, deployment_id,
                                                            tmp_path):
    base = ui_server["url"].removesuffix("/api")
    with browser.Browser(tmp_path / "profile", loopback=True) as page:
        page.navigate(f"{base}/deployments/deployment/{deployment_id}/run")
        text = rendered_form(page)
        page.screenshot(tmp_path.parent / "run-form.png")
        labels = page.evaluate("""JSON.stringify([...document.querySelectorAll('label, legend,
            .p-label__label, [class*=label]')].map(e => e.innerText.trim()).filter(Boolean))""")
    positions = [text.index(name) for name in KNOBS]
    assert positions == sorted(positions), (positions, json.loads(labels)[:40])
    assert "Number of topics K, or a sweep" in text       # each knob with its description
    assert "Models to fit" in text and "Party document codes" in text
    assert "Seeded topics" in text and "fit fresh" in text
    assert text.index("Number of topics K") < text.index("config")
    for deployment_wide in ("Time zone of the cron schedule", "Local processes for cleaning",
                            "existing dask.distributed scheduler", "Where versions are written"):
        assert deployment_wide not in text
