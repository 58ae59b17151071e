"""Spread path (传播路径): where an event appeared first on each channel and source, which
copies reprinted which original, and Weibo repost chains (`//@…`) where the text shows them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from yuqing.timeutil import local

_REPOST = re.compile(r"//\s*@([^:：/\s]{1,30})\s*[:：]")
MAX_CHAINS = 10


@dataclass(frozen=True)
class SpreadStep:
    channel: str
    source: str
    at: datetime
    mention_id: int
    url: str
    title: str
    count: int                 # the event's mentions on this channel and source

    def as_json(self) -> dict:
        return {"channel": self.channel, "source": self.source, "at": local(self.at).isoformat(),
                "mention_id": self.mention_id, "url": self.url, "title": self.title,
                "count": self.count}

    def label(self) -> str:
        where = self.channel if self.source in ("", self.channel) else f"{self.channel}·{self.source}"
        return f"{where} {local(self.at):%m-%d %H:%M}"


def _where(line) -> str:
    """A Weibo poster is not a source of their own: the step is the channel, named by who
    posted first; sites and boards are named by the site."""
    if line.source.startswith(line.channel + " @"):
        return ""
    return line.source


def spread_path(mentions, lines) -> tuple[list[SpreadStep], list[list[str]]]:
    """`lines` are MentionLines in time order, `mentions` the stored rows in the same order."""
    firsts: dict[tuple[str, str], SpreadStep] = {}
    counts: dict[tuple[str, str], int] = {}
    for line in lines:
        key = (line.channel, _where(line))
        counts[key] = counts.get(key, 0) + 1
        if key not in firsts:
            firsts[key] = SpreadStep(line.channel, key[1] or line.source, line.when, line.id,
                                     line.url, line.title, 0)
    steps = [SpreadStep(s.channel, s.source, s.at, s.mention_id, s.url, s.title, counts[k])
             for k, s in firsts.items()]
    steps.sort(key=lambda s: (s.at, s.mention_id))
    return steps, reprint_chains(lines) + repost_chains(mentions, lines)


def reprint_chains(lines) -> list[list[str]]:
    """Stories copied across sources: the origin first, then each copy where it appeared."""
    by_story: dict[int, list] = {}
    for line in lines:
        if line.story_id:
            by_story.setdefault(line.story_id, []).append(line)
    chains = []
    for copies in by_story.values():
        labels = []
        for line in copies:
            label = line.source
            if label not in labels:
                labels.append(label)
        if len(labels) > 1:
            chains.append(["转载"] + labels)
    return chains[:MAX_CHAINS]


def repost_chains(mentions, lines) -> list[list[str]]:
    """'C: text //@B: text //@A: text' — A reposted first, then B, then C."""
    chains = []
    for m, line in zip(mentions, lines):
        handles = _REPOST.findall(m.content or "")
        if not handles:
            continue
        poster = f"@{line.author}" if line.author else line.source
        chain = [f"@{h}" for h in reversed(handles)] + [poster]
        chains.append(["转发"] + chain)
    return chains[:MAX_CHAINS]
