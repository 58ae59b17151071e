"""Factories for analysed mentions: detection and delivery tests start from stored analysis."""

from __future__ import annotations

import itertools
from datetime import datetime

from yuqing.storage.db import Database
from yuqing.storage.models import Mention, MentionTopic, Story

_ids = itertools.count(1)


def add_mention(db: Database, *, when: datetime, topic: str | None = "heating",
                place: str | None = "zhichu", negative: bool = True, source: str = "board",
                title: str | None = None, content: str = "", kind: str = "post",
                reply: str = "", story: bool = True, author: str = "", origin: str = "") -> int:
    n = next(_ids)
    with db.session() as s:
        m = Mention(source_id=source, url=f"http://sample.test/{source}/{n}.html", kind=kind,
                    title=title or f"居民反映暖气不热（{n}）", content=content or "室温只有十五度，供热公司没人管",
                    published_at=when, fetched_at=when, analysed_at=when,
                    sentiment=0.1 if negative else 0.9, negative=negative, place_id=place, reply=reply,
                    author=author, origin=origin)
        if topic:
            m.topics = [MentionTopic(topic_id=topic, matched=["暖气", "不热"])]
        s.add(m)
        s.flush()
        if story:
            st = Story(title=m.title, origin_mention_id=m.id, first_seen_at=when, copies=1)
            s.add(st)
            s.flush()
            m.story_id = st.id
        return m.id
