"""The analysis stage: score what collection stored, then group copies into stories.

Reads mentions with no analysis yet, writes sentiment, topics, place, voice and story; safe to
rerun. `negative` means negative public opinion: the government's own voice (analysis.voice:
notices and responses) is never negative, whatever its sentiment score.
Sentiment segments with jieba inside the model (never SnowNLP's slow segmenter); topics combine
Aho–Corasick keyword rules with the bundled classifier (analysis.topic_decision: at most one
topic per mention, none = 未归类); places use an automaton over the raw text.
The config's user dictionary (analysis.segment) serves keyword statistics in the reports.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from yuqing.analysis.claim import batch_lock, claim, serialise_stories
from yuqing.analysis.event_assign import assign_events
from yuqing.analysis.places import Gazetteer
from yuqing.analysis.sentiment import tokenize
from yuqing.analysis.stories import StoryIndex, signature
from yuqing.analysis.topic_decision import TopicDecider
from yuqing.analysis.topics import TopicMatch
from yuqing.analysis.voice import OFFICIAL, grievance, hardship, inquiry, praise, thanks
from yuqing.analysis.voice import classify as classify_voice
from yuqing.config.models import Config
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import Mention, MentionTopic, Story
from yuqing.timeutil import now

STORY_WINDOW = timedelta(days=14)
# Sentiment reads the start of long articles; their opening states what they are about.
SENTIMENT_CHARS = 600


@dataclass(frozen=True)
class Analysis:
    topics: tuple[TopicMatch, ...]
    place_id: str | None
    sentiment: float
    negative: bool
    signature: bytes
    voice: str = "complaint"            # analysis.voice.VOICES


@dataclass
class AnalysisSummary:
    analysed: int = 0
    negative: int = 0
    new_stories: int = 0
    new_events: int = 0


class Analyser:
    """Built once per config load: the segmenter, automata and model are the costly parts."""

    def __init__(self, config: Config, model=None):
        self.config = config
        # one topic or none (未归类) per mention: rules and the bundled classifier together
        self.topics = TopicDecider(config.topics,
                                   use_model=config.settings.analysis.topic_model == "bundled")
        self.gazetteer = Gazetteer(config.places)
        if model is None:
            from yuqing.analysis.sentiment import get_model

            model = get_model(config.settings.analysis.sentiment_model,
                              config.settings.analysis.sentiment_path)
        self.model = model
        self.negative_below = config.settings.analysis.negative_below
        settings = config.settings.analysis
        # how unhappy a text must read to count as negative, by who speaks: the sentiment
        # model was trained on reviews, and scores plain grievances ("救助金被克扣",
        # "申请半年没消息") near the middle; a board message is a grievance unless it thanks
        self.below = {"complaint": max(settings.public_below, settings.negative_below),
                      "news": max(settings.public_below, settings.negative_below)}
        self.message_below = max(settings.message_below, self.below["complaint"])
        self.grievance_below = max(settings.grievance_below, self.below["complaint"])
        # praise with no complaint wording at all: the model reads some of it as unhappy
        self.praise_below = min(settings.praise_below, self.negative_below)
        self.authority = {s.id: s.authority for s in config.sources}
        self._shares_tokens = "tokens" in inspect.signature(model.score).parameters
        self._facts = None

    @property
    def facts(self):
        """The event grouping's reader (jieba with the config's words), built on first use."""
        if self._facts is None:
            from yuqing.analysis.event_facts import FactReader

            self._facts = FactReader(self.config)
        return self._facts

    def _below(self, voice: str, kind: str, title: str, content: str) -> float:
        # A wider bar only with evidence of a complaint in the words: a middling score on an
        # unfamiliar text is not evidence (local news, a resident telling of a new bus stop,
        # a board question read as slightly unhappy would otherwise all count)
        if voice not in self.below:
            return self.negative_below
        if praise(title, content):
            return self.praise_below
        if thanks(title, content):
            return self.negative_below
        if grievance(title, content):
            return self.grievance_below
        if kind == "message" and not inquiry(title, content):
            return self.message_below
        if hardship(title, content):
            return self.below[voice]
        return self.negative_below

    def analyse(self, title: str, content: str, *, source_id: str | None = None,
                kind: str = "article", author: str = "") -> Analysis:
        title, content = title or "", content or ""
        voice = classify_voice(title, content, authority=self.authority.get(source_id, "media"),
                               kind=kind, author=author).voice
        text = f"{title}\n{content[:SENTIMENT_CHARS]}".strip()
        # jieba is the costly step: segment once, for the topic classifier and the sentiment
        # model alike (both use analysis.sentiment.tokenize)
        tokens = tokenize(text) if text and self._shares_tokens else None
        topic = self.topics.decide(title, content, tokens=tokens)
        topics = (topic,) if topic is not None else ()
        # The model segments with the same jieba settings it was trained with; feeding it
        # tokens from our user-dictionary segmenter would shift its features. The matched
        # topic words steer long texts towards the sentences about the topic.
        if not text:
            score = 0.5                 # nothing to judge; SnowNLP divides by zero on ""
        else:
            # only a rule's words: a classifier's cue words are spread over the whole text
            focus = sorted({w for t in topics if t.by_rule for w in t.words})
            score = float(self.model.score(text, focus=focus, tokens=tokens) if tokens is not None
                          else self.model.score(text, focus=focus))
        return Analysis(
            topics=tuple(topics), place_id=self.gazetteer.locate(title, content),
            sentiment=score, negative=voice not in OFFICIAL and score < self._below(voice, kind, title, content),
            signature=signature(f"{title}\n{content}"), voice=voice)


def analyse_pending(db: Database, config: Config, analyser: Analyser | None = None,
                    batch: int | None = None) -> AnalysisSummary:
    analyser = analyser or Analyser(config)
    batch = batch or config.settings.analysis.batch_size
    summary = AnalysisSummary()
    index = _story_index(db)
    while True:
        done = _analyse_batch(db, analyser, index, batch, summary)
        if done < batch:
            break
    from yuqing.analysis.event_refresh import refresh_events

    refresh_events(db, config, analyser.facts)
    return summary


@retry_locked
def _analyse_batch(db: Database, analyser: Analyser, index: StoryIndex, batch: int,
                   summary: AnalysisSummary) -> int:
    added: list[int] = []
    try:
        return _analyse_in_session(db, analyser, index, batch, summary, added)
    except Exception:
        # the transaction rolled back: its new stories do not exist, so nothing may match them
        for story_id in added:
            index.remove(story_id)
        if added:   # SQLite hands rolled-back ids out again: let catch-up read them
            index.newest_id = min(index.newest_id, min(added) - 1)
        raise


def _analyse_in_session(db, analyser, index, batch, summary, added) -> int:
    counts = AnalysisSummary()
    with batch_lock(db), db.session() as s:
        # several workers may run at once: each claims its own batch (analysis/claim.py)
        mentions = s.scalars(claim(select(Mention).where(Mention.analysed_at.is_(None))
                                   .order_by(Mention.published_at, Mention.id).limit(batch), s)).all()
        new: list[tuple[Story, Mention]] = []
        for mention in mentions:
            result = analyser.analyse(mention.title, mention.content, source_id=mention.source_id,
                                      kind=mention.kind, author=mention.author)
            mention.sentiment, mention.negative = result.sentiment, result.negative
            mention.voice = result.voice
            mention.place_id, mention.signature = result.place_id, result.signature
            mention.topics = [MentionTopic(topic_id=t.topic_id, matched=list(t.words))
                              for t in result.topics]
            mention.analysed_at = now()
            counts.analysed += 1
            counts.negative += result.negative
        s.flush()
        # The story lookup is the slow part of grouping (LSH candidates, compared pairwise), so
        # it runs here, in parallel, against the stories known so far; under the lock only the
        # stories committed since (catch-up) and those this batch opens are searched, and the
        # better match wins — the same answer as searching everything under the lock.
        known = {m.id: index.best(m.signature) for m in mentions if m.story_id is None}
        for mention in mentions:       # the same for event facts (segmenting): cached terms
            analyser.facts.read(mention, [t.topic_id for t in mention.topics])
        # stories one worker at a time, after reading what the others have committed
        serialise_stories(s)
        fresh = StoryIndex()
        _catch_up(s, index, fresh)
        for mention in mentions:
            if mention.story_id is None:
                _assign_story(s, index, mention, new, known.get(mention.id), fresh)
        # One flush gives every new story its id; until then the index knows them by object.
        s.flush()
        for story, mention in new:
            mention.story_id = story.id
            if story.id not in added:
                index.rekey(story, story.id)
                index.newest_id = max(index.newest_id, story.id)
                added.append(story.id)
                counts.new_stories += 1
        # events in the same transaction: a crash leaves neither analysis nor grouping behind
        grouped = assign_events(s, analyser.facts, list(mentions))
        counts.new_events = grouped.opened
    # counted only once the transaction committed, so a retried batch is not counted twice
    summary.analysed += counts.analysed
    summary.negative += counts.negative
    summary.new_stories += counts.new_stories
    summary.new_events += counts.new_events
    return len(mentions)


def _story_index(db: Database) -> StoryIndex:
    index = StoryIndex()
    with db.session() as s:
        rows = s.execute(select(Story.signature, Story.id)
                         .where(Story.first_seen_at >= now() - STORY_WINDOW)).all()
        index.newest_id = s.scalar(select(func.max(Story.id))) or 0
    for sig, story_id in rows:
        if sig is not None:
            index.add(sig, story_id)
    return index


def _catch_up(s, index: StoryIndex, fresh: StoryIndex | None = None) -> None:
    """Stories other workers committed since this index was read (none with one worker); also
    into `fresh`, the stories a batch's early lookup could not see."""
    rows = s.execute(select(Story.signature, Story.id).where(Story.id > index.newest_id)
                     .order_by(Story.id)).all()
    for sig, story_id in rows:
        if sig is not None:
            index.add(sig, story_id)
            if fresh is not None:
                fresh.add(sig, story_id)
        index.newest_id = story_id


def _assign_story(s, index: StoryIndex, mention: Mention, new: list,
                  known: tuple[float, int | None] | None = None, fresh: StoryIndex | None = None) -> None:
    if fresh is None:
        found = index.find(mention.signature)
    else:
        # the early lookup's answer against the stories found since (see _analyse_in_session)
        score, found = known or index.best(mention.signature)
        later, other = fresh.best(mention.signature)
        if other is not None and later > score:
            found = other
    story = found if isinstance(found, Story) else s.get(Story, found) if found is not None else None
    if story is not None:
        story.copies += 1
        # an earlier copy that arrived late becomes the origin
        if story.first_seen_at is None or mention.when < story.first_seen_at:
            story.first_seen_at, story.origin_mention_id = mention.when, mention.id
            story.title = mention.title
        if isinstance(story, Story) and story.id is not None:
            mention.story_id = story.id
        else:
            new.append((story, mention))
        return
    # the mention was loaded from the store, so it already has the id the origin needs
    story = Story(title=mention.title, origin_mention_id=mention.id,
                  first_seen_at=mention.when, copies=1, signature=mention.signature)
    s.add(story)
    new.append((story, mention))
    index.add(mention.signature, story)
    if fresh is not None:
        fresh.add(mention.signature, story)
