"""Rising keywords (上升关键词): words far more frequent this period than in the weeks before.

Counted per mention (a word repeated in one post counts once), from titles and the opening of
the text, segmented with the config's user dictionary so place and department names stay whole.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from yuqing.analysis.segment import Segmenter
from yuqing.config.models import Config
from yuqing.storage.models import Mention
from yuqing.reports.stats import NEGATIVE, WHEN

STOPWORDS = frozenset((Path(__file__).resolve().parent / "stopwords.txt")
                      .read_text(encoding="utf-8").split())
_WORDLIKE = re.compile(r"^[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]+$")
_NUMERAL = re.compile(r"^[零一二三四五六七八九十百千万亿两几多余第]+$")
TEXT_CHARS = 400


@dataclass(frozen=True)
class Keyword:
    word: str
    count: int                  # mentions this period
    before: float               # mentions per period, on average, in the periods before
    negative: int
    examples: tuple[Mention, ...]

    @property
    def rise(self) -> float:
        return (self.count + 1) / (self.before + 1)


def _words(segmenter: Segmenter, m: Mention) -> set[str]:
    text = f"{m.title}。{(m.content or '')[:TEXT_CHARS]}"
    return {t for t in segmenter.tokens(text)
            if _WORDLIKE.match(t) and not _NUMERAL.match(t) and t not in STOPWORDS}


def rising_keywords(s: Session, config: Config, start: datetime, end: datetime,
                    segmenter: Segmenter | None = None, history: int = 4,
                    min_count: int = 3, limit: int = 15) -> list[Keyword]:
    period = end - start
    segmenter = segmenter or Segmenter.for_config(config)
    stop = STOPWORDS | {config.settings.district, config.settings.district.rstrip("区")}
    now_counts: Counter = Counter()
    negative: Counter = Counter()
    examples: dict[str, list[tuple[bool, Mention]]] = defaultdict(list)
    rows = s.execute(select(Mention, NEGATIVE).where(WHEN >= start, WHEN < end)
                     .order_by(WHEN.desc())).all()
    for m, neg in rows:
        for word in _words(segmenter, m) - stop:
            now_counts[word] += 1
            negative[word] += bool(neg)
            examples[word].append((bool(neg), m))
    before: Counter = Counter()
    earlier = s.scalars(select(Mention).where(WHEN >= start - history * period, WHEN < start)).all()
    for m in earlier:
        before.update(_words(segmenter, m) - stop)
    found = []
    for word, count in now_counts.items():
        if count < min_count:
            continue
        picked = sorted(examples[word], key=lambda e: not e[0])[:3]
        found.append(Keyword(word, count, before[word] / history, negative[word],
                             tuple(m for _, m in picked)))
    found = [k for k in found if k.rise >= 2]
    return sorted(found, key=lambda k: (-k.rise, -k.count, k.word))[:limit]
