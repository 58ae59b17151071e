"""Typed models of the config files: sources, topics, places, departments, routing."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from config.settings import Settings
from config.types import Duration, Strict

Severity = Literal["一般", "较大", "重大", "特别重大"]


class Selectors(Strict):
    """Per-source CSS/XPath overrides for when generic extraction gets a site wrong."""

    list_links: str | None = None
    title: str | None = None
    content: str | None = None
    published_at: str | None = None
    author: str | None = None
    source: str | None = None
    # message boards
    reply: str | None = None
    reply_at: str | None = None
    reply_department: str | None = None
    status: str | None = None


class Source(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    kind: Literal["feed", "site", "board"]
    urls: list[str] = Field(min_length=1)
    authority: Literal["official", "media", "social", "public"] = "media"
    interval: Duration = Field(default="30m")
    priority: Literal["high", "normal", "low"] = "normal"
    max_pages: int = Field(default=3, ge=1, le=100)
    follow_links: bool = True
    allow_private: bool = False
    verified: bool = True
    enabled: bool = True
    note: str = ""
    selectors: Selectors = Selectors()

    @field_validator("urls")
    @classmethod
    def _http_only(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"地址“{url}”应以 http:// 或 https:// 开头")
        return urls


class TopicRule(Strict):
    """AND of OR-groups: every non-empty group must match; any `exclude` word vetoes."""

    subject: list[str] = Field(min_length=1)   # 主体
    event: list[str] = []                      # 事件
    region: list[str] = []                     # 地域
    exclude: list[str] = []                    # 排除
    scope: Literal["title", "body", "any"] = "any"


class Topic(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    owner: str                                 # 主管部门 (department id)
    rule: TopicRule
    co_owners: list[str] = []


class Community(Strict):
    name: str
    aliases: list[str] = []


class Place(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str                                  # e.g. 只楚街道
    aliases: list[str] = []
    handler: str                               # 处置 / 属地 department id
    communities: list[Community] = []


class QuietHours(Strict):
    start: str = "22:00"
    end: str = "07:30"
    hold_below: Severity = "较大"              # severities lower than this wait for morning


class Department(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    kind: Literal["office", "department", "street", "external"] = "department"
    channels: list[str] = []                   # apprise URLs, or dryrun:// / file:// channels
    escalation: list[str] = []                 # department ids, in order
    escalate_after: Duration | None = None
    quiet_hours: QuietHours | None = None


class RouteMatch(Strict):
    topic: list[str] = []
    place: list[str] = []
    severity: list[Severity] = []
    source_kind: list[Literal["feed", "site", "board"]] = []
    source: list[str] = []


class Route(Strict):
    match: RouteMatch = RouteMatch()
    receivers: list[str] = []                  # department ids, or "owner" / "handler"
    continue_: bool = Field(default=False, alias="continue")
    routes: list["Route"] = []


class Routing(Strict):
    duty_office: str                           # 值班: root receiver and coordinator
    receivers: list[str] = ["owner", "handler"]
    routes: list[Route] = []


class Config(Strict):
    directory: str
    settings: Settings
    sources: list[Source]
    topics: list[Topic]
    places: list[Place]
    departments: list[Department]
    routing: Routing

    def department(self, dept_id: str) -> Department:
        return next(d for d in self.departments if d.id == dept_id)

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)

    def place(self, place_id: str) -> Place:
        return next(p for p in self.places if p.id == place_id)

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)
