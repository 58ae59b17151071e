"""What an address is and what crawling it would yield, for `yuqing source add/test`.

A page is a feed (RSS/Atom), a column list page (site), a message board's list (board) or a
single article. For lists the article-link block is the one the crawler's own extract_links
finds; when its links do not lead to articles, the next candidate blocks are tried and the
winner's CSS selector is proposed. Three sample articles are fetched and extracted exactly as
the spiders will (same extractor, same selectors), so what the person sees is what the
crawler will store.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from yuqing.crawlers.extract import decode_html, extract_article, link_blocks, next_pages
from yuqing.crawlers.extract.dom import parse, squash, text_of
from yuqing.crawlers.probe_board import board_selectors
from yuqing.crawlers.probe_fetch import Fetched, FetchError, Fetcher
from yuqing.crawlers.probe_samples import (Probe, Sample, answered, article_sample, board_sample, paging_pattern,
                                           sample_problems)
from yuqing.crawlers.urls import host_of, is_private_host, registered_domain

SAMPLES = 3
KIND_NAMES = {"feed": "订阅源（RSS/Atom）", "site": "栏目列表页", "board": "留言板列表页", "article": "单篇文章页",
              "liuyan": "人民网领导留言板接口"}
_BOARD_STATUS = re.compile(r"已回复|已答复|已办结|未回复|待回复|未答复|办理中|已受理|待受理|处理中|已处理")
_BOARD_TITLE = re.compile(r"留言|来信|问政|诉求|信箱|民意|网友|投诉|咨询")
_CRUMB = re.compile(r"crumb|location|position|dqwz|weizhi|curpos|nav-?path|\bpath\b|\bcurrent\b", re.I)
_CRUMB_TEXT = re.compile(r"^(?:当前位置|您的位置|您现在的位置|所在位置|现在位置)")
_HOME_PATHS = ("", "/", "/index.html", "/index.htm", "/index.shtml", "/index.jhtml", "/default.html")


def looks_like_feed(page: Fetched) -> bool:
    head = page.body[:600].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if re.match(rb"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:rdf)\b", head, re.S):
        return True
    return any(t in page.content_type.lower() for t in ("rss", "atom")) and b"<html" not in head


def page_kind(page: Fetched) -> tuple[str, list]:
    """(kind, candidate link blocks) of an HTML page or feed."""
    if looks_like_feed(page):
        return "feed", []
    blocks = link_blocks(page.body, page.url)
    links = blocks[0].links if blocks else ()
    article = extract_article(page.body, page.url, page.fetched_at, declared_encoding=page.declared)
    body = squash(article.content)
    # On a list page the "body" the article extractor finds is the list itself.
    inside = sum(1 for link in links if squash(link.title)[:12] in body)
    dated = sum(1 for link in links if link.date)
    sentences = len(re.findall(r"[。！？]", body))
    is_list = bool(links) and (len(body) < 150 or inside * 2 >= len(links) or sentences < 3
                               or (len(links) >= 5 and dated * 2 >= len(links) and sentences < len(links)))
    if is_list:
        text, _ = decode_html(page.body, page.declared)
        statuses = len(_BOARD_STATUS.findall(text))
        if statuses >= max(1, len(links) // 2) or _BOARD_TITLE.search(_page_title(page)):
            return "board", blocks
        return "site", blocks
    if len(body) >= 50:
        return "article", blocks
    return "unknown", blocks


def _page_title(page: Fetched) -> str:
    text, _ = decode_html(page.body, page.declared)
    m = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    return re.sub(r"\s+", " ", m.group(1)).strip() if m else ""


def _name_of(page: Fetched) -> str:
    """'芝罘要闻_芝罘区人民政府' -> '芝罘区人民政府·芝罘要闻': the site, then the column."""
    raw = _page_title(page)
    parts = [p.strip() for p in re.split(r"\s*(?:_+|\||｜|——|—|-{1,2})\s*", raw) if p.strip()]
    if len(parts) >= 2:
        return f"{parts[-1]}·{parts[0]}"
    return raw


def probe(url: str, fetcher: Fetcher, kind: str | None = None, selectors: dict | None = None,
          samples: int = SAMPLES) -> Probe:
    """Look at url. `kind`/`selectors` are a configured source's (source test); without them
    the kind is detected and selectors are proposed only where the generic extraction fails."""
    result = Probe(url=url, private=is_private_host(host_of(url)))
    selectors = dict(selectors or {})
    try:
        page = fetcher.get(url)
    except FetchError as exc:
        result.problems.append(f"无法获取：{url}：{exc}")
        result.kind = kind or ""
        return result
    if not fetcher.allowed(url):
        result.problems.append(f"robots.txt 不允许采集：{url}")
    detected, blocks = page_kind(page)
    result.kind = kind or detected
    result.name = _name_of(page)
    if kind and detected != kind and not (kind == "board" and detected == "site"):
        result.notes.append(f"页面现在看起来是{KIND_NAMES.get(detected, detected)}，配置为 {kind}")
    if result.kind == "feed":
        _probe_feed(result, page, fetcher, samples, selectors)
    elif result.kind in ("site", "board"):
        _probe_list(result, page, blocks, fetcher, samples, selectors)
    elif result.kind == "article":
        _probearticle_sample(result, page, fetcher, samples)
    else:
        result.problems.append("页面上既没有文章链接也没有正文，无法判断类型")
    return result


def _probe_feed(result: Probe, page: Fetched, fetcher: Fetcher, samples: int, selectors: dict) -> None:
    import feedparser

    from yuqing.crawlers.text import html_to_text

    parsed = feedparser.parse(page.body)
    if not parsed.entries:
        result.problems.append("订阅源中没有条目" if not parsed.bozo else "不是有效的 RSS/Atom 订阅源")
        return
    result.name = html_to_text(parsed.feed.get("title", "")) or result.name
    result.links = len(parsed.entries)
    result.paging = "订阅源只有一页"
    for entry in parsed.entries[:samples]:
        link = urljoin(page.url, entry.get("link") or "")
        text = html_to_text((entry.get("content") or [{}])[0].get("value") or entry.get("summary", ""))
        title = html_to_text(entry.get("title", ""))
        when = _entry_time(entry)
        if len(text) < 40 and link.startswith("http") and host_of(link) not in ("weibo.com", "m.weibo.cn"):
            # title-only items (WeChat feeds): the spider follows the link; so do we
            followed = article_sample(link, fetcher, selectors)
            result.samples.append(Sample(link, title or followed.title, when or followed.published_at,
                                         followed.author, followed.source, followed.content, followed.problems))
            continue
        result.samples.append(Sample(link, title, when, entry.get("author", ""), "", text))
    sample_problems(result)


def _entry_time(entry) -> datetime | None:
    import calendar

    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc) if parsed else None


def _crawlable(links, url: str) -> list:
    home = registered_domain(host_of(url))
    return [link for link in links if registered_domain(host_of(link.url)) == home]


def _probe_list(result: Probe, page: Fetched, blocks, fetcher: Fetcher, samples: int, selectors: dict) -> None:
    configured = selectors.get("list_links")
    if configured:
        from yuqing.crawlers.extract import extract_links

        links = extract_links(page.body, page.url, configured)
        if not links:
            result.problems.append(f"列表选择器 list_links = {configured} 没有匹配到链接")
            if blocks:
                result.notes.append(f"自动识别找到 {len(blocks[0].links)} 条链接（{blocks[0].selector or '无需选择器'}）")
        chosen = [(configured, links, False)]
    else:
        chosen = [(b.selector, list(b.links), b.generic) for b in blocks]
    if not chosen or not chosen[0][1]:
        result.problems.append("列表页上没有找到文章链接")
        return
    board = result.kind == "board"
    picked = None
    for selector, links, generic in chosen:
        own = _crawlable(links, page.url)
        if not own:
            continue
        trial = [board_sample(link.url, fetcher, selectors) if board else article_sample(link.url, fetcher, selectors)
                 for link in own[:samples]]
        if board and not configured:
            # learn from more messages than are shown, so that an answered one teaches the reply
            learn = trial + answered(own[samples:samples + 12], fetcher)
            derived = board_selectors(learn, fetcher)
            selectors.update(derived)
            result.selectors.update(derived)
            trial = [board_sample(link.url, fetcher, selectors) for link in own[:samples]]
        good = sum(1 for s in trial if s.good)
        if picked is None or good > picked[3]:
            picked = (selector, links, generic, good, trial)
        if good * 2 >= len(trial):
            break
    if picked is None:
        result.problems.append("文章链接都指向其他网站，采集时会被拒绝（不离开本站）")
        result.links = len(chosen[0][1])
        return
    selector, links, generic, _, trial = picked
    result.links = len(links)
    result.block = selector
    result.samples = trial
    if not generic and not configured and selector:
        result.selectors["list_links"] = selector
    elif not generic and not configured:
        result.problems.append("自动识别的链接块不是文章，且无法为其他链接块生成选择器")
    result.pages = next_pages(page.body, page.url)
    result.paging = paging_pattern(page.url, result.pages)
    if len(links) <= 2:
        result.notes.append(f"列表只有 {len(links)} 条，已按新栏目处理")
    sample_problems(result)


def _column_candidates(page: Fetched) -> list[str]:
    text, _ = decode_html(page.body, page.declared)
    root = parse(text)
    found: list[str] = []
    if root is not None:
        for el in root.iter("div", "p", "span", "td", "nav", "ol", "ul"):
            words = f"{el.get('class') or ''} {el.get('id') or ''}"
            if not (_CRUMB.search(words) or _CRUMB_TEXT.match(text_of(el)[:8])):
                continue
            for a in reversed(list(el.iter("a"))):
                href = urljoin(page.url, (a.get("href") or "").strip())
                if href.startswith("http") and urlsplit(href).path not in _HOME_PATHS and href != page.url:
                    found.append(href)
            if found:
                break
    parts = urlsplit(page.url)
    path = parts.path.rsplit("/", 1)[0]
    while path and len(found) < 4:
        found.append(f"{parts.scheme}://{parts.netloc}{path}/")
        path = path.rsplit("/", 1)[0]
    return list(dict.fromkeys(found))[:4]


def _probearticle_sample(result: Probe, page: Fetched, fetcher: Fetcher, samples: int) -> None:
    """A single article is not a source; its column is. Find the column and probe that."""
    article_url = page.url
    for candidate in _column_candidates(page):
        try:
            column = fetcher.get(candidate)
        except FetchError:
            continue
        kind, blocks = page_kind(column)
        if kind not in ("site", "board") or not blocks:
            continue
        urls = {link.url for b in blocks for link in b.links}
        if article_url not in urls and len(urls) < 3:
            continue
        result.notes.append(f"这是一篇文章；它所在的栏目是 {column.url}，已改为添加该栏目")
        result.url, result.kind, result.name = column.url, kind, _name_of(column)
        _probe_list(result, column, blocks, fetcher, samples, {})
        return
    result.samples = [article_sample(article_url, fetcher, None)]
    result.problems.append("这是一篇文章，不是栏目：没有找到它所在的栏目列表页，请输入栏目列表页的地址")


