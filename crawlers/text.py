"""HTML fragment to plain text (feed descriptions, board fields)."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from yuqing.safetext import visible

_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "section", "article"}


def html_to_text(fragment: str) -> str:
    # zero-width and bidi controls go before anything reads the text (see yuqing.safetext)
    fragment = visible(fragment or "")
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in _BLOCK:
            el.tail = "\n" + (el.tail or "")
    text = root.text_content()
    lines = (re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
