"""settings.yaml: database, analysis, detection thresholds, deadlines, delivery, schedules."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field

from yuqing.config.types import Clock, Duration, Strict

Severity = Literal["一般", "较大", "重大", "特别重大"]


class DatabaseSettings(Strict):
    url: str | None = None                     # None: SQLite under YUQING_HOME


class AnalysisSettings(Strict):
    sentiment_model: Literal["domain", "snownlp"] = "domain"
    # a model retrained with `yuqing sentiment train` (e.g. on officers' corrections);
    # empty: the bundled one
    sentiment_path: str | None = None
    negative_below: float = Field(default=0.4, gt=0, lt=1)
    batch_size: int = Field(default=500, ge=1)


class SeverityLevel(Strict):
    level: Severity
    min_count: int = Field(ge=1)               # weighted negative stories in the bucket
    min_ratio: float = Field(default=0, ge=0)  # count / baseline median (0: ignore)
    min_z: float = Field(default=0, ge=0)      # robust z against the baseline (0: ignore)


class DetectionSettings(Strict):
    bucket: Duration = Field(default="6h")
    window: Duration = Field(default="24h")    # spike window compared with the baseline
    baseline: Duration = Field(default="14d")
    levels: list[SeverityLevel] = [
        # min_z is the z-score of the Poisson tail probability of the count given the
        # series' expected count: tuned on the simulated month (bench/simulate_month.py)
        SeverityLevel(level="一般", min_count=3, min_ratio=3, min_z=4.0),
        SeverityLevel(level="较大", min_count=6, min_ratio=5, min_z=5.0),
        SeverityLevel(level="重大", min_count=15, min_ratio=8, min_z=7.0),
        SeverityLevel(level="特别重大", min_count=40, min_ratio=15, min_z=10.0),
    ]
    min_stories: int = Field(default=3, ge=1)  # distinct stories before a spike can open
    authoritative: list[str] = ["official"]    # source ids or authority levels that warn alone
    authoritative_severity: Severity = "较大"
    unanswered_max_age: Duration = Field(default="60d")   # older board messages are history
    authority_weight: dict[str, float] = {"official": 3.0, "media": 2.0, "social": 1.0, "public": 1.0}
    critical_words: list[str] = ["死亡", "身亡", "爆炸", "坍塌", "起火", "中毒", "踩踏", "溺亡"]
    critical_severity: Severity = "重大"
    unanswered_board_after: Duration = Field(default="5d")
    subside_after: Duration = Field(default="24h")


class Deadline(Strict):
    acknowledge: Duration
    respond: Duration
    press_conference: Duration | None = None


class ResponseSettings(Strict):
    # 国办发〔2016〕61号: major emergencies — authoritative information within 5 hours,
    # a press conference within 24 hours; other matters — a response within 48 hours.
    deadlines: dict[Severity, Deadline] = {
        "特别重大": Deadline(acknowledge=timedelta(minutes=30), respond=timedelta(hours=5),
                         press_conference=timedelta(hours=24)),
        "重大": Deadline(acknowledge=timedelta(hours=1), respond=timedelta(hours=5),
                       press_conference=timedelta(hours=24)),
        "较大": Deadline(acknowledge=timedelta(hours=4), respond=timedelta(hours=48)),
        "一般": Deadline(acknowledge=timedelta(hours=8), respond=timedelta(hours=48)),
    }


class DeliverySettings(Strict):
    dashboard_url: str = "http://127.0.0.1:8000"
    group_wait: Duration = Field(default="30s")
    repeat_interval: Duration = Field(default="4h")
    max_attempts: int = Field(default=8, ge=1)
    retry_base: Duration = Field(default="30s")
    quiet_start: Clock = Field(default="22:00")
    quiet_end: Clock = Field(default="07:30")
    quiet_hold_below: Severity = "较大"


class ScheduleSettings(Strict):
    analysis: Duration = Field(default="5m")
    detection: Duration = Field(default="5m")
    delivery: Duration = Field(default="30s")
    escalation: Duration = Field(default="5m")
    digest_times: list[Clock] = Field(default=["08:00", "18:00"])
    weekly_report: str = "mon 08:30"           # "" disables the weekly job
    priority_interval: Duration = Field(default="5m")   # "high" priority sources at least this often
    max_concurrent_crawls: int = Field(default=3, ge=1)
    lease_ttl: Duration = Field(default="60s")  # one scheduler per database: lease expiry
    job_timeouts: dict[str, Duration] = Field(default={
        "crawl": "30m", "analysis": "20m", "detection": "10m", "delivery": "5m",
        "escalation": "5m", "digest": "10m", "weekly": "30m"})


class CrawlSettings(Strict):
    """Politeness and limits: delay between requests to one site, concurrency, timeout, size cap."""

    download_delay: Duration = Field(default="0.5s")         # between requests to one site
    concurrency_per_domain: int = Field(default=2, ge=1, le=16)
    concurrency: int = Field(default=16, ge=1, le=128)        # all sites together
    autothrottle: bool = True                                 # back off when a site slows
    timeout: Duration = Field(default="20s")                  # per request
    retries: int = Field(default=2, ge=0, le=5)               # on 5xx and dropped connections
    max_page_bytes: int = Field(default=8 * 1024 * 1024, ge=64 * 1024)
    user_agent: str = ""                                      # "": yuqing/<version> (+project)


class Settings(Strict):
    district: str = "芝罘区"
    database: DatabaseSettings = DatabaseSettings()
    analysis: AnalysisSettings = AnalysisSettings()
    detection: DetectionSettings = DetectionSettings()
    response: ResponseSettings = ResponseSettings()
    delivery: DeliverySettings = DeliverySettings()
    schedules: ScheduleSettings = ScheduleSettings()
    crawl: CrawlSettings = CrawlSettings()
