"""CSS selectors for elements found by the generic extractors, for a source's `selectors:`.

A selector is written the way a person would: tag.class steps from a named ancestor down,
never positional (`:nth-child`), so it survives the next article on the same template.
Class names and ids that carry numbers (generated ids, per-article ids) are left out.
"""

from __future__ import annotations

import re

from lxml.cssselect import CSSSelector

_NAME = re.compile(r"-?[A-Za-z_][\w-]*")
_GENERATED = re.compile(r"\d{3,}")
_STOP = ("html", "body")


def _names(value: str | None) -> list[str]:
    return [n for n in (value or "").split() if _NAME.fullmatch(n) and not _GENERATED.search(n)]


def step(el) -> str:
    """One element as tag#id or tag.class[.class]; the bare tag when it has no usable name."""
    ids = _names(el.get("id"))
    if ids:
        return f"{el.tag}#{ids[0]}"
    return el.tag + "".join("." + c for c in _names(el.get("class"))[:2])


def select(root, selector: str) -> list:
    try:
        return list(CSSSelector(selector)(root))
    except Exception:  # noqa: BLE001 - cssselect raises several types on odd names
        return []


def unique_selector(el, root, max_steps: int = 4) -> str | None:
    """The shortest selector of named steps (el's own step, then named ancestors) that matches
    el and nothing else on the page; None when the template gives nothing to hold on to."""
    steps = [step(el)]
    # A bare tag ("tbody") is unique today and meaningless tomorrow: hold on to a name.
    if steps[0] != el.tag and select(root, steps[0]) == [el]:
        return steps[0]
    for node in el.iterancestors():
        if not isinstance(node.tag, str) or node.tag in _STOP or len(steps) >= max_steps:
            break
        named = step(node)
        if named == node.tag:  # an unnamed wrapper says nothing a descendant step would not
            continue
        steps.append(named)
        selector = " ".join(reversed(steps))
        hits = select(root, selector)
        if hits == [el]:
            return selector
        if hits and hits[0] is el and len(steps) >= max_steps:
            return selector
    selector = " ".join(reversed(steps))
    hits = select(root, selector)
    return selector if hits and hits[0] is el else None


def common_ancestor(elements: list):
    if not elements:
        return None
    chain = list(elements[0].iterancestors())
    for el in elements[1:]:
        mine = set(el.iterancestors())
        chain = [node for node in chain if node in mine]
    return chain[0] if chain else None
