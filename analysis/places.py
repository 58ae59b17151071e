"""Gazetteer of streets and communities: which street (and so which 属地 handler) a text is about.

Rules, each chosen so that a wrong street is worse than none (a warning without a street
goes to the duty office, which reassigns it; a wrong one goes to a street that shrugs):

- Names are matched leftmost-longest, so "毓璜顶医院" (a city hospital) hides "毓璜顶" and
  "只楚社区" counts as the community, not as the short street name inside it.
- Places outside the district (烟台's other districts and county-level cities and their
  streets, other cities) are matched too. A district name claims the names right after it:
  in "莱山区滨海路社区" the community is 莱山区's, not ours.
- When a text names places outside the district and never names 芝罘, only full street
  names count: a community or short alias there is more likely a namesake elsewhere.
- A community that several streets share counts only for the street the text also names.
- 烟台市 alone is no evidence: city-wide texts belong to no street.
- Votes: street name 3, community 2, short alias 2; the title counts triple. A tie → None.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import ahocorasick

from yuqing.config.models import Place

# Yantai's other districts / county-level cities and their best-known streets, plus places a
# local text often names that are not a 芝罘区 street's business. Data about the world, not
# configuration: a deployment for another district passes its own list to Gazetteer.
OUTSIDE_DISTRICTS = (
    "莱山区", "福山区", "牟平区", "蓬莱区", "蓬莱市", "龙口市", "莱阳市", "莱州市", "招远市",
    "栖霞市", "海阳市", "长岛县", "长岛", "开发区", "经济技术开发区", "高新区", "高新技术产业开发区",
    "青岛市", "威海市", "潍坊市", "济南市", "日照市", "大连市",
)
OUTSIDE_PLACES = (
    "初家街道", "黄海路街道", "滨海路街道", "院格庄街道", "解甲庄街道", "莱山街道",
    "清洋街道", "福新街道", "东厅街道", "门楼街道", "宁海街道", "文化街道", "武宁街道",
    "大窑街道", "姜格庄街道", "古现街道", "大季家街道", "八角街道", "马山街道",
    "登州街道", "紫荆山街道", "新港街道", "蓬莱阁街道", "南王街道",
)
# Names that contain one of ours but are not a street's matter: they hide the shorter name and
# say nothing else (烟台毓璜顶医院 is a city hospital; its patients' complaints are not 属地).
BLOCKED = ("毓璜顶医院",)
HOME_NAMES = ("芝罘区", "芝罘")
CLAIM_CHARS = 4            # a district name claims places starting this close after it

STREET, ALIAS, COMMUNITY, OUTSIDE, DISTRICT, HOME, BLOCK = range(7)
WEIGHT = {STREET: 3, ALIAS: 2, COMMUNITY: 2}


@dataclass(frozen=True)
class _Name:
    text: str
    kind: int
    places: tuple[str, ...]         # place ids (several for a shared community)


@dataclass(frozen=True)
class PlaceMatch:
    place_id: str
    names: tuple[str, ...]          # the names that voted for it: evidence


class Gazetteer:
    def __init__(self, places: list[Place], outside_districts=OUTSIDE_DISTRICTS,
                 outside_places=OUTSIDE_PLACES, blocked=BLOCKED):
        names: dict[str, _Name] = {}
        owners: dict[str, set[str]] = defaultdict(set)
        for place in places:
            names[place.name] = _Name(place.name, STREET, (place.id,))
            for alias in place.aliases:
                kind = STREET if alias.startswith(place.name) else ALIAS
                names[alias] = _Name(alias, kind, (place.id,))
            for community in place.communities:
                for name in (community.name, *community.aliases):
                    owners[name].add(place.id)
        for name, ids in owners.items():
            if name not in names:
                names[name] = _Name(name, COMMUNITY, tuple(sorted(ids)))
        for kind, extra in ((OUTSIDE, outside_places), (DISTRICT, outside_districts),
                            (HOME, HOME_NAMES), (BLOCK, blocked)):
            for name in extra:
                names.setdefault(name, _Name(name, kind, ()))
        self._automaton = ahocorasick.Automaton()
        for name in names.values():
            self._automaton.add_word(name.text, name)
        self._empty = not places
        if not self._empty:
            self._automaton.make_automaton()

    def _names(self, text: str) -> list[tuple[int, _Name]]:
        """Leftmost-longest matches as (start, name), claimed names dropped."""
        spans = sorted(((end - len(n.text) + 1, -len(n.text), n) for end, n in self._automaton.iter(text)),
                       key=lambda s: (s[0], s[1]))
        kept, covered, claim_until = [], 0, -1
        for start, neg_len, name in spans:
            if start < covered:
                continue
            covered = start - neg_len
            if name.kind in (DISTRICT, OUTSIDE):
                claim_until = covered + CLAIM_CHARS
            elif name.kind == HOME:
                claim_until = -1
            elif name.kind in (STREET, ALIAS, COMMUNITY) and start <= claim_until:
                continue
            kept.append((start, name))
        return kept

    def match(self, title: str, body: str) -> PlaceMatch | None:
        """The street the text is about, with the names that said so; None when unclear."""
        if self._empty:
            return None
        found = [(weight, name) for text, weight in ((title, 3), (body, 1))
                 for _, name in self._names(text or "")]
        kinds = {name.kind for _, name in found}
        foreign = bool(kinds & {OUTSIDE, DISTRICT}) and HOME not in kinds
        streets = {name.places[0] for _, name in found if name.kind == STREET}
        votes: Counter[str] = Counter()
        evidence: dict[str, set[str]] = defaultdict(set)
        for weight, name in found:
            if name.kind not in WEIGHT or (foreign and name.kind != STREET):
                continue
            ids = name.places
            if len(ids) > 1:                       # shared community: only with its street
                ids = tuple(i for i in ids if i in streets)
                if len(ids) != 1:
                    continue
            votes[ids[0]] += WEIGHT[name.kind] * weight
            evidence[ids[0]].add(name.text)
        if not votes:
            return None
        (best, top), *rest = votes.most_common(2)
        if rest and rest[0][1] == top:
            return None
        return PlaceMatch(best, tuple(sorted(evidence[best])))

    def locate(self, title: str, body: str) -> str | None:
        found = self.match(title, body)
        return found.place_id if found else None
