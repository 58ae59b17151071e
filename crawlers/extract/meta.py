"""Title, author and source: meta tags checked against what the page shows.

Government CMS meta tags (TRS/Hanweb/UCAP: ArticleTitle, PubDate, ContentSource) are usually
right but sometimes carry markup, truncation or migration values, and <h1> is often the site
name, so a title is chosen by agreement between <title>, meta tags and headings.
"""

from __future__ import annotations

import html as htmllib
import re
from collections import defaultdict

from .dates import find_datetimes
from .dom import cjk_len, norm, squash, text_of
from .sitename import SITE_METAS, is_site_name

TITLE_METAS = ("articletitle", "og:title", "twitter:title", "title", "headline", "dc.title",
               "itemprop:headline")
_SITE_WORDS = re.compile(
    r"(网|网站|门户|政府|频道|官网|官方网站|新闻|日报|晚报|报社|在线|首页|平台|客户端|公众号|"
    r"\.com|\.cn|\.net|\.org)$", re.I)
_SEP_RIGHT = re.compile(r"(\s*(?:_+|\|+|｜|丨|——|—|–|-{1,2}|－|::|\s·\s)\s*)([^_|｜丨—–\-－]{1,30})$")
_SEP_LEFT = re.compile(r"^([^_|｜丨—–\-－]{1,30}?)(\s*(?:_+|\|+|｜|丨|——|—|–|\s-\s)\s*)")
_SPACED_TAIL = re.compile(r"(\s+)(\S{2,16})$")
TITLE_SEPARATORS = "-_|｜丨—–:：·－"
_TAGS = re.compile(r"<[^>]+>")
_JS_TITLE = re.compile(r"""(?:\bmsg_title|["']title["'])\s*[:=]\s*(?:htmlDecode\()?["']([^"'\n]{4,200})["']""")
_JS_SOURCE = re.compile(
    r"""(?:\bnickname|["'](?:media|source|src)["'])\s*[:=]\s*(?:htmlDecode\()?["']([^"'\n<]{2,40})["']""")


def collect_metas(root) -> dict[str, list[str]]:
    metas: dict[str, list[str]] = defaultdict(list)
    for m in root.iter("meta"):
        key = m.get("name") or m.get("property") or m.get("itemprop") or m.get("http-equiv")
        if not key:
            continue
        value = norm(_TAGS.sub("", htmllib.unescape(m.get("content") or "")))
        if value:
            metas[re.sub(r"\s+", "", key).lower()].append(value)
    return dict(metas)


def first_meta(metas: dict[str, list[str]], keys) -> str:
    for key in keys:
        for value in metas.get(key, ()):
            if value:
                return value
    return ""


def site_names(metas: dict[str, list[str]]) -> set[str]:
    return {squash(v) for k in SITE_METAS for v in metas.get(k, ())}


def _site_like(segment: str, sites: set[str]) -> bool:
    seg = segment.strip()
    if not seg:
        return True
    if squash(seg) in sites or is_site_name(seg, sites):
        return True
    if len(seg) <= 16 and _SITE_WORDS.search(seg):
        return True
    return bool(re.fullmatch(r"[A-Za-z0-9 .\-]{2,24}", seg))


def _cut_at_site_word(t: str, sites: set[str]) -> str:
    """'标题 中国山东网 山东新闻' -> '标题': cut at the first space-separated word, after the
    first, that is the page's own name."""
    if not sites or " " not in t:
        return t
    words = t.split(" ")
    pos = len(words[0])
    for word in words[1:]:
        if pos >= 4 and is_site_name(word, sites, strict=True):
            return t[:pos].rstrip()
        pos += 1 + len(word)
    return t


def strip_site(title: str, sites: set[str] = frozenset()) -> str:
    """Drop site and column names around a <title>: "标题_栏目_某某网", "某某政府 | 标题",
    and a name after a plain space ("标题 胶东在线") when the page calls itself that."""
    t = _cut_at_site_word(norm(title), sites)
    while True:
        m = _SEP_RIGHT.search(t)
        if not m or m.start() < 4:
            break
        seg, sep = m.group(2).strip(), m.group(1)
        spaced = sep.startswith(" ") and sep.endswith(" ")
        loose_sep = sep.strip() in ("|", "｜", "||", "丨") or spaced
        # TRS/UCAP join "title_column_site" with underscores; a short CJK tail after a bare
        # hyphen ("-纪检") is a column name, a long one ("1-10月…") is part of the title.
        column = (sep.strip().startswith("_") and len(seg) <= 20) or (
            sep.strip() in ("-", "--") and len(seg) <= 6 and cjk_len(seg) >= 2)
        if _site_like(seg, sites) or (loose_sep and len(seg) <= 12) or column:
            t = t[: m.start()].rstrip()
            continue
        # "标题_烟台新闻网 烟台": a site name followed by a word after a space
        words = seg.split(" ")
        if len(words) > 1 and any(is_site_name(w, sites) or _site_like(w, set()) for w in words[:-1]):
            t = t[: m.start()].rstrip()
            continue
        break
    m = _SEP_LEFT.match(t)
    if m and _site_like(m.group(1), sites) and cjk_len(t[m.end():]) >= 4:
        t = t[m.end():]
    return t.strip()


def _dated(el) -> bool:
    """The block right after el carries a date: a headline above its 发布时间 line."""
    for sibling in el.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        text = text_of(sibling)[:120]
        if text:
            return bool(find_datetimes(text, relative=False))
    return False


def _heading_candidates(root) -> list[tuple[str, float, bool]]:
    found: list[tuple[str, float, object]] = []
    scope = root  # broken markup can put body content under <head>
    for tag, prior in (("h1", 0.6), ("h2", 0.4), ("h3", 0.2), ("ucaptitle", 0.6), ("h4", 0.1), ("h5", 0.1)):
        for el in scope.iter(tag):
            if el.getparent() is not None and el.getparent().tag == "head":
                continue
            found.append((text_of(el), prior, el))
    count = 0
    for el in scope.iter("div", "p", "span", "td", "strong", "font"):
        words = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        if "title" in words or "bt" == words.strip() or "headline" in words:
            found.append((text_of(el), 0.3, el))
            count += 1
            if count > 40:
                break
    return [(t, p, _dated(el)) for t, p, el in found if 4 <= len(t) <= 150]


def _continues(raw: str, text: str) -> bool:
    """raw is text followed by a separator or a space: a heading plus the <title>'s suffix."""
    raw, text = norm(raw.replace("\u3000", " ")), norm(text.replace("\u3000", " "))
    return len(raw) > len(text) >= 4 and raw.startswith(text) and (
        raw[len(text)] in TITLE_SEPARATORS or raw[len(text)].isspace())


def choose_title(root, metas: dict[str, list[str]], scripts: str, sites: set[str] | None = None) -> str:
    sites = site_names(metas) if sites is None else sites
    title_el = root.find(".//title")
    raw = text_of(title_el) if title_el is not None else ""
    raw_key = squash(raw)
    stripped = strip_site(raw, sites) if raw else ""
    meta_titles = [v for k in TITLE_METAS for v in metas.get(k, ()) if v]
    js_titles = [norm(htmllib.unescape(m.group(1))) for m in _JS_TITLE.finditer(scripts)][:3]

    cands: dict[str, dict] = {}

    def add(text: str, source: str, prior: float) -> None:
        text = norm(text.replace("\u3000", ""))
        key = squash(text)
        if len(key) < 2:
            return
        entry = cands.setdefault(key, {"text": text, "sources": set(), "prior": 0.0})
        entry["sources"].add(source)
        entry["prior"] = max(entry["prior"], prior)

    if stripped:
        add(stripped, "title", 0.5)
    for value in meta_titles:
        add(value, "meta", 0.5)
    headings = _heading_candidates(root)
    for text, prior, _ in headings:
        add(text, "heading", prior)
    for value in js_titles:
        add(value, "js", 0.1)

    meta_keys = {squash(v) for v in meta_titles}
    heading_keys = {squash(t) for t, _, _ in headings}
    removed = raw_key[len(squash(stripped)):] if stripped and raw_key.startswith(squash(stripped)) else ""
    dated_keys = {squash(norm(t.replace("\u3000", ""))) for t, _, dated in headings if dated}
    # a column's name ("新闻动态") is a menu link; an article's title is not
    link_keys = {squash(text_of(a)) for a in root.iter("a")} if len(squash(stripped)) <= 8 else set()
    best, best_score = "", -1e9
    for key, entry in cands.items():
        score = entry["prior"] + min(len(key), 40) / 100
        stripped_key = squash(stripped)
        if raw_key:
            if key == raw_key or key == stripped_key:
                score += 2
            elif _continues(raw, entry["text"]) or (raw_key.startswith(key) and raw_key[len(key)] in TITLE_SEPARATORS):
                score += 2  # the <title> is this plus a site/column suffix
                if "heading" in entry["sources"]:
                    score += 0.6  # ... and the page shows exactly this as its headline
            elif raw_key.startswith(key):  # a truncated meta title must not beat the full one
                score += 1 + len(key) / max(len(stripped_key), len(key))
            elif key in raw_key and len(key) >= 6:
                score += 1.2
        if key in meta_keys:
            score += 1.5
        elif any(m.startswith(key) or key.startswith(m) for m in meta_keys if len(m) >= 6):
            score += 0.8
        if key in heading_keys and "heading" not in entry["sources"]:
            score += 1
        if "heading" in entry["sources"] and ({"title", "meta"} & entry["sources"]):
            score += 0.5
        if key in dated_keys:
            score += 0.8
        if key in link_keys and "heading" not in entry["sources"]:
            score -= 1
        if removed and key in removed and key not in squash(stripped):
            score -= 3  # part of what strip_site took off the <title>: the site or column name
        # a short <title> remnant ("新闻动态--学会官网") beside a dated headline it does not
        # contain is the column's name, not the article's title
        if entry["sources"] == {"title"} and len(key) <= 8 and any(
                len(d) >= 8 and d not in raw_key for d in dated_keys):
            score -= 2
        if key in sites or (len(key) <= 16 and is_site_name(key, sites, strict=True)) or (len(key) <= 16 and _SITE_WORDS.search(key) and raw_key and
                            not raw_key.startswith(key) and key not in meta_keys):
            score -= 3
        if score > best_score:
            best, best_score = entry["text"], score
    return best


_SOURCE_PATTERN = re.compile(
    r"(?:来源|稿件来源|信息来源|文章来源|新闻来源|出处)\s*[:：]\s*([^\s|│丨/]{2,30}(?:\s(?:公众号|客户端))?)")
_SOURCE_STOP = re.compile(r"(作者|编辑|记者|发布|时间|日期|浏览|点击|阅读|字号|分享|打印).*$")


_SOURCE_CLASS = ("//*[contains(@class,'source') or contains(@id,'source') or contains(@class,'laiyuan') or "
                 "contains(@class,'media-name') or contains(@class,'ly')]")


def _source_element(root, zone: str) -> str:
    """An element named for the source ("<a class='source'>齐鲁晚报</a>") whose text is shown in
    the header under the title; unlabelled, so it must be short and look like a name."""
    if root is None:
        return ""
    for el in root.xpath(_SOURCE_CLASS)[:8]:
        value = re.sub(r"^(?:来源|稿件来源|信息来源|文章来源)\s*[:：]\s*", "", text_of(el))
        if 2 <= len(value) <= 20 and not re.search(r"\d|[:：]", value) and value in zone:
            return value
    return ""


def source_from(metas: dict[str, list[str]], zone: str, tail: str, scripts: str, root=None) -> str:
    """meta ContentSource, else a visible 来源：…, else an element named for the source,
    else the account name in inline JS."""
    meta = first_meta(metas, ("contentsource", "source", "og:source", "article:source"))
    meta = re.sub(r"^(?:来源|稿件来源|信息来源)\s*[:：]\s*", "", meta)
    meta = re.sub(r"\s*原创稿$", "", meta).strip()
    if meta:
        return meta
    for text in (zone, tail):
        m = _SOURCE_PATTERN.search(text)
        if m:
            value = _SOURCE_STOP.sub("", m.group(1)).strip(" :：")
            if value:
                return value
    value = _source_element(root, zone)
    if value:
        return value
    m = _JS_SOURCE.search(scripts)
    if m:
        return norm(htmllib.unescape(m.group(1)))
    return ""
