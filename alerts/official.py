"""The government's own voice on a warned matter: a 通报 or 回应 is a response, not news.

An official item (see series.official) never opens a warning. When it answers for the
matter (voice `response`, or any item of an official source where the voice is unknown) of
a warning still open — the same street and the same topic, or, for an incident warning,
the same street and an incident word — it is recorded on that warning's timeline as
官方通报, once, with its link, for the duty office and the departments to see.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from yuqing.alerts.outbox import record
from sqlalchemy import and_, or_

from yuqing.alerts.rules import TEXT_SCANNED
from yuqing.alerts.series import in_range, official, official_sources, response_voice
from yuqing.config.models import Config
from yuqing.storage.db import Database
from yuqing.storage.models import Mention, MentionTopic, Warning, WarningEvent

ACTION = "官方通报"
RECENT = timedelta(days=7)          # warnings opened this long ago can still get their 通报


def _answers(config: Config):
    """Items that answer for a matter: classified as a response where the store knows the
    voice (a campaign notice is no answer), else anything from an official source."""
    voice = response_voice()
    if voice is None:
        return official(config)
    ids = official_sources(config)
    unknown = Mention.voice.is_(None)
    return or_(voice, and_(unknown, Mention.source_id.in_(ids))) if ids else voice


def official_responses(db: Database, config: Config, at: datetime) -> int:
    det = config.settings.detection
    lo = at - det.window
    with db.session() as s:
        warnings = s.scalars(select(Warning).where(Warning.status != "closed",
                                                   Warning.opened_at > at - RECENT,
                                                   Warning.opened_at <= at)).all()
        if not warnings:
            return 0
        # only items that can match a warning: its place and topic, its place and an incident
        # word in the title (incident warnings), or its topic (district-wide warnings)
        about = []
        for place in {w.place_id for w in warnings if w.place_id}:
            here = [w for w in warnings if w.place_id == place]
            topics_here = {w.topic_id for w in here if w.topic_id}
            terms = []
            if topics_here:
                terms.append(Mention.id.in_(select(MentionTopic.mention_id)
                                            .where(MentionTopic.topic_id.in_(topics_here))))
            if any(w.kind == "critical" for w in here):
                terms += [Mention.title.contains(word, autoescape=True) for word in det.critical_words]
            if terms:
                about.append(and_(Mention.place_id == place, or_(*terms)))
        district_topics = {w.topic_id for w in warnings if w.place_id is None and w.topic_id}
        if district_topics:
            about.append(Mention.id.in_(select(MentionTopic.mention_id)
                                        .where(MentionTopic.topic_id.in_(district_topics))))
        if not about:
            return 0
        head = func.substr(Mention.content, 1, TEXT_SCANNED)
        items = s.execute(select(Mention.id, Mention.title, head, Mention.url,
                                 Mention.place_id, Mention.published_at)
                          .where(_answers(config), Mention.analysed_at.is_not(None),
                                 in_range(lo, at), or_(*about))).all()
        if not items:
            return 0
        topics: dict[int, set[str]] = {}
        ids = [i[0] for i in items]
        for k in range(0, len(ids), 500):
            for mid, topic in s.execute(select(MentionTopic.mention_id, MentionTopic.topic_id)
                                        .where(MentionTopic.mention_id.in_(ids[k:k + 500]))):
                topics.setdefault(mid, set()).add(topic)
        by_place: dict[str | None, list[Warning]] = {}
        for w in warnings:
            by_place.setdefault(w.place_id, []).append(w)
        done = {(e.warning_id, e.detail.split("#m", 1)[-1].split(" ", 1)[0]) for e in s.scalars(
            select(WarningEvent).where(WarningEvent.action == ACTION,
                                       WarningEvent.warning_id.in_([w.id for w in warnings])))}
        count = 0
        for mid, title, content, url, place, published in items:
            text = f"{title}\n{content or ''}"
            incident = any(w in text for w in det.critical_words)
            for w in by_place.get(place, []) + (by_place.get(None, []) if place else []):
                if published is not None and published < w.opened_at - det.window:
                    continue        # older than the matter: background, not a response
                same_place = w.place_id is not None and w.place_id == place
                same_topic = w.topic_id is not None and w.topic_id in topics.get(mid, set())
                if not ((same_place and (same_topic or (w.kind == "critical" and incident)))
                        or (w.place_id is None and same_topic)):
                    continue
                if (w.id, str(mid)) in done:
                    continue
                record(s, w, "系统", ACTION, f"#m{mid} {title[:80]} {url}", at)
                done.add((w.id, str(mid)))
                count += 1
    return count
