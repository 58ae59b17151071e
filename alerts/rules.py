"""Single-item rules: one mention warns on its own (单条预警).

- a critical word (死亡, 受伤, 塌陷, 爆炸 …) in the title or the start of the text;
- a negative item on a topic from an authoritative outlet (none by default);
- a message-board complaint nobody answered for N days.

Each finding's key names the story (or message), so reprints of one item and later cycles
update one warning. Candidates are filtered in SQL; only the few that match are loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select, text

from yuqing.alerts.elsewhere import elsewhere
from yuqing.alerts.series import in_range, official
from yuqing.analysis.privacy import mask
from yuqing.safetext import one_line
from yuqing.config.models import Config
from yuqing.storage.alerting import UNANSWERED_SQL
from yuqing.storage.critical import TEXT_SCANNED, CriticalMark, refresh
from yuqing.storage.db import Database
from yuqing.storage.events import Event, EventMention
from yuqing.storage.models import Mention, MentionTopic, Warning, WarningEvidence

LATE_ITEMS = timedelta(days=3)     # an incident reported this long ago and collected now still warns


@dataclass(frozen=True)
class Finding:
    """What detection saw; `open_or_update` turns it into a warning."""

    key: str                  # series key (spike) or item key: stable across runs
    kind: str                 # spike / trend / critical / authority / unanswered
    topic_id: str | None
    place_id: str | None
    severity: str
    title: str
    summary: str
    mention_ids: tuple[int, ...]
    count: float = 0
    baseline: float = 0
    # series parts (topic, place, lo, hi) whose newest negative items are the evidence: read
    # for all of a cycle's findings at once by series.fill_evidence, which sets mention_ids
    evidence: tuple = ()


def _topics(s, ids, prefer: frozenset[str] = frozenset()) -> dict[int, str]:
    """Each mention's main topic: the one whose rule matched the words in `prefer`, then the
    one with most matched words."""
    rows = s.execute(select(MentionTopic.mention_id, MentionTopic.topic_id, MentionTopic.matched)
                     .where(MentionTopic.mention_id.in_(list(ids)))).all()
    best: dict[int, tuple] = {}
    for mid, topic, matched in rows:
        words = set(matched or [])
        rank = (len(words & prefer), len(words), topic)
        if mid not in best or rank[:2] > best[mid][:2] or (rank[:2] == best[mid][:2] and topic < best[mid][2]):
            best[mid] = rank
    return {mid: rank[2] for mid, rank in best.items()}


def matter_topics(s, texts: dict[int, str], incident_words: frozenset[str]) -> dict[int, str]:
    """The topic of the matter an incident report is about: the topic whose own words (not
    the incident words 塌陷, 爆炸 … which any safety rule also holds) come first in the
    text. A road collapse is a roads matter; a gas explosion in a restaurant is a gas or
    safety matter, not a medical one because the injured went to hospital."""
    rows = s.execute(select(MentionTopic.mention_id, MentionTopic.topic_id, MentionTopic.matched)
                     .where(MentionTopic.mention_id.in_(list(texts)))).all()
    best: dict[int, tuple] = {}
    for mid, topic, matched in rows:
        own = [w for w in (matched or []) if w not in incident_words and not any(
            w in c or c in w for c in incident_words)]
        text = texts[mid]
        first = min((text.find(w) for w in own if w in text), default=len(text) + 1)
        rank = (0 if own else 1, first, -len(matched or []), topic)
        if mid not in best or rank < best[mid]:
            best[mid] = rank
    return {mid: rank[3] for mid, rank in best.items()}


def _copies(s, story_ids: set[int], lo: datetime, at: datetime) -> dict[int, list[int]]:
    if not story_ids:
        return {}
    rows = s.execute(select(Mention.story_id, Mention.id).where(
        Mention.story_id.in_(story_ids), in_range(lo, at))).all()
    out: dict[int, list[int]] = {}
    for story, mid in rows:
        out.setdefault(story, []).append(mid)
    return out


def critical_findings(s, config: Config, at: datetime) -> list[Finding]:
    """Items reporting an incident (death, injury, collapse, explosion, poisoning, a mass
    incident) warn at once, at critical_severity, on the topic of the matter, in the street
    the item names. Items collected late (published before the window, analysed within it)
    count too: the first cycle after collection sees them. Reports of one incident — the
    same place and topic within the window — update one warning."""
    det = config.settings.detection
    if not det.critical_words:
        return []
    lo = at - det.window
    head = func.substr(Mention.content, 1, TEXT_SCANNED)
    # the mentions marked as holding a critical word (storage/critical.py; item_findings
    # brought the marks up to date), in two ranges queried apart: published in the window,
    # and collected late — published earlier, analysed in the window
    cols = (Mention.id, Mention.title, head, Mention.place_id, Mention.story_id,
            Mention.published_at, Mention.fetched_at)
    late = and_(Mention.analysed_at > lo, Mention.analysed_at <= at, Mention.published_at > at - LATE_ITEMS,
                Mention.published_at <= lo)
    since = marks_since(config, at)
    found_rows: dict[int, tuple] = {}
    for recent in (in_range(lo, at), late):
        for row in s.execute(select(*cols).select_from(CriticalMark)
                             .join(Mention, Mention.id == CriticalMark.mention_id)
                             .where(CriticalMark.at > since, recent, Mention.analysed_at.is_not(None),
                                    ~official(config))):
            found_rows[row[0]] = tuple(row)
    rows = sorted(found_rows.values(), key=lambda r: (r[5] or r[6], r[0]))
    rows = [r for r in rows if not any(w in r[1] or w in (r[2] or "") for w in det.critical_exclude)]
    # another place's incident (外地一小区燃气爆炸, 青岛一工地坍塌) is news, not the district's
    rows = [r for r in rows if not elsewhere(r[1], r[2], r[3], tuple(det.critical_elsewhere))]
    if not rows:
        return []
    words_all = frozenset(det.critical_words)
    topics = matter_topics(s, {r[0]: f"{r[1]}\n{r[2] or ''}" for r in rows}, words_all)
    # copies of each story with their street: one wording can tell two incidents in two
    # streets ("一居民楼燃气泄漏发生爆燃"), which are two warnings
    copies: dict[int, list[tuple[int, str | None]]] = {}
    story_ids = sorted({r[4] for r in rows if r[4]})
    for i in range(0, len(story_ids), 500):
        for story, mid, where in s.execute(select(Mention.story_id, Mention.id, Mention.place_id).where(
                Mention.story_id.in_(story_ids[i:i + 500]), in_range(lo, at))):
            copies.setdefault(story, []).append((mid, where))
    # an incident already warned about in this window keeps its warning
    warned = s.scalars(select(Warning).where(
        Warning.kind == "critical", Warning.updated_at > lo - det.window, Warning.status != "closed")).all()
    running = {(w.place_id, w.topic_id): w.key for w in warned}
    # a post about the same incident that names no street ("胜利路那个坑…") is linked by the
    # event grouping: the event of a report already warned about
    event_of = _events(s, [r[0] for r in rows])
    by_event = {}
    if event_of and warned:
        evidence = s.execute(select(WarningEvidence.mention_id, Warning.key)
                             .join(Warning, Warning.id == WarningEvidence.warning_id)
                             .where(Warning.id.in_([w.id for w in warned]))).all()
        linked = _events(s, [mid for mid, _ in evidence])
        by_event = {linked[mid]: key for mid, key in evidence if mid in linked}
    # a post that names only the road ("胜利路那个坑…") is about the incident on that road
    by_anchor = {a: w.key for w in warned for a in roads(w.title)}
    owner = {w.key: w.place_id for w in warned}
    found: dict[str, Finding] = {}
    for mid, title, text, place, story, _, _ in rows:
        topic = topics.get(mid)
        if not (topic or place):
            continue          # not about the district's matters
        named = roads(title)
        nearby = None if place else next((by_anchor[a] for a in sorted(named) if a in by_anchor), None)
        linked = by_event.get(event_of.get(mid)) or nearby
        if linked and place and owner.get(linked) not in (None, place):
            linked = None                  # the same wording about another street's incident
        key = linked or _same_incident(running, place, topic) or f"critical:{story or mid}"
        if place and key in owner and owner[key] not in (None, place):
            key = f"critical:{story or mid}:{place}"        # the same wording, another street
        owner.setdefault(key, place)
        running.setdefault((place, topic), key)
        if mid in event_of:
            by_event.setdefault(event_of[mid], key)
        for a in named:
            by_anchor.setdefault(a, key)
        words = [w for w in det.critical_words if w in title or w in (text or "")]
        ids = [m for m, where in copies.get(story, []) if where in (place, None) or not place] or [mid]
        if key in found:
            old = found[key]
            merged = tuple(sorted(set(old.mention_ids) | set(ids)))
            more = [w for w in words if w not in old.summary]
            summary = old.summary + ("、" + "、".join(more) if more else "")
            found[key] = replace(old, mention_ids=merged, summary=summary)
            continue
        found[key] = Finding(key, "critical", topic, place, det.critical_severity,
                             f"突发：{_headline(title, 60)}", f"出现关键词：{'、'.join(words)}",
                             tuple(sorted(ids)))
    return list(found.values())


_ROAD = re.compile(r"([\u4e00-\u9fff]{2})(路|大街|大道)")
_NOT_ROADS = frozenset("马道公铁线网一上把过走带让封修堵挖出进半迷开条段")


def roads(text: str) -> frozenset[str]:
    """Road names a text mentions, by their last two characters and the suffix ("只楚街道胜利路"
    and "路过胜利路" both give 胜利路); words like 马路, 道路, 封路 are no names."""
    return frozenset(a + b + c for a, b, c in ((m.group(1)[0], m.group(1)[1], m.group(2))
                                               for m in _ROAD.finditer(text or ""))
                     if b not in _NOT_ROADS)


def _events(s, ids: list[int]) -> dict[int, int]:
    """mention id -> its event (the one it was merged into, if so)."""
    if not ids:
        return {}
    rows = s.execute(select(EventMention.mention_id, EventMention.event_id, Event.merged_into)
                     .join(Event, Event.id == EventMention.event_id)
                     .where(EventMention.mention_id.in_(ids))).all()
    return {mid: merged or event for mid, event, merged in rows}


def _same_incident(running: dict[tuple, str], place, topic) -> str | None:
    """The incident warning this report belongs to: the same place and topic, or the same
    place where one of the two has no topic (a short post rarely names the matter)."""
    if (place, topic) in running:
        return running[(place, topic)]
    if place is None:
        return None
    for (p, t), key in running.items():
        if p == place and (t is None or topic is None):
            return key
    return None


def authority_findings(s, config: Config, at: datetime) -> list[Finding]:
    """A negative item on one of our topics from an authoritative outlet (e.g. a central
    newspaper) warns at once. The government's own sources never do: their notices,
    campaigns and 通报 are its voice, not public opinion."""
    wanted = set(config.settings.detection.authoritative)
    sources = {src.id: src for src in config.sources
               if (src.id in wanted or src.authority in wanted) and src.authority != "official"}
    if not sources:
        return []
    lo = at - config.settings.detection.window
    rows = s.execute(select(Mention.id, Mention.title, Mention.place_id, Mention.story_id,
                            Mention.source_id, MentionTopic.topic_id)
                     .join(MentionTopic, MentionTopic.mention_id == Mention.id)
                     .where(Mention.negative.is_(True), Mention.source_id.in_(sources),
                            in_range(lo, at))
                     .order_by(Mention.id, MentionTopic.topic_id)).all()
    severity = config.settings.detection.authoritative_severity
    copies = _copies(s, {r[3] for r in rows if r[3]}, lo, at)
    found: dict[str, Finding] = {}
    for mid, title, place, story, source_id, topic in rows:
        key = f"authority:{story or mid}"
        if key not in found:
            found[key] = Finding(key, "authority", topic, place, severity,
                                 f"权威信源报道：{_headline(title, 60)}",
                                 f"{sources[source_id].name}发布负面信息",
                                 tuple(sorted(copies.get(story, [mid]))))
    return list(found.values())


def unanswered_findings(s, config: Config, at: datetime) -> list[Finding]:
    """Board messages older than N days without a reply; each warns once."""
    det = config.settings.detection
    oldest = at - config.settings.detection.unanswered_max_age
    # the conditions as literals: the partial index ix_mentions_unanswered holds these rows.
    # PostgreSQL estimates its rows as if it held every message (the predicate's two columns
    # are taken as independent) and may walk ix_mentions_kind_published instead, fetching
    # every message of two months from the heap to keep the 2 % unanswered (0.4-0.5 s on a
    # copied 1M-mention bench store, against 8-19 ms from the partial index): no plain index
    # scan for this statement and the rest of this read-only transaction
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SET LOCAL enable_indexscan = off"))
    rows = s.execute(select(Mention.id, Mention.title, Mention.place_id, Mention.published_at)
                     .where(text(UNANSWERED_SQL),
                            Mention.analysed_at.is_not(None),
                            Mention.published_at > oldest,
                            Mention.published_at <= at - det.unanswered_board_after)
                     .order_by(Mention.id)).all()
    if not rows:
        return []
    keys = {f"unanswered:{r[0]}" for r in rows}
    done = set(s.scalars(select(Warning.key).where(Warning.kind == "unanswered",
                                                   Warning.opened_at > oldest)))
    topics = _topics(s, [r[0] for r in rows if f"unanswered:{r[0]}" not in done])
    findings = []
    for mid, title, place, published in rows:
        key = f"unanswered:{mid}"
        if key in done or key not in keys:
            continue
        days = (at - published).days
        findings.append(Finding(key, "unanswered", topics.get(mid), place, "一般",
                                f"群众留言 {days} 天未答复：{_headline(title, 50)}",
                                f"留言于 {days} 天前发布，至今没有部门答复", (mid,)))
    return findings


def marks_since(config: Config, at: datetime) -> datetime:
    """The earliest time critical_findings reads at `at`: the window, and late items."""
    return at - max(config.settings.detection.window, LATE_ITEMS)


def item_findings(db: Database, config: Config, at: datetime) -> list[Finding]:
    if config.settings.detection.critical_words:
        refresh(db.engine, config.settings.detection.critical_words, marks_since(config, at))
    with db.session() as s:
        return (critical_findings(s, config, at) + authority_findings(s, config, at)
                + unanswered_findings(s, config, at))


def _headline(title: str, limit: int) -> str:
    """A crawled title inside a warning title: masked before it is cut, so a cut never
    leaves part of a phone number the mask no longer recognises; one line."""
    return one_line(mask(title))[:limit]
