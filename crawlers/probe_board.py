"""Selectors for a message board's message pages, learnt from sample messages.

The board spider reads a message by selectors (message, its time, the reply, its department
and date), because the generic article extractor cannot tell a citizen's text from the
department's answer. Board templates label every field (留言时间：, 答复单位：…), so the
selectors are found by those labels and by the text the generic extractor took as the body,
and kept only when the same selector works on the sample pages that have the field.
"""

from __future__ import annotations

import re
from collections import Counter

from yuqing.crawlers.extract import decode_html, parse_chinese_datetime
from yuqing.crawlers.extract.csspath import select, unique_selector
from yuqing.crawlers.extract.dom import norm, parse, squash, text_of

LABELS = {
    "published_at": ("留言时间", "提问时间", "来信时间", "留言日期", "发布时间", "时间"),
    "author": ("留言人", "留言者", "提问人", "来信人", "网友", "昵称"),
    "status": ("办理状态", "处理状态", "状态"),
    "reply_department": ("答复单位", "回复单位", "答复部门", "回复部门", "办理单位"),
    "reply_at": ("答复时间", "回复时间", "办理时间", "答复日期", "回复日期"),
}
# What the board spider strips from a field's text (crawlers/spiders/board.py) and more.
_LABEL = re.compile(r"^\s*(?:" + "|".join(sorted({w for ws in LABELS.values() for w in ws}, key=len, reverse=True))
                    + r"|受理单位|类型)\s*[:：]\s*")


def _labelled(root, labels: tuple[str, ...]):
    """The innermost element whose text starts with one of the labels and a colon."""
    pattern = re.compile(r"^(?:" + "|".join(labels) + r")\s*[:：]")
    best = None
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "head", "script", "style", "title"):
            continue
        if pattern.match(text_of(el)):
            best = el  # iter() is document order: a later match nested in this one is inner
    return best


def _message_candidates(root, taken: list) -> list:
    """Blocks of unlabelled text that hold none of the labelled fields: the message is one."""
    taken = [t for t in taken if t is not None]
    out = []
    for el in root.iter("div", "p", "td", "section", "article", "pre", "span"):
        text = squash(el.text_content())
        if len(text) < 10 or _LABEL.match(text_of(el)):
            continue
        if any(t is el or t in el.iterdescendants() or el in t.iterdescendants() for t in taken):
            continue
        out.append(el)
    return out


def _reply_body(root, anchors: list):
    """The reply text: in the block that holds the reply labels, the child with the most text."""
    anchors = [a for a in anchors if a is not None]
    if not anchors:
        return None
    area = anchors[0].getparent()
    while area is not None and not all(a in area.iterdescendants() for a in anchors):
        area = area.getparent()
    if area is None:
        return None
    kids = [k for k in area if isinstance(k.tag, str) and k not in anchors
            and not any(a in k.iterdescendants() for a in anchors)]
    kids = [k for k in kids if len(squash(k.text_content())) >= 10]
    return max(kids, key=lambda k: len(squash(k.text_content())), default=None)


def board_selectors(samples, fetcher) -> dict[str, str]:
    """Selectors for title, content, time, author, status and the reply fields."""
    votes: dict[str, Counter] = {}
    bodies: dict[str, list[str]] = {}
    for sample in samples:
        try:
            page = fetcher.get(sample.url)
        except Exception:  # noqa: BLE001 - a page that failed is simply not a vote
            continue
        text, _ = decode_html(page.body, page.declared)
        root = parse(text)
        if root is None:
            continue
        found = {name: _labelled(root, labels) for name, labels in LABELS.items()}
        if sample.title:
            found["title"] = next((el for el in root.iter("h1", "h2", "h3", "div", "p", "td", "span")
                                   if squash(text_of(el)) == squash(sample.title)), None)
        found["reply"] = _reply_body(root, [found.get("reply_department"), found.get("reply_at")])
        reply_area = found["reply"].getparent() if found["reply"] is not None else None
        for el in _message_candidates(root, list(found.values()) + [reply_area]):
            selector = unique_selector(el, root)
            if selector:
                bodies.setdefault(selector, []).append(squash(el.text_content()))
        for name, el in found.items():
            selector = unique_selector(el, root) if el is not None else None
            if selector:
                votes.setdefault(name, Counter())[selector] += 1
    chosen = {name: counter.most_common(1)[0][0] for name, counter in votes.items()}
    # The message differs from page to page; a notice under every message does not.
    varying = {sel: texts for sel, texts in bodies.items() if len(texts) == 1 or len(set(texts)) > 1}
    if varying:
        chosen["content"] = max(varying, key=lambda sel: (len(varying[sel]), sum(map(len, varying[sel]))))
    return chosen


def read_message(page, selectors: dict) -> dict:
    """A message read the way the board spider reads it (string of every match, labels off)."""
    text, _ = decode_html(page.body, page.declared)
    root = parse(text)

    def value(name: str) -> str:
        css = selectors.get(name)
        if not css or root is None:
            return ""
        parts = [norm(el.text_content()) for el in select(root, css)]
        return _LABEL.sub("", " ".join(p for p in parts if p))

    title = value("title")
    if not title and root is not None and root.find(".//title") is not None:
        title = text_of(root.find(".//title"))
    return {"title": title, "content": value("content"), "author": value("author"),
            "published_at": parse_chinese_datetime(value("published_at"), page.fetched_at),
            "reply": value("reply"), "reply_department": value("reply_department"),
            "reply_at": parse_chinese_datetime(value("reply_at"), page.fetched_at), "status": value("status")}
