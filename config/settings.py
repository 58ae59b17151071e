"""settings.yaml: database, analysis, detection thresholds, deadlines, delivery, schedules."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field, model_validator

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
    # the public's own words (complaints, press reports) written the way complaints are
    # (analysis.voice.hardship) are negative below this, others below negative_below; board
    # messages (留言, a request or grievance by what the board is for) unless they thank or
    # only ask or suggest, below message_below; never below negative_below
    public_below: float = Field(default=0.5, gt=0, lt=1)
    message_below: float = Field(default=0.7, gt=0, lt=1)
    # a public item that says a grievance is raised (反映, 投诉, 质疑, 被指 … and no thanks)
    grievance_below: float = Field(default=0.8, gt=0, lt=1)
    # a public item that thanks or praises and has no complaint wording at all (analysis.voice.
    # praise) is negative only below this (never above negative_below)
    praise_below: float = Field(default=0.25, gt=0, lt=1)
    # bundled: keyword rules plus the bundled topic classifier (analysis.topic_decision);
    # rules: the keyword rules alone
    topic_model: Literal["bundled", "rules"] = "bundled"
    batch_size: int = Field(default=500, ge=1)


class SeverityLevel(Strict):
    """One row of the severity table: a series is at this level when it meets every
    threshold of the row (0 ignores a threshold); the highest such row wins."""

    level: Severity
    min_count: float = Field(ge=1)             # weighted negative volume in the window
    min_ratio: float = Field(default=0, ge=0)  # count / baseline median (0: ignore)
    min_z: float = Field(default=0, ge=0)      # Poisson-tail z of the units (0: ignore)
    min_authors: int = Field(default=0, ge=0)  # distinct voices (accounts, posters, articles)
    min_sources: int = Field(default=0, ge=0)  # distinct outlets (sources, or the 来源 named)
    min_channels: int = Field(default=0, ge=0)  # distinct channels (留言板, 新闻网站, 微博 …)


class DetectionSettings(Strict):
    bucket: Duration = Field(default="6h")
    window: Duration = Field(default="24h")    # spike window compared with the baseline
    baseline: Duration = Field(default="14d")
    levels: list[SeverityLevel] = [
        # tuned on the training seeds of bench/simulate_month.py, reported on held-out seeds
        SeverityLevel(level="一般", min_count=3, min_ratio=3, min_z=4.0),
        # 较大: the matter has spread beyond where residents raise it — at least three
        # outlets (the board and a Weibo topic are two; a news site or another platform
        # makes three) — or residents alone at twice that volume. Eight posts by board and
        # Weibo users in one street is a local complaint (一般) however surprising; before
        # this, count ≥ 8 alone made it 较大 (tuning seeds: small spikes and slow burns
        # graded 较大)
        SeverityLevel(level="较大", min_count=8, min_ratio=5, min_z=5.0, min_authors=5, min_sources=3),
        SeverityLevel(level="较大", min_count=16, min_ratio=5, min_z=5.0, min_authors=10),
        SeverityLevel(level="重大", min_count=60, min_ratio=10, min_z=7.0, min_authors=20,
                      min_sources=6, min_channels=3),
        SeverityLevel(level="特别重大", min_count=150, min_ratio=20, min_z=10.0, min_authors=50,
                      min_sources=15, min_channels=3),
    ]
    min_stories: int = Field(default=1, ge=1)  # distinct stories before a spike can open
    min_units: int = Field(default=3, ge=1)    # distinct story × voice units before a spike
    reprint_weight: float = Field(default=0.5, ge=0, le=1)   # each further voice on a story
    voice_cap: int = Field(default=2, ge=1)    # units one voice (account, poster) can add
    # the catch-all series (未归类): negative volume per street and district-wide whatever
    # the topic; a topic spike holding at least this share of its stories absorbs it
    catchall: bool = True
    catchall_share: float = Field(default=0.2, gt=0, le=1)
    # a 未归类 warning of its own (no topic explains it) needs this many distinct voices in
    # its window: the catch-all adds up unrelated complaints, so two or three people posting
    # about different things in one street are no matter for the duty office to assign,
    # while twelve sites carrying one story are twelve voices
    catchall_min_authors: int = Field(default=4, ge=1)
    # slow burns: sustained growth over trend_days_min..trend_days_max days
    trend: bool = True
    trend_days_min: int = Field(default=3, ge=2, le=13)
    trend_days_max: int = Field(default=7, ge=2, le=13)
    trend_z: float = Field(default=4.5, ge=0)
    trend_min_per_day: float = Field(default=2, ge=1)     # units a day on most days of the span
    trend_floor_per_day: float = Field(default=0.5, ge=0)  # the usual day is at least this busy
    trend_severity: Severity = "一般"
    # a slow burn is several people over several days: distinct voices over the whole span
    # (one resident posting every day about their own matter is a petition, not a trend;
    # the past days' samples count stories, not voices, so this is checked on the span)
    trend_min_authors: int = Field(default=3, ge=1)
    authoritative: list[str] = []              # source ids or authority levels that warn alone
    authoritative_severity: Severity = "较大"
    unanswered_max_age: Duration = Field(default="60d")   # older board messages are history
    authority_weight: dict[str, float] = {"official": 3.0, "media": 2.0, "social": 1.0, "public": 1.0}
    critical_words: list[str] = ["死亡", "身亡", "遇难", "丧生", "溺亡", "致死", "殒命",
                                 "受伤", "伤者", "重伤", "砸伤", "烧伤", "送医",
                                 "爆炸", "爆燃", "坍塌", "塌陷", "倒塌", "垮塌", "塌方",
                                 "起火", "火灾", "失火", "中毒", "踩踏",
                                 "坠楼", "坠亡", "触电", "窒息", "砍伤", "刺伤",
                                 "群体性事件", "集体上访", "围堵", "堵路", "聚集讨薪", "跳楼",
                                 # a mass incident is said many ways: a crowd at a gate, banners, a sit-in
                                 "群众聚集", "聚集上访", "聚集维权", "拉横幅", "拉条幅", "静坐"]
    # an item with one of these is about prevention, drills or statistics, not an incident
    critical_exclude: list[str] = ["演练", "培训", "宣传", "知识", "讲座", "防范", "预防",
                                   "隐患排查", "安全检查", "警示教育", "应急预案", "模拟",
                                   "万一"]   # a feared, not a happened, incident
    # an incident located elsewhere (外地一小区…, 外省一养老院…, 某市发生…) is another place's,
    # not the district's: these stand for an unnamed elsewhere; named places (provinces,
    # cities, Yantai's other districts) are known to the analysis (alerts/elsewhere.py)
    critical_elsewhere: list[str] = ["外地", "外省", "外市", "外县", "省外", "异地", "某省", "某市",
                                     "某县", "某地", "邻市", "国外", "境外", "海外"]
    critical_severity: Severity = "重大"
    # a district-wide spike or slow burn (no street of its own) whose evidence naming a street
    # names one street this often (share of those items, and at least 2 items) has that
    # street as its 处置: the matter is mostly there; spread over the district, it has none
    district_handler_share: float = Field(default=0.5, gt=0, le=1)
    unanswered_board_after: Duration = Field(default="5d")
    subside_after: Duration = Field(default="24h")

    @model_validator(mode="after")
    def _consistent(self) -> "DetectionSettings":
        if self.trend_days_min > self.trend_days_max:
            raise ValueError(f"trend_days_min（{self.trend_days_min}）不能大于 trend_days_max（{self.trend_days_max}）")
        if self.trend_days_max * timedelta(days=1) >= self.baseline:
            raise ValueError(f"trend_days_max（{self.trend_days_max} 天）须短于基线 baseline，否则没有可比的历史")
        if self.bucket > self.window:
            raise ValueError("bucket 不能长于 window")
        # one level may have several rows (met by any of them); the same row twice is a slip
        rows = [lv.model_dump_json() for lv in self.levels]
        if len(set(rows)) != len(rows):
            raise ValueError("levels 中同一行出现多次")
        if not self.levels:
            raise ValueError("levels 不能为空：至少写出“一般”一级")
        overlap = set(self.critical_words) & set(self.critical_exclude)
        if overlap:
            raise ValueError(f"critical_words 与 critical_exclude 有相同的词：{'、'.join(sorted(overlap))}")
        return self


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


class ImportSettings(Strict):
    """`yuqing import`: how a district's own export files name their columns."""

    # our column name (工单编号, 受理时间 …) -> the name in the district's 12345 export
    hotline_columns: dict[str, str] = {}


class Settings(Strict):
    district: str = "芝罘区"
    database: DatabaseSettings = DatabaseSettings()
    analysis: AnalysisSettings = AnalysisSettings()
    detection: DetectionSettings = DetectionSettings()
    response: ResponseSettings = ResponseSettings()
    delivery: DeliverySettings = DeliverySettings()
    schedules: ScheduleSettings = ScheduleSettings()
    crawl: CrawlSettings = CrawlSettings()
    imports: ImportSettings = ImportSettings()
