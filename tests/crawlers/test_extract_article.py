"""extract_article on hand-written pages with the traps of real government and news sites."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from yuqing.crawlers.extract import Article, Attachment, extract_article

SH = ZoneInfo("Asia/Shanghai")
PAGES = Path(__file__).resolve().parent / "pages"
GOV_URL = "http://www.zhifu.gov.cn/art/2024/7/1/art_1_102.html"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


@pytest.fixture(scope="module")
def gov() -> Article:
    return extract_article(page("gov_gbk_declared_utf8.html"), GOV_URL)


def test_gov_page_gbk_bytes_declared_utf8(gov):
    assert gov.encoding == "gb18030"
    assert gov.problems == ()


def test_gov_title_ignores_site_name_in_h1_and_markup_in_meta(gov):
    assert gov.title == "芝罘区召开2024年安全生产工作会议"


def test_gov_visible_publish_time_beats_migrated_meta_pubdate(gov):
    assert gov.published_at == datetime(2024, 7, 1, 10, 0, tzinfo=SH)


def test_gov_body_starts_at_first_sentence_and_drops_chrome(gov):
    assert gov.content.startswith("7月1日上午，芝罘区召开2024年安全生产工作会议")
    assert gov.content.endswith("坚决遏制较大以上事故发生。")
    assert len(gov.content.split("\n")) == 3  # paragraph breaks kept
    for chrome in ("首页", "分享到", "字号", "相关阅读", "防汛应急演练", "责任编辑", "ICP", "广告"):
        assert chrome not in gov.content


def test_gov_source_author_and_attachments(gov):
    assert gov.source == "芝罘区应急管理局"
    assert gov.author == "王晓明"
    assert gov.attachments == (
        Attachment("2024年安全生产工作要点.pdf", "http://www.zhifu.gov.cn/module/download/2024安全生产工作要点.pdf"),
        Attachment("隐患排查表", "http://www.zhifu.gov.cn/art/2024/7/1/files/隐患排查表.docx"),
    )


def test_gov_to_json(gov):
    data = gov.to_json()
    assert data["published_at"] == "2024-07-01T10:00:00+08:00"
    assert data["attachments"][0] == {"title": "2024年安全生产工作要点.pdf",
                                      "url": "http://www.zhifu.gov.cn/module/download/2024安全生产工作要点.pdf"}
    assert set(data) == {"title", "published_at", "author", "source", "content", "url", "encoding",
                         "attachments"}


def test_news_relative_time_is_resolved_against_fetch_time():
    fetched = datetime(2024, 7, 3, 4, 30, tzinfo=ZoneInfo("UTC"))  # 12:30 in Shanghai
    art = extract_article(page("news_relative.html"), "https://www.jiaodong.net/a/1.shtml", fetched_at=fetched)
    assert art.title == "烟台滨海路部分路段夜间施工 请市民注意绕行"
    assert art.published_at == datetime(2024, 7, 3, 9, 30, tzinfo=SH)
    assert art.source == "烟台日报" and art.author == "李娜"
    assert art.content.startswith("记者从市城管局获悉，7月3日起")
    assert "网友" not in art.content and "热点新闻" not in art.content


def test_wechat_epoch_in_js_beats_relative_visible_date():
    html = """<html><head><meta property="og:title" content="芝罘发布：暑期安全提示"><title>芝罘发布：暑期安全提示</title></head>
    <body><h2 class="rich_media_title">芝罘发布：暑期安全提示</h2>
    <em id="publish_time">昨天</em><a id="js_name">芝罘发布</a>
    <div id="js_content" class="rich_media_content"><p>暑假来临，芝罘区教体局提醒广大家长，切实加强孩子假期安全教育，谨防溺水。</p>
    <p>请家长做好孩子的监护工作，不到无人看管的水域游泳。</p></div>
    <script>var nickname = "芝罘发布"; var ct = "1720000000";</script></body></html>"""
    art = extract_article(html.encode("utf-8"), "https://mp.weixin.qq.com/s/abc")
    assert art.published_at == datetime(2024, 7, 3, 17, 46, 40, tzinfo=SH)
    assert art.source == "芝罘发布"
    assert art.content.startswith("暑假来临")


def test_overrides_win_when_they_match_and_report_when_not():
    html = page("gov_gbk_declared_utf8.html")
    art = extract_article(html, GOV_URL, overrides={
        "title": "div.article > div.title", "content": "//div[@id='zoom']/p[2]",
        "published_at": "//meta[@name='Maketime']/@content", "author": "div.no-such-thing"})
    assert art.title == "芝罘区召开2024年安全生产工作会议"
    assert art.content.startswith("会议指出，今年以来")
    assert art.published_at == datetime(2024, 7, 5, 8, 0, tzinfo=SH)
    assert art.author == "王晓明"  # generic fallback
    assert any("覆盖规则未匹配：author" in p for p in art.problems)


def test_malformed_truncated_page_still_yields_title_time_and_body():
    art = extract_article(page("malformed_truncated.html"), "")
    assert art.title == "芝罘区发布高温预警"
    assert art.published_at == datetime(2024, 7, 8, tzinfo=SH)
    assert art.content.startswith("芝罘区气象台7月8日发布高温黄色预警信号")


@pytest.mark.parametrize("body, reason", [
    (b"", "空响应"),
    (bytes(range(256)) * 20, "二进制"),
    (b"<html><head><title></title></head><body></body></html>", "未找到正文"),
    (b"\x00\x00\x00", "二进制"),
    (b"<html><body><div class='nav'><a href='/'>\xe9\xa6\x96\xe9\xa1\xb5</a></div>", "未找到正文"),
])
def test_bad_input_never_raises_and_says_why(body, reason):
    art = extract_article(body, "http://example.gov.cn/x.html")
    assert isinstance(art, Article)
    assert art.content == ""
    assert any(reason in p for p in art.problems), art.problems


def test_none_url_and_bad_override_do_not_raise():
    art = extract_article(page("news_relative.html"), None, overrides={"title": "[[["})
    assert art.title == "烟台滨海路部分路段夜间施工 请市民注意绕行"
    assert any("覆盖规则无效" in p for p in art.problems)
