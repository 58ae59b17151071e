"""Publish time: visible date next to the title, checked against meta tags and inline JS.

Order of trust, learnt from real pages: a date labelled 发布时间/发布日期 next to the title beats
meta tags (CMS migrations rewrite PubDate); an unlabelled date next to the title beats meta tags
only when they agree on the day (then it supplies the time of day, or takes it from them);
meta tags beat inline JS; relative visible dates ("昨天") and URL paths are last resorts.
Page-generation stamps (Maketime, 页面生成时间, 生成日期, 发文日期) are never publish times.
"""

from __future__ import annotations

import re
from datetime import datetime

from .dates import Found, find_datetimes, parse_chinese_datetime, SHANGHAI

PUBLISH_METAS = (
    "pubdate", "publishdate", "article:published_time", "og:article:published_time",
    "og:published_time", "og:release_date", "og:time", "firstpublishedtime",
    "weibo:article:create_at", "datepublished", "itemprop:datepublished", "dc.date.issued",
    "dcterms.issued", "dc.date", "dcterms.created", "publish-date", "publish_date", "publishtime",
    "publish_time", "pubtime", "sailthru.date", "parsely-pub-date", "release_date", "createdate",
)
_STRONG_LABEL = re.compile(r"(发布|发表|发稿|上传|更新|时间|日期|date|published|posted)\s*[:：]?\s*[\[【(（]?\s*$", re.I)
_WEAK_LABEL = re.compile(r"(生成|成文|发文|印发|施行|实施|有效|截止|开始|结束|报名|下载|访问|浏览|评论|星期|今天是|今日是|当前时间|现在是)"
                         r"[^\d]{0,6}$")
_JS_DATE = re.compile(
    r"""["']?\b(?P<k>pub_?time|publish_?time|publish_?date|pub_?date|ptime|time_?published|"""
    r"""first_?publish(?:ed)?_?time|create_?time|ct)\b["']?\s*[:=]\s*(?:htmlDecode\()?\s*["']?"""
    r"""(?P<v>[0-9][0-9:\-/ T.+年月日]{7,30})""", re.I)
_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[-/_]?(0[1-9]|1[0-2]|[1-9])[-/_]?(0[1-9]|[12]\d|3[01]|[1-9])?(?=[/_\-.]|\d{0,2}/|$)")
_URL_DATE_STRICT = re.compile(
    r"/((?:19|20)\d{2})-?(0[1-9]|1[0-2])/?(0[1-9]|[12]\d|3[01])/|/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/|"
    r"[/_t]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[_/]|\d{2,}|[A-Za-z])")
ZONE_CHARS = 300


def meta_times(metas: dict[str, list[str]]) -> list[tuple[datetime, bool]]:
    out = []
    for key in PUBLISH_METAS:
        for value in metas.get(key, ()):
            parsed = parse_chinese_datetime(value)
            if parsed:
                out.append((parsed, _has_clock(value)))
    return out


def _has_clock(value: str) -> bool:
    return bool(re.search(r"\d{1,2}[:：时]\d{2}", value)) or bool(re.fullmatch(r"\s*\d{10,13}\s*", value))


_ATTR_TIME = re.compile(r"^(?:data-)?(?:p|pub|publish|post|release)[-_]?(?:time|date)$|^datetime$", re.I)


_ATTR_XPATH = ("//*[@*[(starts-with(name(), 'data-') or starts-with(name(), 'p') or starts-with(name(), 'release'))"
               " and (contains(name(), 'time') or contains(name(), 'date'))]]"
               " | //time[@datetime] | //*[@itemprop='datePublished']")


def attribute_times(root) -> list[tuple[datetime, bool]]:
    """data-ptime="…" on the article container, <time datetime>, itemprop=datePublished."""
    out = []
    for el in root.xpath(_ATTR_XPATH)[:20]:  # selected in C: a Python walk over every node is slow
        values = []
        if (el.get("itemprop") or "").lower() == "datepublished":
            values.append(el.get("content") or el.get("datetime") or el.text or "")
        values += [v for name, v in el.attrib.items()
                   if _ATTR_TIME.match(name) and (name != "datetime" or el.tag == "time")]
        for value in values:
            parsed = parse_chinese_datetime(value)
            if parsed:
                out.append((parsed, _has_clock(value)))
        if len(out) >= 5:
            break
    return out


def script_times(scripts: str) -> list[tuple[datetime, bool]]:
    out = []
    for m in _LD_DATE.finditer(scripts):
        parsed = parse_chinese_datetime(m.group(1))
        if parsed:
            out.append((parsed, _has_clock(m.group(1))))
    for m in _JS_DATE.finditer(scripts):
        key, value = m.group("k").lower(), m.group("v").strip()
        if key == "ct" and not re.fullmatch(r"\d{10}|\d{13}", value):
            continue
        parsed = parse_chinese_datetime(value)
        if parsed:
            out.append((parsed, _has_clock(value)))
    return out


def url_time(url: str) -> datetime | None:
    m = _URL_DATE_STRICT.search(url or "")
    if not m:
        return None
    parts = [g for g in m.groups() if g]
    try:
        return datetime(int(parts[0]), int(parts[1]), int(parts[2]), tzinfo=SHANGHAI)
    except (ValueError, IndexError):
        return None


def _classify(text: str, found: Found) -> str:
    before = text[max(0, found.start - 14): found.start]
    if _WEAK_LABEL.search(before):
        return "weak"
    if _STRONG_LABEL.search(before):
        return "labelled"
    return "plain"


def visible_time(body_text: str, title: str, now: datetime | None, above: str = "") -> tuple[Found | None, str]:
    """The date shown next to the title: (found, 'labelled' | 'plain' | 'relative')."""
    starts: list[int] = []
    if title:
        pos = body_text.find(title)
        while pos != -1 and len(starts) < 6:
            starts.append(pos + len(title))
            pos = body_text.find(title, pos + 1)
    for start in starts:
        zone = body_text[start: start + ZONE_CHARS]
        for found in find_datetimes(zone, now):
            kind = _classify(zone, found)
            if kind == "weak":
                continue
            if found.relative:  # the nearest date wins; a relative one is resolved by the caller
                return found, "relative"
            return found, kind
    if starts:
        found = _before_title(body_text, starts[0] - len(title), above, now)
        if found:
            return found, "plain"
    # No title on the page body (or no date near it): any labelled publish date will do.
    for found in find_datetimes(body_text, now, relative=False):
        if _classify(body_text, found) == "labelled" and re.search(
                r"(发布|发表|发稿)", body_text[max(0, found.start - 14): found.start]):
            return found, "labelled"
    return None, ""


_EDITION = re.compile(r"第\s*[A-Z]?\d+\s*版|版次|版面|星期[一二三四五六日天]|周[一二三四五六日]")


def text_above(root, title: str) -> str:
    """Text of the blocks just above the headline in its own container (the top bar of the
    article: "2023.05.28 19:02 福山融媒"), nearest last; '' when the headline is not found.
    Sidebars and lists elsewhere on the page are not "above" in this sense."""
    from .dom import squash, text_of

    key = squash(title)
    if not key:
        return ""
    # headings and title-named blocks only: text_of() on every <div> would cost more than the
    # rest of the extraction
    named = root.xpath("//h1|//h2|//h3|//*[contains(@class,'tit') or contains(@id,'tit') or "
                       "contains(@class,'bt') or contains(@class,'headline')]")
    heading = next((el for el in named if squash(text_of(el)) == key), None)
    node, parts = heading, []
    for _ in range(2):
        if node is None:
            break
        for sibling in list(node.itersiblings(preceding=True))[:3]:
            if isinstance(sibling.tag, str):
                parts.insert(0, text_of(sibling))
        if any(parts):
            break
        node = node.getparent()
    return "\n".join(p for p in parts if p)


def _before_title(body_text: str, title_at: int, above: str, now) -> Found | None:
    """A date in the headline's top bar, or an e-paper's edition date in the masthead (written
    with 星期 or beside 第N版). Used only when no date follows the title."""
    near = [f for f in find_datetimes(above[-120:], now, relative=False) if _classify(above[-120:], f) != "weak"]
    if near:
        return near[-1]
    zone_start = max(0, title_at - ZONE_CHARS)
    zone = body_text[zone_start:title_at]
    for f in reversed(find_datetimes(zone, now, relative=False)):
        if _classify(zone, f) != "weak" and _EDITION.search(zone[max(0, f.start - 30): f.end + 30]):
            return f
    return None


def choose_time(body_text: str, title: str, metas: dict[str, list[str]], scripts: str, url: str,
                now: datetime | None, attributes: list[tuple[datetime, bool]] = (), above: str = "") -> datetime | None:
    found, kind = visible_time(body_text, title, now, above)
    hidden = meta_times(metas) + list(attributes) + script_times(scripts)
    if found and kind in ("labelled", "plain"):
        same_day = [(v, clock) for v, clock in hidden if v.date() == found.value.date()]
        if kind == "labelled" or same_day or not hidden:
            if found.has_time:
                return found.value
            with_clock = [v for v, clock in same_day if clock]
            return with_clock[0] if with_clock else found.value
    if hidden:
        return hidden[0][0]
    if found:  # relative, or a plain date the hidden sources contradict (handled above)
        return found.value
    return url_time(url)
