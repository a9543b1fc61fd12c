"""The sources file: which sites to collect from, checked whole before any request.

Every problem is one line naming the file and the source ("sources.yaml: source
'baoangiang': article_pattern: bad regex ..."), so a typo never costs a half-done collect.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

NAME = re.compile(r"^[a-z0-9_-]+$")


class Source(BaseModel):
    """One site: where to start, what its articles look like, which province they report."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=64)
    province: str = Field(min_length=1)
    start: list[str] = Field(min_length=1)
    article_pattern: str | None = None
    listing_pattern: str | None = None
    content_selector: str | None = None
    title_selector: str | None = None
    date_selector: str | None = None

    @field_validator("name")
    @classmethod
    def _name_is_a_folder_name(cls, value: str) -> str:
        if not NAME.match(value):
            raise ValueError(f"{value!r} must match [a-z0-9_-]+ (it names a folder)")
        return value

    @field_validator("start")
    @classmethod
    def _start_urls_are_http(cls, value: list[str]) -> list[str]:
        for url in value:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"{url!r} is not an http(s) URL")
        return value

    @field_validator("article_pattern", "listing_pattern")
    @classmethod
    def _pattern_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"bad regex {value!r} ({exc})") from exc
        return value

    @field_validator("content_selector", "title_selector", "date_selector")
    @classmethod
    def _selector_parses(cls, value: str | None) -> str | None:
        if value is not None:
            from cssselect import GenericTranslator, SelectorError

            try:
                GenericTranslator().css_to_xpath(value)
            except SelectorError as exc:
                raise ValueError(f"bad CSS selector {value!r} ({exc})") from exc
        return value

    def hosts(self) -> frozenset[str]:
        """The site's own hosts (with and without www.): redirects and articles stay there."""
        bare = {(urlsplit(url).hostname or "").removeprefix("www.") for url in self.start}
        return frozenset(name for host in bare for name in (host, "www." + host))

    def is_article(self, path: str) -> bool | None:
        """True/False when the source has an article_pattern, None when it leaves it open."""
        return None if self.article_pattern is None else bool(re.search(self.article_pattern, path))

    def is_listing(self, path: str) -> bool:
        return self.listing_pattern is not None and bool(re.search(self.listing_pattern, path))


def refuse_aliases(text: str, where: str) -> None:
    """YAML anchors and aliases can multiply a small file into a huge one: not allowed."""
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
            mark = token.start_mark
            raise ValueError(f"{where}: line {mark.line + 1}: YAML anchors and aliases are not "
                             "allowed in a sources file")


def one_line(error: ValidationError) -> str:
    first = error.errors()[0]
    key = ".".join(str(part) for part in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown key"
    elif first["type"] == "missing":
        message = "missing"
    return f"{key}: {message}" if key else message


def parse_sources(text: str, where: str = "sources file") -> list[Source]:
    """The sources in `text` (the YAML of a sources file); ValueError with one line naming the
    source for anything unusable."""
    try:
        refuse_aliases(text, where)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        from vntopics.pipeline.config_io import yaml_problem

        raise ValueError(f"{where}: YAML syntax error at {yaml_problem(exc)}") from None
    if not isinstance(data, dict) or set(data) != {"sources"} \
            or not isinstance(data["sources"], list):
        raise ValueError(f"{where}: must be a mapping with one key, 'sources', holding a list")
    sources: list[Source] = []
    for number, entry in enumerate(data["sources"], start=1):
        label = (f"source {entry.get('name')!r}" if isinstance(entry, dict) and entry.get("name")
                 else f"source #{number}")
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: {label}: must be a mapping of keys")
        try:
            source = Source.model_validate(entry)
        except ValidationError as exc:
            raise ValueError(f"{where}: {label}: {one_line(exc)}") from None
        if any(known.name == source.name for known in sources):
            raise ValueError(f"{where}: {label}: duplicate name (each source names its own "
                             "folder)")
        sources.append(source)
    if not sources:
        raise ValueError(f"{where}: lists no sources")
    return sources


def load_sources(path: Path) -> list[Source]:
    """The sources of the file at `path` (see parse_sources)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"sources file not found: {path}") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"sources file {path}: not UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise ValueError(f"sources file {path}: cannot be read ({exc.strerror or exc})") from None
    return parse_sources(text, str(path))
