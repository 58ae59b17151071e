"""What `yuqing source add/test` shows: sample articles extracted as the spiders will, and
the probe's result; also the paging pattern and the per-field counts compared between checks."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from yuqing.crawlers.extract import decode_html, extract_article
from yuqing.crawlers.extract.dom import squash
from yuqing.crawlers.probe_board import read_message
from yuqing.crawlers.probe_fetch import FetchError, Fetcher


@dataclass(frozen=True)
class Sample:
    url: str
    title: str
    published_at: datetime | None
    author: str
    source: str
    content: str
    problems: tuple[str, ...] = ()
    reply: str = ""

    @property
    def good(self) -> bool:
        return bool(self.title) and len(squash(self.content)) >= 20

    def to_json(self) -> dict:
        return {"url": self.url, "title": self.title,
                "published_at": self.published_at.isoformat() if self.published_at else None,
                "content": self.content}


@dataclass
class Probe:
    url: str
    kind: str = ""
    name: str = ""
    links: int = 0
    block: str | None = None
    selectors: dict[str, str] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)
    paging: str = ""
    samples: list[Sample] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    private: bool = False

    def to_json(self) -> dict:
        return {"kind": self.kind, "articles": [s.to_json() for s in self.samples],
                "problems": list(self.problems)}


def article_sample(url: str, fetcher: Fetcher, selectors: dict | None) -> Sample:
    try:
        page = fetcher.get(url)
    except FetchError as exc:
        return Sample(url, "", None, "", "", "", (f"无法获取文章：{exc}",))
    overrides = {k: v for k, v in (selectors or {}).items()
                 if k in ("title", "content", "published_at", "author", "source")}
    art = extract_article(page.body, page.url, page.fetched_at, overrides, page.declared)
    return Sample(url, art.title, art.published_at, art.author, art.source, art.content, art.problems)


_REPLY_LABEL = re.compile(r"(?:答复|回复)(?:单位|部门|时间|日期|内容|意见)\s*[:：]")


def answered(links, fetcher: Fetcher) -> list[Sample]:
    """The first message further down the list that has a reply, to learn the reply's place."""
    for link in links:
        try:
            page = fetcher.get(link.url)
        except FetchError:
            continue
        if _REPLY_LABEL.search(decode_html(page.body, page.declared)[0]):
            return [article_sample(link.url, fetcher, None)]
    return []


def board_sample(url: str, fetcher: Fetcher, selectors: dict) -> Sample:
    try:
        page = fetcher.get(url)
    except FetchError as exc:
        return Sample(url, "", None, "", "", "", (f"无法获取留言：{exc}",))
    if not selectors.get("content"):
        return article_sample(url, fetcher, selectors)
    message = read_message(page, selectors)
    problems = () if message["content"] else ("留言页未找到留言内容（检查 selectors.content）",)
    reply = " ".join(v for v in (message["reply_department"], message["reply"]) if v)
    return Sample(url, message["title"], message["published_at"], message["author"], "", message["content"],
                  problems, reply)


def sample_problems(result: Probe) -> None:
    for n, sample in enumerate(result.samples, 1):
        missing = [what for what, ok in (("标题", sample.title), ("发布时间", sample.published_at),
                                         ("正文", len(squash(sample.content)) >= 20)) if not ok]
        if missing:
            result.problems.append(f"样例 {n} 未找到{'、'.join(missing)}：{sample.url}")


def paging_pattern(url: str, pages: list[str]) -> str:
    """'index_{n}.html' when consecutive pages differ by one number, else the next address."""
    if not pages:
        return "未发现翻页（只采集第一页）"
    if len(pages) >= 2:
        a, b = re.split(r"(\d+)", pages[0]), re.split(r"(\d+)", pages[1])
        if len(a) == len(b):
            diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
            if len(diff) == 1 and a[diff[0]].isdigit():
                a[diff[0]] = "{n}"
                return f"{''.join(a)}（本页之后还有 {len(pages)} 页）"
    return f"下一页：{pages[0]}"


def field_counts(samples: list[Sample]) -> dict[str, int]:
    return dict(Counter(name for s in samples for name, ok in (
        ("title", s.title), ("published_at", s.published_at), ("content", len(squash(s.content)) >= 20),
        ("author", s.author), ("source", s.source)) if ok))
