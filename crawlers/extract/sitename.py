"""The site's own name, learnt from the page: meta tags, the logo, the header, the copyright line.

Titles carry the site's name ("…_新浪新闻", "… 胶东在线", "…-烟台开发区"), and so do author and
source fields; a list of known sites would never cover a district's hundred local sources, but
every page says its own name somewhere outside the article.
"""

from __future__ import annotations

import re

from lxml import etree

from .dom import norm, squash, text_of

SITE_METAS = ("sitename", "og:site_name", "application-name", "apple-mobile-web-app-title", "site",
              "site_name", "copyright")
_LOGO = re.compile(r"logo|brand|site-?name|sitename|\bsite\b|masthead|paper-?logo", re.I)
_HOLDER = re.compile(r"(?:版权所有|主办单位|主办|承办|©|copyright(?:\s*©)?)\s*[:：]?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?"
                     r"([\u4e00-\u9fffA-Za-z0-9·（）()]{2,24}?)(?=\s|$|[,，.。|丨;；　]|版权|all\s*rights|主办|地址|电话)", re.I)
_ATTRS = etree.XPath("//@class | //@id")
_LOGO_IMAGES = etree.XPath("//img[contains(@src,'logo') or contains(@src,'LOGO')]")
_FOOT = re.compile(r"foot|copyright|bottom|\bcopy", re.I)
_WANTED = re.compile(r"logo|brand|site|masthead|foot|copy|bottom", re.I)
_HOLDER_BEFORE = re.compile(r"([\u4e00-\u9fffA-Za-z]{2,16})\s*版权所有")
_NAME_OK = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9·.\- ]*[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9·.\- ]*$")
_BAD = re.compile(r"^(?:首页|网站首页|返回首页|登录|注册|退出|安全退出|搜索|导航|菜单|更多|logo|LOGO)$")


def _add(names: set[str], value: str) -> None:
    value = norm(value)
    if 2 <= len(value) <= 30 and _NAME_OK.match(value) and not _BAD.match(value):
        names.add(squash(value))
        bare = re.sub(r"(?:股份有限公司|有限公司|公司|集团)$", "", squash(value))
        if len(bare) >= 2 and bare != squash(value):
            names.add(bare)


def _holders(names: set[str], text: str) -> None:
    for pattern in (_HOLDER, _HOLDER_BEFORE):
        m = pattern.search(text)
        if m:
            _add(names, m.group(1))


def page_site_names(root, metas: dict[str, list[str]]) -> set[str]:
    """Names the page gives itself (whitespace removed), for title, author and source checks."""
    names: set[str] = set()
    for key in SITE_METAS:
        for value in metas.get(key, ()):
            if key == "copyright":
                _holders(names, value)
            else:
                _add(names, value)
    # One pass over the class/id attribute values (strings, cheap) instead of over elements.
    logos, feet, seen = [], [], set()
    for value in _ATTRS(root):
        if not _WANTED.search(value):
            continue
        el = value.getparent()
        if el in seen:
            continue
        seen.add(el)
        if _LOGO.search(value) and len(logos) < 20:
            logos.append(el)
        elif _FOOT.search(value) and len(feet) < 10:
            feet.append(el)
    for el in logos:
        if el.tag == "img":
            _add(names, el.get("alt") or el.get("title") or "")
            continue
        text = text_of(el)
        if len(text) <= 30:
            _add(names, text)
        for img in el.iter("img"):
            _add(names, img.get("alt") or img.get("title") or "")
    for img in _LOGO_IMAGES(root)[:5]:
        _add(names, img.get("alt") or img.get("title") or "")
    for el in feet + root.findall(".//footer")[:2]:
        _holders(names, text_of(el))
    for name in list(names):  # "烟台市莱山区人民政府" is also written "莱山区人民政府"
        for part in re.split(r"[·\-－—|丨_ ]+", name):
            _add(names, part)
    return names


def is_site_name(segment: str, names: set[str], strict: bool = False) -> bool:
    """True when a title or byline segment is the site's own name: the name itself, part of it
    ("新浪" of "新浪网"), or (unless strict) the name plus a channel word ("中国山东网山东新闻")."""
    key = squash(segment)
    if len(key) < 2:
        return False
    for name in names:
        if key == name or (len(key) >= 3 and key in name):
            return True
        if not strict and len(name) >= 3 and key.startswith(name) and len(key) <= len(name) + 6:
            return True
    return False
