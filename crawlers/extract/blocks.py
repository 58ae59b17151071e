"""Candidate article-link blocks of a list page, each with a readable CSS selector, for
`yuqing source add`: the first is what extract_links takes unaided; the others are there when
the first turns out not to lead to articles."""

from __future__ import annotations

from .csspath import common_ancestor, select, step, unique_selector
from .lists import _RECORD, _best_groups, _item, _links_from, _root, _scored_groups, extract_links
from .model import LinkBlock


def _block_selector(root, anchors: list, base_url: str) -> str | None:
    """A CSS selector that picks exactly these anchors' links, or None."""
    want = [link.url for link in _links_from(anchors, base_url, with_dates=False)]
    container = common_ancestor(anchors) if len(anchors) > 1 else _item(anchors[0]).getparent()
    if container is None or not isinstance(container.tag, str):
        return None
    head = unique_selector(container, root) or step(container)
    below = [node for node in anchors[0].iterancestors() if node is not container]
    below = below[: next((i for i, n in enumerate(anchors[0].iterancestors()) if n is container), 0)]
    path = " ".join(step(n).split("#")[0] for n in reversed(below))
    parent = step(anchors[0].getparent()).split("#")[0] if anchors[0].getparent() is not container else ""
    for candidate in (f"{head} a", f"{head} {parent} a", f"{head} {path} a"):
        candidate = " ".join(candidate.split())
        hits = [h for h in select(root, candidate) if h.tag == "a"]
        if [link.url for link in _links_from(hits, base_url, with_dates=False)] == want:
            return candidate
    return None


def link_blocks(body: bytes | str, base_url: str, limit: int = 4) -> list[LinkBlock]:
    """Candidate article-link blocks, best first. Never raises; [] when there are none."""
    try:
        root, text = _root(body)
        if root is None:
            return []
        if _RECORD.search(text):
            return [LinkBlock(selector=None, links=tuple(extract_links(body, base_url)), generic=True)]
        scored = _scored_groups(root)
        blocks = []
        first = _best_groups(root, scored)
        if first:
            blocks.append(LinkBlock(_block_selector(root, first, base_url),
                                    tuple(_links_from(first, base_url)), True))
        for _, _, anchors in scored[1:]:
            if len(blocks) >= limit:
                break
            if any(a in first for a in anchors):
                continue
            blocks.append(LinkBlock(_block_selector(root, anchors, base_url),
                                    tuple(_links_from(anchors, base_url)), False))
        return blocks
    except Exception:  # noqa: BLE001
        return []
