"""Parsing and text helpers over lxml trees, tolerant of whatever the web sends."""

from __future__ import annotations

import re
from typing import Iterable

from lxml import etree, html

from yuqing.safetext import visible

BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table tbody thead tfoot section article blockquote pre dd "
    "dt dl header footer center form hr figure figcaption caption address main aside nav td th".split()
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WS = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PARSER = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True,
                          huge_tree=True, default_doctype=False)


def parse(text: str) -> html.HtmlElement | None:
    """A document tree, or None when there is nothing parseable."""
    if not text or not text.strip():
        return None
    # lxml refuses str input carrying an encoding declaration; NULs truncate its input.
    # invisible formatting characters hide numbers from masking and reorder what readers see:
    # dropped at the door (yuqing.safetext), and NULs would truncate lxml's input
    text = visible(_CONTROL.sub("", _XML_DECL.sub("", text, count=1)))
    try:
        root = html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError, TypeError):
        try:
            root = html.fragment_fromstring(text, create_parent="div", parser=_PARSER)
        except (etree.ParserError, ValueError, TypeError):
            return None
    _merge_stray_roots(root)
    return root


def _merge_stray_roots(root) -> None:
    """Pages that open <html> twice parse into sibling roots; keep their content in one tree."""
    strays = [s for s in root.itersiblings() if isinstance(s.tag, str)]
    if not strays:
        return
    body = root.find("body")
    if body is None:
        body = etree.SubElement(root, "body")
    for stray in strays:
        for part in list(stray):
            if part.tag in ("head", "body"):
                for child in list(part):
                    body.append(child)
            else:
                body.append(part)


def norm(text: str | None) -> str:
    """Collapse every kind of whitespace (including full-width and NBSP) to one space."""
    return _WS.sub(" ", text or "").strip()


def squash(text: str | None) -> str:
    """Remove all whitespace: the comparison key for Chinese text."""
    return _WS.sub("", text or "")


def cjk_len(text: str) -> int:
    return len(_CJK.findall(text))


def text_of(el) -> str:
    try:
        return norm(el.text_content())
    except (ValueError, AttributeError):
        return ""


def attr_words(el) -> str:
    """class and id, lower-cased, for boilerplate/content name matching."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def lines_of(el) -> list[tuple[str, int]]:
    """Text of el as lines (one per block element / <br>), each with its count of link characters.

    Iterative on purpose: malformed pages nest thousands of unclosed tags deep.
    """
    out: list[tuple[str, int]] = []
    buf: list[str] = []
    link_chars = 0
    in_link = 0

    def flush() -> None:
        nonlocal link_chars
        line = norm("".join(buf))
        buf.clear()
        if line:
            out.append((line, min(link_chars, len(line))))
        link_chars = 0

    links: list[bool] = []     # per open <a>: a real link? (asked once, at its start)
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in BLOCK_TAGS and buf:      # nothing buffered: nothing to end (most blocks)
                flush()
            if tag == "a":
                links.append(not is_wrapper_link(node))
                in_link += links[-1]
            if tag == "img":
                continue
            if node.text and tag:
                buf.append(node.text)
                if in_link:
                    link_chars += len(squash(node.text))
        else:
            if tag == "a":
                in_link -= links.pop()
            if tag in BLOCK_TAGS and buf:
                flush()
            if node is not el and node.tail:
                buf.append(node.tail)
                if in_link:
                    link_chars += len(squash(node.tail))
    flush()
    return out


def is_wrapper_link(a) -> bool:
    """An <a> holding blocks is an unclosed tag that swallowed the page, not a link; a card
    (an <a> around a short heading and summary, in a list of such cards) is still a link."""
    if not any(isinstance(c.tag, str) and c.tag in ("div", "p", "table", "ul", "h1", "h2", "section")
               for c in a):
        return False
    parent = a.getparent()
    if parent is not None and parent.tag == "li" and len(a.text_content()) < 300:
        return False
    return True


def drop(elements: Iterable) -> None:
    for el in list(elements):
        parent = el.getparent()
        if parent is None:
            continue
        # Keep the tail: it is text of the parent, not of the dropped element.
        el.drop_tree()
