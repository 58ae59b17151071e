"""Assemble every site's items, give them ids and paths, and describe the scripted events."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Mapping

from yuqing.sample_sites import citizens, content, events
from yuqing.sample_sites.model import COLUMNS, SampleItem, ScriptedEvent, local_now

PER_PAGE = {"portal": 20, "news": 20, "board": 15}
_EPOCH = 1_600_000_000


@dataclass
class Corpus:
    now: datetime
    items: list[SampleItem]                     # paths assigned, urls empty
    events: dict[str, list[SampleItem]]

    def site(self, site: str, column: str | None = None) -> list[SampleItem]:
        """A site's items, newest first (a portal column's when `column` is given)."""
        chosen = [i for i in self.items if i.site == site and (column is None or i.column == column)]
        return sorted(chosen, key=lambda i: i.published_at, reverse=True)

    def pages(self, site: str, column: str | None = None) -> list[list[SampleItem]]:
        items, size = self.site(site, column), PER_PAGE[site]
        return [items[i:i + size] for i in range(0, len(items), size)] or [[]]

    def absolute(self, bases: Mapping[str, str]) -> list[SampleItem]:
        out = []
        for item in self.items:
            original = bases["portal"] + item.original.path if item.original else None
            out.append(replace(item, url=bases[item.site] + item.path, reprint_of=original, original=None))
        return out

    def scripted(self, bases: Mapping[str, str]) -> list[ScriptedEvent]:
        out = []
        for spec in events.SPECS:
            items = sorted(self.events[spec.id], key=lambda i: i.published_at)
            counts: dict[str, int] = {}
            for item in items:
                counts[item.site] = counts.get(item.site, 0) + 1
            out.append(ScriptedEvent(
                id=spec.id, topic=spec.topic, place=spec.place, severity=spec.severity, kind=spec.kind,
                summary=spec.summary, start=items[0].published_at, end=items[-1].published_at,
                urls=tuple(bases[i.site] + i.path for i in items), sites=counts))
        return out


def build(now: datetime) -> Corpus:
    now = local_now(now).replace(microsecond=0)
    portal = content.portal_items(now)
    items = portal + content.news_items(now, portal) + citizens.board_items(now) + citizens.weibo_items(now, portal)
    scripted = events.event_items(now)
    for group in scripted.values():
        items += group
    _assign_paths(items)
    return Corpus(now, items, scripted)


def _assign_paths(items: list[SampleItem]) -> None:
    """Ids grow with the publication time (like the real CMSs), so a later run gets new URLs."""
    used: set[tuple[str, str, int]] = set()
    for n, item in enumerate(sorted(items, key=lambda i: (i.published_at, i.site, i.title))):
        ts = int(item.published_at.timestamp())
        base = {"portal": (ts - _EPOCH) // 60, "news": (ts - _EPOCH) // 30, "board": (ts - _EPOCH) // 120,
                "weibo": (ts - 1_500_000_000) * 10_000_000 + 1_000_000 + n * 7919 % 1_000_000}[item.site]
        key_col = item.column if item.site == "portal" else ""
        while (item.site, key_col, base) in used:
            base += 1
        used.add((item.site, key_col, base))
        item.ident = str(base)
        d = item.published_at
        if item.site == "portal":
            item.path = f"/art/{d.year}/{d.month}/{d.day}/art_{COLUMNS[item.column][0]}_{base}.html"
        elif item.site == "news":
            item.path = f"/yantai/{d:%Y%m}/{d:%d}/t{base}.html"
        elif item.site == "board":
            item.path = f"/liuyan/detail/{base}.html"
        else:
            item.path = f"/weibo/status/{base}"
