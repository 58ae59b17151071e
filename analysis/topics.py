"""Topic rules (主体 / 事件 / 地域 / 排除 words) compiled once into one Aho–Corasick automaton."""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from config.models import Topic


@dataclass(frozen=True)
class TopicMatch:
    topic_id: str
    words: tuple[str, ...]          # the words that matched: evidence for people


class TopicMatcher:
    def __init__(self, topics: list[Topic]):
        self.topics = topics
        self._automaton = ahocorasick.Automaton()
        for topic in topics:
            rule = topic.rule
            for word in {*rule.subject, *rule.event, *rule.region, *rule.exclude}:
                self._automaton.add_word(word, word)
        self._empty = not len(self._automaton)
        if not self._empty:
            self._automaton.make_automaton()

    def _found(self, text: str) -> set[str]:
        if self._empty or not text:
            return set()
        return {word for _, word in self._automaton.iter(text)}

    def match(self, title: str, body: str) -> list[TopicMatch]:
        in_title, in_body = self._found(title), self._found(body)
        results = []
        for topic in self.topics:
            rule = topic.rule
            found = {"title": in_title, "body": in_body}.get(rule.scope, in_title | in_body)
            if found & set(rule.exclude):
                continue
            groups = [rule.subject, rule.event, rule.region]
            hits = [found & set(group) for group in groups if group]
            if all(hits):
                words = sorted(set().union(*hits))
                results.append(TopicMatch(topic.id, tuple(words)))
        return results
