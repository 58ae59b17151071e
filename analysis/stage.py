"""The analysis stage: score what collection stored, then group copies into stories.

Reads mentions with no analysis yet, writes sentiment, topics, place and story; safe to rerun.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from analysis.places import Gazetteer
from analysis.segment import Segmenter
from analysis.stories import StoryIndex, signature
from analysis.topics import TopicMatch, TopicMatcher
from config.models import Config
from storage.db import Database, retry_locked
from storage.models import Mention, MentionTopic, Story
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


@dataclass
class AnalysisSummary:
    analysed: int = 0
    negative: int = 0
    new_stories: int = 0


class Analyser:
    """Built once per config load: the segmenter, automata and model are the costly parts."""

    def __init__(self, config: Config):
        from analysis.sentiment import get_model

        self.config = config
        self.segmenter = Segmenter.for_config(config)
        self.topics = TopicMatcher(config.topics)
        self.gazetteer = Gazetteer(config.places)
        self.model = get_model(config.settings.analysis.sentiment_model)
        self.negative_below = config.settings.analysis.negative_below

    def analyse(self, title: str, content: str) -> Analysis:
        topics = self.topics.match(title, content)
        text = f"{title}\n{content[:SENTIMENT_CHARS]}".strip()
        focus = sorted({w for t in topics for w in t.words})
        score = self.model.score(text, focus=focus) if text else 0.5
        return Analysis(
            topics=tuple(topics), place_id=self.gazetteer.locate(title, content),
            sentiment=score, negative=score < self.negative_below,
            signature=signature(f"{title}\n{content}"))


def analyse_pending(db: Database, config: Config, analyser: Analyser | None = None,
                    batch: int | None = None) -> AnalysisSummary:
    analyser = analyser or Analyser(config)
    batch = batch or config.settings.analysis.batch_size
    summary = AnalysisSummary()
    index = _story_index(db)
    while True:
        done = _analyse_batch(db, analyser, index, batch, summary)
        if done < batch:
            return summary


@retry_locked
def _analyse_batch(db: Database, analyser: Analyser, index: StoryIndex, batch: int,
                   summary: AnalysisSummary) -> int:
    with db.session() as s:
        mentions = s.scalars(select(Mention).where(Mention.analysed_at.is_(None))
                             .order_by(Mention.published_at, Mention.id).limit(batch)).all()
        for mention in mentions:
            result = analyser.analyse(mention.title, mention.content)
            mention.sentiment, mention.negative = result.sentiment, result.negative
            mention.place_id, mention.signature = result.place_id, result.signature
            mention.topics = [MentionTopic(topic_id=t.topic_id, matched=list(t.words))
                              for t in result.topics]
            if mention.story_id is None:
                summary.new_stories += _assign_story(s, index, mention)
            mention.analysed_at = now()
            summary.analysed += 1
            summary.negative += result.negative
        return len(mentions)


def _story_index(db: Database) -> StoryIndex:
    index = StoryIndex()
    with db.session() as s:
        rows = s.execute(select(Story.signature, Story.id)
                         .where(Story.first_seen_at >= now() - STORY_WINDOW)).all()
    for sig, story_id in rows:
        if sig is not None:
            index.add(sig, story_id)
    return index


def _assign_story(s, index: StoryIndex, mention: Mention) -> int:
    story_id = index.find(mention.signature)
    if story_id is not None:
        story = s.get(Story, story_id)
        story.copies += 1
        if mention.when < story.first_seen_at:
            story.first_seen_at, story.origin_mention_id = mention.when, mention.id
            story.title = mention.title
        mention.story_id = story.id
        return 0
    s.flush()   # the mention needs its id to be the story's origin
    story = Story(title=mention.title, origin_mention_id=mention.id,
                  first_seen_at=mention.when, copies=1, signature=mention.signature)
    s.add(story)
    s.flush()
    mention.story_id = story.id
    index.add(mention.signature, story.id)
    return 1
