"""Event grouping (事件聚合): does a mention belong to an open event, and which one?

An event is one real-world matter: the same complaint on the board, on Weibo and in the
news, in different words. A mention joins an event when
- it is a copy of a story already in the event (stories nest in events), or
- its place is compatible (same street, or one of them names none), its topic is compatible,
  it is close in time to the event's last mention, and its salient words overlap the event's
  enough once place and community agreement are counted in.
Candidates come from keys (street, community, story, salient words) of open events only, so
assignment never scans all events. Thresholds were tuned on the dev half of
bench/event_labels.py; `python -m bench events` reports the held-out half.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from yuqing.analysis.event_facts import MentionFacts

GAP = timedelta(hours=48)       # a mention this long after the event's last one starts anew
DORMANT_AFTER = timedelta(hours=72)   # no mention for this long: the event sleeps (平息)
JOIN = 0.30                     # score needed to join an event
PLACE_BONUS = 0.08              # same street named by both
COMMUNITY_BONUS = 0.12          # a community named by both
TOPIC_BONUS = 0.06              # same topic
NO_PLACE_JOIN = 0.5             # a side without a place needs more words in common …
NO_PLACE_GAP = timedelta(hours=24)    # … and to be closer in time
MIN_TEXT = 0.18                 # place and community alone never make two matters one …
SAME_ISSUE_TEXT = 0.05          # … but the same topic in the same street within a day needs
SAME_ISSUE_GAP = timedelta(hours=24)   # only some words in common (停水 / 没水 of one outage)
PROFILE_TERMS = 60              # words an event keeps in its profile
KEY_TERMS = 6                   # salient words of a mention used as lookup keys


@dataclass(eq=False)          # identity: profiles are keys of the batch index
class EventProfile:
    """The part of an event that similarity reads; kept on the event row as `terms`."""

    id: int | None
    topic_id: str | None
    place_id: str | None
    communities: set[str]
    first_seen: datetime
    last_seen: datetime
    members: int
    terms: dict[str, int]                        # word -> members using it
    stories: set[int] = field(default_factory=set)
    anchors: set[str] = field(default_factory=set)   # roads / n-th batch its titles name
    merged_to: "EventProfile | None" = None      # merged into another event in this batch

    def resolve(self) -> "EventProfile":
        p = self
        while p.merged_to is not None:
            p = p.merged_to
        return p

    @classmethod
    def start(cls, m: MentionFacts) -> "EventProfile":
        profile = cls(None, min(m.topics) if m.topics else None, m.place_id, set(m.communities),
                      m.when, m.when, 0, {})
        profile.add(m)
        return profile

    def add(self, m: MentionFacts) -> None:
        self.members += 1
        self.first_seen = min(self.first_seen, m.when)
        self.last_seen = max(self.last_seen, m.when)
        self.communities |= m.communities
        if self.place_id is None and m.place_id:
            self.place_id = m.place_id
        if self.topic_id is None and m.topics:
            self.topic_id = min(m.topics)
        if m.story_id:
            self.stories.add(m.story_id)
        self.anchors |= m.anchors
        for t in m.terms:
            self.terms[t] = self.terms.get(t, 0) + 1
        if len(self.terms) > PROFILE_TERMS * 2:
            self.trim()

    def absorb(self, other: "EventProfile") -> None:
        """Another event merged into this one."""
        self.members += other.members
        self.first_seen = min(self.first_seen, other.first_seen)
        self.last_seen = max(self.last_seen, other.last_seen)
        self.communities |= other.communities
        self.place_id = self.place_id or other.place_id
        self.topic_id = self.topic_id or other.topic_id
        self.stories |= other.stories
        self.anchors |= other.anchors
        for t, n in other.terms.items():
            self.terms[t] = self.terms.get(t, 0) + n
        self.trim()

    def trim(self) -> None:
        top = sorted(self.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:PROFILE_TERMS]
        self.terms = dict(top)

    def keys(self) -> set[str]:
        return event_keys(self.place_id, {self.topic_id} if self.topic_id else set(),
                          self.communities, self.stories,
                          sorted(self.terms, key=lambda t: (-self.terms[t], t))[:KEY_TERMS * 2])


def event_keys(place_id, topics, communities, stories, terms) -> set[str]:
    """Lookup keys: words, communities, stories, and street × topic (never the street alone,
    which would make every open event of a busy street a candidate)."""
    keys = {f"w:{t}"[:80] for t in terms}
    keys |= {f"c:{c}"[:80] for c in communities}
    keys |= {f"s:{s}" for s in stories}
    if place_id:
        keys |= {f"p:{place_id}:{t}"[:80] for t in (topics or {"-"})}
    return keys


def mention_keys(m: MentionFacts) -> set[str]:
    """Lookup keys of a mention: its street, communities, story and a few salient words."""
    ranked = sorted(m.terms, key=lambda t: (t not in m.title_terms, -len(t), t))
    return event_keys(m.place_id, m.topics, m.communities, [m.story_id] if m.story_id else [],
                      ranked[:KEY_TERMS])


def text_similarity(m: MentionFacts, e: EventProfile) -> float:
    """Overlap of the mention's words with the words the event's members use.

    A word counts by the share of members using it (capped: a third of them is plenty), so
    one stray word of one member cannot pull in a neighbour's complaint; normalised by the
    geometric mean of the two vocabularies' sizes, so a short post is not swamped by a long
    article's vocabulary and a long article cannot match everything.
    """
    if not m.terms or not e.terms:
        return 0.0
    weight = 0.0
    for t in m.terms:
        n = e.terms.get(t)
        if n:
            weight += min(1.0, 3.0 * n / e.members) * (1.5 if t in m.title_terms else 1.0)
    size_e = sum(1 for n in e.terms.values() if 3.0 * n >= e.members) or 1
    return min(1.0, weight / math.sqrt(len(m.terms) * max(size_e, 1)))


def score(m: MentionFacts, e: EventProfile) -> float:
    """How well the mention fits the event; 0 when it cannot belong to it at all."""
    if m.story_id and m.story_id in e.stories:
        return 1.0
    if m.when > e.last_seen + GAP or m.when < e.first_seen - GAP:
        return 0.0
    if m.place_id and e.place_id and m.place_id != e.place_id:
        return 0.0
    if m.anchors and e.anchors and not m.anchors & e.anchors:
        return 0.0          # one template, another road or batch: another matter
    text = text_similarity(m, e)
    # the same topic in the same street, or the same community when no topic names the matter
    same_topic = e.topic_id in m.topics if e.topic_id else not m.topics and bool(m.communities & e.communities)
    same_issue = (m.place_id is not None and m.place_id == e.place_id and same_topic
                  and m.when <= e.last_seen + SAME_ISSUE_GAP)
    if text < (SAME_ISSUE_TEXT if same_issue else MIN_TEXT):
        return 0.0
    topic_ok = not m.topics or e.topic_id is None or e.topic_id in m.topics
    if not topic_ok and text < 0.5:
        return 0.0
    total = text
    if m.place_id and m.place_id == e.place_id:
        total += PLACE_BONUS
    if m.communities & e.communities:
        total += COMMUNITY_BONUS
    if topic_ok and m.topics and e.topic_id in m.topics:
        total += TOPIC_BONUS
    if same_issue:
        total = max(total, JOIN)
    if m.place_id and not e.place_id:
        return 0.0          # a placeless seed must not collect every street's complaints
    if not (m.place_id and e.place_id):
        near = e.last_seen - NO_PLACE_GAP <= m.when <= e.last_seen + NO_PLACE_GAP
        if text < NO_PLACE_JOIN or not near:
            return 0.0
    return total


def choose(m: MentionFacts, candidates: list[EventProfile], join: float = JOIN
           ) -> tuple[EventProfile | None, list[EventProfile], float]:
    """The best event for the mention, and any others it also fits (to merge into the best)."""
    scored = sorted(((score(m, e), e) for e in candidates), key=lambda se: (-se[0], se[1].id or 0))
    fits = [(s, e) for s, e in scored if s >= join]
    if not fits:
        return None, [], 0.0
    best_score, best = fits[0]
    # merging needs more than fitting: a post naming two matters must not fuse two events
    others = [e for s, e in fits[1:] if s >= max(join + 0.25, 0.6)
              and (e.place_id == best.place_id or not (e.place_id and best.place_id))
              and not (e.anchors and best.anchors and not e.anchors & best.anchors)]
    return best, others, best_score
