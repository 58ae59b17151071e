"""Source health for the duty digest: failing, suddenly empty, and unusually quiet sources."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from yuqing.crawlers.health import source_problems
from yuqing.crawlers.items import MentionItem
from yuqing.crawlers.store import CrawlStore
from yuqing.storage.models import SourceRun

T0 = datetime(2026, 11, 1, 0, 0, tzinfo=timezone.utc)


def run(db, source_id: str, *, new: int = 0, empty: int = 0, fail: str = "",
        at: datetime | None = None) -> None:
    """One recorded run of a source with `new` items (`empty` of them without text)."""
    store = CrawlStore(db, source_id, "x", "site")
    store.stats.pages_ok = 0 if fail else 1
    if fail:
        store.stats.fail(fail)
    for i in range(new):
        url = f"http://{source_id}.test/{store.run_id}/{i}"
        store.save(MentionItem(source_id=source_id, url=url, kind="article", title=f"标题{i}",
                               content="" if i < empty else "正文内容，供测试使用。",
                               published_at=None, fetched_at=T0))
    store.close()
    if at is not None:
        with db.session() as s:
            s.get(SourceRun, store.run_id).finished_at = at


def problems(db, config, at=None) -> dict[str, str]:
    return {p.source_id: p.problem for p in source_problems(db, config, at=at)}


@pytest.fixture
def config(default_config):
    return default_config


@pytest.fixture
def sid(config) -> str:
    return next(s.id for s in config.sources if s.enabled)


@pytest.mark.parametrize("failures, reported", [(1, False), (2, True), (3, True)])
def test_failing_source_reported_from_two_failed_runs_in_a_row(db, config, sid, failures, reported):
    run(db, sid, new=2)
    for _ in range(failures):
        run(db, sid, fail="列表页/订阅源获取失败：http://x/：HTTP 503")
    found = problems(db, config)
    assert (sid in found) == reported
    if reported:
        assert found[sid].startswith(f"连续 {failures} 次采集失败，上次成功采集在 ")
        assert found[sid].endswith("最近的错误：列表页/订阅源获取失败：http://x/：HTTP 503")


def test_never_succeeded_source_says_so(db, config, sid):
    run(db, sid, fail="拒绝访问内网或本机地址（信息源未设置 allow_private）：http://10.0.0.1/")
    run(db, sid, fail="拒绝访问内网或本机地址（信息源未设置 allow_private）：http://10.0.0.1/")
    assert "连续 2 次采集失败，尚未成功采集过。" in problems(db, config)[sid]


def test_a_success_clears_the_failure(db, config, sid):
    run(db, sid, fail="超时")
    run(db, sid, fail="超时")
    run(db, sid, new=1)
    assert sid not in problems(db, config)


@pytest.mark.parametrize("history, last, reported", [
    ([(3, 0)], (4, 4), True),            # bodies used to come back: the layout changed
    ([(3, 0)], (4, 2), True),            # half empty is enough
    ([(3, 0)], (4, 1), False),
    ([(3, 3)], (4, 4), False),           # never had bodies (e.g. a title-only source): not news
    ([], (4, 4), False),
])
def test_bodies_suddenly_empty(db, config, sid, history, last, reported):
    for new, empty in history:
        run(db, sid, new=new, empty=empty)
    run(db, sid, new=last[0], empty=last[1])
    found = problems(db, config)
    assert (sid in found) == reported
    if reported:
        assert found[sid].startswith(f"最近一次采集的 {last[0]} 条中有 {last[1]} 条没有正文，而此前正常")


def test_unusually_quiet_source(db, config, sid):
    for day in range(6):                 # new items every day for six days
        run(db, sid, new=1, at=T0 + timedelta(days=day))
    run(db, sid, at=T0 + timedelta(days=8))
    assert sid not in problems(db, config, at=T0 + timedelta(days=6))
    found = problems(db, config, at=T0 + timedelta(days=12))
    assert found[sid].startswith("已有 7 天没有新内容（通常每 24 小时就有新内容）")


def test_disabled_and_unknown_sources_are_not_reported(db, config):
    run(db, "removed-source", fail="超时")
    run(db, "removed-source", fail="超时")
    assert "removed-source" not in problems(db, config)
    with db.session() as s:
        assert len(s.scalars(select(SourceRun)).all()) == 2
