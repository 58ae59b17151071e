"""Found end to end on the sample portal: a notice whose first paragraph carries a date and a
clock time, and bylines that must come from the byline, never from the middle of the text."""

from yuqing.crawlers.extract import extract_article

NOTICE = """<html><head><meta charset="utf-8"><title>关于黄务路周边区域临时停水的通知_芝罘区人民政府</title>
<meta name="ArticleTitle" content="关于黄务路周边区域临时停水的通知"></head><body>
<div class="article-title">关于黄务路周边区域临时停水的通知</div>
<div class="article-info">发布时间：2026-11-23 09:30　来源：区住建局</div>
<div id="zoom">
<p>因加压泵站检修，定于11月28日8:00至18:00对黄务路周边区域暂停供水。</p>
<p>届时黄务路沿线小区将受影响，请广大用户提前做好储水准备。</p>
<p>项目负责人：高立新。如遇特殊情况，恢复供水时间将顺延，给您带来的不便敬请谅解。</p>
<p>特此公告。</p>
</div></body></html>"""


def _article(html: str):
    return extract_article(html.encode(), "http://127.0.0.2/art/2026/11/23/art_7845_1.html")


def test_first_paragraph_with_a_clock_time_is_body_not_a_dateline():
    article = _article(NOTICE)
    assert article.content.startswith("因加压泵站检修，定于11月28日8:00至18:00对黄务路周边区域暂停供水。")


def test_a_bare_dateline_above_the_body_is_still_dropped():
    html = NOTICE.replace('<div id="zoom">\n', '<div id="zoom">\n<p>2026-11-23 09:30</p>\n')
    assert _article(html).content.startswith("因加压泵站检修")


def test_no_byline_means_no_author_even_with_names_in_the_text():
    assert _article(NOTICE).author == ""


def test_author_from_byline_keeps_the_role_the_page_shows():
    html = NOTICE.replace("来源：区住建局", "来源：烟台民生网 作者：记者 宋洪波")
    assert _article(html).author == "记者 宋洪波"


def test_author_from_a_byline_inside_the_body_text_is_ignored():
    middle = ("<p>供水单位将安排送水车在大海阳社区服务中心门前定点供水，时间为每日9:00至17:00。</p>"
              "<p>《城市供水管网》一书作者 王小明 曾多次到泵站调研，对管网改造提出过建议。</p>"
              "<p>检修期间如发现管道漏水等情况，请及时拨打供水服务热线反映。</p>"
              "<p>停水期间请居民关闭家中水龙头，防止恢复供水时跑水。</p>")
    html = NOTICE.replace("<p>项目负责人", middle + "<p>项目负责人")
    article = _article(html)
    assert "作者 王小明" in article.content
    assert article.author == ""
