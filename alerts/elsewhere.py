"""Is an incident report about somewhere else? Then it opens no 芝罘 critical warning.

A feed keyed on the district carries other places' incidents too — a gas explosion 外地, a
care-home fire 外省, a collapse in 青岛 or 莱山区, national news — worded exactly like a local
one and full of critical words. They must not open a 重大 warning here. A local incident that
mentions another place in passing (the injured are 青岛游客, the owner is 济南人, someone just
came back 从上海) still warns.

    elsewhere(title, head, place_id, words) -> bool

What says "ours": the analysis found one of our streets (place_id), or the text names 芝罘,
本区, 我区, or 烟台 not followed by another district of it (烟台市莱山区 is not ours).
What says "elsewhere": the text *locates* the incident somewhere else — a place name followed
by 一 / 某 / 发生 / 境内, optionally through its administrative units (青岛市城阳区一工地,
莱山区某小区, 外省一养老院, 某市发生) — or a national body or 全国 leads the title. The
place names are not written again here: provinces, cities and national bodies come from
analysis.topic_anchor (whose outside_anchor also drops names in passing and street names
such as 北京路), Yantai's other districts and streets from analysis.places, and the words
that stand for an unnamed elsewhere (外地, 外省, 某市 …) from settings.detection.critical_elsewhere.
The title is read first: a report titled 外地一小区燃气爆炸 stays elsewhere even when its body
quotes a local utility's safety tips.
"""

from __future__ import annotations

import re
from functools import lru_cache

from yuqing.analysis.places import OUTSIDE_DISTRICTS, OUTSIDE_PLACES
from yuqing.analysis.topic_anchor import LEAD_CHARS, NATIONAL, OUTSIDE, outside_anchor

_OTHER_CITIES = ("青岛市", "威海市", "潍坊市", "济南市", "日照市", "大连市")
# 烟台 is home unless another district of it follows (烟台市莱山区, 烟台开发区) or it names a
# newspaper or station (据烟台晚报报道 says who reported, not where)
_YANTAI_OTHER = sorted({re.sub(r"(区|市|县)$", "", d) for d in OUTSIDE_DISTRICTS if d not in _OTHER_CITIES}
                       | {"晚报", "日报", "广播", "电视", "新闻"}, key=len, reverse=True)
_HOME = re.compile("芝罘|本区|我区|烟台(?!市?(?:" + "|".join(map(re.escape, _YANTAI_OTHER)) + "))")
# after a place: its own smaller units (市, 城阳区, 某镇), then the mark of a location
# (小区 and 社区 are no such units: 青岛游客所住小区一… is not located in 青岛)
_LOCATES = r"(?:省|市|区|县)?(?:[\u4e00-\u9fff]{1,4}?(?<![小社])(?:市|区|县|镇|乡|街道))?(?:一|某|发生|境内|突发)"


def _names(names) -> str:
    return "|".join(map(re.escape, sorted(set(names), key=len, reverse=True)))


_CITY_LOCATED = re.compile(f"(?:{_names(OUTSIDE)}){_LOCATES}")
_DISTRICT_LOCATED = re.compile(f"(?:{_names(OUTSIDE_DISTRICTS + OUTSIDE_PLACES)}){_LOCATES}")
_NATIONAL = re.compile(_names(NATIONAL))


@lru_cache(maxsize=8)
def _generic(words: tuple[str, ...]) -> re.Pattern | None:
    return re.compile(f"(?:{_names(words)}){_LOCATES}") if words else None


def _located_at(text: str, words: tuple[str, ...]) -> int | None:
    """Where the text first locates an incident elsewhere (None: it does not)."""
    generic = _generic(words)
    found = [m.start() for m in (_CITY_LOCATED.search(text) if outside_anchor(text) else None,
                                 _DISTRICT_LOCATED.search(text), generic.search(text) if generic else None) if m]
    return min(found, default=None)


def elsewhere(title: str, head: str, place_id: str | None, words: tuple[str, ...] = ()) -> bool:
    """The report is about an incident outside the district."""
    if place_id:
        return False
    title, head = title or "", head or ""
    # the place a title names first is where it happened: 外地一小区燃气爆炸 芝罘燃气提醒 is
    # elsewhere, 芝罘区一工地坍塌 施工方为青岛一家公司 is ours
    home, away = _HOME.search(title), _located_at(title, words)
    if away is not None and (home is None or away < home.start()):
        return True
    if home:
        return False
    if _NATIONAL.match(title.lstrip("【#《“ ")) and outside_anchor(title):
        return True
    if _HOME.search(head):
        return False
    return _located_at(f"{title}\n{head}"[:LEAD_CHARS], words) is not None
