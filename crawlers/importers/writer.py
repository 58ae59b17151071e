"""Store imported records: one transaction per file, idempotent by (source, id on the channel).

Importing the same file twice changes nothing; a row whose text, status or reply changed
updates its mention (the old text kept as a version) and is analysed again. Personal data is
masked before anything is stored (`clean`), and addresses are matched to a street and
community (`place_of`); both are passed in by the command, which owns the analysis layer.
"""

from __future__ import annotations

from typing import Callable

from sqlalchemy import select

from yuqing.crawlers.importers.model import ImportRecord, ImportReport
from yuqing.crawlers.store import content_hash
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import Mention, MentionVersion, Source, SourceRun
from yuqing.timeutil import now

PlaceOf = Callable[[str], tuple[str | None, str, str]]   # address -> (place id, 街道, 社区)


def _identity(text: str) -> str:
    return text


class ImportWriter:
    def __init__(self, db: Database, source_id: str, source_name: str,
                 clean: Callable[[str], str] = _identity, place_of: PlaceOf | None = None):
        self.db = db
        self.source_id = source_id
        self.source_name = source_name
        self.clean = clean
        self.place_of = place_of

    def write(self, records: list[ImportRecord], report: ImportReport) -> ImportReport:
        counts = self._write(records)
        report.new += counts["new"]
        report.updated += counts["updated"]
        report.unchanged += counts["unchanged"]
        return report

    @retry_locked
    def _write(self, records: list[ImportRecord]) -> dict[str, int]:
        counts = {"new": 0, "updated": 0, "unchanged": 0}
        at = now()
        # the same item in several files (a day's JSON and CSV, or two days' files): the last
        # read, the newest, is the one kept
        records = list({r.external_id: r for r in records}.values())
        with self.db.session() as s:
            source = s.get(Source, self.source_id)
            if source is None:
                s.add(Source(id=self.source_id, name=self.source_name, kind="import"))
            known = {m.external_id: m for m in s.scalars(select(Mention).where(
                Mention.source_id == self.source_id,
                Mention.external_id.in_([r.external_id for r in records] or [""])))}
            # posts before their comments, so that a comment finds its post in this file
            for record in sorted(records, key=lambda r: bool(r.parent_external_id)):
                values = self._values(record, at)
                mention = known.get(record.external_id)
                if mention is None:
                    mention = s.scalar(select(Mention).where(Mention.url == values["url"]))
                if mention is None:
                    mention = Mention(**values, content_hash=content_hash(values["title"],
                                                                          values["content"]))
                    s.add(mention)
                    known[record.external_id] = mention
                    counts["new"] += 1
                    continue
                counts[_update(s, mention, values)] += 1
            s.flush()
            _link_comments(s, self.source_id)
            run = SourceRun(source_id=self.source_id, started_at=at, finished_at=now(),
                            status="ok", items_seen=len(records), items_new=counts["new"],
                            items_updated=counts["updated"])
            s.add(run)
            row = s.get(Source, self.source_id)
            if row is not None:
                row.last_run_at = row.last_success_at = run.finished_at
                row.consecutive_failures, row.last_error = 0, ""
        return counts

    def _values(self, r: ImportRecord, at) -> dict:
        details = dict(r.details)
        place_id = None
        if r.address:
            details["诉求地址"] = self.clean(r.address)
            if self.place_of is not None:
                place_id, street, community = self.place_of(r.address)
                if street:
                    details["街道"] = street
                if community:
                    details["社区"] = community
        if r.parent_external_id:
            details["parent_external_id"] = r.parent_external_id
        return {
            "source_id": self.source_id, "url": r.url, "kind": r.kind,
            "title": self.clean(r.title), "content": self.clean(r.content),
            "author": self.clean(r.author), "published_at": r.published_at, "fetched_at": at,
            "reply": self.clean(r.reply), "reply_at": r.reply_at,
            "reply_department": r.reply_department, "channel": r.channel,
            "external_id": r.external_id, "status": r.status, "details": details,
            "place_id": place_id,
        }


COMPARED = ("url", "kind", "title", "content", "author", "published_at", "reply", "reply_at",
            "reply_department", "channel", "status", "details")


def _update(s, mention: Mention, values: dict) -> str:
    if all(getattr(mention, key) == values[key] for key in COMPARED):
        return "unchanged"
    digest = content_hash(values["title"], values["content"])
    if digest != mention.content_hash:
        s.add(MentionVersion(mention_id=mention.id, version=mention.version, title=mention.title,
                             content=mention.content, content_hash=mention.content_hash,
                             fetched_at=mention.fetched_at))
        mention.version += 1
        mention.content_hash = digest
    for key in COMPARED + ("fetched_at",):
        setattr(mention, key, values[key])
    mention.analysed_at = None                 # re-analyse: status and reply matter to detection
    return "updated"


def _link_comments(s, source_id: str) -> None:
    """Comments whose post is stored (now or by an earlier import) point at it."""
    orphans = s.scalars(select(Mention).where(Mention.source_id == source_id,
                                              Mention.kind == "comment",
                                              Mention.parent_id.is_(None))).all()
    wanted = {m.details.get("parent_external_id") for m in orphans} - {None, ""}
    if not wanted:
        return
    posts = dict(s.execute(select(Mention.external_id, Mention.id).where(
        Mention.source_id == source_id, Mention.external_id.in_(wanted))).all())
    for comment in orphans:
        parent = posts.get(comment.details.get("parent_external_id"))
        if parent is not None:
            comment.parent_id = parent
