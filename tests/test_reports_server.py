"""`vntopics reports`: the artifacts folder over HTTP on 127.0.0.1, read-only, nothing
outside the versions reachable, basic auth when asked for; a real server process, requests
sent as raw HTTP (so `..` and `%2e%2e` reach it unnormalised)."""
from __future__ import annotations

import base64
import http.client
import json
import os
import shutil
import subprocess
import time

import pytest

from tests.conftest import FIXTURES, PROJECT, VNTOPICS
from vntopics.cli.temporary_server import free_port
from vntopics.reports_server import access_for, is_loopback

SECRET = "bí-mật-2026"


@pytest.fixture(scope="module")
def artifacts(report_versions, tmp_path_factory):
    """An artifacts folder with the two published versions of `report_versions` (English,
    then Vietnamese: 1 s apart so their names order), a staging and a work folder, a
    symlink out of a version, and a secret file beside the folder."""
    root = tmp_path_factory.mktemp("served")
    (root.parent / "secret.txt").write_text(SECRET, encoding="utf-8")
    folder = root / "artifacts"
    folder.mkdir()
    names = []
    for code in ("en", "vi"):
        source = report_versions[code]
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() + len(names)))
        name = f"{stamp}-{source.name.rsplit('-', 1)[1]}"
        shutil.copytree(source, folder / name)
        names.append(name)
    for hidden in (".tmp-20260101T000000Z-deadbeef", ".tmp-work-123-abc"):
        (folder / hidden).mkdir()
        (folder / hidden / "report.html").write_text("staging", encoding="utf-8")
    (folder / names[0] / "leak.txt").symlink_to(root.parent / "secret.txt")
    (folder / "latest").symlink_to(names[1])
    return {"folder": folder, "old": names[0], "new": names[1]}


def start(args: list[str], cwd) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen([*VNTOPICS, "reports", "--port", str(port), *args], cwd=cwd,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()
            return process, port
        except OSError:
            if process.poll() is not None:
                pytest.fail(process.stdout.read())
            time.sleep(0.2)
    process.kill()
    pytest.fail("the reports server did not start")


@pytest.fixture(scope="module")
def server(artifacts):
    process, port = start(["--artifacts-dir", str(artifacts["folder"])], PROJECT)
    yield port
    process.terminate()
    process.wait(timeout=20)


def request(port: int, method: str, path: str, headers: dict | None = None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", "replace"), response


def test_index_lists_versions_newest_first_with_date_documents_k_and_npmi(server, artifacts):
    status, page, response = request(server, "GET", "/")
    assert status == 200 and response.getheader("Content-Type").startswith("text/html")
    assert page.index(artifacts["new"]) < page.index(artifacts["old"])
    manifest = json.loads((artifacts["folder"] / artifacts["new"] / "manifest.json")
                          .read_text(encoding="utf-8"))
    assert manifest["created_at"] in page and "lda=3 nmf=3" in page
    assert f"lda={manifest['metrics']['npmi']['lda']:.3f}" in page
    assert f"<td>{manifest['documents']['ok']}</td>" in page
    assert f'href="/{artifacts["new"]}/report.html"' in page
    assert ".tmp-" not in page and "staging" not in page


def test_a_versions_report_and_files_are_served(server, artifacts):
    status, page, _ = request(server, "GET", f"/{artifacts['new']}/report.html")
    assert status == 200 and page.startswith('<!DOCTYPE html><html lang="vi">')
    assert page == (artifacts["folder"] / artifacts["new"] / "report.html").read_text(
        encoding="utf-8")
    status, listing, _ = request(server, "GET", f"/{artifacts['new']}/")
    assert status == 200 and "tables/topics.csv" in listing and "manifest.json" in listing
    status, topics, response = request(server, "GET", f"/{artifacts['new']}/tables/topics.csv")
    assert status == 200 and topics.startswith("model,topic")
    status, _, response = request(server, "HEAD", f"/{artifacts['old']}/report.md")
    assert status == 200 and int(response.getheader("Content-Length")) > 1000
    status, _, response = request(server, "GET", "/latest/report.html")
    assert status == 302 and response.getheader("Location") == (
        f"/{artifacts['new']}/report.html")


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/secret.txt",
    "/{old}/../../secret.txt", "/{old}/%2e%2e/%2e%2e/secret.txt", "/{old}/..%2f..%2fsecret.txt",
    "/{old}/leak.txt", "//etc/passwd", "/etc/passwd", "/{old}/tables/../../../secret.txt",
    "/.tmp-20260101T000000Z-deadbeef/report.html", "/.tmp-work-123-abc/report.html",
    "/{old}//report.html", "/{old}/./report.html", "/{old}/.hidden",
])
def test_nothing_outside_the_versions_is_reachable(server, artifacts, path):
    status, body, _ = request(server, "GET", path.format(old=artifacts["old"]))
    assert status == 404 and SECRET not in body and "staging" not in body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_writes_are_refused(server, artifacts, method):
    target = f"/{artifacts['old']}/report.html"
    before = (artifacts["folder"] / target.lstrip("/")).read_bytes()
    status, _, response = request(server, method, target, body=b"overwritten")
    assert status == 405 and response.getheader("Allow") == "GET, HEAD"
    assert (artifacts["folder"] / target.lstrip("/")).read_bytes() == before


def basic(user: str, password: str) -> dict:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_with_auth_every_path_needs_the_credentials(artifacts):
    process, port = start(["--artifacts-dir", str(artifacts["folder"]),
                           "--auth", "biên-tập:mật khẩu:1"], PROJECT)
    try:
        for path in ("/", f"/{artifacts['new']}/report.html", "/nothing-here"):
            status, _, response = request(port, "GET", path)
            assert status == 401 and "Basic" in response.getheader("WWW-Authenticate")
            assert request(port, "GET", path, basic("biên-tập", "mật khẩu:2"))[0] == 401
            assert request(port, "GET", path, basic("bien-tap", "mật khẩu:1"))[0] == 401
        assert request(port, "GET", "/", {"Authorization": "Basic !!!"})[0] == 401
        assert request(port, "GET", "/", basic("biên-tập", "mật khẩu:1"))[0] == 200
        assert request(port, "GET", "/../secret.txt", basic("biên-tập", "mật khẩu:1"))[0] == 404
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_binding_beyond_loopback_needs_auth_or_no_auth(artifacts):
    result = subprocess.run([*VNTOPICS, "reports", "--artifacts-dir", str(artifacts["folder"]),
                             "--host", "0.0.0.0", "--port", str(free_port())], cwd=PROJECT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "vntopics: error: serving reports on 0.0.0.0 (not loopback) needs --auth "
        "USER:PASSWORD, or --no-auth to publish them to anyone who can reach it")
    serve = subprocess.run([*VNTOPICS, "serve", "--input", str(FIXTURES / "seeds"),
                            "--artifacts-dir", str(artifacts["folder"]),
                            "--reports-host", "0.0.0.0", "--reports-port", str(free_port())],
                           cwd=PROJECT, capture_output=True, text=True, timeout=120,
                           env={k: v for k, v in os.environ.items()
                                if not k.startswith("PREFECT_API")})
    assert serve.returncode == 2 and serve.stderr.strip().splitlines()[-1] == (
        result.stderr.strip().splitlines()[-1])
    assert is_loopback("127.0.0.2") and is_loopback("::1") and not is_loopback("10.0.0.5")
    assert access_for("0.0.0.0", None, True).credentials is None
    assert access_for("0.0.0.0", "a:b", False).credentials == ("a", "b")
    with pytest.raises(ValueError, match="USER:PASSWORD"):
        access_for("127.0.0.1", "nopassword", False)


def test_the_default_folder_is_the_configs_and_empty_is_said(tmp_path):
    process, port = start([], tmp_path)   # artifacts/ in the working directory: none yet
    try:
        status, page, _ = request(port, "GET", "/")
        assert status == 200 and "No versions yet." in page
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert not os.path.exists(tmp_path / "artifacts")
