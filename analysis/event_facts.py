"""What the event grouping reads about one mention: place, communities, channel, salient terms.

Built once per config load (the segmenter and automata are the costly parts). Only the title
and the opening of the text are read, so a 1 MB page costs what a short post costs.
"""

from __future__ import annotations

import functools

import re
from dataclasses import dataclass
from datetime import datetime

import ahocorasick

from yuqing.channels import label
from yuqing.analysis.segment import Segmenter
from yuqing.analysis.speakers import channel_of, source_label  # noqa: F401  (re-exported)
from yuqing.config.models import Config

TEXT_CHARS = 240            # the opening says what a mention is about
MAX_TERMS = 40
_WORDLIKE = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9]+$")
_GENERIC_TITLE = re.compile(r".{1,30}的(?:微博|动态|公众号文章)")
# Names that tell templated notices apart: the road, the n-th batch or meeting. Two texts that
# each name some and share none are about different matters (西沟路 vs 大疃路 parking notices).
_ANCHOR = re.compile(r"[\u4e00-\u9fff]{2,5}?(?:路|大街|大道)(?![口边面上段])|第[0-9一二三四五六七八九十百]+[批次期届号]")
_NUMERAL = re.compile(r"^[零一二三四五六七八九十百千万亿两几多余第]+")
# Words that any complaint or article uses: they say nothing about which matter it is.
STOPWORDS = frozenset("""
我们 你们 他们 她们 它们 自己 一个 一些 一下 一直 一样 这个 那个 这些 那些 这样 那样 这里 那里 这边 那边
什么 怎么 怎样 为什么 没有 不是 就是 还是 但是 而且 因为 所以 如果 虽然 可以 可能 已经 现在 到底
今天 昨天 明天 今年 去年 目前 近日 日前 记者 通讯员 报道 发布 表示 介绍 进行 开展 相关 工作 真的
情况 问题 有关 方面 其中 以及 以上 以下 通过 对于 关于 根据 按照 为了 时间 地方 大家 希望 需要 好几天
反映 要求 谢谢 您好 你好 领导 网友 市民 居民 群众 烟台 烟台市 山东 山东省 小区 社区 芝罘 芝罘区
每天 每次 很多 非常 特别 还有 只有 不能 不会 不要 这么 那么 多少 几天 几个 一点 有点 一下 尽快 处理
公司 电话 联系电话 联系方式 手机 微信 网页 链接 全文 原文 来源 编辑 责任编辑 转载 点击 查看 阅读 转发
家里 老人 号楼 楼里 没人 只能 突然 上周 本周 这两天 好多 不少 一直 总是 已经 还是 马上 赶紧 根本 居然
上门 来看 打通 看到 听说 据说 朋友 邻居 业主 大爷 大妈 阿姨 师傅 先生 女士 孩子 小时 分钟 晚上 早上 中午
部门 有关部门 相关部门 解决 恳请 请求 麻烦 看看 知道 觉得 感觉 出现 发现 已经 开始 时候 之后 以后 以来
最近 这次 这种 那种 一次 多次 同时 然后 而是 就是 还要 能否 能不能 是否 不了 起来 下来 一天 天天
""".split())


@dataclass(frozen=True)
class MentionFacts:
    """One mention as the event grouping sees it."""

    id: int
    when: datetime
    title: str
    topics: frozenset[str]
    place_id: str | None
    communities: frozenset[str]
    story_id: int | None
    source_id: str
    channel: str
    author: str               # who said it: the poster, else the source (for distinct authors)
    negative: bool
    terms: frozenset[str]     # salient words of the title and opening
    title_terms: frozenset[str]
    anchors: frozenset[str] = frozenset()   # roads, n-th batch/meeting named in the title
    kind: str = ""            # message (board), post, article …: board follow-ups read it
    url: str = ""             # breaks ties of time in the reading order (ids depend on arrival)

    @property
    def empty(self) -> bool:
        return not self.terms and not self.title.strip()


def anchors(title: str) -> frozenset[str]:
    """Roads (by their last three characters before 路, so "再次反映金沟寨路" and "金沟寨路"
    agree) and n-th batches or meetings named in a title."""
    found = set()
    for match in _ANCHOR.findall(title or ""):
        if match.startswith("第"):
            found.add(match)
        else:
            stem = re.sub(r"(?:路|大街|大道)$", "", match)
            found.add(stem[-3:] + match[len(stem):])
    return frozenset(found)


class CommunityFinder:
    """The communities (社区) a text names, by their canonical names (aliases folded).

    People name the housing estate rather than the community: "福泰小区" for 福泰社区, so a
    community "X社区" is also found as "X小区" (unless another community claims that name).
    """

    def __init__(self, config: Config):
        self._automaton = ahocorasick.Automaton()
        self.street: dict[str, str] = {}
        words: dict[str, str] = {}
        for place in config.places:
            for community in place.communities:
                self.street[community.name] = place.id
                for name in (community.name, *community.aliases):
                    words[name] = community.name
        for name in list(self.street):
            stem = name[:-2] if name.endswith("社区") else ""
            if len(stem) >= 2:
                words.setdefault(stem + "小区", name)
        for word, name in words.items():
            self._automaton.add_word(word, name)
        self._empty = not words
        if not self._empty:
            self._automaton.make_automaton()

    def __call__(self, text: str) -> frozenset[str]:
        if self._empty:
            return frozenset()
        return frozenset(c for _, c in self._automaton.iter(text or ""))

    def place_of(self, communities: frozenset[str]) -> str | None:
        """The street of the communities named, when they all lie in one."""
        streets = {self.street[c] for c in communities if c in self.street}
        return streets.pop() if len(streets) == 1 else None


class FactReader:
    """Reads MentionFacts from stored mentions; built once per config load."""

    def __init__(self, config: Config, segmenter: Segmenter | None = None):
        self.config = config
        self.segmenter = segmenter or Segmenter.for_config(config)
        self.sources = {s.id: s for s in config.sources}
        self.channels = {s.id: channel_of(s) for s in config.sources}
        self.communities = CommunityFinder(config)
        # place names have their own say (street and community agreement): as words they
        # would count twice, and make any two complaints from one street look alike
        self._place_words = {w for p in config.places for w in (p.name, *p.aliases)}
        self._place_words |= {w for p in config.places for c in p.communities
                              for w in (c.name, *c.aliases)}
        # segmenting is most of reading: analysis reads a batch once before it takes the
        # grouping locks, so the read under them finds the terms here (analysis/stage.py)
        self.terms = functools.lru_cache(maxsize=4096)(self.terms)

    def terms(self, text: str) -> frozenset[str]:
        out: list[str] = []
        # without HMM new-word discovery: twice as fast, and names come from the user dictionary
        for token in self.segmenter._jieba.lcut(text, HMM=False):
            if (len(token) >= 2 and _WORDLIKE.match(token) and not _NUMERAL.match(token)
                    and token not in STOPWORDS and token not in self._place_words
                    and token not in out):
                out.append(token)
                if len(out) >= MAX_TERMS:
                    break
        return frozenset(out)

    def read(self, mention, topics: list[str] | None = None) -> MentionFacts:
        title = (mention.title or "").strip()
        if _GENERIC_TITLE.fullmatch(title):
            title = ""          # "X的微博" names an account, not a matter
        head = (mention.content or "")[:TEXT_CHARS]
        title_terms = self.terms(title[:200])
        terms = title_terms | self.terms(head)
        if topics is None:
            topics = [t.topic_id for t in mention.topics]
        communities = self.communities(f"{title}\n{head}")
        # a post that names only its estate is still about that estate's street
        place = mention.place_id or self.communities.place_of(communities)
        return MentionFacts(
            id=mention.id, when=mention.published_at or mention.fetched_at, title=title,
            topics=frozenset(topics), place_id=place,
            communities=communities, story_id=_thread_story(mention),
            anchors=anchors(title),
            source_id=mention.source_id, channel=self.channels.get(mention.source_id) or label(mention.channel),
            author=(mention.author or "").strip() or f"source:{mention.source_id}",
            negative=bool(mention.negative), terms=terms, title_terms=title_terms,
            kind=mention.kind or "", url=mention.url or f"#{mention.id}")



def _thread_story(mention) -> int | None:
    """A comment (MediaCrawler's 评论) counts in its post's event: it takes the post's story
    for grouping, while its own story stays its own (a comment is not a reprint)."""
    if getattr(mention, "parent_id", None):
        from sqlalchemy.orm import object_session

        from yuqing.storage.models import Mention

        session = object_session(mention)
        parent = session.get(Mention, mention.parent_id) if session is not None else None
        if parent is not None and parent.story_id is not None:
            return parent.story_id
    return mention.story_id
