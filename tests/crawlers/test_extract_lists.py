"""List pages: the article links of a column, and the pages after it."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from yuqing.crawlers.extract import Link, extract_links, next_pages

SH = ZoneInfo("Asia/Shanghai")
PAGES = Path(__file__).resolve().parent / "pages"
TRS_BASE = "http://www.zhifu.gov.cn/col/tzgg/index.html"
HANWEB_BASE = "http://www.zhifu.gov.cn/col/col15672/index.html"


def test_trs_column_links_skip_menus_and_use_full_titles():
    links = extract_links((PAGES / "trs_list.html").read_bytes(), TRS_BASE)
    assert links == [
        Link("http://www.zhifu.gov.cn/col/tzgg/202407/t20240701_1234567.html", "关于2024年芝罘区夏季防汛工作的通知",
             datetime(2024, 7, 1, tzinfo=SH)),
        Link("http://www.zhifu.gov.cn/col/tzgg/202406/t20240628_1234501.html",
             "芝罘区2024年公开招聘社区工作者拟聘用人员公示", datetime(2024, 6, 28, tzinfo=SH)),
        Link("http://www.zhifu.gov.cn/col/tzgg/202406/t20240620_1234400.html", "芝罘区关于开展夏季消防安全检查的通告",
             datetime(2024, 6, 20, tzinfo=SH)),
        Link("http://www.zhifu.gov.cn/art/2024/6/15/art_1_99.html", "芝罘区2024年第二季度重点项目推进情况",
             datetime(2024, 6, 15, tzinfo=SH)),
    ]


def test_trs_create_page_html_pager():
    assert next_pages((PAGES / "trs_list.html").read_bytes(), TRS_BASE) == [
        "http://www.zhifu.gov.cn/col/tzgg/index_1.html",
        "http://www.zhifu.gov.cn/col/tzgg/index_2.html",
        "http://www.zhifu.gov.cn/col/tzgg/index_3.html",
    ]
    literal = '<script>createPageHTML(3, 1, "index", "shtml");</script>'
    assert next_pages(literal, "http://a.gov.cn/col/index_1.shtml") == ["http://a.gov.cn/col/index_2.shtml"]


def test_hanweb_datastore_records_and_pages():
    body = (PAGES / "hanweb_list.html").read_bytes()
    links = extract_links(body, HANWEB_BASE)
    assert [link.title for link in links] == [
        "《芝罘区老旧小区改造实施方案》政策解读", "图解：芝罘区2024年为民办实事项目", "一图读懂芝罘区稳经济若干措施"]
    assert links[0].url == "http://www.zhifu.gov.cn/art/2024/7/2/art_15672_2990001.html"
    assert links[2].date == datetime(2024, 6, 3, tzinfo=SH)
    assert next_pages(body, HANWEB_BASE) == [
        "http://www.zhifu.gov.cn/col/col15672/index.html?uid=4523301&pageNum=2",
        "http://www.zhifu.gov.cn/col/col15672/index.html?uid=4523301&pageNum=3",
    ]


def test_next_link_and_static_numbered_pages():
    html = """<div class="page"><a href="index.html">首页</a><a href="javascript:;">上一页</a>
    <a href="index_1.html">2</a><a href="index_2.html">3</a><a href="index_1.html">下一页</a>
    <a href="index_10022.jhtml">logo</a></div>"""
    assert next_pages(html, "http://a.gov.cn/col/index.html") == [
        "http://a.gov.cn/col/index_1.html", "http://a.gov.cn/col/index_2.html"]


def test_selector_override():
    body = (PAGES / "trs_list.html").read_bytes()
    nav = extract_links(body, TRS_BASE, selector="div.nav")
    assert [link.title for link in nav][:2] == ["首页", "政务要闻"]
    xpath = extract_links(body, TRS_BASE, selector="//ul[@class='list-ul']/li[1]/a")
    assert [link.url for link in xpath] == ["http://www.zhifu.gov.cn/col/tzgg/202407/t20240701_1234567.html"]


def test_bad_input_gives_no_links():
    for body in (b"", b"\x00\xff\xfe", "<html><body><p>没有链接</p>", b"<a href='javascript:void(0)'>x</a>"):
        assert extract_links(body, "http://a.gov.cn/") == []
        assert next_pages(body, "http://a.gov.cn/") == []


def test_young_column_with_two_entries_beats_the_sidebar_hot_list():
    page = Path(__file__).resolve().parents[1] / "sample_sites" / "young" / "col" / "ggfw" / "index.html"
    links = extract_links(page.read_bytes(), "http://hw.zhifu.gov.cn/col/ggfw/index.html")
    assert [(link.url, link.date) for link in links] == [
        ("http://hw.zhifu.gov.cn/art/2026/11/28/art_3302_990015.html", datetime(2026, 11, 28, tzinfo=SH)),
        ("http://hw.zhifu.gov.cn/art/2026/11/20/art_3302_989974.html", datetime(2026, 11, 20, tzinfo=SH))]
    assert links[1].title == "黄务街道社区卫生服务中心开展免费流感疫苗接种的通知"   # the full title attribute


def test_single_entry_column_still_yields_its_link_but_a_lone_menu_link_does_not():
    html = """<div class="nav"><a href="/col/a/">政务公开</a><a href="/col/b/">互动交流</a></div>
    <div class="main-list"><ul class="list"><li><a href="/art/2026/12/1/art_12_3456.html">芝罘区启动2026年冬季清雪除冰应急预案</a>
    <span>2026-12-01</span></li></ul></div><div class="footer"><a href="/about.html">关于本站的使用说明和隐私声明</a></div>"""
    links = extract_links(html, "http://a.gov.cn/col/x/index.html")
    assert [link.url for link in links] == ["http://a.gov.cn/art/2026/12/1/art_12_3456.html"]


def test_young_board_with_one_short_titled_message():
    html = """<div class="nav"><a href="/">首页</a><a href="/liuyan/post">我要留言</a><a href="/help.html">留言须知</a></div>
    <table class="msg-list"><tr><th>标题</th><th>留言时间</th><th>状态</th></tr>
    <tr><td class="title"><a href="/liuyan/detail/1000023.html">暖气不热</a></td><td>2026-11-30 08:12</td><td>未回复</td></tr>
    </table>"""
    links = extract_links(html, "http://ly.zhifu.gov.cn/liuyan/list_1.html")
    assert [(link.url, link.title) for link in links] == [("http://ly.zhifu.gov.cn/liuyan/detail/1000023.html", "暖气不热")]
