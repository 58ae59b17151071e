"""Events do not depend on how mentions arrive: the same mentions analysed in one batch, in
many small ones, or arriving in another order (a source crawled late, a scheduler killed and
restarted) end in the same events. Real stores, the real analysis stage (sentiment model,
topics, places, stories, events) on the sample sites' month of items."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from yuqing.analysis.stage import Analyser, analyse_pending
from yuqing.config import load_config
from yuqing.storage.db import Database
from yuqing.storage.events import Event, EventMention
from yuqing.storage.models import Mention
from yuqing.timeutil import SHANGHAI

from ..conftest import POSTGRES, _postgres_database

NOW = datetime(2024, 12, 2, 18, 0, tzinfo=SHANGHAI)
SITES = {"portal": "sample-portal", "news": "sample-news", "weibo": "sample-weibo",
         "board": "sample-board"}


@pytest.fixture(scope="module")
def items():
    from yuqing.sample_sites import default_urls
    from yuqing.sample_sites.corpus import build

    return build(NOW).absolute(default_urls())


@pytest.fixture(scope="module")
def config():
    return load_config("demo")


@pytest.fixture(scope="module")
def analyser(config):
    return Analyser(config)


@pytest.fixture(params=["sqlite"] + (["postgres"] if POSTGRES else []))
def stores(request, tmp_path):
    """A factory of fresh, migrated stores on the backend under test."""
    made, drops = [], []

    def make() -> Database:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / f'run{len(made)}.db'}"
        else:
            url, drop = _postgres_database()
            drops.append(drop)
        db = Database(url)
        db.migrate()
        made.append(db)
        return db

    yield make
    for db in made:
        db.dispose()
    for drop in drops:
        drop()


def add(db: Database, chunk) -> None:
    with db.session() as s:
        for item in chunk:
            s.add(Mention(source_id=SITES[item.site], url=item.url, kind=item.kind, title=item.title,
                          content=item.text, author=item.author, origin=item.source,
                          published_at=item.published_at, fetched_at=item.published_at))


def grouping(db: Database) -> set[frozenset[str]]:
    """The events as sets of URLs (ids differ between stores; the partition must not)."""
    with db.session() as s:
        rows = s.execute(select(Mention.url, EventMention.event_id)
                         .join(EventMention, EventMention.mention_id == Mention.id)).all()
        merged = s.scalar(select(Event.id).join(EventMention, EventMention.event_id == Event.id)
                          .where(Event.merged_into.is_not(None)).limit(1))
    assert merged is None, "a mention is left in an event that was merged away"
    events: dict[int, set[str]] = {}
    for url, event_id in rows:
        events.setdefault(event_id, set()).add(url)
    return {frozenset(urls) for urls in events.values()}


def run(stores, config, analyser, chunks, batch: int) -> set[frozenset[str]]:
    db = stores()
    for chunk in chunks:
        add(db, chunk)
        analyse_pending(db, config, analyser, batch=batch)
    with db.session() as s:
        assert s.scalar(select(Mention.id).where(Mention.analysed_at.is_(None)).limit(1)) is None
    return grouping(db)


def test_any_split_or_arrival_order_gives_the_same_events(stores, config, analyser, items, monkeypatch):
    monkeypatch.setenv("YUQING_NOW", NOW.isoformat())
    reference = run(stores, config, analyser, [items], batch=10_000)
    assert len(reference) > 20 and any(len(e) >= 10 for e in reference)   # real events, not all singles
    rng = random.Random(20261203)
    splits = {
        # analysed as they were published, in small batches
        "time order, batches of 7": ([sorted(items, key=lambda i: (i.published_at, i.url))], 7),
        # one source arrives a day late: its mentions are older than many already grouped
        "board last": ([[i for i in items if i.site != "board"], [i for i in items if i.site == "board"]], 40),
    }
    for name, (chunks, batch) in splits.items():
        got = run(stores, config, analyser, chunks, batch)
        only_ref = sorted(sorted(e)[:3] for e in reference - got)
        only_got = sorted(sorted(e)[:3] for e in got - reference)
        assert got == reference, f"{name}: events differ\n  one batch: {only_ref}\n  {name}: {only_got}"


def test_random_arrival_of_sources_gives_the_same_events(stores, config, analyser, items, monkeypatch):
    """The last twelve days (reprints are matched within STORY_WINDOW of the run, so older
    items arriving in later runs can form other stories: a story-stage limit, not events')."""
    monkeypatch.setenv("YUQING_NOW", NOW.isoformat())
    items = [i for i in items if i.published_at > NOW - timedelta(days=12)]
    reference = run(stores, config, analyser, [items], batch=10_000)
    assert len(reference) > 10 and any(len(e) >= 10 for e in reference)
    rng = random.Random(20261203)
    splits = {}
    for n in range(3):
        # random arrival: each source delivers its items oldest first (as a crawl reads a
        # list), but the sources interleave at random, in random chunks, analysed in random
        # batch sizes — what restarts and sources polled at other intervals give
        streams = {site: sorted((i for i in items if i.site == site), key=lambda i: (i.published_at, i.url))
                   for site in SITES}
        chunks = []
        while any(streams.values()):
            site = rng.choice([k for k, v in streams.items() if v])
            take = rng.randint(1, 60)
            chunks.append(streams[site][:take])
            streams[site] = streams[site][take:]
        splits[f"random arrival {n}"] = (chunks, rng.choice([5, 13, 50]))
    for name, (chunks, batch) in splits.items():
        got = run(stores, config, analyser, chunks, batch)
        only_ref = sorted(sorted(e)[:3] for e in reference - got)
        only_got = sorted(sorted(e)[:3] for e in got - reference)
        assert got == reference, f"{name}: events differ\n  one batch: {only_ref}\n  {name}: {only_got}"
