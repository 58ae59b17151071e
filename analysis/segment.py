"""jieba segmentation with a user dictionary built from the config's names.

Place, community, department and topic words are added once per config load, so that
"葡萄山社区" or "区住房和城乡建设局" stay whole tokens and the rules see them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

import jieba

from yuqing.config.topic_expr import words_of
from yuqing.config.models import Config
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
        words.add(topic.name)                       # policy areas: 冬季供暖, 教育入学 …
        words.update(words_of(topic.rule.tree()))
        words.update(topic.rule.exclude)
    return {w for w in words if len(w) >= 2}


# One segmenter per distinct dictionary: building one costs ~1 s (jieba's prefix dictionary
# plus the added words), so every Analyser built from the same config load shares it.
_BUILT: dict[tuple[str, ...], "Segmenter"] = {}
_LOCK = threading.Lock()


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
        key = tuple(sorted(config_words(config)))
        with _LOCK:
            if key not in _BUILT:
                _BUILT.clear()          # a reloaded config replaces the old dictionary
                _BUILT[key] = cls(key)
            return _BUILT[key]

    def tokens(self, text: str) -> list[str]:
        return [t for t in self._jieba.lcut(text, HMM=True) if t.strip()]
