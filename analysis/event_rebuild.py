"""Group analysed mentions that have no event yet: a store upgraded from before events, or a
back-fill. Runs in time order in batches, each batch its own transaction, like analysis."""

from __future__ import annotations

from sqlalchemy import select

from yuqing.analysis.event_assign import AssignSummary, assign_events
from yuqing.analysis.event_facts import FactReader
from yuqing.analysis.event_refresh import refresh_events
from yuqing.config.models import Config
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.events import EventMention
from yuqing.storage.models import Mention

BATCH = 500


def group_ungrouped(db: Database, config: Config, reader: FactReader | None = None) -> AssignSummary:
    reader = reader or FactReader(config)
    total = AssignSummary()
    after = (None, 0)
    while True:
        done, after = _batch(db, reader, after, total)
        if done < BATCH:
            break
    refresh_events(db, config, reader)
    return total


@retry_locked
def _batch(db: Database, reader: FactReader, after, total: AssignSummary):
    with db.session() as s:
        q = (select(Mention).outerjoin(EventMention, EventMention.mention_id == Mention.id)
             .where(Mention.analysed_at.is_not(None), EventMention.mention_id.is_(None))
             .order_by(Mention.id).where(Mention.id > after[1]).limit(BATCH))
        mentions = list(s.scalars(q))
        if not mentions:
            return 0, after
        got = assign_events(s, reader, mentions)
    for name in ("assigned", "opened", "merged", "skipped"):
        setattr(total, name, getattr(total, name) + getattr(got, name))
    return len(mentions), (None, mentions[-1].id)
