"""Typed models of the config files: sources, topics, places, departments, routing."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (Field, StringConstraints, ValidationInfo, field_validator,
                      model_validator)

from yuqing.config.topic_expr import AllOf, Terms
from yuqing.config.topic_expr import parse as parse_expr

from yuqing.config.settings import Settings
from yuqing.config.types import Duration, Strict

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


class LiuyanForum(Strict):
    """One leader's board on 人民网领导留言板 (留言对象), by its forum id (fid)."""

    fid: int = Field(ge=1)
    name: str = ""                             # e.g. 芝罘区委书记
    # A city board receives messages from every district: keep those naming one of these words.
    only: list[str] = []


class Source(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    kind: Literal["feed", "site", "board", "liuyan"]
    channel: str | None = None                 # yuqing.channels code; default from kind and URL
    forums: list[LiuyanForum] = []             # kind liuyan: the boards to poll
    delay: Duration | None = None              # between requests to this source (None: crawl's)
    urls: list[str] = Field(min_length=1)
    authority: Literal["official", "media", "social", "public"] = "media"
    interval: Duration = Field(default="30m")
    priority: Literal["high", "normal", "low"] = "normal"
    max_pages: int = Field(default=3, ge=1, le=100)
    follow_links: bool = True
    allow_private: bool = False
    follow_hosts: list[str] = []                # feeds: other sites whose item links are followed
    verified: bool = True
    verified_on: date | None = None          # when `yuqing source add/test` last checked it
    enabled: bool = True
    note: str = ""
    selectors: Selectors = Selectors()

    @model_validator(mode="after")
    def _liuyan_forums(self) -> "Source":
        if self.kind == "liuyan" and not self.forums:
            raise ValueError("kind: liuyan 的信息源须在 forums 中列出留言对象（fid）")
        if self.kind != "liuyan" and self.forums:
            raise ValueError("forums 只用于 kind: liuyan（人民网领导留言板）")
        return self

    @field_validator("urls")
    @classmethod
    def _http_only(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"地址“{url}”应以 http:// 或 https:// 开头")
        return urls


Words = list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]]
# The rule's own word lists double as groups an expression may name: @主体 or @subject.
GROUP_NAMES = {"subject": "主体", "event": "事件", "region": "地域", "exclude": "排除"}


class TopicRule(Strict):
    """Either the plain form — an AND of OR-groups: `subject` and every non-empty `event` /
    `region` group must match — or a boolean `expr` over words and named `groups`
    (see analysis/topic_expr.py). In both forms any `exclude` word vetoes."""

    subject: Words = []                        # 主体
    event: Words = []                          # 事件
    region: Words = []                         # 地域
    exclude: Words = []                        # 排除
    groups: dict[str, Words] = {}              # 词组, named in expr as @名
    scope: Literal["title", "body", "any"] = "any"
    expr: str | None = None                    # 布尔表达式

    @field_validator("groups")
    @classmethod
    def _group_names(cls, groups: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, words in groups.items():
            if not re.fullmatch(r"\w+", name):
                raise ValueError(f"词组名“{name}”只能由汉字、字母、数字和下划线组成")
            if name in GROUP_NAMES or name in GROUP_NAMES.values():
                raise ValueError(f"词组名“{name}”已用于 subject/event/region/exclude，请换一个名字")
            if not words:
                raise ValueError(f"词组“{name}”不能为空")
        return groups

    @field_validator("expr")
    @classmethod
    def _parse_expr(cls, expr: str | None, info: ValidationInfo) -> str | None:
        if expr is None:
            return None
        groups = rule_groups(info.data)
        _tree, used = parse_expr(expr, groups)
        for key, name in GROUP_NAMES.items():
            if key != "exclude" and info.data.get(key) and not {key, name} & used:
                raise ValueError(f"写了 expr 时，{key} 只是词组，须在表达式中以 @{name} 引用，"
                                 f"否则请删去 {key}")
        return expr

    @model_validator(mode="after")
    def _one_form(self) -> "TopicRule":
        if self.expr is None and not self.subject:
            raise ValueError("缺少 subject（主体词）或 expr（布尔表达式），二者须有其一")
        if self.expr is None and self.groups:
            raise ValueError("groups 只能在 expr 中以 @名 引用，未写 expr 时不应出现")
        return self

    def tree(self):
        """The rule as an expression tree (analysis.topic_expr), without the exclude veto."""
        if self.expr is not None:
            return parse_expr(self.expr, rule_groups(self.model_dump()))[0]
        groups = [g for g in (self.subject, self.event, self.region) if g]
        parts = tuple(Terms(frozenset(g)) for g in groups)
        return parts[0] if len(parts) == 1 else AllOf(parts)


def rule_groups(data: dict) -> dict[str, list[str]]:
    groups = dict(data.get("groups") or {})
    for key, name in GROUP_NAMES.items():
        if data.get(key):
            groups[key] = groups[name] = list(data[key])
    return groups


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
    source_kind: list[Literal["feed", "site", "board", "liuyan"]] = []
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
