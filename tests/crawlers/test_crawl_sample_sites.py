"""Collection end to end: the bundled sample sites crawled by the real spiders in a child process."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from yuqing.crawlers.runner import crawl_in_subprocess
from yuqing.storage.models import Mention, Source, SourceRun

from edgesites import FAST       # the sample sites are ours: no delay needed


def test_crawl_collects_every_item_once_and_again_adds_nothing(db, demo_config, sample_sites):
    first = crawl_in_subprocess(demo_config.directory, db.url, crawl=FAST)
    assert {s.source_id: s.status for s in first} == {
        "sample-portal": "ok", "sample-news": "ok", "sample-weibo": "ok", "sample-board": "ok",
        "sample-liuyan": "ok"}
    served = Counter(item.site for item in sample_sites.items())
    # 人民网领导留言板: the district boards' messages and the city board's about 芝罘区
    served["liuyan"] = sum(1 for m in sample_sites.liuyan.messages if "芝罘" in m.subject
                           or m.fid != 1096)
    with db.session() as s:
        stored = Counter(dict(s.execute(select(Mention.source_id, func.count(Mention.id))
                                        .group_by(Mention.source_id)).all()))
    assert stored == {f"sample-{site}": n for site, n in served.items()}

    # a second crawl in a row from the same (parent) process: nothing new, nothing doubled
    second = crawl_in_subprocess(demo_config.directory, db.url, crawl=FAST)
    assert sum(s.items_new for s in second) == 0
    with db.session() as s:
        assert s.scalar(select(func.count(Mention.id))) == sum(served.values())
        assert s.scalar(select(func.count(SourceRun.id))) == 10
        assert all(src.consecutive_failures == 0 for src in s.scalars(select(Source)))


def test_crawled_fields_match_what_the_sites_published(db, demo_config, sample_sites):
    crawl_in_subprocess(demo_config.directory, db.url, crawl=FAST)
    items = {item.url: item for item in sample_sites.items()}
    with db.session() as s:
        mentions = s.scalars(select(Mention)).all()
    by_url = {m.url: m for m in mentions}
    checked = Counter()
    for url, item in items.items():
        m = by_url.get(url)
        assert m is not None, f"not collected: {url}"
        if item.site in ("portal", "news", "board"):
            assert m.title == item.title, url
        assert m.published_at is not None and abs((m.published_at - item.published_at).total_seconds()) < 60, url
        if item.site == "news":
            assert m.encoding in ("gb18030", "gbk"), url       # GBK bytes, decided from the bytes
        if item.site == "weibo":       # the poster and the post's opening, on every path
            assert m.author == item.author and "的微博" not in m.title, url
            assert m.title.rstrip("…") in item.text, url
        if item.site == "board":
            assert bool(m.reply) == bool(item.reply), url
            if item.reply:
                assert m.reply_department == item.reply.department
        first_line = item.text.split("\n")[0][:20]
        assert first_line in m.content, url
        checked[item.site] += 1
    assert set(checked) == {"portal", "news", "weibo", "board"}
