"""HTML of the government portal (UTF-8) and of the city news site (GBK): lists and articles.

Pages carry the furniture real sites have (navigation, breadcrumbs, share bars, related links,
ads, comment boxes) so the extractors are tested against more than the article body.
"""

from __future__ import annotations

from html import escape

from yuqing.sample_sites.model import COLUMNS, SampleItem

PORTAL = "芝罘区人民政府"
NEWS = "烟台民生网"
PORTAL_NAV = (("/", "首页"), ("/col/zfyw/index.html", "政府要闻"), ("/col/tzgg/index.html", "通知公告"),
              ("/col/zwgk/index.html", "政务公开"), ("/col/zwfw/index.html", "政务服务"),
              ("/col/hdjl/index.html", "互动交流"), ("http://www.yantai.gov.cn/", "烟台市政府"))
EXTRA_COLUMNS = {"zwgk": "政务公开", "zwfw": "政务服务", "hdjl": "互动交流"}


def portal_page_name(page: int) -> str:
    """Hanweb-style static pages: index.html, then index_1.html, index_2.html ..."""
    return "index.html" if page == 1 else f"index_{page - 1}.html"


def news_page_name(page: int) -> str:
    return "index.html" if page == 1 else f"index_{page}.html"


def _paras(item: SampleItem, indent: bool = True) -> str:
    style = ' style="text-indent:2em;"' if indent else ""
    return "\n".join(f"<p{style}>{escape(p)}</p>" for p in item.paragraphs)


# --- portal -----------------------------------------------------------------------------

def _portal(title: str, body: str, meta: str = "") -> str:
    nav = "".join(f'<li><a href="{href}">{name}</a></li>' for href, name in PORTAL_NAV)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{escape(title)}</title>
<meta name="SiteName" content="{PORTAL}">
<meta name="SiteDomain" content="www.zhifu.gov.cn">
<meta name="SiteIDCode" content="3706020001">
{meta}<link rel="stylesheet" href="/css/common.css">
</head>
<body>
<div class="topbar"><span class="welcome">欢迎访问{PORTAL}网站</span>
<span class="tools"><a href="javascript:;">无障碍浏览</a> | <a href="javascript:;">长者模式</a> | <a href="javascript:;">English</a></span></div>
<div class="header"><h1 class="site-name"><a href="/">{PORTAL}</a></h1>
<form class="search" action="/search" method="get"><input type="text" name="q" placeholder="请输入关键字"><button type="submit">搜索</button></form></div>
<div class="nav"><ul>{nav}</ul></div>
{body}
<div class="footer">
<p><a href="javascript:;">网站地图</a> | <a href="javascript:;">联系我们</a> | <a href="javascript:;">隐私声明</a></p>
<p>主办单位：烟台市芝罘区人民政府办公室　承办单位：芝罘区大数据中心　地址：烟台市芝罘区南大街</p>
<p>版权所有：烟台市芝罘区人民政府办公室　鲁ICP备05002356号-1　鲁公网安备 37060202000152号　网站标识码：3706020001</p>
</div>
</body>
</html>
"""


def _portal_rows(items: list[SampleItem]) -> str:
    return "\n".join(f'<li><a href="{i.path}" title="{escape(i.title)}" target="_blank">{escape(i.title)}</a>'
                     f'<span>{i.published_at:%Y-%m-%d}</span></li>' for i in items)


def portal_home(columns: dict[str, list[SampleItem]]) -> str:
    boxes = "".join(
        f'<div class="box"><div class="box-head"><h3>{COLUMNS[slug][1]}</h3>'
        f'<a class="more" href="/col/{slug}/index.html">更多&gt;&gt;</a></div>'
        f'<ul class="list">{_portal_rows(items[:8])}</ul></div>' for slug, items in columns.items())
    body = f'<div class="main home"><div class="banner"><img src="/images/banner.jpg" alt="魅力芝罘"></div>{boxes}</div>'
    return _portal(PORTAL, body)


def portal_list(slug: str, items: list[SampleItem], page: int, pages: int, total: int) -> str:
    name = COLUMNS[slug][1]
    links = [f'<a href="{portal_page_name(1)}">首页</a>']
    if page > 1:
        links.append(f'<a href="{portal_page_name(page - 1)}">上一页</a>')
    if page < pages:
        links.append(f'<a href="{portal_page_name(page + 1)}" class="next">下一页</a>')
    links.append(f'<a href="{portal_page_name(pages)}">尾页</a>')
    body = f"""<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/col/{slug}/index.html">{name}</a></div>
<div class="main"><div class="side"><h3>{name}</h3></div>
<div class="main-list"><h2 class="col-title">{name}</h2>
<ul class="list">
{_portal_rows(items)}
</ul>
<div class="pagination">共 {total} 条　第 {page}/{pages} 页　{" ".join(links)}</div>
</div></div>"""
    return _portal(f"{name}_{PORTAL}", body, f'<meta name="ColumnName" content="{name}">\n')


def portal_placeholder(slug: str) -> str:
    name = EXTRA_COLUMNS[slug]
    return _portal(f"{name}_{PORTAL}", f'<div class="main"><h2 class="col-title">{name}</h2>'
                                        f'<p class="empty">栏目内容正在更新中，敬请关注。</p></div>')


def portal_article(item: SampleItem, related: list[SampleItem]) -> str:
    column = COLUMNS[item.column][1]
    stamp = f"{item.published_at:%Y-%m-%d %H:%M}"
    meta = (f'<meta name="ColumnName" content="{column}">\n<meta name="ArticleTitle" content="{escape(item.title)}">\n'
            f'<meta name="PubDate" content="{stamp}">\n<meta name="ContentSource" content="{escape(item.source)}">\n'
            f'<meta name="Author" content="{escape(item.author)}">\n')
    attachment = ""
    if item.attachment:
        attachment = (f'<div class="attachment"><p>附件：<a href="/module/download/{item.ident}_1.pdf" '
                      f'target="_blank">{escape(item.attachment)}</a></p></div>')
    rel = "".join(f'<li><a href="{r.path}" target="_blank">{escape(r.title)}</a></li>' for r in related)
    body = f"""<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/col/{item.column}/index.html">{column}</a> &gt; 正文</div>
<div class="main article">
<div class="article-title">{escape(item.title)}</div>
<div class="article-info">发布时间：{stamp}　来源：{escape(item.source)}　作者：{escape(item.author)}　<span class="views">浏览次数：<script>document.write(Math.floor(Math.random()*900)+100)</script></span>　【字体：<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a>】</div>
<div id="zoom">
{_paras(item)}
</div>
{attachment}
<div class="share">分享到：<a href="javascript:;">微信</a> <a href="javascript:;">微博</a> <a href="javascript:;">QQ空间</a>　<a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="related"><h3>相关链接</h3><ul>{rel}</ul></div>
</div>"""
    return _portal(f"{item.title}_{PORTAL}", body, meta)


def pdf_bytes(title: str) -> bytes:
    """A tiny valid one-page PDF (ASCII only: the attachment is not what is being tested)."""
    stream = b"BT /F1 12 Tf 72 720 Td (Sample attachment) Tj ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


# --- news (served as GBK bytes) ---------------------------------------------------------

def _news(title: str, body: str, hot: list[SampleItem], description: str = "") -> str:
    hot_rows = "".join(f'<li><a href="{i.path}">{escape(i.title)}</a></li>' for i in hot)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html>
<head>
<meta charset="gb2312">
<title>{escape(title)}</title>
<meta name="keywords" content="烟台新闻,烟台民生,芝罘">
<meta name="description" content="{escape(description)}">
<link rel="stylesheet" href="/css/news.css">
</head>
<body>
<div class="topbar"><a href="/">{NEWS}首页</a> | <a href="/yantai/index.html">烟台</a> | <a href="javascript:;">民生</a> | <a href="javascript:;">问政</a> | <a href="javascript:;">视频</a></div>
<div class="ad ad-top"><a href="javascript:;">【广告】港城壹号院 海景洋房火热认购中 咨询电话：0535-6688xxx</a></div>
{body}
<div class="side"><div class="hot"><h3>热点排行</h3><ul>{hot_rows}</ul></div>
<div class="ad ad-side"><a href="javascript:;">【推广】烟台苹果产地直发 点击购买</a></div></div>
<div class="footer"><p>{NEWS}　版权所有　未经书面授权禁止转载</p><p>鲁ICP备10203040号　违法和不良信息举报电话：0535-6600000</p></div>
</body>
</html>
"""


def news_list(items: list[SampleItem], page: int, pages: int, hot: list[SampleItem]) -> str:
    rows = "\n".join(f'<li><a href="{i.path}" target="_blank">{escape(i.title)}</a>'
                     f'<span class="time">{i.published_at:%Y-%m-%d %H:%M}</span></li>' for i in items)
    links = [f'<a href="{news_page_name(1)}">首页</a>']
    if page > 1:
        links.append(f'<a href="{news_page_name(page - 1)}">上一页</a>')
    links.append(f'<span class="cur">{page}</span>')
    if page < pages:
        links.append(f'<a href="{news_page_name(page + 1)}">下一页</a>')
    links.append(f'<a href="{news_page_name(pages)}">尾页</a>')
    body = f"""<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/yantai/index.html">烟台</a></div>
<div class="main"><h2 class="channel">烟台新闻</h2>
<ul class="news-list">
{rows}
</ul>
<div class="page">{" ".join(links)}</div></div>"""
    return _news(f"烟台新闻_{NEWS}", body, hot)


def news_home(latest: list[SampleItem], hot: list[SampleItem]) -> str:
    rows = "".join(f'<li><a href="{i.path}">{escape(i.title)}</a></li>' for i in latest)
    body = f'<div class="main"><div class="focus"><h2><a href="/yantai/index.html">烟台新闻</a></h2><ul>{rows}</ul></div></div>'
    return _news(f"{NEWS}_烟台百姓身边的新闻网站", body, hot)


COMMENTS = ("关注一下，希望有关部门重视。", "支持！为记者点赞。", "这样的报道多来点。", "希望后续有跟进报道。")


def news_article(item: SampleItem, related: list[SampleItem], hot: list[SampleItem]) -> str:
    rel = "".join(f'<li><a href="{r.path}">{escape(r.title)}</a><span>{r.published_at:%m-%d}</span></li>'
                  for r in related)
    comments = "".join(f'<div class="comment"><span class="user">{NEWS}网友</span>：{c}</div>'
                       for c in COMMENTS[: len(item.title) % 3 + 1])
    body = f"""<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/yantai/index.html">烟台</a> &gt; 正文</div>
<div class="main">
<h1 class="title">{escape(item.title)}</h1>
<div class="info">发布时间：{item.published_at:%Y-%m-%d %H:%M:%S} 来源：{escape(item.source)} 作者：{escape(item.author)}</div>
<div class="article-content">
{_paras(item)}
</div>
<div class="editor">（责任编辑：于欣然）</div>
<div class="ad ad-inline"><a href="javascript:;">【广告】芝罘区某教育培训机构寒假班开始报名</a></div>
<div class="related-news"><h3>相关新闻</h3><ul>{rel}</ul></div>
<div class="comment-box"><h3>网友评论</h3><form action="/search" method="post"><textarea name="c">文明上网，理性发言</textarea><button>发表评论</button></form>{comments}</div>
</div>"""
    return _news(f"{item.title}_{NEWS}", body, hot, item.paragraphs[0][:80] if item.paragraphs else "")
