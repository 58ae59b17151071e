"""The duty digest, read the way a duty officer reads it: the heating event in 只楚街道, its
clocks, its evidence and the sources and system checks that need attention."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from yuqing.reports.digest import build_digest, default_since
from yuqing.storage.events import Event
from yuqing.storage.models import Mention, Source, SourceRun, Warning, WarningEvidence
from tests.reports.scenario import AT, NEWS_TITLE, answer_heating
from yuqing.timeutil import SHANGHAI

SHIFT = AT - timedelta(hours=12)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])


def hrefs(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def evidence_urls(db, warning_id: int) -> set[str]:
    with db.session() as s:
        return {e.mention.url for e in s.scalars(select(WarningEvidence)
                                                 .where(WarningEvidence.warning_id == warning_id))}


def test_new_heating_warning_with_clock_receivers_and_evidence(db, default_config, scenario):
    digest = build_digest(db, default_config, since=SHIFT, until=AT + timedelta(hours=1))
    md = digest.markdown()
    heating = scenario["heating"]
    assert "## 一、新增预警（2 条）" in md
    first = md.split("## 一、新增预警")[1].split("- **")[1]      # the most severe comes first
    assert first.startswith("【较大】只楚街道“冬季供暖”负面舆情上升")
    assert f"[预警 #{heating}](http://127.0.0.1:8000/warnings/{heating})" in first
    assert "只楚街道办事处（处置，未签收）" in first and "区住房和城乡建设局（主管，未签收）" in first
    assert "回应时限：2024-12-14 10:00（剩余 1 天 23 小时）" in first
    assert "证据（共 12 条）" in first
    # the HTML links each warning's evidence: the stored mentions detection attached to it
    card = digest.html().split(f"预警 #{heating}</a>")[1].split("</div>\n</div>")[0]
    shown = [h for h in hrefs(card) if h.startswith("http://sample.test/")]
    assert len(shown) == 5 and set(shown) <= evidence_urls(db, heating)
    with db.session() as s:
        stored = set(s.scalars(select(Mention.url)))
    assert {h for h in hrefs(digest.html()) if "sample.test" in h} <= stored


def test_hot_spots_are_events_with_first_report_summary_and_warning(db, default_config, scenario):
    md = build_digest(db, default_config, since=SHIFT, until=AT + timedelta(hours=1)).markdown()
    hot = md.split("## 五、负面热点")[1].split("## 六")[0]
    with db.session() as s:
        event = s.scalars(select(Event).where(Event.title == NEWS_TITLE)).one()
        stored = set(s.scalars(select(Mention.url)))
        first = s.get(Mention, event.first_mention_id)
    lines = hot.splitlines()
    # the 18-row "转载 1 负面 1" list is one event: eight complaints, the news story and its copies
    assert lines[1].startswith(f"1. **[{NEWS_TITLE}](http://127.0.0.1:8000/events/{event.id})**")
    assert "冬季供暖 · 只楚街道" in lines[1]
    assert lines[2].strip().startswith("本时段 12 条，负面 12 条") and "事件累计 12 条" in lines[2]
    assert f"首发：board {first.when.astimezone(SHANGHAI):%Y-%m-%d %H:%M} [" in lines[3]
    assert first.url in lines[3]
    block = lines[1:next(i for i, line in enumerate(lines) if line.startswith("2. "))]
    quoted = [line for line in block if line.strip().startswith(">")]
    assert 1 <= len(quoted) <= 2
    assert all(url in stored for line in quoted for url in re.findall(r"\((http[^)]+)\)", line))
    assert f"关联预警：#{scenario['heating']}【较大】" in hot
    # the header's counts are the window's, and its link asks the search for that very window
    head = md.split("\n## 一")[0]
    assert "since=2024-12-11T22%3A00%2B08%3A00&until=2024-12-12T11%3A00%2B08%3A00" in head


def test_every_running_major_warning_has_its_event_in_the_hot_spots(db, default_config, scenario):
    from yuqing.reports.hot_events import hot_events, major_warning_events

    with db.session() as s:
        w = s.get(Warning, scenario["education"])
        w.severity = "重大"
        s.flush()
        must = major_warning_events(s, [w])
        lines = hot_events(s, default_config, SHIFT, AT + timedelta(hours=1), limit=1, must=must)
        assert len(must) == 1 and {x.event.id for x in lines} >= set(must)
        assert lines[0].score >= lines[-1].score


def test_no_warning_is_printed_in_two_sections(db, default_config, scenario):
    for hours in (1, 5, 44, 50):
        until = AT + timedelta(hours=hours)
        md = build_digest(db, default_config, since=until - timedelta(hours=10), until=until).markdown()
        sections = md.split("## 五、负面热点")[0]
        for warning_id in scenario.values():
            assert sections.count(f"/warnings/{warning_id})") <= 1, (hours, warning_id)


def test_phone_numbers_are_masked_everywhere(db, default_config, scenario):
    digest = build_digest(db, default_config, since=SHIFT, until=AT + timedelta(hours=1))
    rendered_md = digest.markdown().replace("\\*", "*")      # Markdown escapes the stars
    for text in (rendered_md, digest.html()):
        assert "13912345678" not in text and "139****5678" in text


CLOCKS = [
    # still new in this window: its card says the acknowledgement deadline has passed
    (5, "一、新增预警", "⚠ 区住房和城乡建设局（主管，未签收）：签收时限 2024-12-12 14:00（已超时 1 小时）"),
    (44, "二、即将到期", "回应时限：2024-12-14 10:00（剩余 4 小时）"),
    (50, "三、已超时未回应", "回应时限：2024-12-14 10:00（已超时 2 小时）"),
]


def test_clocks_over_the_next_days(db, default_config, scenario):
    for hours, section, expected in CLOCKS:
        until = AT + timedelta(hours=hours)
        md = build_digest(db, default_config, since=until - timedelta(hours=10), until=until).markdown()
        part = md.split(section)[1].split("\n## ")[0]
        assert expected in part and f"warnings/{scenario['heating']}" in part, hours


def test_answered_warning_is_not_overdue(db, default_config, scenario):
    answer_heating(db, default_config, scenario["heating"])
    until = AT + timedelta(hours=50)
    md = build_digest(db, default_config, since=until - timedelta(hours=10), until=until).markdown()
    overdue = md.split("三、已超时未回应")[1].split("\n## ")[0]
    assert "向阳街道“教育入学”" in overdue and "冬季供暖" not in overdue


def test_sources_that_stopped_working(db, default_config, scenario):
    until = AT + timedelta(hours=1)
    with db.session() as s:
        for src in default_config.sources:
            s.add(Source(id=src.id, name=src.name, kind=src.kind, last_run_at=AT,
                         last_success_at=AT, consecutive_failures=0))
        s.flush()
        s.get(Source, "shm-yantai").consecutive_failures = 3
        s.get(Source, "shm-yantai").last_error = "HTTP 503"
        s.get(Source, "jiaodong-yantai").last_success_at = AT - timedelta(days=2)
        s.add(SourceRun(source_id="zhifu-gov-news", started_at=AT - timedelta(hours=1),
                        finished_at=AT - timedelta(hours=1), status="ok", items_seen=8, empty_bodies=0))
        s.add(SourceRun(source_id="zhifu-gov-news", started_at=AT, finished_at=AT, status="ok",
                        items_seen=10, empty_bodies=10))
    md = build_digest(db, default_config, since=SHIFT, until=until).markdown()
    part = md.split("## 六、信息源状态")[1].split("\n## ")[0]
    assert ("- ⚠ 水母网·烟台新闻：连续 3 次采集失败，上次成功采集在 2024-12-12 10:00。"
            "最近的错误：HTTP 503") in part
    assert "- ⚠ 胶东在线·烟台：已 2 天没有成功采集（上次成功采集在 2024-12-10 10:00）。" in part
    assert "芝罘区人民政府网站·芝罘要闻：最近一次采集的 10 条中有 10 条没有正文，而此前正常" in part
    assert "微博·芝罘发布" not in part


def test_system_health_section_says_when_no_scheduler_runs(db, default_config, scenario):
    """The real yuqing.reports.health: a store no scheduler ever ran on must say so in the digest."""
    digest = build_digest(db, default_config, since=SHIFT, until=AT + timedelta(hours=1))
    assert "## 七、系统运行状况\n- ⚠ 调度程序从未在此数据库上运行" in digest.markdown()
    assert "调度程序从未在此数据库上运行" in digest.html()


def test_system_health_section_clears_while_a_scheduler_holds_the_lease(db, default_config, scenario):
    from yuqing.storage.scheduling import Lease

    lease = Lease(db, ttl=300)
    assert lease.acquire()
    md = build_digest(db, default_config, since=SHIFT, until=AT + timedelta(hours=1)).markdown()
    health = md.split("## 七、系统运行状况")[1].split("\n---")[0]
    assert "调度程序" not in health


def test_html_escapes_titles(db, default_config, scenario):
    with db.session() as s:
        s.get(Warning, scenario["heating"]).title = "<script>alert(1)</script>暖气"
    html = build_digest(db, default_config, since=SHIFT, until=AT + timedelta(hours=1)).html()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize("until,since", [
    ("2024-12-12T18:00:05", "2024-12-12T08:00"),     # the evening digest covers the day shift
    ("2024-12-12T17:00", "2024-12-12T08:00"),        # by hand, before the shift ends
    ("2024-12-12T08:02", "2024-12-11T18:00"),        # the morning digest covers the night
    ("2024-12-12T03:00", "2024-12-11T18:00"),
])
def test_default_since_is_the_previous_digest_time(default_config, until, since):
    assert default_since(default_config, at(until)) == at(since)
