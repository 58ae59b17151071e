"""An event's title, status and extractive summary (摘要): sentences taken verbatim from its
mentions, each with its source link. Nothing here writes text of its own.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_GENERIC_TITLE = re.compile(r".{1,30}的(?:微博|动态|公众号文章)")
_HANDLE = re.compile(r"(?:^|\s)(?:回复)?@[^\s:：]{1,30}[:：]?|#([^#]{1,30})#|\[[^\]]{1,6}\]")
SENTENCE_MIN, SENTENCE_MAX = 10, 120
TITLE_MAX = 40
KIND_PRIOR = {"article": 1.15, "message": 1.1, "post": 0.85}
STATUS_RECENT = timedelta(hours=6)    # growth compares the last 6 hours with the 6 before
NEW_FOR = timedelta(hours=6)          # an event younger than this is 新发
QUIET_AFTER = timedelta(hours=24)     # no mention for a day: 平息


@dataclass(frozen=True)
class Member:
    """What the title and summary read about one member mention."""

    id: int
    when: datetime
    kind: str
    title: str
    content: str
    url: str
    source: str               # label shown next to a sentence: 微博 @作者, 留言板 …
    channel: str
    terms: frozenset[str]


def centrality(terms, profile: dict[str, int], members: int) -> float:
    if not terms or not profile:
        return 0.0
    got = sum(min(1.0, 3.0 * profile.get(t, 0) / max(members, 1)) for t in terms)
    return got / math.sqrt(len(terms))


def pick_title(members: list[Member], profile: dict[str, int], title_terms,
               places: tuple[str, ...] = ()) -> str:
    """The most representative headline: a title whose words the members share most; a
    Weibo handle's "X的微博" never qualifies, headlines beat post openings, and a title that
    names the event's street or community says where it is."""
    best, best_score = "", -1.0
    for m in sorted(members, key=lambda m: (m.when, m.id)):
        title = (m.title or "").strip()
        if not title or _GENERIC_TITLE.fullmatch(title):
            continue
        score = centrality(title_terms(title), profile, len(members)) * KIND_PRIOR.get(m.kind, 1.0)
        if any(p in title for p in places):
            score *= 1.2
        if score > best_score + 1e-9:
            best, best_score = title, score
    if not best and members:
        best = clean(members[0].content)[:TITLE_MAX]
    return best if len(best) <= TITLE_MAX else best[:TITLE_MAX - 1] + "…"


def clean(text: str) -> str:
    """A post's text without handles, hashtags' marks and emoticon codes, for reading."""
    return _HANDLE.sub(lambda m: m.group(1) or "", text or "").strip()


def sentences(text: str) -> list[str]:
    out = []
    for raw in _SENTENCE.findall(text or ""):
        s = raw.strip(" \u3000\t，,；;")
        if SENTENCE_MIN <= len(s) <= SENTENCE_MAX:
            out.append(s)
    return out


def summarise(members: list[Member], profile: dict[str, int], terms_of, limit: int = 3) -> list[dict]:
    """2–3 sentences that say what the event is, from different sources where possible,
    in the order they were published; each links to the mention it came from."""
    scored = []
    for m in members:
        for i, sent in enumerate(sentences(f"{m.title}。{m.content}" if m.kind == "post"
                                           else m.content)[:8]):
            words = terms_of(sent)
            if len(words) < 2:
                continue
            lead = 1.1 if i == 0 else 1.0                 # openings state the matter
            scored.append((centrality(words, profile, len(members)) * lead, m, sent, words))
    scored.sort(key=lambda x: (-x[0], x[1].when, x[1].id))
    picked: list[tuple] = []
    channels: Counter = Counter()
    while scored and len(picked) < limit:
        # prefer a channel not yet quoted, then the best remaining sentence
        best = max(scored, key=lambda x: (x[0] * (0.8 ** channels[x[1].channel]), -x[1].when.timestamp()))
        scored.remove(best)
        if any(best[1].id == p[1].id for p in picked):
            continue
        if any(len(best[3] & p[3]) > 0.5 * min(len(best[3]), len(p[3])) for p in picked):
            continue                                       # says what we already quoted
        picked.append(best)
        channels[best[1].channel] += 1
    picked.sort(key=lambda x: (x[1].when, x[1].id))
    return [{"text": sent if sent.endswith(("。", "！", "？", "!", "?")) else sent + "。",
             "url": m.url, "mention_id": m.id, "source": m.source, "channel": m.channel,
             "at": m.when.isoformat()} for _, m, sent, _ in picked]


def status_of(times: list[datetime], at: datetime) -> str:
    """新发 / 上升 / 高位 / 回落 / 平息, from the times of its mentions."""
    if not times:
        return "平息"
    first, last = min(times), max(times)
    if at - last >= QUIET_AFTER:
        return "平息"
    if at - first < NEW_FOR:
        return "新发"
    recent = sum(1 for t in times if at - STATUS_RECENT < t <= at)
    before = sum(1 for t in times if at - 2 * STATUS_RECENT < t <= at - STATUS_RECENT)
    if recent >= 2 and recent >= 1.5 * max(before, 1):
        return "上升"
    if recent == 0 or recent <= 0.5 * before:
        return "回落"
    return "高位"
