"""The government's own voice on a warned matter: a 通报 or 回应 is a response, not news.

An official item (see series.official) never opens a warning. When it answers for the
matter (voice `response`, or any item of an official source where the voice is unknown) of
a warning still open — the same street and the same topic, or, for an incident warning,
the same street and an incident word — it is recorded on that warning's timeline as
官方通报, once, with its link, for the duty office and the departments to see.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import product

from sqlalchemy import and_, func, select, text

from yuqing.alerts.outbox import record
from yuqing.alerts.rules import TEXT_SCANNED
from yuqing.alerts.series import in_range_parts, official, official_sources, response_voice
from yuqing.config.models import Config
from yuqing.storage.alerting import RESPONSE_SQL, UNVOICED_SQL
from yuqing.storage.db import Database
from yuqing.storage.models import Mention, MentionTopic, Warning, WarningEvent

ACTION = "官方通报"
RECENT = timedelta(days=7)          # warnings opened this long ago can still get their 通报


def _answers(config: Config) -> list:
    """Items that answer for a matter: classified as a response where the store knows the
    voice (a campaign notice is no answer), else anything from an official source. Two
    conditions, queried apart, each matching a partial index (storage/alerting.py)."""
    if response_voice() is None:
        return [official(config)]
    ids = official_sources(config)
    return [text(RESPONSE_SQL)] + ([and_(text(UNVOICED_SQL), Mention.source_id.in_(ids))] if ids else [])


def official_responses(db: Database, config: Config, at: datetime) -> int:
    det = config.settings.detection
    lo = at - det.window
    with db.session() as s:
        # the columns, not the ORM objects: a week's warnings can be hundreds, and an answer
        # is recorded by the warning's id alone
        warnings = s.connection().execute(
            select(Warning.id, Warning.kind, Warning.place_id, Warning.topic_id, Warning.opened_at)
            .where(Warning.status != "closed", Warning.opened_at > at - RECENT, Warning.opened_at <= at)).all()
        if not warnings:
            return 0
        # only items that can match a warning: its place and topic, its place and an incident
        # word in the title (incident warnings), or its topic (district-wide warnings). The
        # responses of the window are few: read them with their topics (one indexed range,
        # no subquery per warning, which PostgreSQL ran as a scan per row) and pick here.
        topics_at: dict[str, set[str]] = {}
        incident_places: set[str] = set()
        for w in warnings:
            if w.place_id and w.topic_id:
                topics_at.setdefault(w.place_id, set()).add(w.topic_id)
            if w.place_id and w.kind == "critical":
                incident_places.add(w.place_id)
        district_topics = {w.topic_id for w in warnings if w.place_id is None and w.topic_id}
        places = set(topics_at) | incident_places
        if not places and not district_topics:
            return 0
        where = [Mention.analysed_at.is_not(None)]
        if not district_topics:
            where.append(Mention.place_id.in_(places))
        found: dict[int, tuple] = {}
        topics: dict[int, set[str]] = {}
        # the window's two halves apart (dated items, undated ones by fetch time): as one OR,
        # PostgreSQL filtered every response ever stored instead of reading the range from
        # the partial index — a cost that grew with the store (11k rows at 1M mentions)
        for answers, span in product(_answers(config), in_range_parts(lo, at)):
            for mid, title, place, topic in s.execute(
                    select(Mention.id, Mention.title, Mention.place_id, MentionTopic.topic_id)
                    .outerjoin(MentionTopic, MentionTopic.mention_id == Mention.id).where(answers, span, *where)):
                found[mid] = (title or "", place)
                if topic is not None:
                    topics.setdefault(mid, set()).add(topic)
        keep = [mid for mid, (title, place) in found.items()
                if topics.get(mid, set()) & (topics_at.get(place, set()) | district_topics)
                or (place in incident_places and any(word in title for word in det.critical_words))]
        if not keep:
            return 0
        head = func.substr(Mention.content, 1, TEXT_SCANNED)
        items = []
        for k in range(0, len(keep), 500):
            items += s.execute(select(Mention.id, Mention.title, head, Mention.url, Mention.place_id,
                                      Mention.published_at)
                               .where(Mention.id.in_(keep[k:k + 500]))).all()
        items.sort(key=lambda row: row[0])
        # the warnings an item can answer, by (place, topic) and incident place: each item
        # looks up its own few instead of walking every open warning of its place
        order = {w.id: i for i, w in enumerate(warnings)}
        by_topic: dict[tuple, list[Warning]] = {}
        incidents: dict[str, list[Warning]] = {}
        for w in warnings:
            if w.topic_id is not None:
                by_topic.setdefault((w.place_id, w.topic_id), []).append(w)
            if w.place_id is not None and w.kind == "critical":
                incidents.setdefault(w.place_id, []).append(w)
        done = {(wid, detail.split("#m", 1)[-1].split(" ", 1)[0]) for wid, detail in s.execute(
            select(WarningEvent.warning_id, WarningEvent.detail).where(
                WarningEvent.action == ACTION, WarningEvent.warning_id.in_([w.id for w in warnings])))}
        window = det.window
        count = 0
        for mid, title, content, url, place, published in items:
            said = f"{title}\n{content or ''}"
            mine = topics.get(mid, set())
            # same place and topic (or an incident word, for an incident warning), or a
            # district-wide warning on its topic
            candidates = {w.id: w for t in mine for w in by_topic.get((None, t), [])}
            if place is not None:
                candidates.update((w.id, w) for t in mine for w in by_topic.get((place, t), []))
                if any(word in said for word in det.critical_words):
                    candidates.update((w.id, w) for w in incidents.get(place, []))
            for w in sorted(candidates.values(), key=lambda w: order[w.id]):
                if published is not None and published < w.opened_at - window:
                    continue        # older than the matter: background, not a response
                if (w.id, str(mid)) in done:
                    continue
                record(s, w, "系统", ACTION, f"#m{mid} {title[:80]} {url}", at)
                done.add((w.id, str(mid)))
                count += 1
    return count
