"""Gazetteer of streets and communities: which place (and so which 属地 handler) a text is about."""

from __future__ import annotations

from collections import Counter

import ahocorasick

from config.models import Place


class Gazetteer:
    def __init__(self, places: list[Place]):
        self._automaton = ahocorasick.Automaton()
        for place in places:
            names = [place.name, *place.aliases]
            for community in place.communities:
                names += [community.name, *community.aliases]
            for name in names:
                self._automaton.add_word(name, (place.id, name))
        self._empty = not places
        if not self._empty:
            self._automaton.make_automaton()

    def locate(self, title: str, body: str) -> str | None:
        """The place named most, the title counting triple; None when no place is named."""
        if self._empty:
            return None
        votes: Counter[str] = Counter()
        for text, weight in ((title, 3), (body, 1)):
            for _, (place_id, _name) in self._automaton.iter(text or ""):
                votes[place_id] += weight
        if not votes:
            return None
        return votes.most_common(1)[0][0]
