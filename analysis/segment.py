"""jieba segmentation with a user dictionary built from the config's names.

Place, community, department and topic words are added once per config load, so that
"葡萄山社区" or "区住房和城乡建设局" stay whole tokens and the rules see them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import jieba

from config.models import Config
from yuqing.paths import home

jieba.setLogLevel(logging.WARNING)


def config_words(config: Config) -> set[str]:
    words: set[str] = set()
    for place in config.places:
        words.update([place.name, *place.aliases])
        for community in place.communities:
            words.update([community.name, *community.aliases])
    words.update(d.name for d in config.departments)
    for topic in config.topics:
        rule = topic.rule
        words.update([*rule.subject, *rule.event, *rule.region, *rule.exclude])
    return {w for w in words if len(w) >= 2}


class Segmenter:
    def __init__(self, extra_words: Iterable[str] = ()):
        self._jieba = jieba.Tokenizer()
        # jieba caches its prefix dictionary; keep that file where we may write.
        cache = home() / "cache"
        cache.mkdir(exist_ok=True)
        self._jieba.tmp_dir = str(cache)
        self._jieba.initialize()
        for word in extra_words:
            self._jieba.add_word(word, freq=20000)

    @classmethod
    def for_config(cls, config: Config) -> "Segmenter":
        return cls(sorted(config_words(config)))

    def tokens(self, text: str) -> list[str]:
        return [t for t in self._jieba.lcut(text, HMM=True) if t.strip()]
