"""One topic per mention, or none (未归类): keyword rules and the bundled classifier together.

    decider = TopicDecider(config.topics)          # built once per config load
    decider.decide(title, body) -> TopicMatch | None

The rules (analysis.topics) give evidence words and raise their topics' odds by `bonus`; the
classifier (analysis.topic_classifier) weighs the whole wording, so a complaint no rule
names still gets its topic, and a rule word used in passing ("安全" in a road collapse
report) does not outvote the matter. The result is the most probable topic when its
probability reaches `threshold`, else None: the mention is 未归类 (the catch-all series and
the duty office take it). "No topic" is a class of its own, trained on plenty of unrelated
text (analysis.topic_other), and two log-odds are added to it before the choice:
`other_bias` always (a margin a topic must clear), and `outside_bonus` when the text is
anchored outside the district (analysis.topic_anchor: another city's fire, a ministry's rule).
All four numbers (bonus, threshold, other_bias, outside_bonus) are chosen by
analysis.topic_train on texts the model did not see. The analysis stage stores it as the mention's only
`mention_topics` row, with evidence words: the rule's words when the rule matched, else the
words that most favour the topic in the classifier.

Topics the classifier was not trained on (a deployment's own topics) are decided by their
rules alone, and win when their rule matches. A rule that matches nearly everything
(`broad_rules`) is dropped with a warning, so it cannot flood one topic.
"""

from __future__ import annotations

import logging

import numpy as np

from yuqing.analysis.topic_anchor import outside_anchor
from yuqing.analysis.topic_classifier import TopicModel, features, get_topic_model
from yuqing.analysis.topic_corpus import OTHER_LABEL
from yuqing.analysis.topics import TopicMatch, TopicMatcher
from yuqing.config.models import Topic

log = logging.getLogger(__name__)
BROAD_SHARE = 0.4                  # a rule matching this share of other topics' examples is broad


def broad_rules(topics: list[Topic], probe: list[tuple[str, str]] | None = None) -> dict[str, float]:
    """{topic id: share of probe texts about *other* matters its rule matches}, for rules
    at or above BROAD_SHARE. The probe is the classifier's training corpus: every matter,
    in many wordings."""
    if probe is None:
        from yuqing.analysis.topic_corpus import examples

        probe = examples(seed=7, per_topic=20)
    matcher = TopicMatcher(topics)
    hits: dict[str, int] = {}
    for text, label in probe:
        for m in matcher.match("", text):
            if m.topic_id != label:
                hits[m.topic_id] = hits.get(m.topic_id, 0) + 1
    out = {}
    for topic in topics:
        others = sum(1 for _, label in probe if label != topic.id)
        share = hits.get(topic.id, 0) / max(others, 1)
        if share >= BROAD_SHARE:
            out[topic.id] = share
    return out


def broad_rule_messages(topics: list[Topic]) -> list[str]:
    names = {t.id: t.name for t in topics}
    return [f"主题“{names[tid]}”（{tid}）的规则几乎匹配所有内容（其他事项的样例中 {share:.0%} 命中），"
            f"分析时不采用这条规则；请加上事件词（event）或用 expr 收窄"
            for tid, share in broad_rules(topics).items()]


class TopicDecider:
    def __init__(self, topics: list[Topic], model: TopicModel | None = None, use_model: bool = True):
        broad = broad_rules(topics) if topics else {}
        for tid, share in broad.items():
            log.warning("主题 %s 的规则匹配了 %.0f%% 的其他事项样例，已停用该规则", tid, share * 100)
        self.rules = TopicMatcher([t for t in topics if t.id not in broad])
        self.model = (model or get_topic_model()) if use_model else None
        self.ids = {t.id for t in topics}
        if self.model is not None:
            labels = self.model.labels
            self.known = {lab for lab in labels if lab in self.ids}
            self._mask = np.array([0.0 if lab in self.ids or lab == OTHER_LABEL else -np.inf
                                   for lab in labels])
            params = self.model.meta.get("decision", {})
            self.bonus = float(params.get("bonus", 4.0))       # log-odds added when a rule matches
            self.threshold = float(params.get("threshold", 0.35))
            self.other_bias = float(params.get("other_bias", 0.0))
            self.outside_bonus = float(params.get("outside_bonus", 0.0))
            self._other = labels.index(OTHER_LABEL) if OTHER_LABEL in labels else None

    def decide(self, title: str, body: str, tokens: list[str] | None = None) -> TopicMatch | None:
        """``tokens``: analysis.sentiment.tokenize(f"{title}\\n{body}"), if the caller has it."""
        matches = self.rules.match(title, body)
        if self.model is None:
            return _most_words(matches)
        own = [m for m in matches if m.topic_id not in self.known]
        if own:                         # the deployment's own topics: their rules decide
            return _most_words(own)
        text = f"{title}\n{body}"
        feats = features(text, tokens)
        scores = self.model.log_scores(text, feats) + self._mask
        label = self.choose(scores, [m.topic_id for m in matches], outside_anchor(text))
        if label is None:
            return None
        rule = next((m for m in matches if m.topic_id == label), None)
        if rule is not None:
            return rule
        return TopicMatch(label, tuple(self.model.strongest(feats, label)), by_rule=False)

    def choose(self, scores: np.ndarray, matched: list[str], outside: bool) -> str | None:
        """The topic from the classifier's log-scores, the topics whose rules matched and the
        outside anchor; None for 未归类. Separate so the trainer can tune on stored scores."""
        probs = self.model.probabilities(self.adjusted(scores, matched, outside))
        best = int(np.argmax(probs))
        label = self.model.labels[best]
        if label == OTHER_LABEL or probs[best] < self.threshold:
            return None
        return label

    def adjusted(self, scores: np.ndarray, matched: list[str], outside: bool) -> np.ndarray:
        scores = scores.copy()
        labels = self.model.labels
        for tid in matched:
            if tid in self.known:
                scores[labels.index(tid)] += self.bonus
        if self._other is not None:
            scores[self._other] += self.other_bias + (self.outside_bonus if outside else 0.0)
        return scores

    def scores(self, title: str, body: str) -> dict[str, float]:
        """The combined probabilities, for explaining a decision."""
        text = f"{title}\n{body}"
        matches = self.rules.match(title, body)
        scores = self.adjusted(self.model.log_scores(text) + self._mask,
                               [m.topic_id for m in matches], outside_anchor(text))
        return dict(zip(self.model.labels, self.model.probabilities(scores).tolist()))


def _most_words(matches: list[TopicMatch]) -> TopicMatch | None:
    if not matches:
        return None
    return sorted(matches, key=lambda m: (-len(m.words), m.topic_id))[0]
