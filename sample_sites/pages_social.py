"""The RSSHub-style Weibo feed and status pages, the message board, robots.txt and 404 pages."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import format_datetime
from html import escape
from urllib.parse import quote

from yuqing.sample_sites.model import WEIBO_UID, SampleItem

BOARD = "芝罘区民意直通车"
GOV_ACCOUNT = "芝罘发布"
_TAG = re.compile(r"#([^#\s]{1,20})#")
_AT = re.compile(r"@([\w\u4e00-\u9fff-]{2,20})")
_FACE = re.compile(r"\[([\u4e00-\u9fff]{1,3})\]")


def rfc822(moment: datetime, gmt: bool) -> str:
    """Most items in +0800, some in GMT (RSSHub instances differ in what they emit)."""
    if gmt:
        return format_datetime(moment.astimezone(timezone.utc), usegmt=True)
    return format_datetime(moment)


def weibo_html(text: str) -> str:
    """Post text as Weibo renders it: topic links, @mentions, emoticon images."""
    out = escape(text, quote=False)
    out = _TAG.sub(lambda m: f'<a href="https://s.weibo.com/weibo?q=%23{quote(m.group(1))}%23">#{m.group(1)}#</a>', out)
    out = _AT.sub(lambda m: f'<a href="https://weibo.com/n/{quote(m.group(1))}">@{m.group(1)}</a>', out)
    return _FACE.sub(lambda m: f'<img alt="[{m.group(1)}]" src="https://face.t.sinajs.cn/t4/appstyle/expression/'
                               f'ext/normal/{len(m.group(1))}e/{m.group(1)}.png" style="width:1em; height:1em;">', out)


def weibo_feed(items: list[SampleItem], self_url: str, base: str, built: datetime) -> str:
    rows = []
    for n, item in enumerate(items):
        body = weibo_html(item.text)
        if n % 5 == 2:   # some posts carry a picture
            body += f'<br><br><img src="https://wx1.sinaimg.cn/large/006{item.ident[-8:]}ly1h.jpg">'
        rows.append(f"""<item>
<title><![CDATA[{item.title}]]></title>
<description><![CDATA[{body}]]></description>
<pubDate>{rfc822(item.published_at, gmt=n % 4 == 3)}</pubDate>
<guid isPermaLink="false">{base}{item.path}</guid>
<link>{base}{item.path}</link>
<author><![CDATA[{item.author}]]></author>
</item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
<channel>
<title><![CDATA[{GOV_ACCOUNT}的微博]]></title>
<link>https://weibo.com/{WEIBO_UID}/</link>
<atom:link href="{self_url}" rel="self" type="application/rss+xml"/>
<description><![CDATA[芝罘区人民政府新闻办公室官方微博 - Powered by RSSHub]]></description>
<generator>RSSHub</generator>
<webMaster>contact@rsshub.app (RSSHub)</webMaster>
<language>zh-cn</language>
<image><url>https://tvax1.sinaimg.cn/crop.0.0.180.180.180/zhifufabu.jpg</url><title><![CDATA[{GOV_ACCOUNT}的微博]]></title><link>https://weibo.com/{WEIBO_UID}/</link></image>
<lastBuildDate>{rfc822(built, gmt=True)}</lastBuildDate>
<ttl>5</ttl>
{chr(10).join(rows)}
</channel>
</rss>
"""


def weibo_status(item: SampleItem) -> str:
    counts = int(item.ident[-3:])
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(item.author)}的微博_微博</title></head>
<body>
<div class="WB_frame"><div class="WB_detail" mid="{item.ident}">
<div class="WB_info"><a class="W_f14 W_fb" href="javascript:;">{escape(item.author)}</a></div>
<div class="WB_from">{item.published_at:%Y-%m-%d %H:%M} 来自 微博 weibo.com</div>
<div class="WB_text" node-type="feed_list_content">{weibo_html(item.text)}</div>
<div class="WB_handle"><span>转发 {counts % 50}</span> <span>评论 {counts % 80}</span> <span>赞 {counts % 300}</span></div>
</div></div>
<div class="W_footer">Copyright © 2009-2026 WEIBO 北京微梦创科网络技术有限公司</div>
</body></html>
"""


def rsshub_home() -> str:
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>RSSHub</title></head><body>'
            '<h1>Welcome to RSSHub!</h1><p>Everything is RSSible.</p>'
            f'<p><a href="/weibo/user/{WEIBO_UID}">/weibo/user/{WEIBO_UID}</a></p></body></html>\n')


# --- message board ----------------------------------------------------------------------

def _board(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>
<link rel="stylesheet" href="/static/liuyan.css"></head>
<body>
<div class="header"><div class="logo">{BOARD}</div><div class="slogan">群众呼声 件件有回音</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/liuyan/list_1.html">留言列表</a></li>
<li><a href="javascript:;">我要留言</a></li><li><a href="javascript:;">留言须知</a></li></ul></div>
{body}
<div class="footer">主办：芝罘区人民政府办公室　承办：芝罘区12345政务服务便民热线　鲁ICP备05002356号-3</div>
</body></html>
"""


def _status(item: SampleItem) -> str:
    return '<span class="st st-yes">已回复</span>' if item.answered else '<span class="st st-no">未回复</span>'


def board_list(items: list[SampleItem], page: int, pages: int, total: int, per_page: int) -> str:
    rows = "\n".join(
        f'<tr><td class="no">{(page - 1) * per_page + n + 1}</td><td class="type">{escape(i.column)}</td>'
        f'<td class="title"><a href="{i.path}" title="{escape(i.title)}" target="_blank">{escape(i.title)}</a></td>'
        f'<td class="time">{i.published_at:%Y-%m-%d %H:%M}</td><td class="status">{_status(i)}</td>'
        f'<td class="dept">{escape(i.department)}</td></tr>' for n, i in enumerate(items))
    links = [f'<a href="list_1.html">首页</a>']
    if page > 1:
        links.append(f'<a href="list_{page - 1}.html">上一页</a>')
    if page < pages:
        links.append(f'<a href="list_{page + 1}.html">下一页</a>')
    links.append(f'<a href="list_{pages}.html">末页</a>')
    body = f"""<div class="crumb">当前位置：<a href="/">首页</a> &gt; 留言列表</div>
<div class="main">
<form class="filter" action="/search" method="get"><input name="kw" placeholder="输入关键词"><button>查询</button></form>
<table class="msg-list">
<thead><tr><th>序号</th><th>类型</th><th>标题</th><th>留言时间</th><th>办理状态</th><th>受理部门</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<div class="pager">共 {total} 条留言　第 {page}/{pages} 页　{" ".join(links)}</div>
</div>"""
    return _board(f"留言列表_{BOARD}", body)


def board_home(latest: list[SampleItem]) -> str:
    rows = "".join(f'<li><a href="{i.path}">{escape(i.title)}</a>{_status(i)}</li>' for i in latest)
    body = (f'<div class="main"><div class="box"><h3>最新留言</h3><ul>{rows}</ul>'
            f'<a class="more" href="/liuyan/list_1.html">查看全部留言</a></div></div>')
    return _board(BOARD, body)


def board_detail(item: SampleItem) -> str:
    if item.reply:
        reply = f"""<div class="reply"><div class="reply-dept">答复单位：{escape(item.reply.department)}</div>
<div class="reply-time">答复时间：{item.reply.at:%Y-%m-%d %H:%M}</div>
<div class="reply-content">{escape(item.reply.text)}</div></div>"""
    else:
        reply = '<div class="no-reply">该留言已转交相关部门办理，请耐心等待答复。</div>'
    body = f"""<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/liuyan/list_1.html">留言列表</a> &gt; 留言详情</div>
<div class="main msg-detail">
<h2 class="msg-title">{escape(item.title)}</h2>
<div class="msg-meta"><span class="msg-user">留言人：{escape(item.author)}</span>　<span class="msg-type">类型：{escape(item.column)}</span>　<span class="msg-dept">受理部门：{escape(item.department)}</span>　<span class="msg-status">办理状态：{"已回复" if item.answered else "未回复"}</span></div>
<div class="msg-time">留言时间：{item.published_at:%Y-%m-%d %H:%M}</div>
<div class="msg-content">{escape(item.text)}</div>
{reply}
<div class="tips">温馨提示：留言内容仅代表网友个人观点，不代表本网站立场。</div>
</div>"""
    return _board(f"{item.title}_{BOARD}", body)


# --- shared -----------------------------------------------------------------------------

def robots(site: str) -> str:
    extra = {"portal": "Disallow: /module/search/\n", "board": "Disallow: /liuyan/post\n"}.get(site, "")
    return f"User-agent: *\nDisallow: /search\n{extra}Allow: /\n"


def not_found(site: str) -> str:
    charset = "gb2312" if site == "news" else "utf-8"
    name = {"portal": "芝罘区人民政府", "news": "烟台民生网", "weibo": "RSSHub", "board": BOARD,
            "liuyan": "领导留言板"}[site]
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>404 页面不存在_{name}</title></head>'
            f'<body><div class="error"><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除。</p>'
            f'<p><a href="/">返回{name}首页</a></p></div></body></html>\n')


def search_page(site: str) -> str:
    charset = "gb2312" if site == "news" else "utf-8"
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>站内搜索</title></head>'
            f'<body><p>请输入关键词进行搜索。</p></body></html>\n')
