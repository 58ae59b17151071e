"""extract_article: bytes in, Article out; never raises, reports what it could not find."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Mapping

from .content import attachments, best_node, body_lines, clean
from .dates import SHANGHAI, parse_chinese_datetime
from .dom import drop, lines_of, norm, parse, squash, text_of
from .encoding import decode_html
from .authors import META_KEYS, author_from
from .meta import choose_title, collect_metas, first_meta, source_from
from .sitename import page_site_names
from .model import Article
from .pubtime import ZONE_CHARS, attribute_times, choose_time, text_above

log = logging.getLogger(__name__)
_MAX_SCRIPT = 400_000
OVERRIDE_FIELDS = ("title", "content", "published_at", "author", "source")


def _empty(url: str, encoding: str, *problems: str) -> Article:
    return Article(url=url, title="", published_at=None, author="", source="", content="",
                   encoding=encoding, problems=tuple(problems))


# replacement characters and control characters other than \t \n \r
_ODD = re.compile("[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    odd = len(_ODD.findall(sample))
    return odd / len(sample) > 0.05 or ("<" not in sample and odd > 0)


def _select(root, expr: str) -> list:
    expr = expr.strip()
    if expr.startswith(("/", "./", "(")):
        return list(root.xpath(expr))
    from lxml.cssselect import CSSSelector  # cssselect ships with scrapy/parsel

    return list(CSSSelector(expr)(root))


def _override(root, overrides: Mapping[str, str] | None, field: str, problems: list[str]):
    expr = (overrides or {}).get(field)
    if not expr:
        return None
    try:
        hits = _select(root, expr)
    except Exception:  # noqa: BLE001 - a bad selector is configuration, reported not raised
        problems.append(f"覆盖规则无效：{field} = {expr}")
        return None
    if not hits:
        problems.append(f"覆盖规则未匹配：{field} = {expr}")
        return None
    return hits


def _hit_text(hit) -> str:
    if isinstance(hit, str):
        return norm(hit)
    for attr in ("datetime", "content"):
        if hit.get(attr):
            return norm(hit.get(attr))
    return text_of(hit)


def _scripts(root) -> str:
    parts = []
    for s in root.iter("script"):
        if s.text and len(s.text) < _MAX_SCRIPT:
            parts.append(s.text)
    return "\n".join(parts)


def _around(flat: str, zone_start: int, lines: list[str]) -> tuple[str, str]:
    """Text between the title and the body (bylines, 来源) and just after the body (责任编辑)."""
    header = flat[zone_start: zone_start + ZONE_CHARS]
    after = ""
    if lines:
        first = flat.find(lines[0][:20], zone_start)
        if first != -1:
            header = flat[zone_start:first][-ZONE_CHARS:]
        last = flat.find(lines[-1][-20:], max(first, zone_start))
        if last != -1:
            after = flat[last + len(lines[-1][-20:]): last + 400]
    return header, after


def extract_article(body: bytes, url: str, fetched_at: datetime | None = None,
                    overrides: Mapping[str, str] | None = None,
                    declared_encoding: str | None = None) -> Article:
    url = url or ""
    try:
        return _extract(body, url, fetched_at, overrides, declared_encoding)
    except Exception as exc:  # noqa: BLE001 - callers record the outcome, they must not crash
        log.exception("extract_article failed for %s", url)
        return _empty(url, "", f"抽取失败：{type(exc).__name__}: {exc}")


def _extract(body, url, fetched_at, overrides, declared_encoding) -> Article:
    if body is None or len(body) == 0:
        return _empty(url, "", "空响应（0 字节）")
    text, encoding = decode_html(body, declared_encoding)
    if _looks_binary(text):
        return _empty(url, encoding, "内容不是 HTML 文本（疑似二进制数据）")
    root = parse(text)
    if root is None:
        return _empty(url, encoding, "HTML 无法解析")
    problems: list[str] = []
    now = fetched_at.astimezone(SHANGHAI) if fetched_at and fetched_at.tzinfo else (
        fetched_at.replace(tzinfo=SHANGHAI) if fetched_at else None)
    metas = collect_metas(root)
    scripts = _scripts(root)
    drop(root.iter("script", "style", "noscript", "template"))
    attr_times = attribute_times(root)
    sites = page_site_names(root, metas)

    hits = _override(root, overrides, "title", problems)
    title = _hit_text(hits[0]) if hits else choose_title(root, metas, scripts, sites)

    # Broken markup lands body content under <head>, so the whole tree is searched.
    drop(root.iter("title"))
    above = text_above(root, title)
    flat_lines = [t for t, _ in lines_of(root)]
    flat = "\n".join(flat_lines)
    zone_start = flat.find(title) + len(title) if title and title in flat else 0
    zone = flat[zone_start: zone_start + ZONE_CHARS]

    published = None
    hits = _override(root, overrides, "published_at", problems)
    if hits:
        published = parse_chinese_datetime(_hit_text(hits[0]), now)
    if published is None:
        published = choose_time(flat, title, metas, scripts, url, now, attr_times, above)

    content_hits = _override(root, overrides, "content", problems)
    author_hits = _override(root, overrides, "author", problems)
    source_hits = _override(root, overrides, "source", problems)
    if content_hits:
        node = content_hits[0] if not isinstance(content_hits[0], str) else None
        lines = [t for h in content_hits if not isinstance(h, str) for t, _ in lines_of(h)]
        if not lines:
            lines = [norm(h) for h in content_hits if isinstance(h, str) and norm(h)]
    else:
        clean(root)
        node = best_node(root)
        lines = body_lines(node, title) if node is not None else []
    content = "\n".join(lines)
    header, after = _around(flat, zone_start, lines)

    source = _hit_text(source_hits[0]) if source_hits else source_from(metas, header, "\n".join(lines[-3:] + [after]), scripts, root)
    author = _hit_text(author_hits[0]) if author_hits else author_from(
        first_meta(metas, META_KEYS), header, content, after, sites, source)
    scope = node.getparent() if node is not None and node.getparent() is not None else node
    base = url or first_meta(metas, ("og:url", "url"))
    files = attachments(scope, base if re.match(r"https?://", base or "") else url)

    if not title:
        problems.append("未找到标题")
    if published is None:
        problems.append("未找到发布时间")
    if len(squash(content)) < 10:
        problems.append("未找到正文")
    return Article(url=url, title=title, published_at=published, author=author, source=source,
                   content=content, encoding=encoding, attachments=files, problems=tuple(problems))
