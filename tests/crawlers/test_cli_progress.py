"""`yuqing crawl` progress: the child's JSON lines, rendered by the parent with rich."""

from __future__ import annotations

import io

from rich.console import Console

from yuqing.crawlers.cli_progress import crawl_with_progress, summary_table
from yuqing.crawlers.progress import PROGRESS_MARK, ProgressWriter, parse_progress
from yuqing.crawlers.runner import CrawlSummary
from yuqing.crawlers.store import RunStats


def test_progress_lines_round_trip_and_are_throttled():
    out, clock = io.StringIO(), iter([0.0, 0.1, 0.5]).__next__
    writer = ProgressWriter(out, clock=clock)
    writer.start("portal", "芝罘区人民政府", 7)
    stats = RunStats(items_seen=3, items_new=2, pages_fetched=5)
    writer.progress("portal", stats)            # t=0.0: shown
    writer.progress("portal", stats)            # t=0.1: too soon
    writer.progress("portal", stats)            # t=0.5: shown
    writer.done("portal", {"status": "ok"})
    lines = out.getvalue().splitlines()
    assert all(line.startswith(PROGRESS_MARK) for line in lines) and len(lines) == 4
    events = [parse_progress(line) for line in lines]
    assert events[0].event == "start" and events[0].run_id == 7 and events[0].name == "芝罘区人民政府"
    assert (events[1].pages, events[1].seen, events[1].new) == (5, 3, 2)
    assert events[3].summary == {"status": "ok"}
    assert parse_progress("2026-11-20 WARNING something") is None
    assert parse_progress(PROGRESS_MARK + "{not json") is None


def test_crawl_with_progress_shows_each_source_and_a_table(demo_config):
    summaries = [CrawlSummary("sample-portal", "芝罘区人民政府（示例）", "ok", 98, 98),
                 CrawlSummary("sample-weibo", "微博·芝罘发布（示例 RSSHub）", "partial", 10, 9,
                              items_failed=2, errors=["页面获取失败：http://x/1：HTTP 404", "超时"])]

    def fake_run(config_dir, database_url, source_ids, timeout, crawl, on_progress):
        assert source_ids == ["sample-portal", "sample-weibo"]
        for s in summaries:
            on_progress(parse_progress(PROGRESS_MARK + f'{{"event": "start", "source": "{s.source_id}"}}'))
            on_progress(parse_progress(PROGRESS_MARK + f'{{"event": "progress", "source": "{s.source_id}", '
                                       f'"pages": 12, "seen": 5, "new": 4}}'))
            on_progress(parse_progress(PROGRESS_MARK + '{"event": "done", "source": "%s", "summary": %s}' % (
                s.source_id, __import__("json").dumps(s.__dict__, ensure_ascii=False))))
        return summaries

    console = Console(file=io.StringIO(), width=160, force_terminal=False)
    got = crawl_with_progress(console, demo_config, "sqlite://", ["sample-portal", "sample-weibo"],
                              run=fake_run)
    assert got == summaries
    text = console.file.getvalue()
    assert "芝罘区人民政府（示例）  页面 12  采集 98  新增 98  正常" in text
    assert "部分失败" in text and "页面获取失败：http://x/1：HTTP 404（另有 1 条）" in text


def test_summary_table_columns():
    table = summary_table([CrawlSummary("a", "信息源甲", "failed", errors=["拒绝离开本站：http://b/"])])
    assert [c.header for c in table.columns] == ["信息源", "状态", "采集", "新增", "更新", "失败",
                                                 "无正文", "说明"]
