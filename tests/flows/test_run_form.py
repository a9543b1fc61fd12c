"""The deployment's Custom run form as the Prefect UI renders it, in real headless Chromium:
the analyst's knobs first, each with its description, the rest under `config`, no
deployment-wide settings. The screenshot is kept next to the test's tmp folder."""
from __future__ import annotations

import time

import pytest

from tests import browser
from tests.conftest import FIXTURES, prefect_api, started_prefect_server
from vntopics.pipeline.config_overlay import apply_run_overrides

KNOBS = ["num_topics", "models", "language", "watchlist", "seed_topics", "continue_from",
         "config"]
pytestmark = pytest.mark.skipif(browser.CHROMIUM is None, reason="no chromium installed")


@pytest.fixture(scope="module")
def ui_server(tmp_path_factory):
    yield from started_prefect_server(tmp_path_factory.mktemp("prefect-ui-home"), ui=True)


@pytest.fixture(scope="module")
def served_config(tmp_path_factory):
    from vntopics.pipeline.config_io import configure

    return configure(None, ["schedule.deployment=form-test", "text.phrases=true",
                            "compare.watchlist=[chuyển đổi số]"],
                     [FIXTURES / "unc-small.jsonl.gz"], tmp_path_factory.mktemp("runs"))


@pytest.fixture(scope="module")
def deployment_id(ui_server, served_config):
    """The deployment `vntopics serve` registers (registered only: nothing executes)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from vntopics.flows.serve import build_deployment

    with temporary_settings({PREFECT_API_URL: ui_server["url"]}):
        return str(build_deployment(served_config).apply())


def rendered_form(page: browser.Browser, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = page.evaluate("document.body ? document.body.innerText : ''") or ""
        if "continue_from" in text and "Submit" in text and "fit fresh" in text:
            return text
        page.tools.drain(0.5)
    raise AssertionError(f"the run form did not render: {text[:2000]}")


# The input of the form field whose label starts with the given parameter name.
FIELD_INPUT = """(() => {{
    const label = [...document.querySelectorAll('body *')].find(e => e.children.length === 0
        && e.textContent.trim().startsWith('{name} '));
    let box = label;
    while (box && !box.querySelector('input')) box = box.parentElement;
    const input = box.querySelector('input');
    input.scrollIntoView(); input.focus();
    return document.activeElement === input;
}})()"""
SUBMIT = """(() => {
    const button = [...document.querySelectorAll('button')]
        .find(b => b.innerText.trim() === 'Submit');
    button.click();
    return true;
})()"""


def test_the_custom_run_form_shows_the_analysts_knobs_first(ui_server, deployment_id,
                                                            served_config, tmp_path):
    base = ui_server["url"].removesuffix("/api")
    with browser.Browser(tmp_path / "profile", loopback=True) as page:
        page.navigate(f"{base}/deployments/deployment/{deployment_id}/run")
        text = rendered_form(page)
        page.screenshot(tmp_path.parent / "run-form.png")
        positions = [text.index(f"{name} (Optional)") for name in KNOBS]
        assert positions == sorted(positions), text[:3000]
        assert "Number of topics K, or a sweep" in text       # each knob with its description
        assert "Models to fit" in text and "Party document codes" in text
        assert "Seeded topics" in text and "fit fresh" in text
        assert "Language of every heading" in text
        for deployment_wide in ("Time zone of the cron", "Local processes for cleaning",
                                "existing dask.distributed scheduler",
                                "Where versions are written", "Where the segmentation"):
            assert deployment_wide not in text
        assert text.count("None is not") == 0                  # no field starts invalid

        assert page.evaluate(FIELD_INPUT.format(name="num_topics"))
        page.tools.call("Input.insertText", text="5")          # typed, as a person types
        page.tools.drain(0.5)
        assert page.evaluate(SUBMIT)
        runs = []
        deadline = time.monotonic() + 30
        while not runs and time.monotonic() < deadline:
            page.tools.drain(0.5)
            runs = prefect_api(ui_server["url"], "POST", "/flow_runs/filter",
                               {"flow_runs": {"deployment_id": {"any_": [deployment_id]}}})
    assert len(runs) == 1, runs
    parameters = runs[0]["parameters"]
    assert parameters.get("num_topics") == 5, parameters
    knobs = {k: v for k, v in parameters.items() if k != "config"}
    config, overridden = apply_run_overrides(served_config, parameters.get("config"), knobs)
    assert overridden == ["model.num_topics"], parameters   # nothing else the form sent
    assert config.text.phrases and config.compare.watchlist == ["chuyển đổi số"]
