"""Column (list) pages: the article links they carry, and the pages after them.

A column page is recognised generically as its largest repeated block of links with
article-length titles (many with a date beside them); menus repeat too, but with 2–6 character
labels. Hanweb (大汉) sites ship the list as CDATA records inside <datastore>; TRS sites page
with a createPageHTML(count, current, "index", "shtml") script instead of links.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

from lxml import html

from .dates import find_datetimes
from .dom import attr_words, cjk_len, norm, parse, text_of
from .encoding import decode_html
from .model import Link

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_TRS_PAGER = re.compile(
    r"createPageHTML\(\s*(?:['\"][^'\"]*['\"]\s*,\s*)?([\w.]+)\s*,\s*([\w.]+)\s*,\s*['\"]([^'\"]+)['\"]\s*,"
    r"\s*['\"]([^'\"]+)['\"]")
_NEXT_TEXT = re.compile(r"^(?:下一页|下页|后一页|后页|下一页\s*[>»›]+|[>»›]|next(?:\s*page)?)$", re.I)
_STATIC_PAGE = re.compile(r"(?:^|/)([A-Za-z]+)_?(\d+)\.(s?html?|jhtml|jsp|php|aspx?)$")
_SKIP_HREF = ("javascript:", "mailto:", "tel:", "#")
_ITEM_TAGS = ("li", "tr", "dd", "dt", "p", "div", "td", "article", "section")
# Blocks around a column's own list that carry article-length links of their own: menus, the
# sidebar's 热点/推荐 lists, 友情链接, the footer.
_OFF_MAIN = re.compile(r"nav|menu|header|\bhead|footer|\bfoot|\bside|sidebar|\bhot|rank|recommend|tuijian|"
                       r"related|xgxw|friend|youqing|\blinks?\b|banner|\btop\b|toolbar", re.I)
_MAIN_WORDS = re.compile(r"main|content|list|column|\bcol\b|news", re.I)
_ARTICLE_HREF = re.compile(r"\d{4,}|/(?:19|20)\d{2}[-/]?\d{1,2}|[?&](?:id|aid|articleid|docid|newsid|tid)=\w", re.I)


def _root(body: bytes | str):
    if isinstance(body, bytes):
        body, _ = decode_html(body)
    return parse(body or ""), body or ""


def _title(a) -> str:
    text = text_of(a)
    attr = norm(a.get("title"))
    if attr and (len(attr) > len(text) or text.endswith(("...", "…", "..")) or not text):
        return attr
    return text


def _item(a):
    node = a
    for _ in range(4):
        parent = node.getparent()
        if parent is None:
            break
        node = parent
        if node.tag in _ITEM_TAGS:
            return node
    return a.getparent() if a.getparent() is not None else a


def _date_near(a):
    item = _item(a)
    if item.tag == "td" and item.getparent() is not None and item.getparent().tag == "tr":
        item = item.getparent()  # a table row: the date is in a cell of its own
    text = text_of(item)
    found = [f for f in find_datetimes(text) if not f.relative] or find_datetimes(text)
    return found[0].value if found else None


def _signature(a) -> tuple:
    parts = []
    node = a
    while node is not None and isinstance(node.tag, str):
        cls = (node.get("class") or "").split()
        parts.append((node.tag, cls[0] if cls and node.tag != "a" else ""))
        node = node.getparent()
    return tuple(reversed(parts))


def _links_from(anchors, base_url: str, with_dates: bool = True) -> list[Link]:
    out: OrderedDict[str, Link] = OrderedDict()
    for a in anchors:
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(_SKIP_HREF):
            continue
        url = urljoin(base_url, href) if base_url else href
        title = _title(a)
        if not title or url in out:
            continue
        out[url] = Link(url=url, title=title, date=_date_near(a) if with_dates else None)
    return list(out.values())


def _anchors(root):
    return [a for a in root.iter("a") if (a.get("href") or "").strip()
            and not (a.get("href") or "").strip().lower().startswith(_SKIP_HREF)]


def _off_main(a) -> bool:
    for node in a.iterancestors():
        if not isinstance(node.tag, str) or node.tag in ("html", "body"):
            break
        if node.tag in ("nav", "header", "footer", "aside"):
            return True
        words = attr_words(node)
        if words.strip() and _OFF_MAIN.search(words) and not _MAIN_WORDS.search(words):
            return True
    return False


def _group_score(anchors) -> tuple[float, float]:
    titles = [_title(a) for a in anchors]
    lengths = [max(cjk_len(t), len(t) // 2) for t in titles]
    mean = sum(lengths) / len(lengths)
    dated = sum(1 for a in anchors[:30] if _date_near(a)) / min(len(anchors), 30)
    score = len({a.get("href") for a in anchors}) * min(mean, 30) * (1 + 2 * dated)
    if _off_main(anchors[0]):
        score *= 0.3
    return score, mean


def _young_list(anchors) -> bool:
    """One or two entries (a new column, a young board) count only when they look like articles:
    article-length titles, in the page's main part, dated or with an article-like address."""
    if _off_main(anchors[0]):
        return False
    for a in anchors:
        title = _title(a)
        size = max(cjk_len(title), len(title) // 2)
        dated, article_like = bool(_date_near(a)), bool(_ARTICLE_HREF.search(a.get("href") or ""))
        # a citizen's message is often titled in four characters ("暖气不热"); then its row
        # must carry both a date and an article-like address
        if size < 4 or (size < 8 and not (dated and article_like)):
            return False
        if not (dated or article_like):
            return False
    return True


def extract_links(body: bytes | str, base_url: str, selector: str | None = None) -> list[Link]:
    """Article links of a column page, in page order. Never raises; [] when none are found."""
    try:
        root, text = _root(body)
        if root is None:
            return []
        if selector:
            from .article import _select  # shared CSS/XPath handling

            anchors = []
            for hit in _select(root, selector):
                if isinstance(hit, str):
                    continue
                anchors.extend([hit] if hit.tag == "a" else hit.iter("a"))
            return _links_from(anchors, base_url)
        records = _RECORD.findall(text)
        if records:
            anchors = []
            for record in records:
                try:
                    frag = html.fragment_fromstring(record, create_parent="div")
                except Exception:  # noqa: BLE001 - one broken record must not lose the rest
                    continue
                found = sorted(frag.iter("a"), key=lambda a: -len(_title(a)))
                anchors.extend(found[:1])
            return _links_from(anchors, base_url)
        return _links_from(_best_groups(root), base_url)
    except Exception:  # noqa: BLE001 - list pages are as broken as articles
        return []


def _scored_groups(root) -> list[tuple[float, tuple, list]]:
    groups: OrderedDict[tuple, list] = OrderedDict()
    for a in _anchors(root):
        groups.setdefault(_signature(a), []).append(a)
    scored = []
    for sig, anchors in groups.items():
        young = len(anchors) < 3
        if young and not _young_list(anchors):
            continue
        score, mean = _group_score(anchors)
        if mean >= 6 or young:  # a young list passed its own, stricter test
            scored.append((score, sig, anchors))
    scored.sort(key=lambda item: -item[0])
    return scored


def _best_groups(root, scored=None) -> list:
    scored = _scored_groups(root) if scored is None else scored
    if not scored:
        return []
    best_score, best_sig, best = scored[0]
    # Other lists of article-length titles in the same region (a column split over several
    # <ul>, channel blocks of a news front page) belong too; menus, tag clouds and the
    # sidebar's hot lists do not.
    depth = max(len(best_sig) // 2, 2)
    side_ok = _off_main(best[0])
    keep = {best_sig} | {sig for score, sig, anchors in scored
                         if score >= 0.1 * best_score and _group_score(anchors)[1] >= 8
                         and sig[:depth] == best_sig[:depth] and (side_ok or not _off_main(anchors[0]))}
    return [a for a in _anchors(root) if _signature(a) in keep]


def _page_number(url: str) -> tuple[str, int]:
    path = urlsplit(url).path
    m = _STATIC_PAGE.search(path)
    if m:
        return m.group(1), int(m.group(2))
    return "", 0


def _js_int(token: str, text: str) -> int | None:
    if token.isdigit():
        return int(token)
    m = re.search(r"\b" + re.escape(token) + r"\s*=\s*(\d+)", text)
    return int(m.group(1)) if m else None


def next_pages(body: bytes | str, base_url: str) -> list[str]:
    """URLs of the pages after this one, nearest first, as far as the page reveals them."""
    try:
        root, text = _root(body)
    except Exception:  # noqa: BLE001
        return []
    pages: list[str] = []

    def add(url: str) -> None:
        if url and url != base_url and url not in pages:
            pages.append(url)

    for m in _TRS_PAGER.finditer(text):
        count, current = _js_int(m.group(1), text), _js_int(m.group(2), text)
        if count is None or current is None:
            continue
        name, ext = m.group(3), m.group(4)
        for k in range(current + 1, count):
            add(urljoin(base_url, f"{name}_{k}.{ext}"))
    if _RECORD.search(text):
        total = re.search(r"total_?record\s*[:=>'\"]*\s*(\d+)", text, re.I)
        per = re.search(r"per_?page\s*[:=>'\"]*\s*(\d+)", text, re.I)
        unit = re.search(r"unitid=(\d+)", text) or re.search(r"<div id=['\"]?(\d{4,})", text)
        if total and per and unit and int(per.group(1)) > 0:
            parts = urlsplit(base_url)
            current = int((parse_qs(parts.query).get("pageNum") or ["1"])[0])
            last = math.ceil(int(total.group(1)) / int(per.group(1)))
            for k in range(current + 1, last + 1):
                add(urlunsplit(parts._replace(query=f"uid={unit.group(1)}&pageNum={k}")))
    if root is None:
        return pages
    stem, current = _page_number(base_url)
    numbered = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(_SKIP_HREF):
            continue
        label = text_of(a) or norm(a.get("title"))
        if _NEXT_TEXT.match(label) or _NEXT_TEXT.match(norm(a.get("title"))):
            add(urljoin(base_url, href))
            continue
        m = _STATIC_PAGE.search(urlsplit(href).path)
        # Page numbers are small; "index_10022.jhtml" is a site's home page, not page 10022.
        if m and m.group(1).lower() in ("index", "list", "default", "page", "information", stem.lower()) \
                and current < int(m.group(2)) <= current + 200:
            numbered.append((int(m.group(2)), urljoin(base_url, href)))
    for _, url in sorted(numbered):
        add(url)
    return pages
