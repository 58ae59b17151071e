"""The weekly report, read the way a leader reads it: the heating event, the departments'
response times against their deadlines, rising words — every item linked to its evidence."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from yuqing.reports import fonts
from yuqing.reports.weekly import ReportError, build_weekly, last_week, week_bounds
from yuqing.storage.models import Mention, WarningEvidence
from tests.reports.scenario import AT, NEWS_TITLE, WEEK, answer_heating
from tests.reports.test_digest import hrefs
from yuqing.app.cli import main
from yuqing.timeutil import SHANGHAI

AFTER = AT + timedelta(days=4)


@pytest.mark.parametrize("week,start", [
    ("2024-W50", "2024-12-09"), ("2024W01", "2024-01-01"), ("2020-W53", "2020-12-28"),
])
def test_week_bounds(week, start):
    lo, hi = week_bounds(week)
    assert lo == datetime.fromisoformat(start).replace(tzinfo=SHANGHAI) and hi - lo == timedelta(days=7)


@pytest.mark.parametrize("week,message", [("2024-27", "无法识别的周次"), ("2023-W53", "不存在")])
def test_bad_weeks_are_explained(week, message):
    with pytest.raises(ReportError, match=message):
        week_bounds(week)


def test_default_is_the_last_complete_week():
    assert last_week(AT) == "2024-W49" and last_week(AFTER) == "2024-W50"


@pytest.fixture
def report(db, default_config, scenario):
    answer_heating(db, default_config, scenario["heating"])
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")   # a tofu box fails
        return build_weekly(db, default_config, WEEK, at=AFTER)


def test_heating_event_with_evidence_links(db, report, scenario):
    html = report.html()
    heating = scenario["heating"]
    assert "芝罘区舆情周报" in html and "2024年12月09日 至 2024年12月15日" in html
    table = html.split("<h2>五、预警与处置</h2>")[1]
    row = table.split(f'href="http://127.0.0.1:8000/warnings/{heating}"')[1].split("</tr>")[0]
    assert "只楚街道“冬季供暖”负面舆情上升" in row and "已回应" in row
    with db.session() as s:
        evidence = set(s.scalars(select(Mention.url).join(WarningEvidence)
                                 .where(WarningEvidence.warning_id == heating)))
        stored = set(s.scalars(select(Mention.url)))
    assert {h for h in hrefs(row) if "sample.test/board" in h} <= evidence
    assert "http://sample.test/zhujian/notice-1.html" in row           # the public response
    assert {h for h in hrefs(html) if "sample.test" in h} - {"http://sample.test/zhujian/notice-1.html"} <= stored
    assert "13912345678" not in html and "139****5678" in html


def test_main_events_are_events_with_first_report_spread_and_response(db, report, scenario):
    top = report.events[0]
    assert top.line.event.title == NEWS_TITLE and top.line.mentions == 12
    assert top.line.first is not None and top.line.first.url.startswith("http://sample.test/board/")
    assert {step.source for step in top.spread} == {"board", "news", "weibo", "wechat", "news2"}
    assert top.spread[0].source == "board" and sum(step.count for step in top.spread) == 12
    assert ["转载", "news", "news2", "wechat", "weibo"] in top.chains     # the reprint chain, in time order
    assert top.line.event.summary and all(x["url"].startswith("http://sample.test/") for x in top.line.event.summary)
    assert [w.id for w in top.warnings] == [scenario["heating"]]
    assert {r.department for r in top.responses} >= {"区住房和城乡建设局", "只楚街道办事处"}
    assert top.answered_at is not None and top.answer_url == "http://sample.test/zhujian/notice-1.html"
    assert report.main_events == len(report.events) == 2     # the KPI counts events, not a list length
    html = report.html()
    section = html.split("<h2>四、本周主要事件</h2>")[1].split("<h2>")[0]
    assert f'href="http://127.0.0.1:8000/events/{top.line.event.id}"' in section
    assert "首发：board" in section and "传播路径：" in section and "已回应" in section
    assert '<b>2</b><span>主要事件（个）</span>' in html


def test_conventional_sections(db, report):
    assert report.volume.this_week == report.mentions and report.volume.last_week > 0
    assert dict(report.sentiment.rows)["负面"] == report.negative
    assert report.sentiment.total == report.channels.total == report.streets.total == report.mentions
    assert dict(report.streets.rows)["只楚街道"] >= 12
    html = report.html()
    assert "环比" in html and "二、情感、渠道与地域分布" in html and "留言办理" in html
    assert "八、研判与建议" in html and "值班室尚未填写本周研判与建议" in html


def test_notes_file_fills_the_judgement_section(db, default_config, scenario, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("只楚街道供暖问题集中，建议区住建局督促供热企业限期整改。\n\n下周气温继续下降，需防范类似问题。",
                     encoding="utf-8")
    report = build_weekly(db, default_config, WEEK, at=AFTER, notes=notes)
    section = report.html().split("<h2>八、研判与建议</h2>")[1].split("<div class=\"note\">")[0]
    assert "<p>只楚街道供暖问题集中，建议区住建局督促供热企业限期整改。</p>" in section
    assert "<p>下周气温继续下降，需防范类似问题。</p>" in section


def test_chart_stops_at_today_with_whole_number_ticks(db, default_config, scenario):
    from yuqing.reports import charts

    midweek = build_weekly(db, default_config, WEEK, at=AT)            # Thursday: the week so far
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        svg = charts.topic_volume_chart(midweek.topics, AT.date())
    full = charts.topic_volume_chart(midweek.topics)
    assert svg.count("<path") < full.count("<path")                   # Fri–Sun not drawn


def test_topic_volume_per_day(report):
    heating = next(t for t in report.topics if t.topic_id == "heating")
    thursday = heating.days.index(AT.date())
    assert heating.volume[thursday] == 12 and heating.negative[thursday] == 12
    html = report.html()
    assert ("http://127.0.0.1:8000/search?start=2024-12-09&amp;end=2024-12-15&amp;topic=heating"
            "&amp;negative=1") in html


def test_department_response_times_against_deadlines(report):
    rows = {r.department_id: r for r in report.departments}
    zhujian, zhichu, xiangyang = rows["zhujian"], rows["zhichu"], rows["xiangyang"]
    assert (zhujian.received, zhujian.ack_on_time, zhujian.respond_on_time) == (1, 1, 1)
    assert zhujian.median_ack == pytest.approx(0.7) and zhujian.median_respond == 20.0
    assert (zhichu.acknowledged, zhichu.ack_on_time) == (1, 0)          # 10 h against 4 h
    assert (xiangyang.responded, xiangyang.overdue_open) == (0, 1)
    html = report.html()
    assert "<td>区住房和城乡建设局</td>" in html and "20.0 小时" in html


def test_rising_keywords_link_to_their_mentions(db, report):
    words = {k.word: k for k in report.keywords}
    assert "室温" in words and words["室温"].count >= 8 and words["室温"].before == 0
    assert not {"公司", "十五", "我们"} & set(words)
    with db.session() as s:
        stored = set(s.scalars(select(Mention.url)))
    assert all(m.url in stored for k in report.keywords for m in k.examples)
    assert "search?start=2024-12-09&amp;end=2024-12-15&amp;q=%E5%AE%A4%E6%B8%A9" in report.html()


def test_charts_are_svg_with_chinese_drawn_as_outlines(report):
    assert report.topic_chart.startswith("<svg") and "<path" in report.topic_chart
    assert "<text" not in report.topic_chart           # glyphs drawn, no font needed to view


def test_missing_font_package_fails_with_a_clear_message(monkeypatch):
    monkeypatch.delenv(fonts.ENV, raising=False)
    monkeypatch.setitem(sys.modules, "noto_cjk", None)        # as if the wheel were not installed
    fonts.cjk_font.cache_clear()
    try:
        with pytest.raises(fonts.FontMissing, match=r"pip install 'noto-cjk\[sans\]'"):
            fonts.cjk_font()
    finally:
        fonts.cjk_font.cache_clear()


def test_a_configured_font_that_does_not_exist_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv(fonts.ENV, str(tmp_path / "nope.otf"))
    fonts.cjk_font.cache_clear()
    try:
        with pytest.raises(fonts.FontMissing, match="nope.otf"):
            fonts.cjk_font()
    finally:
        fonts.cjk_font.cache_clear()


def test_the_bundled_font_is_used_whatever_the_system_has(monkeypatch):
    monkeypatch.delenv(fonts.ENV, raising=False)
    fonts.cjk_font.cache_clear()
    try:
        font = fonts.cjk_font()
    finally:
        fonts.cjk_font.cache_clear()
    assert font.family == "Yuqing Noto Sans CJK SC" and "site-packages" not in font.path
    from fontTools.ttLib import TTFont

    names = TTFont(font.path, lazy=True)["name"]
    assert names.getDebugName(1) == font.family and names.getDebugName(6) == "NotoSansCJKsc-Regular"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)     # the PDF is the same on both
def test_cli_writes_html_and_pdf_with_real_chinese_text(db, scenario, tmp_path, monkeypatch):
    monkeypatch.setenv("YUQING_DATABASE_URL", db.url)
    monkeypatch.setenv("YUQING_NOW", AFTER.isoformat())
    out = tmp_path / "out"
    assert main(["--config", "default", "report", "weekly", "--week", WEEK, "--out", str(out)]) == 0
    pdf = out / f"舆情周报-{WEEK}.pdf"
    assert (out / f"舆情周报-{WEEK}.html").exists() and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "芝罘区舆情周报" in text and "只楚街道“冬季供暖”负面舆情上升" in text
        assert "第 1 页" in text
    if shutil.which("pdffonts"):
        listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert _embedded_cjk_font(listed), listed


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_cli_rejects_a_bad_week(db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("YUQING_DATABASE_URL", db.url)
    assert main(["--config", "default", "report", "weekly", "--week", "next", "--out", str(tmp_path)]) == 2
    assert "无法识别的周次" in capsys.readouterr().out


def _embedded_cjk_font(pdffonts_output: str) -> bool:
    """pdffonts' table: name … emb sub uni; the CJK font must be embedded (emb = yes)."""
    for line in pdffonts_output.splitlines()[2:]:
        cells = line.split()
        if "notosanscjksc" in line.lower().replace("-", "") and "yes" in cells[-5:-2]:
            return True
    return False


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="pdffonts (poppler-utils) is not installed")
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pdf_renders_with_no_system_font_at_all(db, scenario, tmp_path):
    """A fresh machine has no CJK font: hide every system font but DejaVu from fontconfig
    (WeasyPrint's pango) and give matplotlib a fresh cache, and the report must still embed its
    Chinese font."""
    empty = tmp_path / "fonts.conf"
    # a fresh Debian machine's fonts: DejaVu only (fontconfig-config depends on it), no CJK
    empty.write_text("<?xml version='1.0'?><fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir>"
                     f"<cachedir>{tmp_path / 'fc'}</cachedir></fontconfig>")
    env = {**os.environ, "FONTCONFIG_FILE": str(empty), "MPLCONFIGDIR": str(tmp_path / "mpl"),
           "YUQING_HOME": str(tmp_path / "home"), "YUQING_DATABASE_URL": db.url,
           "YUQING_NOW": AFTER.isoformat()}
    env.pop(fonts.ENV, None)
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "yuqing.app.cli", "--config", "default", "report", "weekly",
                          "--week", WEEK, "--out", str(out)], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    listed = subprocess.run(["pdffonts", str(out / f"舆情周报-{WEEK}.pdf")], capture_output=True,
                            text=True, check=True).stdout
    assert _embedded_cjk_font(listed), listed
