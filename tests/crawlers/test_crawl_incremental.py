"""Incremental collection through real crawls against a server that counts requests:
stored URLs are not fetched again, lists and feeds are asked with conditional GET, an
unanswered board message is fetched again until answered, and a new version is stored only
when the text changed."""

from __future__ import annotations

from sqlalchemy import func, select

from yuqing.crawlers.runner import crawl_in_subprocess
from yuqing.storage.models import FetchState, Mention, MentionVersion

SOURCES = """\
sources:
  - id: street
    name: 向阳街道办事处网站
    kind: site
    urls: ["{base}/inc/list.html"]
    allow_private: true
  - id: weibo
    name: 微博·向阳街道
    kind: feed
    urls: ["{base}/feeds/weibo.xml"]
    allow_private: true
  - id: board
    name: 向阳街道留言板
    kind: board
    urls: ["{base}/liuyan/list.html"]
    allow_private: true
    selectors:
      list_links: "table.msg-list td.title a"
      title: "h2.msg-title"
      published_at: "div.msg-time"
      content: "div.msg-content"
      reply: "div.reply div.reply-content"
      reply_at: "div.reply div.reply-time"
      reply_department: "div.reply div.reply-dept"
"""


def _list(*articles: str) -> bytes:
    items = "".join(f'<li><a href="/art/{name}.html">{title}</a><span>2026-11-{20 - i}</span></li>'
                    for i, (name, title) in enumerate(a.split("|") for a in articles))
    return (f'<html><head><meta charset="utf-8"><title>工作动态</title></head><body>'
            f'<ul class="news-list">{items}</ul></body></html>').encode()


ARTICLES = ("utf8_notice|向阳街道开展冬季燃气安全入户检查", "gbk_news|向阳街道老旧小区改造项目全部完工",
            "page2_article|向阳街道为辖区独居老人安装烟感报警器")
BOARD_LIST = ('<html><head><meta charset="utf-8"><title>留言列表</title></head><body>'
              '<table class="msg-list"><tr><td class="title"><a href="/liuyan/1.html">海岸路小区暖气不热</a>'
              '</td></tr><tr><td class="title"><a href="/liuyan/2.html">大海阳路夜市占道经营</a></td></tr>'
              '</table></body></html>').encode()


def _message(title: str, text: str, reply: str = "") -> bytes:
    answer = ('<div class="reply"><div class="reply-dept">答复单位：向阳街道办事处</div>'
              '<div class="reply-time">答复时间：2026-11-22 16:00</div>'
              f'<div class="reply-content">{reply}</div></div>') if reply else ""
    return (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<h2 class="msg-title">{title}</h2><div class="msg-time">留言时间：2026-11-20 19:30</div>'
            f'<div class="msg-content">{text}</div>{answer}</body></html>').encode()


HEATING = "海岸路小区3号楼这几天暖气一直不热，屋里只有十五六度，希望街道帮忙协调供热公司。"


def test_nothing_is_fetched_twice_and_only_changed_text_makes_a_version(
        db, edge_sites, config_dir, fast_crawl):
    site = edge_sites.zhifu
    site.overrides.update({
        "/inc/list.html": _list(*ARTICLES),
        "/liuyan/list.html": BOARD_LIST,
        "/liuyan/1.html": _message("海岸路小区暖气不热", HEATING),
        "/liuyan/2.html": _message("大海阳路夜市占道经营", "大海阳路晚上夜市摊位摆到了马路上，影响居民休息。",
                                   reply="已联系区综合执法局加强夜间巡查，规范摊位经营。"),
    })
    directory = config_dir(SOURCES.format(base=edge_sites.url()))

    def crawl() -> dict:
        return {s.source_id: s for s in crawl_in_subprocess(directory, db.url, crawl=fast_crawl)}

    first = crawl()
    assert {k: (s.status, s.items_new) for k, s in first.items()} == {
        "street": ("ok", 3), "weibo": ("ok", 2), "board": ("ok", 2)}
    with db.session() as s:
        assert s.scalar(select(func.count(FetchState.url))) == 3     # both lists and the feed
    fetched_once = ("/art/utf8_notice.html", "/art/gbk_news.html", "/art/page2_article.html",
                    "/art/wx_article.html", "/liuyan/2.html")
    assert all(site.requests[p] == 1 for p in fetched_once)

    second = crawl()
    assert sum(s.items_new + s.items_updated for s in second.values()) == 0
    assert all(s.status == "ok" for s in second.values())
    # lists and the feed were asked conditionally and answered 304; no article was fetched again
    assert site.conditional == {"/inc/list.html": 1, "/liuyan/list.html": 1, "/feeds/weibo.xml": 1}
    assert all(site.requests[p] == 1 for p in fetched_once)
    assert site.requests["/liuyan/1.html"] == 2              # unanswered: asked again
    with db.session() as s:
        assert s.scalar(select(func.count(MentionVersion.id))) == 0

    # the list grows by one article; the unanswered message is edited and then answered
    site.overrides["/inc/list.html"] = _list("page2_more|向阳街道新时代文明实践站开展读书分享会", *ARTICLES)
    edited = HEATING + "（补充：今天室温降到了十四度。）"
    site.overrides["/liuyan/1.html"] = _message("海岸路小区暖气不热", edited,
                                                reply="已督促供热公司排查管网，3号楼已恢复正常供暖。")
    third = crawl()
    assert third["street"].items_new == 1 and site.requests["/art/page2_more.html"] == 1
    assert all(site.requests[p] == 1 for p in fetched_once)
    assert third["board"].items_updated == 1
    with db.session() as s:
        message = s.scalar(select(Mention).where(Mention.url.endswith("/liuyan/1.html")))
        assert message.content == edited and message.version == 2
        assert message.reply.startswith("已督促供热公司") and message.reply_department == "向阳街道办事处"
        [old] = s.scalars(select(MentionVersion)).all()
        assert old.content == HEATING and old.version == 1

    fourth = crawl()                                          # answered: no longer fetched
    assert fourth["board"].items_seen == 0 and site.requests["/liuyan/1.html"] == 3


def test_a_crawl_stopped_early_keeps_no_list_validators(db):
    """A crawl SIGTERMed by its scheduler (lost lease, stop) closes with reason "shutdown"
    and drops the items it had queued: had it kept its list pages' validators, the next
    crawl would get 304 for them and never fetch those items."""
    from yuqing.config.models import Source
    from yuqing.crawlers.spiders.board import BoardSpider
    from yuqing.crawlers.store import CrawlStore

    source = Source(id="board", name="留言板", kind="board", urls=["http://b.test/list_1.html"])
    for reason, kept in (("shutdown", False), ("finished", True)):
        spider = BoardSpider(source=source, store=CrawlStore(db, "board", "留言板", "board"))
        spider.pending_validators["http://b.test/list_2.html"] = ('"v2"', "")
        spider.closed(reason)
        assert (spider.store.validators("http://b.test/list_2.html") is not None) == kept, reason
