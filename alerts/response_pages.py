"""A response link a department enters is fetched once and kept as evidence (回应页面存档).

A public response can be edited or taken down later; the archive keeps what the page said
when it was recorded. Each link is fetched once: success or failure is stored with its time,
and a new link (补充回应) is fetched again. Fetching happens outside any transaction, in the
cycle and the escalation job, never while an officer waits for the form.
"""

from __future__ import annotations

from datetime import datetime

import requests
from sqlalchemy import select

from yuqing.config.models import Config
from yuqing.crawlers.extract.article import extract_article
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import Assignment
from yuqing.timeutil import now

MAX_BYTES = 2 * 1024 * 1024
KEPT_CHARS = 4000
TIMEOUT = 15


def _fetch(url: str, user_agent: str) -> str:
    """The page's title and text, or a Chinese line saying why there is none."""
    try:
        with requests.get(url, timeout=TIMEOUT, stream=True, headers={"User-Agent": user_agent}) as reply:
            if reply.status_code >= 400:
                return f"抓取失败：HTTP {reply.status_code}"
            body = reply.raw.read(MAX_BYTES + 1, decode_content=True)
    except requests.RequestException as exc:
        return f"抓取失败：{type(exc).__name__}"
    if len(body) > MAX_BYTES:
        return "抓取失败：页面超过 2 MB"
    article = extract_article(body, url)
    text = f"{article.title}\n{article.content}".strip()
    return text[:KEPT_CHARS] if text else "抓取失败：页面没有可读正文"


def fetch_response_pages(db: Database, config: Config, at: datetime | None = None,
                         limit: int = 20) -> int:
    """Fetch the not yet archived response links (at most `limit` per run). Returns how many."""
    at = at or now()
    with db.session() as s:
        due = s.execute(select(Assignment.id, Assignment.response_url)
                        .where(Assignment.response_url != "", Assignment.response_fetched_at.is_(None),
                               Assignment.response_via != "board")      # a board reply is its own page
                        .order_by(Assignment.id).limit(limit)).all()
    agent = config.settings.crawl.user_agent or "yuqing (+response archive)"
    for row_id, url in due:
        _keep(db, row_id, url, _fetch(url, agent), at)
    return len(due)


@retry_locked
def _keep(db: Database, row_id: int, url: str, snapshot: str, at: datetime) -> None:
    with db.session() as s:
        row = s.get(Assignment, row_id)
        if row is not None and row.response_url == url and row.response_fetched_at is None:
            row.response_snapshot, row.response_fetched_at = snapshot, at
