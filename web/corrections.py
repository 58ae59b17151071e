"""Officers' sentiment corrections (情感纠正), and their export as training data.

The export is what `yuqing sentiment` trains on: TSV with a header `label<TAB>text`,
1 = positive / not negative, 0 = negative; the latest correction of each mention wins.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from yuqing.analysis.privacy import mask
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import Assignment, Mention, WarningEvidence
from yuqing.storage.web import SentimentCorrection

_SPACE = re.compile(r"\s+")


class NotYours(PermissionError):
    """A department correcting a mention that is none of its business."""


def _concerns(s, config, mention: Mention, department_id: str) -> bool:
    """The mention is about the department's place or topics, or evidence of a warning the
    department holds: what it may judge. The duty office judges everything."""
    if mention.place_id and any(p.id == mention.place_id and p.handler == department_id
                                for p in config.places):
        return True
    owned = {t.id for t in config.topics if department_id in (t.owner, *t.co_owners)}
    if owned & {t.topic_id for t in mention.topics}:
        return True
    return s.scalar(select(func.count()).select_from(WarningEvidence)
                    .join(Assignment, Assignment.warning_id == WarningEvidence.warning_id)
                    .where(WarningEvidence.mention_id == mention.id,
                           Assignment.department_id == department_id,
                           Assignment.active.is_(True))) > 0


@retry_locked
def correct(db: Database, mention_id: int, label: int, username: str,
            department_id: str | None, config=None) -> bool:
    """Store one correction; False when the mention does not exist, NotYours when a
    department (`department_id`, None for the duty office) may not judge it."""
    if label not in (0, 1):
        raise ValueError("label must be 0 (negative) or 1 (not negative)")
    with db.session() as s:
        mention = s.get(Mention, mention_id)
        if mention is None:
            return False
        if department_id and config is not None and not _concerns(s, config, mention, department_id):
            raise NotYours(mention_id)
        s.add(SentimentCorrection(mention_id=mention_id, label=label, username=username,
                                  department_id=department_id))
        mention.sentiment_corrected = float(label)
        return True


def training_text(mention: Mention) -> str:
    text = f"{mention.title}。{mention.content}" if mention.content else mention.title
    return mask(_SPACE.sub(" ", text).strip())


def export_tsv(db: Database) -> tuple[str, int]:
    """The corrections as training TSV, and how many rows it holds."""
    latest = (select(SentimentCorrection.mention_id, func.max(SentimentCorrection.id).label("last"))
              .group_by(SentimentCorrection.mention_id).subquery())
    lines = ["label\ttext"]
    with db.session() as s:
        rows = s.execute(select(SentimentCorrection.label, Mention)
                         .join(latest, latest.c.last == SentimentCorrection.id)
                         .join(Mention, Mention.id == SentimentCorrection.mention_id)
                         .order_by(SentimentCorrection.id)).all()
        for label, mention in rows:
            text = training_text(mention)
            if text:
                lines.append(f"{label}\t{text}")
    return "\n".join(lines) + "\n", len(lines) - 1
