"""Article body by text density over the lxml tree, plus attachment links.

Every run of text is charged to its innermost block element; blocks that hold sentences (CJK
punctuation, length) pass their score up to their ancestors with decay, and the winner is the
ancestor with the most sentence mass after discounting link text. Navigation, share bars,
comment boxes and "相关阅读" lists are removed first, by tag and by class/id name.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree

from .dom import BLOCK_TAGS, attr_words, drop, is_wrapper_link, lines_of, squash, text_of
from .model import Attachment

_JUNK_TAGS = ("script", "style", "noscript", "iframe", "svg", "canvas", "select", "button", "textarea",
              "input", "object", "embed", "template", "link", "meta", "nav", "footer", "aside", "map")
_NEGATIVE = re.compile(
    r"comment|share|footer|\bfoot|\bnav|menu|breadcrumb|crumb|sidebar|\bside|related|relate|recommend|"
    r"\bhot|rank|copyright|banner|advert|\bad[s_-]|login|toolbar|\btool|print|pager|pagination|"
    r"xgyd|xgxw|tuijian|qrcode|erweima|subscribe|popup|modal|\btags?\b|bshare|jiathis|cmt|gentie|"
    r"weibo|wechat|search|position|location|dqwz|more-?news|morenews|friend|link-?list|\bdzfp",
    re.I)
_POSITIVE = re.compile(
    r"article|content|main|\btext|\bbody|zoom|detail|trs_editor|news_?txt|\bzw\b|con_?text|"
    r"post|entry|rich_media|js_content|ucap", re.I)
_CONTAINERS = frozenset("div td section article body main font span center form table tbody tr".split())
_PUNCT = re.compile(r"[，。；！？、,;：“”]")
_RELATED = re.compile(r"^(?:【)?(?:相关阅读|相关新闻|相关链接|相关文章|相关报道|相关稿件|延伸阅读|推荐阅读|相关推荐|"
                      r"热门推荐|热点推荐|猜你喜欢|更多精彩|精彩推荐|精彩图集|今日推荐|往期回顾|热门评论|"
                      r"网友评论|我要评论|分享到|扫一扫|关注我们|上一篇|下一篇)")
_BOILER = re.compile(
    r"^(?:[\[【(（]?\s*(?:责任编辑|编辑|责编|纠错|打印|关闭|收藏|字号|字体|字体大小)\s*[:：】\]）)]|"
    r"[\[【]\s*(?:大|中|小|打印|关闭)\s*[\]】]|(?:打印本页|关闭窗口|返回顶部|分享至|分享到)|浏览次数|阅读次数|点击数)")
# A header line (date, source, counters, font-size buttons) above the first paragraph. Bylines
# ("半月谈记者 史卫燕") are left alone: they are part of the article text.
_META_LINE = re.compile(r"(?:来源|发布时间|发布日期|发表时间|发稿时间|更新时间|浏览|阅读量|访问量|点击|字号|分享|打印|"
                        r"【大】|\[大\])\s*[:：]?")
_WIDGET = re.compile(r"^(?:(?:转播|分享|发送)[到至].{0,8}|图集|组图|视频|音频|播放|图片|分享|收藏|点赞|评论|字号|打印|语音播报|听新闻|\+1)$")
_CLOCK = re.compile(r"\d{1,2}[:：]\d{2}")
# A dateline has no sentence in it; "定于11月28日8:00至18:00暂停供水。" is the notice itself.
_SENTENCE_END = re.compile(r"[，。；！？,;!?]")
ATTACHMENT_EXT = ("pdf", "doc", "docx", "xls", "xlsx", "zip", "rar", "7z", "wps", "ofd", "et", "ppt",
                  "pptx", "txt", "csv")


_ONE_CJK = re.compile(r"^[\u4e00-\u9fff]$")


def _vertical_label(el) -> bool:
    """A widget heading written one character per line ("今/日/推/荐"): two or more children
    that each hold one CJK character, or single characters between <br>s."""
    if (el.text or "").strip():
        pieces = [el.text.strip()]
        for kid in el:
            if kid.tag != "br" or len(kid):
                return False
            if (kid.tail or "").strip():
                pieces.append(kid.tail.strip())
        return len(pieces) >= 2 and all(_ONE_CJK.match(p) for p in pieces)
    count = 0
    for kid in el:
        if not isinstance(kid.tag, str) or kid.tag == "br":
            continue
        # links are buttons (字号 大/中/小, pagers), never a widget's heading
        if kid.tag == "a" or len(kid) > 2 or (kid.tail or "").strip() or kid.find(".//a") is not None:
            return False
        # <li>今</li>, or one level deeper: <p><span>今</span></p>, <tr><td>今</td></tr>
        text = squash(kid.text_content()) if len(kid) else (kid.text or "").strip()
        if not _ONE_CJK.match(text):
            return False
        count += 1
    return count >= 2


def _drop_vertical_widgets(root) -> None:
    labels = [el for el in root.iter("ul", "ol", "div", "p", "td", "span", "dl", "h2", "h3", "h4", "tbody", "table")
              if len(el) >= 1 and _vertical_label(el)]
    for label in labels:
        box = label.getparent()
        if box is None or _detached(label, root):
            continue
        # the label names the whole box (a recommendation or ranking widget), unless the box
        # holds the page's headline: then only the label goes
        if box.tag in ("html", "body") or box.find(".//h1") is not None:
            label.drop_tree()
        else:
            box.drop_tree()


def clean(root) -> None:
    drop(root.iter(*_JUNK_TAGS))
    _drop_vertical_widgets(root)
    doomed = []
    for el in root.xpath("//*[@class or @id or @style]"):  # only named/styled nodes can match
        if not isinstance(el.tag, str) or el.tag in ("html", "body"):
            continue
        style = (el.get("style") or "").replace(" ", "").lower()
        if "display:none" in style:
            doomed.append(el)
            continue
        words = attr_words(el)
        if words.strip() and _NEGATIVE.search(words) and not _POSITIVE.search(words):
            doomed.append(el)
    for el in doomed:
        # Descendants of an already dropped block went with it (doomed is in document order).
        if el.getparent() is None or _detached(el, root):
            continue
        text = squash(el.text_content())
        # Unlinked prose is content whatever its class says ("side-content", a nav <div> that an
        # unclosed tag made swallow the article).
        # Prose first, and link characters counted only until they decide: reading every
        # link's text of a 60-link menu was 14% of an article's extraction (issue 18).
        if (len(text) > 400 or _sentences(el) >= 2) and not _links_reach(el, 0.2 * len(text)):
            continue
        el.drop_tree()


def _detached(el, root) -> bool:
    top = el
    for top in el.iterancestors():
        pass
    return top is not root


def _sentences(el) -> int:
    return sum(1 for p in el.iter("p") if len(_PUNCT.findall(p.text_content() or "")) >= 1
               and len(squash(p.text_content())) >= 20)


def _links_reach(el, limit: float) -> bool:
    """Whether el's real links hold at least `limit` characters: counted until they do (a
    menu of 60 links is settled by its first dozen)."""
    count = 0
    for a in el.iter("a"):
        if not is_wrapper_link(a):
            count += len(squash(a.text_content()))
            if count >= limit:
                return True
    return count >= limit


def _block_stats(body) -> tuple[dict, dict, dict]:
    """Per block element: own inline text, and subtree text/link totals (single pass)."""
    own: dict = {}
    total: dict = {}
    links: dict = {}
    stack: list = []
    in_link = 0
    anchors: list[bool] = []   # per open <a>: a real link? (asked once, at its start)
    for event, node in etree.iterwalk(body, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in BLOCK_TAGS or tag in _CONTAINERS or node is body:
                stack.append(node)
                own[node] = []
            if tag == "a":
                anchors.append(not is_wrapper_link(node))
                in_link += anchors[-1]
            if node.text and tag and stack:
                own[stack[-1]].append(node.text)
                if in_link:
                    links[stack[-1]] = links.get(stack[-1], 0) + len(squash(node.text))
        else:
            if tag == "a":
                in_link -= anchors.pop()
            if stack and stack[-1] is node:
                stack.pop()
            if node is not body and node.tail and stack:
                own[stack[-1]].append(node.tail)
                if in_link:
                    links[stack[-1]] = links.get(stack[-1], 0) + len(squash(node.tail))
    own_text = {el: squash("".join(parts)) for el, parts in own.items()}
    for el in reversed(list(own_text)):  # children were opened after their parents
        total[el] = total.get(el, 0) + len(own_text[el])
        parent = el.getparent()
        while parent is not None and parent not in own_text:
            parent = parent.getparent()
        if parent is not None:
            total[parent] = total.get(parent, 0) + total[el]
            links[parent] = links.get(parent, 0) + links.get(el, 0)
    return own_text, total, links


def best_node(root):
    own_text, total, links = _block_stats(root)
    scores: dict = {}
    for el, text in own_text.items():
        if len(text) < 10:
            continue
        value = 1 + len(_PUNCT.findall(text)) + min(len(text) / 30, 6)
        link_share = links.get(el, 0) / max(total.get(el, 1), 1)
        if link_share > 0.5:
            continue
        target = el if el.tag in _CONTAINERS else el.getparent()
        weight = 1.0
        while target is not None and weight > 0.1:
            if target in own_text:
                scores[target] = scores.get(target, 0) + value * weight
                weight *= 0.5
            target = target.getparent()
    best, best_score = None, 0.0
    for el, score in scores.items():
        density = links.get(el, 0) / max(total.get(el, 1), 1)
        final = score * (1 - density)
        words = attr_words(el)
        if _POSITIVE.search(words):
            final *= 1.15
        if final > best_score:
            best, best_score = el, final
    return best


def body_lines(node, title: str) -> list[str]:
    lines = lines_of(node)
    kept: list[str] = []
    title_key = squash(title)
    for text, link_chars in lines:
        key = squash(text)
        if kept and _RELATED.match(text):
            break
        if link_chars >= 0.6 * len(key) and (len(key) < 80 or not _PUNCT.search(text)):
            continue
        if _BOILER.match(text):
            continue
        if not kept:
            if key == title_key and title_key:
                continue
            if _RELATED.match(text) or (_META_LINE.search(text) and len(key) < 60 and "。" not in text):
                continue
            if _CLOCK.search(text) and len(key) < 40 and not _SENTENCE_END.search(text):
                continue
            if _WIDGET.match(key):
                continue
        kept.append(text)
    return kept


def attachments(scope, base_url: str) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    seen: set[str] = set()
    if scope is None:
        return ()
    for a in scope.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        path = urlsplit(href).path.lower()
        ext = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
        if ext not in ATTACHMENT_EXT:
            continue
        url = urljoin(base_url, href) if base_url else href
        if url in seen:
            continue
        seen.add(url)
        title = text_of(a) or (a.get("title") or "").strip() or path.rsplit("/", 1)[-1]
        found.append(Attachment(title=title, url=url))
    return tuple(found)
