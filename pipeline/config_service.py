"""The config sections of the service around a run: collecting articles, the schedule and a
Dask cluster (`vntopics serve`, `vntopics collect`); pipeline/config.py holds the run's own
sections and `RunConfig`. Split from config.py to keep each module one screenful of concepts."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from vntopics.pipeline.config_values import check_cron


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ScheduleConfig(StrictModel):
    cron: str = Field("0 6 * * 1", description="When `vntopics serve` runs the report "
                                               "(default: Mondays 06:00).")
    timezone: str = Field("Asia/Ho_Chi_Minh", description="Time zone of the cron schedule.")
    active: bool = Field(True, description="false: serve the deployment without a schedule.")
    deployment: str = Field("weekly", min_length=1, description="Deployment name in the UI.")

    @field_validator("cron")
    @classmethod
    def _cron_is_valid(cls, value: str) -> str:
        return check_cron(value)

    @field_validator("timezone")
    @classmethod
    def _timezone_is_known(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class CollectConfig(StrictModel):
    """`vntopics collect` and the weekly collect -> report deployment (pipeline/collect/)."""
    sources_file: str | None = Field(
        None, description="YAML list of the sites to collect from (configs/sources.example."
                          "yaml); set, `vntopics serve` collects before each weekly report.")
    corpus_dir: str = Field("corpus", description="Where collected articles are written "
                            "(<source>/<UTC timestamp>.jsonl.gz) and the collect state kept "
                            "(.collect/); the weekly report reads it.")
    delay_seconds: float = Field(1.0, ge=0, description="Pause between two requests to one "
                                 "host (robots.txt Crawl-delay wins when longer).")
    max_connections_per_host: int = Field(1, ge=1, le=16, description="Requests in flight to "
                                          "one host at most; different hosts run concurrently.")
    timeout_seconds: float = Field(30.0, gt=0, description="A request taking longer fails "
                                   "(retried like a 5xx).")
    max_page_bytes: int = Field(
        5_000_000, ge=10_000,
        description="A page larger than this is not read further (outcome too_large).")
    max_pages_per_source: int = Field(
        1000, ge=1, description="Requests per source and collect run at most (feeds, listings "
                                "and articles); the rest waits for the next run.")
    retries: int = Field(
        2, ge=0, le=10,
        description="Retries of a 429, 5xx or timeout, with exponential backoff honouring "
                    "Retry-After.")
    max_retry_wait_seconds: float = Field(60.0, ge=0, description="Longest wait before a "
                                          "retry, whatever Retry-After asks.")
    contact_url: str = Field("https://github.com/vntopics/vntopics", min_length=1,
                             description="Named in the User-Agent (vntopics/<version> "
                                         "(+URL)) so site owners can reach you.")


class DaskConfig(StrictModel):
    address: str | None = Field(None, description="Address of an existing dask.distributed "
                                                  "scheduler, e.g. tcp://10.0.0.5:8786.")
