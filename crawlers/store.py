"""Database side of collection: known URLs, versioned mentions, run records, source health."""

from __future__ import annotations

import functools
import hashlib
import time
from datetime import timedelta
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from yuqing.crawlers.items import MentionItem
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import FetchState, Mention, MentionVersion, Source, SourceRun
from yuqing.timeutil import now


# a message unanswered this long is history (cf. detection.unanswered_max_age): stop asking
WAITING_FOR = timedelta(days=90)


STALE_RUN = timedelta(hours=2)     # longer than the crawl timeout (30 min) allows


def content_hash(title: str, content: str) -> str:
    return hashlib.sha256(f"{title}\n{content}".encode()).hexdigest()


@dataclass
class RunStats:
    items_seen: int = 0
    items_new: int = 0
    items_updated: int = 0
    items_failed: int = 0
    empty_bodies: int = 0
    pages_ok: int = 0                          # list pages and feeds that answered usefully
    pages_fetched: int = 0                     # every response, for progress display
    not_stored: int = 0                        # items the database refused: the run failed
    errors: list[str] = field(default_factory=list)
    on_change: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def fail(self, message: str) -> None:
        self.items_failed += 1
        if len(self.errors) < 50:
            self.errors.append(message)
        self.changed()

    def store_failed(self, url: str, exc: BaseException) -> None:
        self.not_stored += 1
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        self.fail(f"数据库写入失败，未保存：{url}：{type(exc).__name__}: {reason}")

    def changed(self) -> None:
        if self.on_change is not None:
            self.on_change()


class CrawlStore:
    """One per source per run; the spider and its middlewares share it."""

    def __init__(self, db: Database, source_id: str, source_name: str, kind: str,
                 channel: str = ""):
        self.db = db
        self.source_id = source_id
        self.channel = channel
        self.stats = RunStats()
        self.run_id = self._open_run(source_name, kind)

    @retry_locked
    def _open_run(self, name: str, kind: str) -> int:
        with self.db.session() as s:
            src = s.get(Source, self.source_id)
            if src is None:
                s.add(Source(id=self.source_id, name=name, kind=kind))
            else:
                src.name, src.kind = name, kind
            at = now()
            # a crawl killed with its whole process group closed nothing: its run would stay
            # "running" for ever; one older than any crawl may take has died
            for stale in s.scalars(select(SourceRun).where(
                    SourceRun.source_id == self.source_id, SourceRun.status == "running",
                    SourceRun.started_at < at - STALE_RUN)):
                stale.status, stale.finished_at = "failed", at
                stale.errors = ["采集进程被终止，未能记录结果（下次采集时发现）", *(stale.errors or [])]
            run = SourceRun(source_id=self.source_id, started_at=at)
            s.add(run)
            s.flush()
            return run.id

    def known(self, urls: list[str]) -> set[str]:
        """Which of these canonical URLs are stored already: one query per list page or feed."""
        if not urls:
            return set()
        with self.db.session() as s:
            return set(s.scalars(select(Mention.url).where(Mention.url.in_(set(urls)))))

    def unanswered_messages(self) -> list[str]:
        """Board messages still waiting for a reply: these pages change, so fetch them again."""
        with self.db.session() as s:
            return list(s.scalars(select(Mention.url).where(
                Mention.source_id == self.source_id, Mention.kind == "message",
                Mention.reply == "")))

    def has_items(self) -> bool:
        with self.db.session() as s:
            return s.scalar(select(Mention.id).where(Mention.source_id == self.source_id)
                            .limit(1)) is not None

    def recent_outcomes(self, limit: int = 10) -> list[tuple[object, str]]:
        """The last finished runs of this source, newest first: (finished_at, first error)."""
        with self.db.session() as s:
            rows = s.execute(select(SourceRun.finished_at, SourceRun.errors).where(
                SourceRun.source_id == self.source_id, SourceRun.status != "running",
                SourceRun.id != self.run_id).order_by(SourceRun.id.desc()).limit(limit)).all()
        return [(finished, (errors or [""])[0]) for finished, errors in rows]

    def waiting_messages(self) -> dict[int, int]:
        """人民网领导留言板 messages stored without a final answer: tid -> board fid."""
        with self.db.session() as s:
            rows = s.execute(select(Mention.external_id, Mention.details).where(
                Mention.source_id == self.source_id, Mention.kind == "message",
                Mention.status != "已办理", Mention.external_id != "",
                Mention.published_at >= now() - WAITING_FOR)).all()
        return {int(tid): int((details or {}).get("fid") or 0) for tid, details in rows
                if tid.isdigit()}

    def save(self, item: MentionItem) -> str:
        """Store once per canonical URL; a changed text becomes a new version. Returns the outcome."""
        item.channel = item.channel or self.channel
        outcome = self._write(item, content_hash(item.title, item.content))
        self.stats.items_seen += 1
        if not item.content.strip():
            self.stats.empty_bodies += 1
        if outcome == "new":
            self.stats.items_new += 1
        elif outcome == "updated":
            self.stats.items_updated += 1
        self.stats.changed()
        return outcome

    @retry_locked
    def _write(self, item: MentionItem, digest: str) -> str:
        with self.db.session() as s:
            # most items are new: one INSERT that does nothing when the URL is stored (also when
            # another worker stored it a moment ago) instead of a SELECT, the ORM's unit of work
            # and an INSERT — a round trip and ~1 ms of CPU less per new item (issue 18)
            insert = _insert_new(s.get_bind().dialect.name)
            if insert is not None:
                row = s.execute(insert.values(content_hash=digest, **_columns(item))).first()
                if row is not None:
                    return "new"
            mention = s.scalar(select(Mention).where(Mention.url == item.url))
            if mention is None:
                s.add(Mention(content_hash=digest, **_columns(item)))
                return "new"
            if not item.content.strip() and mention.content.strip():
                return "unchanged"             # a page that broke must not erase the text we have
            # a reply arriving (or being edited) and a status moving on (办理中 → 已办理) are news
            # about the message even when its own text did not change
            handled_now = (item.reply and item.reply != mention.reply) \
                or (item.status and item.status != mention.status) \
                or (item.details and item.details != (mention.details or {}))
            if mention.content_hash == digest and not handled_now:
                return "unchanged"
            if mention.content_hash != digest:
                s.add(MentionVersion(mention_id=mention.id, version=mention.version,
                                     title=mention.title, content=mention.content,
                                     content_hash=mention.content_hash,
                                     fetched_at=mention.fetched_at))
                mention.version += 1
                mention.analysed_at = None       # re-analyse the new text
            for key, value in _columns(item).items():
                if key != "published_at" or value is not None:
                    setattr(mention, key, value)
            mention.content_hash = digest
            return "updated"

    def validators(self, url: str) -> FetchState | None:
        with self.db.session() as s:
            return s.get(FetchState, url)

    @retry_locked
    def remember_validators(self, url: str, etag: str, last_modified: str) -> None:
        with self.db.session() as s:
            state = s.get(FetchState, url) or FetchState(url=url)
            state.etag, state.last_modified, state.fetched_at = etag, last_modified, now()
            s.merge(state)

    def close(self, fatal: str = "", patience: float = 30.0) -> SourceRun:
        """Record the run. The database may be briefly unwritable (failover, read-only,
        full): keep trying for `patience` seconds, or the run would stay "running"."""
        if fatal:
            self.stats.errors.insert(0, fatal)
        deadline, pause = time.monotonic() + patience, 0.5
        while True:
            try:
                return self._close(bool(fatal))
            except DBAPIError:
                if time.monotonic() + pause > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 5.0)

    @retry_locked
    def _close(self, fatal: bool) -> SourceRun:
        stats = self.stats
        # Nothing collected and something went wrong (no list answered, or every link failed,
        # or a changed layout left no links): a failure, so that it counts toward the alarm.
        # An article the database refused is lost unless the next run fetches it again: the
        # run failed, whatever else went well.
        failed = bool(fatal) or stats.not_stored > 0 or (
            stats.items_seen == 0 and (stats.pages_ok == 0 or stats.items_failed > 0))
        status = "failed" if failed else ("partial" if stats.items_failed else "ok")
        with self.db.session() as s:
            run = s.get(SourceRun, self.run_id)
            run.finished_at, run.status = now(), status
            run.items_seen, run.items_new = stats.items_seen, stats.items_new
            run.items_updated, run.items_failed = stats.items_updated, stats.items_failed
            run.empty_bodies, run.errors = stats.empty_bodies, stats.errors
            src = s.get(Source, self.source_id)
            src.last_run_at = run.finished_at
            if status == "failed":
                src.consecutive_failures += 1
                src.last_error = stats.errors[0] if stats.errors else "没有取得任何页面"
            else:
                src.consecutive_failures = 0
                src.last_success_at = run.finished_at
                src.last_error = ""
            s.flush()
            s.expunge(run)
            return run


@functools.lru_cache(maxsize=None)
def _insert_new(dialect: str):
    """INSERT … ON CONFLICT (url) DO NOTHING for the dialects that have it, else None."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        return None
    # RETURNING: the new row's id when inserted, no row when the URL was stored
    return insert(Mention).on_conflict_do_nothing(index_elements=[Mention.url]).returning(Mention.id)


def _columns(item: MentionItem) -> dict:
    return {
        "source_id": item.source_id, "url": item.url, "kind": item.kind, "title": item.title,
        "content": item.content, "author": item.author, "origin": item.origin,
        "published_at": item.published_at, "fetched_at": item.fetched_at,
        "encoding": item.encoding, "attachments": item.attachments, "reply": item.reply,
        "reply_at": item.reply_at, "reply_department": item.reply_department,
        "channel": item.channel, "external_id": item.external_id, "status": item.status,
        "details": item.details,
    }



@retry_locked
def abandon_runs(db: Database, run_ids: list[int], reason: str) -> None:
    """Close runs whose crawl process was killed: failed, and counted toward the alarm."""
    with db.session() as s:
        for run_id in run_ids:
            run = s.get(SourceRun, run_id)
            if run is None or run.status != "running":
                continue
            run.finished_at, run.status = now(), "failed"
            run.errors = [reason, *(run.errors or [])]
            src = s.get(Source, run.source_id)
            src.last_run_at = run.finished_at
            src.consecutive_failures += 1
            src.last_error = reason
