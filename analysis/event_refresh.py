"""Derived fields of events touched since their last refresh, recomputed from their members;
and the dormancy sweep (an event quiet for DORMANT_AFTER leaves the candidate index).

Everything here is recomputed from stored members, so a refresh can be rerun at any time and
two workers refreshing the same event write the same result.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import delete, func, select, update

from yuqing.channels import label
from yuqing.analysis.event_facts import FactReader, source_label
from yuqing.analysis.event_summary import Member, pick_title, status_of, summarise
from yuqing.analysis.events import DORMANT_AFTER, FOLLOW_UP
from yuqing.config.models import Config
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.events import Event, EventKey, EventMention
from yuqing.storage.models import Mention
from yuqing.timeutil import now

SUMMARY_MEMBERS = 40         # the earliest and the latest members are read for the summary
REFRESH_BATCH = 200


def members_of(s, event_id: int) -> list[Mention]:
    return list(s.scalars(select(Mention).join(EventMention, EventMention.mention_id == Mention.id)
                          .where(EventMention.event_id == event_id)
                          .order_by(Mention.published_at, Mention.id)))


def member_view(reader: FactReader, m: Mention, with_terms: bool = True) -> Member:
    channel = reader.channels.get(m.source_id) or label(m.channel)
    text = (m.content or "")[:2000]
    return Member(m.id, m.when, m.kind, m.title or "", text, m.url,
                  source_label(m, reader.sources.get(m.source_id), channel), channel,
                  reader.terms(f"{m.title}\n{text[:400]}") if with_terms else frozenset())


OFFICIAL_VOICES = ("notice", "response")     # analysis' voice of a mention (issue 13)


def official_sources(config: Config) -> dict[str, str]:
    """Official sources by id, with their names."""
    return {s.id: s.name for s in config.sources if s.authority == "official"}


def _from_official(m: Mention, official) -> bool:
    if m.source_id not in official:
        return False
    # a post on an official account's feed signed by someone else is a citizen's (a repost
    # feed, a comment): only the account itself speaks for the government
    author = (m.author or "").strip()
    return not (m.kind == "post" and author and author not in official[m.source_id])


def is_official(m: Mention, official=()) -> bool:
    """The government's own voice: a notice, campaign, 通报 or reply — by the analysis'
    voice where the store has it, else by an official source (as detection reads it)."""
    voice = getattr(m, "voice", None)
    if voice:
        return voice in OFFICIAL_VOICES
    return _from_official(m, official or {})


def is_response(m: Mention, official=()) -> bool:
    """A 通报 or 回应 on the matter: shown on the event as its response, never as news."""
    voice = getattr(m, "voice", None)
    return voice == "response" if voice else _from_official(m, official or {})


def is_complaint(m: Mention, official=()) -> bool:
    """Negative public opinion: negative (an officer's correction wins) and not the
    government's own voice, however many hazards its words name."""
    negative = m.negative if m.sentiment_corrected is None else m.sentiment_corrected < 0.5
    return bool(negative) and not is_official(m, official)


def refresh_event(s, reader: FactReader, config: Config, e: Event, at: datetime) -> None:
    mentions = members_of(s, e.id)
    if not mentions:
        e.mentions, e.stale = 0, False
        return
    mentions.sort(key=lambda m: (m.when, m.id))
    weights = config.settings.detection.authority_weight
    authority = {src.id: float(weights.get(src.authority, 1.0)) for src in config.sources}
    first = mentions[0]
    e.first_mention_id = first.id
    e.topic_id = main_topic(mentions) or e.topic_id
    e.first_seen_at, e.last_seen_at = first.when, mentions[-1].when
    e.mentions = len(mentions)
    official = official_sources(config)
    complaints = [m for m in mentions if is_complaint(m, official)]
    e.negative = len(complaints)
    e.stories = len({m.story_id or -m.id for m in mentions})
    e.sources = len({m.source_id for m in mentions})
    e.channels = len({reader.channels.get(m.source_id) or label(m.channel) for m in mentions})
    authors = {}
    for m in mentions:
        authors.setdefault(author_key(m), m)
    e.authors = len(authors)
    # weighted negative volume: one per distinct author, by the authority of where they said it
    by_author: dict[str, float] = {}
    for m in complaints:
        key = author_key(m)
        by_author[key] = max(by_author.get(key, 0.0), authority.get(m.source_id, 1.0))
    e.weight = round(sum(by_author.values()), 2)
    profile = dict(e.terms or {})
    read = mentions if len(mentions) <= SUMMARY_MEMBERS else (
        mentions[:SUMMARY_MEMBERS // 2] + mentions[-SUMMARY_MEMBERS // 2:])
    members = [member_view(reader, m) for m in read]
    street = next((p.name for p in config.places if p.id == e.place_id), None)
    e.title = pick_title(members, profile, reader.terms,
                         tuple(x for x in (street, *(e.communities or [])) if x))
    e.summary = summarise(members, profile, reader.terms)
    e.status = status_of([m.when for m in mentions], at)
    e.stale, e.updated_at = False, at


def main_topic(mentions: list[Mention]) -> str | None:
    """The topic most members are on; ties go to the one whose rules matched more words (an
    explosion report that names a hospital is about safety, not medical care)."""
    votes: Counter = Counter()
    words: Counter = Counter()
    for m in mentions:
        for t in m.topics:
            votes[t.topic_id] += 1
            words[t.topic_id] += len(t.matched or [])
    if not votes:
        return None
    return min(votes, key=lambda t: (-votes[t], -words[t], t))


def author_key(m: Mention) -> str:
    """One voice per account; an unsigned item is its own voice (its reprints are not)."""
    author = (m.author or "").strip()
    return f"{m.source_id}:{author}" if author else f"{m.source_id}:#{m.story_id or -m.id}"


@retry_locked
def refresh_events(db: Database, config: Config, reader: FactReader | None = None,
                   at: datetime | None = None) -> int:
    """Refresh every stale event, then put quiet ones to sleep. Returns events refreshed."""
    at = at or now()
    reader = reader or FactReader(config)
    done = 0
    while True:
        with db.session() as s:
            stale = s.scalars(select(Event).where(Event.stale.is_(True), Event.merged_into.is_(None))
                              .order_by(Event.id).limit(REFRESH_BATCH)).all()
            for e in stale:
                refresh_event(s, reader, config, e, at)
            done += len(stale)
        if len(stale) < REFRESH_BATCH:
            break
    with db.session() as s:
        s.execute(update(Event).where(Event.stale.is_(True), Event.merged_into.is_not(None))
                  .values(stale=False))
        sleep(s, at)
    return done


def sleep(s, at: datetime) -> int:
    """Events quiet for DORMANT_AFTER become dormant (平息) and leave the candidate index,
    but for their board follow-up keys (`f:`), which stay FOLLOW_UP longer: a poster who
    comes back a week later about the same matter still finds the event.

    Quiet is measured on the store's own clock (its latest mention, never later than `at`),
    so a back-filled month is grouped as it happened instead of put to sleep as it arrives.
    """
    latest = s.scalar(select(func.max(Event.last_seen_at)).where(Event.dormant.is_(False)))
    if latest is None:
        return 0
    horizon = min(at, latest)
    quiet = list(s.scalars(select(Event.id).where(Event.dormant.is_(False),
                                                  Event.last_seen_at < horizon - DORMANT_AFTER)))
    follow = EventKey.key.between("f:", "f:\uffff")
    for i in range(0, len(quiet), 500):
        part = quiet[i:i + 500]
        s.execute(delete(EventKey).where(EventKey.event_id.in_(part), ~follow))
        s.execute(update(Event).where(Event.id.in_(part)).values(dormant=True, status="平息"))
    old = select(Event.id).where(Event.dormant.is_(True), Event.last_seen_at < horizon - FOLLOW_UP)
    s.execute(delete(EventKey).where(follow, EventKey.event_id.in_(old)))
    return len(quiet)
