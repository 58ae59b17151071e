"""Topic rules compiled once into one Aho–Corasick automaton over every rule's words.

A mention is scanned once per field (title, body); each rule then evaluates its expression
tree (analysis.topic_expr) against the words found and where they were found. The words that
made a rule hold are kept as evidence for the people who read the warning.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

import ahocorasick

from yuqing.config.topic_expr import SENTENCE, Near, Terms, evaluate, has_near, words_of
from yuqing.config.models import Topic

_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")
FIELDS = {"title": ("title",), "body": ("body",), "any": ("title", "body"), None: None}


@dataclass(frozen=True)
class TopicMatch:
    topic_id: str
    words: tuple[str, ...]          # the words that matched: evidence for people
    by_rule: bool = True            # False: the classifier decided; words are its strongest cues


@dataclass(frozen=True)
class _Rule:
    topic_id: str
    tree: object
    veto: Terms | None
    fields: tuple[str, ...]         # the rule's default scope


class _Found:
    """Where each word occurs in each field of one mention: {field: {word: [start, ...]}}."""

    def __init__(self, automaton, title: str, body: str, empty: bool):
        self.text = {"title": title or "", "body": body or ""}
        self.at: dict[str, dict[str, list[int]]] = {"title": {}, "body": {}}
        self._sentences: dict[str, list[int]] = {}
        if empty:
            return
        for field, text in self.text.items():
            at = self.at[field]
            for end, word in automaton.iter(text):
                at.setdefault(word, []).append(end - len(word) + 1)

    def words(self, terms: Terms, default: tuple[str, ...]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for field in FIELDS[terms.scope] or default:
            at = self.at[field]
            for word in terms.words & at.keys():
                out.setdefault(word, []).extend(at[word])
        return out

    def sentence(self, field: str, pos: int) -> int:
        ends = self._sentences.get(field)
        if ends is None:
            ends = self._sentences[field] = [m.end() for m in _SENTENCE_END.finditer(self.text[field])]
        return bisect_right(ends, pos)

    def near(self, node: Near, default: tuple[str, ...]) -> set[str]:
        """Words of every left/right pair close enough, within one field."""
        evidence: set[str] = set()
        for field in FIELDS[node.left.scope] or default:
            at = self.at[field]
            lefts = [(w, p) for w in node.left.words & at.keys() for p in at[w]]
            rights = [(w, p) for w in node.right.words & at.keys() for p in at[w]]
            for lw, lp in lefts:
                for rw, rp in rights:
                    if self._close(field, lw, lp, rw, rp, node.distance):
                        evidence.update((lw, rw))
        return evidence

    def _close(self, field, lw, lp, rw, rp, distance) -> bool:
        if distance == SENTENCE:
            return self.sentence(field, lp) == self.sentence(field, rp)
        # characters between the end of the first word and the start of the second
        gap = rp - (lp + len(lw)) if lp <= rp else lp - (rp + len(rw))
        return gap <= distance


class TopicMatcher:
    def __init__(self, topics: list[Topic]):
        self.topics = topics
        self._rules: list[_Rule] = []
        self._automaton = ahocorasick.Automaton()
        words: set[str] = set()
        for topic in topics:
            rule = topic.rule
            tree = rule.tree()
            veto = Terms(frozenset(rule.exclude)) if rule.exclude else None
            self._rules.append(_Rule(topic.id, tree, veto, FIELDS[rule.scope]))
            words |= words_of(tree) | set(rule.exclude)
        for word in words:
            self._automaton.add_word(word, word)
        self._empty = not words
        if not self._empty:
            self._automaton.make_automaton()
        self.uses_proximity = any(has_near(r.tree) for r in self._rules)

    def match(self, title: str, body: str) -> list[TopicMatch]:
        found = _Found(self._automaton, title, body, self._empty)
        results = []
        for rule in self._rules:
            def words(terms: Terms, fields=rule.fields):
                return found.words(terms, fields)

            def near(node: Near, fields=rule.fields):
                return found.near(node, fields)

            if rule.veto is not None and words(rule.veto):
                continue
            evidence = evaluate(rule.tree, words, near)
            if evidence is not None:
                results.append(TopicMatch(rule.topic_id, tuple(sorted(evidence))))
        return results
