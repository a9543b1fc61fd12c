"""The artifacts folder over HTTP, read-only: an index of the versions (newest first), each
version's report.html and files. `vntopics reports` serves it alone, `vntopics serve` beside
the deployment, so a colleague opens a report from a link instead of a file on the serving
machine.

What is reachable is decided from the URL's segments, not by joining paths: the first must
name a complete version (pipeline/store: a `YYYYMMDDTHHMMSSZ-xxxxxxxx` folder with its
manifest), no segment may be empty, `.`/`..` or hidden (staging `.tmp-*` and work folders
never show), and no component on the way may be a symbolic link. Only GET and HEAD are
answered. Off loopback the caller must choose HTTP basic auth (compared in constant time) or
no auth explicitly. starlette and uvicorn (Prefect's own server stack) are imported only when
a server starts: `vntopics run` never loads them.
"""
from __future__ import annotations

import base64
import html
import ipaddress
import os
import secrets
import socket
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from vntopics.pipeline.store import (VERSION_PATTERN, latest_version, list_versions,
                                     read_manifest)

REPORTS_URL_ENV = "VNTOPICS_REPORTS_URL"   # what the runs of `vntopics serve` link to
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 4280
READ_METHODS = ("GET", "HEAD")


@dataclass(frozen=True)
class Access:
    """Who may read: `credentials` is (user, password), or None for anyone."""
    credentials: tuple[str, str] | None = None

    def allows(self, header: str | None) -> bool:
        if self.credentials is None:
            return True
        scheme, _, encoded = (header or "").partition(" ")
        try:
            user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        expected_user, expected_password = self.credentials
        user_ok = secrets.compare_digest(user.encode(), expected_user.encode())
        password_ok = secrets.compare_digest(password.encode(), expected_password.encode())
        return scheme.lower() == "basic" and user_ok and password_ok


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def access_for(host: str, auth: str | None, no_auth: bool) -> Access:
    """The access rule for a bind address; ValueError (one line) when it would publish the
    reports beyond this machine without the caller saying who may read them."""
    if auth and no_auth:
        raise ValueError("give --auth USER:PASSWORD or --no-auth, not both")
    if auth:
        user, sep, password = auth.partition(":")
        if not sep or not user or not password:
            raise ValueError("--auth expects USER:PASSWORD (both non-empty)")
        return Access((user, password))
    if not no_auth and not is_loopback(host):
        raise ValueError(f"serving reports on {host} (not loopback) needs --auth "
                         "USER:PASSWORD, or --no-auth to publish them to anyone who can "
                         "reach it")
    return Access()


def reachable(root: Path, segments: list[str]) -> Path | None:
    """The file or version folder under `root` that `segments` names, or None: never
    outside a complete version, never through a hidden name or a symbolic link."""
    if not segments or not VERSION_PATTERN.match(segments[0]):
        return None
    if any(not s or s in (".", "..") or s.startswith(".") or "\\" in s or "\0" in s
           for s in segments):
        return None
    path = root
    for segment in segments:
        path = path / segment
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return None
        if stat.S_ISLNK(mode):
            return None
    if not (root / segments[0] / "manifest.json").is_file():
        return None
    resolved = path.resolve()
    return resolved if resolved.is_relative_to(root.resolve()) else None


def version_rows(root: Path) -> list[dict]:
    """The index: per version (newest first) its date, documents, K and NPMI per model."""
    rows = []
    for version in reversed(list_versions(root)):
        try:
            manifest = read_manifest(version)
        except (OSError, ValueError):
            continue
        metrics = manifest.get("metrics", {})
        rows.append({"version": version.name, "created": manifest.get("created_at", ""),
                     "documents": manifest.get("documents", {}).get("ok", ""),
                     "k": metrics.get("num_topics", {}), "npmi": metrics.get("npmi", {})})
    return rows


PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em}}
table{{border-collapse:collapse}}td,th{{padding:.3em .8em;border-bottom:1px solid #ddd;
text-align:left}}</style></head><body><h1>{title}</h1>{body}</body></html>"""


def per_model(values: dict, form: str) -> str:
    return html.escape(" ".join(f"{m}={form.format(v)}" for m, v in values.items()) or "-")


def index_page(root: Path) -> str:
    rows = version_rows(root)
    if not rows:
        return PAGE.format(title="vntopics reports", body="<p>No versions yet.</p>")
    lines = ["<table><tr><th>date</th><th>documents</th><th>K</th><th>NPMI</th>"
             "<th>report</th><th>files</th></tr>"]
    for row in rows:
        name = quote(row["version"])
        lines.append(f"<tr><td>{html.escape(str(row['created']))}</td>"
                     f"<td>{html.escape(str(row['documents']))}</td>"
                     f"<td>{per_model(row['k'], '{}')}</td>"
                     f"<td>{per_model(row['npmi'], '{:.3f}')}</td>"
                     f"<td><a href=\"/{name}/report.html\">{html.escape(row['version'])}</a>"
                     f"</td><td><a href=\"/{name}/\">files</a></td></tr>")
    return PAGE.format(title="vntopics reports", body="\n".join(lines) + "</table>")


def folder_page(root: Path, folder: Path) -> str:
    """A version's files (recursively), each a link; hidden names and links left out."""
    base = folder.relative_to(root.resolve())
    items = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not os.path.islink(os.path.join(current, d)))
        for name in sorted(files):
            path = Path(current, name)
            if name.startswith(".") or path.is_symlink():
                continue
            relative = path.relative_to(root.resolve()).as_posix()
            items.append(f"<li><a href=\"/{quote(relative)}\">"
                         f"{html.escape(path.relative_to(folder).as_posix())}</a> "
                         f"({path.stat().st_size:,} bytes)</li>")
    return PAGE.format(title=html.escape(str(base)),
                       body="<p><a href=\"/\">all versions</a></p><ul>" + "".join(items)
                            + "</ul>")


def build_app(artifacts_dir: Path, access: Access):
    """The ASGI application (starlette): every request checked for method and access
    first, then resolved by `reachable`."""
    from starlette.responses import (FileResponse, HTMLResponse, PlainTextResponse,
                                     RedirectResponse)

    root = artifacts_dir.resolve()

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope["headers"]}
        if scope["method"] not in READ_METHODS:
            response = PlainTextResponse("read-only: GET and HEAD only\n", 405,
                                         headers={"Allow": ", ".join(READ_METHODS)})
        elif not access.allows(headers.get("authorization")):
            response = PlainTextResponse("authentication required\n", 401, headers={
                "WWW-Authenticate": 'Basic realm="vntopics reports", charset="UTF-8"'})
        else:
            response = route(scope["path"])
        await response(scope, receive, send)

    def route(path: str):
        if path == "/":
            return HTMLResponse(index_page(root))
        segments = path.split("/")[1:]
        if segments[0] == "latest":   # the newest version, by its own name
            latest = latest_version(root)
            rest = "/".join(segments[1:])
            if latest is not None:
                return RedirectResponse(f"/{quote(latest.name)}/{quote(rest)}", 302)
        if segments[-1] == "" and len(segments) == 2:   # /<version>/
            segments = segments[:1]
        found = reachable(root, segments)
        if found is None:
            return PlainTextResponse("not found\n", 404)
        if found.is_dir():
            if not path.endswith("/"):
                return RedirectResponse(f"/{quote(segments[0])}/", 301)
            return HTMLResponse(folder_page(root, found))
        return FileResponse(found)

    return app


def public_url(host: str, port: int) -> str:
    """The base URL a link in the Prefect UI uses (a wildcard bind: this machine's name)."""
    name = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
    name = f"[{name}]" if ":" in name else name
    return f"http://{name}:{port}"


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
        listener.listen(128)
    except OSError as error:   # one line, exit code 2, like every refusal before work
        listener.close()
        raise ValueError(f"cannot serve reports on {host}:{port}: "
                         f"{error.strerror or error}") from None
    return listener


class ReportsServer:
    """uvicorn on (host, port) serving `build_app`; `start()` returns once it listens
    (ValueError: the port is taken), in a daemon thread that ends with the process."""

    def __init__(self, artifacts_dir: Path, host: str, port: int, access: Access) -> None:
        import uvicorn

        self.url = public_url(host, port)
        config = uvicorn.Config(build_app(artifacts_dir, access), host=host, port=port,
                                log_level="warning", access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.socket = listening_socket(host, port)   # refused now, in the caller, when taken

    def start(self) -> str:
        """Serve in the background; the runs this process starts link to it."""
        os.environ[REPORTS_URL_ENV] = self.url
        thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]},
                                  name="vntopics-reports", daemon=True)
        thread.start()
        return self.url

    def run(self) -> None:
        """In the foreground until interrupted (`vntopics reports`)."""
        self.server.run(sockets=[self.socket])


def add_reports_options(parser, host_flag: str, port_flag: str) -> None:
    """The reports server's options (`vntopics reports --host`, `serve --reports-host`)."""
    parser.add_argument(host_flag, dest="reports_host", default=DEFAULT_HOST, metavar="HOST",
                        help=f"address the reports are served on (default: {DEFAULT_HOST}; "
                             "anything but loopback needs --auth or --no-auth)")
    parser.add_argument(port_flag, dest="reports_port", type=int, default=DEFAULT_PORT,
                        metavar="PORT", help=f"port of the reports (default: {DEFAULT_PORT})")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--auth", metavar="USER:PASSWORD",
                     help="HTTP basic auth on every path of the reports")
    who.add_argument("--no-auth", action="store_true",
                     help="serve the reports beyond loopback without auth")


def reports_server_for(args, config) -> ReportsServer:
    """The server the command line asks for, on the config's artifacts folder; refused
    (ValueError, one line) before anything is served."""
    from vntopics.pipeline.config_io import resolve_path

    access = access_for(args.reports_host, args.auth, args.no_auth)
    return ReportsServer(resolve_path(config.artifacts.dir), args.reports_host,
                         args.reports_port, access)


def report_url(version: Path) -> str:
    """Where a version's report.html opens: on the reports server of `vntopics serve`
    (REPORTS_URL_ENV), else as a file on this machine."""
    base = os.environ.get(REPORTS_URL_ENV)
    if base:
        return f"{base.rstrip('/')}/{quote(version.name)}/report.html"
    return (version / "report.html").resolve().as_uri()
