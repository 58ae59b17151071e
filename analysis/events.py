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
FOLLOW_UP = timedelta(days=30)  # a board follow-up on the same matter joins its event this late
FOLLOW_TEXT = 0.10              # the same poster on the same topic: some words in common suffice
GENERIC_AUTHORS = frozenset({"匿名", "网友", "游客", "市民", "居民", "群众", "业主", "匿名用户"})
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

Position = tuple   # (when, url): the order grouping reads mentions in, whatever their ids


def position(m: MentionFacts) -> Position:
    return (m.when, m.url)


@dataclass(eq=False)          # identity: profiles are keys of the batch index
class EventProfile:
    """The part of an event that similarity reads; kept on the event row (`terms`, `grouping`).

    Everything in it is decided by its members and the order they are read in (by time, then
    URL), never by which batch read them or by event ids: merging A into B gives what merging
    B into A gives, so the grouping of a set of mentions does not depend on how it was split
    into analysis batches (analysis/event_assign.py replays late arrivals in that order).
    """

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
    follow: set[str] = field(default_factory=set)    # board follow-up keys (see follow_keys)
    first_at: Position | None = None             # its earliest member
    topic_at: Position | None = None             # the earliest member naming a topic
    place_at: Position | None = None             # the earliest member naming a street
    merged_to: "EventProfile | None" = None      # merged into another event in this batch
    _size: int | None = None                     # cached: words a third of its members use

    def resolve(self) -> "EventProfile":
        p = self
        while p.merged_to is not None:
            p = p.merged_to
        return p

    @classmethod
    def start(cls, m: MentionFacts) -> "EventProfile":
        profile = cls(None, None, None, set(), m.when, m.when, 0, {})
        profile.add(m)
        return profile

    def add(self, m: MentionFacts) -> None:
        at = position(m)
        self._size = None
        self.members += 1
        self.first_seen = min(self.first_seen, m.when)
        self.last_seen = max(self.last_seen, m.when)
        if self.first_at is None or at < self.first_at:
            self.first_at = at
        self.communities |= m.communities
        if m.place_id and (self.place_at is None or at < self.place_at):
            self.place_id, self.place_at = m.place_id, at
        if m.topics and (self.topic_at is None or at < self.topic_at):
            self.topic_id, self.topic_at = min(m.topics), at
        if m.story_id:
            self.stories.add(m.story_id)
        self.anchors |= m.anchors
        self.follow |= follow_keys(m)
        for t in m.terms:
            self.terms[t] = self.terms.get(t, 0) + 1
        if len(self.terms) > PROFILE_TERMS * 2:
            self.trim()

    def absorb(self, other: "EventProfile") -> None:
        """Another event merged into this one (symmetric: which one survives changes nothing)."""
        self._size = None
        self.members += other.members
        self.first_seen = min(self.first_seen, other.first_seen)
        self.last_seen = max(self.last_seen, other.last_seen)
        self.first_at = _earlier(self.first_at, other.first_at)
        self.communities |= other.communities
        if other.place_id and (self.place_at is None or _before(other.place_at, self.place_at)):
            self.place_id, self.place_at = other.place_id, other.place_at
        if other.topic_id and (self.topic_at is None or _before(other.topic_at, self.topic_at)):
            self.topic_id, self.topic_at = other.topic_id, other.topic_at
        self.stories |= other.stories
        self.anchors |= other.anchors
        self.follow |= other.follow
        for t, n in other.terms.items():
            self.terms[t] = self.terms.get(t, 0) + n
        self.trim()

    def trim(self) -> None:
        top = sorted(self.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:PROFILE_TERMS]
        self.terms = dict(top)
        self._size = None

    def size(self) -> int:
        """How many of its words a third of its members use (text_similarity's denominator)."""
        if self._size is None:
            members = self.members
            self._size = sum(1 for n in self.terms.values() if 3.0 * n >= members) or 1
        return self._size

    def keys(self) -> set[str]:
        return event_keys(self.place_id, {self.topic_id} if self.topic_id else set(),
                          self.communities, (),
                          sorted(self.terms, key=lambda t: (-self.terms[t], t))[:KEY_TERMS * 2]
                          ) | self.follow

    def order(self) -> tuple:
        """Where the event stands among equals: by its earliest member, not by its id."""
        return self.first_at or (self.first_seen, 0)


def _before(a: Position | None, b: Position | None) -> bool:
    return a is not None and (b is None or a < b)


def _earlier(a: Position | None, b: Position | None) -> Position | None:
    return b if _before(b, a) else a


def follow_keys(m: MentionFacts) -> set[str]:
    """A board message's follow-up keys: its poster on that board and the communities it
    names. A later message sharing one may join the event days later (FOLLOW_UP); the street
    alone is not enough (two heating complaints a week apart in one street are two matters)."""
    if m.kind != "message":
        return set()
    keys = set()
    author = m.author
    if author and not author.startswith("source:") and author not in GENERIC_AUTHORS:
        keys.add(f"f:{m.source_id}:a:{author}"[:80])
    keys |= {f"f:{m.source_id}:c:{c}"[:80] for c in m.communities}
    return keys


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
    # no story key: a copy finds its story's event through the membership (story_events)
    return event_keys(m.place_id, m.topics, m.communities, (), ranked[:KEY_TERMS]) | follow_keys(m)


def text_similarity(m: MentionFacts, e: EventProfile) -> float:
    """Overlap of the mention's words with the words the event's members use.

    A word counts by the share of members using it (capped: a third of them is plenty), so
    one stray word of one member cannot pull in a neighbour's complaint; normalised by the
    geometric mean of the two vocabularies' sizes, so a short post is not swamped by a long
    article's vocabulary and a long article cannot match everything.
    """
    if not m.terms or not e.terms:
        return 0.0
    terms, members, title = e.terms, e.members, m.title_terms
    # fsum: the same sum whatever order the set yields its words in (hash seeds differ by process)
    weight = math.fsum([min(1.0, 3.0 * terms[t] / members) * (1.5 if t in title else 1.0)
                        for t in m.terms if t in terms])
    return min(1.0, weight / math.sqrt(len(m.terms) * e.size()))


def follow_up(m: MentionFacts, e: EventProfile) -> str | None:
    """'author' when the poster comes back to the event's board matter, 'matter' when another
    message names its community; None when it is no board follow-up."""
    if m.kind != "message" or not e.follow or not (e.first_seen <= m.when <= e.last_seen + FOLLOW_UP):
        return None
    shared = follow_keys(m) & e.follow
    if not shared:
        return None
    return "author" if any(k.startswith(f"f:{m.source_id}:a:") for k in shared) else "matter"


def score(m: MentionFacts, e: EventProfile) -> float:
    """How well the mention fits the event; 0 when it cannot belong to it at all."""
    if m.story_id and m.story_id in e.stories:
        return 1.0
    if m.place_id and e.place_id and m.place_id != e.place_id:
        return 0.0
    if m.anchors and e.anchors and not m.anchors & e.anchors:
        return 0.0          # one template, another road or batch: another matter
    plain = _plain_score(m, e)
    if plain >= JOIN or m.kind != "message" or not e.follow:
        return plain
    return max(plain, _follow_score(m, e, follow_up(m, e)))


def _plain_score(m: MentionFacts, e: EventProfile) -> float:
    if m.when > e.last_seen + GAP or m.when < e.first_seen - GAP:
        return 0.0
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


def _follow_score(m: MentionFacts, e: EventProfile, follow: str | None) -> float:
    """A board follow-up (追问, 再次反映) days after the first message: the same poster on the
    same topic needs some words in common, another message naming the same community needs as
    many as any complaint of that street. Outside this, 0."""
    if follow is None:
        return 0.0
    if m.topics and e.topic_id and e.topic_id not in m.topics:
        return 0.0
    text = text_similarity(m, e)
    same_topic = bool(e.topic_id and e.topic_id in m.topics)
    if follow == "author":
        return JOIN if text >= (FOLLOW_TEXT if same_topic else MIN_TEXT) else 0.0
    if m.place_id and m.place_id == e.place_id and text >= MIN_TEXT:
        return JOIN
    return 0.0


def choose(m: MentionFacts, candidates: list[EventProfile], join: float = JOIN
           ) -> tuple[EventProfile | None, list[EventProfile], float]:
    """The best event for the mention, and any others it also fits (to merge into the best)."""
    # ties go to the event that started first, never to the lower id (ids depend on batches)
    scored = sorted(((score(m, e), e) for e in candidates), key=lambda se: (-se[0], se[1].order()))
    fits = [(s, e) for s, e in scored if s >= join]
    if not fits:
        return None, [], 0.0
    best_score, best = fits[0]
    # merging needs more than fitting: a post naming two matters must not fuse two events
    others = [e for s, e in fits[1:] if s >= max(join + 0.25, 0.6)
              and (e.place_id == best.place_id or not (e.place_id and best.place_id))
              and not (e.anchors and best.anchors and not e.anchors & best.anchors)]
    return best, others, best_score
