"""Near-duplicate grouping into stories: MinHash over character shingles with an LSH index.

A reprint keeps most of the sentences and changes the furniture around them (a 【site tag】,
"来源：…", an editor's name, "记者了解到" → "据了解"); furniture is stripped before shingling,
so a reprint's shingle set stays close to the origin's. Two kinds of reprint are far from the
origin in Jaccard terms but nearly contained in it: a truncated copy and a copy with an added
lead paragraph. So a pair is the same story when the Jaccard estimate is high, or when the
smaller text is mostly contained in the larger one (estimated from the Jaccard estimate and
the two shingle counts, which the signature carries). Thresholds were tuned on the dev half
of tests/analysis/story_pairs.py; `python bench/eval_stories.py` reports both halves.

Simhash over short Chinese texts separated these worse (5–8 bits for reprints against 18 for
templated neighbours), which is why MinHash. The LSH index finds candidates without comparing
all pairs; candidates are then checked with the rule above.
"""

from __future__ import annotations

import re
import zlib

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 3
JACCARD = 0.42              # same story at or above this estimated Jaccard similarity
CONTAINED = 0.8             # … or when this share of the smaller text is in the larger
MIN_CONTAINED = 40          # shingles the smaller text needs for containment to count
CANDIDATE = 0.2             # LSH recall threshold: low enough to catch half-length truncations
SCHEME = "affine32"         # pinned: stored signatures must stay comparable across upgrades
ANCHOR_SHARE = 0.5         # share of anchors the texts must have in common (see _anchors)
MAX_ANCHORS = 32
_VERSION = b"M3"            # signatures from before this format compare as unrelated
_HEADER = len(_VERSION) + 6
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=7, scheme=SCHEME)
_A, _B = (p.astype(np.uint32)[:, None] for p in _TEMPLATE.permutations)

# Site furniture around a reprinted text; removed before shingling.
_FURNITURE = re.compile(
    r"【[^】]{0,30}】|\[[^\]]{0,30}\]"
    r"|[（(][^）)]{0,40}(?:编辑|来源|记者|通讯员|原标题|图|摄)[^）)]{0,40}[）)]"
    r"|(?:来源|稿源|来源于|责任编辑|编辑|责编|审核|校对|作者|记者|通讯员|摄影|图片来源|原标题|"
    r"本文来源|转自|声明)\s*[:：][^\n。]{0,60}"
    r"|(?:本报讯|本报记者|记者|通讯员)\s*[\u4e00-\u9fff]{2,3}\s*(?=[\n\s]|报道)"
    r"|(?:记者|本报)?(?:了解到|获悉|注意到)|据了解|据悉|日前|近日|本报讯"
    r"|点击.{0,10}关注[^\n。]{0,30}|分享到[:：]?[^\n]{0,40}|扫一扫[^\n。]{0,30}"
    r"|阅读(?:原文|全文|数)[^\n]{0,20}|(?:上一篇|下一篇)[:：][^\n]{0,60}")
_NOISE = re.compile(r"[\W\d_a-zA-Z]+")
# Anchors: the numbers and named places/organisations of a text. Notices cut from one template
# ("因管网维修，X月X日…X社区停止供水") share almost every shingle and differ only here.
_ANCHOR = re.compile(r"\d+|[\u4e00-\u9fff]{2,4}?(?:街道|社区|小区|花园|新村|路|公司|医院|学校|小学|中学|幼儿园)")
_WIDE_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def normalise(text: str) -> str:
    return _NOISE.sub("", _FURNITURE.sub("", text or ""))


def shingle_ids(text: str, k: int = SHINGLE, stripped: bool = False) -> np.ndarray:
    """Distinct 32-bit ids of the character k-grams of the normalised text."""
    text = _NOISE.sub("", text) if stripped else normalise(text)
    if not text:
        return np.empty(0, dtype=np.uint32)
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = max(len(cps) - k + 1, 1)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(min(k, len(cps))):
        h = (h * np.uint64(0x100000001B3)) ^ cps[j:j + n]
    # splitmix64 finaliser, then the high half: well-spread 32-bit ids for the affine scheme
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return np.unique((h >> np.uint64(32)).astype(np.uint32))


def _anchors(text: str) -> np.ndarray:
    """`text` with the furniture already stripped."""
    text = text.translate(_WIDE_DIGITS)
    found = {m.group().lstrip("0") for m in _ANCHOR.finditer(text)}
    hashed = sorted(zlib.crc32(a.encode()) for a in found if a)
    return np.array(hashed[:MAX_ANCHORS], dtype="<u4")


def signature(text: str, k: int = SHINGLE) -> bytes:
    """Version, shingle count, anchor count, NUM_PERM MinHash values and the anchors' hashes."""
    text = _FURNITURE.sub("", text or "")
    ids = shingle_ids(text, k, stripped=True)
    if ids.size:
        values = (_A * ids[None, :] + _B).min(axis=1)     # uint32 arithmetic wraps: mod 2^32
    else:
        values = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    anchors = _anchors(text)
    return (_VERSION + np.uint32(ids.size).tobytes() + np.uint16(anchors.size).tobytes()
            + values.astype("<u4").tobytes() + anchors.tobytes())


def _parts(sig: bytes | None) -> tuple[int, np.ndarray, np.ndarray] | None:
    if not sig or not sig.startswith(_VERSION) or len(sig) < _HEADER + 4 * NUM_PERM:
        return None
    count = int(np.frombuffer(sig, dtype="<u4", count=1, offset=len(_VERSION))[0])
    n_anchors = int(np.frombuffer(sig, dtype="<u2", count=1, offset=len(_VERSION) + 4)[0])
    if len(sig) != _HEADER + 4 * (NUM_PERM + n_anchors):
        return None
    values = np.frombuffer(sig, dtype="<u4", count=NUM_PERM, offset=_HEADER)
    return count, values, np.frombuffer(sig, dtype="<u4", offset=_HEADER + 4 * NUM_PERM)


def anchors_agree(a: bytes, b: bytes, share: float = ANCHOR_SHARE) -> bool:
    """Do the texts name the same numbers and places? Vacuously yes when one names under two."""
    xa, xb = _parts(a)[2], _parts(b)[2]
    small = min(xa.size, xb.size)
    if small < 2:
        return True
    return np.intersect1d(xa, xb).size >= share * small


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0 for empty or old ones)."""
    pa, pb = _parts(a), _parts(b)
    if not pa or not pb or not pa[0] or not pb[0]:
        return 0.0
    return float(np.mean(pa[1] == pb[1]))


def containment(a: bytes, b: bytes) -> float:
    """Estimated share of the smaller text's shingles that the larger one has."""
    pa, pb = _parts(a), _parts(b)
    j = similarity(a, b)
    if not j:
        return 0.0
    na, nb = pa[0], pb[0]
    return min(1.0, j * (na + nb) / ((1 + j) * min(na, nb)))


def same_story(a: bytes, b: bytes, jaccard: float = JACCARD, contained: float = CONTAINED,
               min_contained: int = MIN_CONTAINED, anchor_share: float | None = ANCHOR_SHARE) -> bool:
    j = similarity(a, b)
    if not j or (anchor_share is not None and not anchors_agree(a, b, anchor_share)):
        return False
    if j >= jaccard:
        return True
    small = min(_parts(a)[0], _parts(b)[0]) if j else 0
    return small >= min_contained and containment(a, b) >= contained


def _minhash(sig: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=7, scheme=SCHEME, hashvalues=_parts(sig)[1],
                   permutations=_TEMPLATE.permutations)


class StoryIndex:
    """Story signatures, searchable for the story a new copy belongs to."""

    _params: tuple[int, int] | None = None      # LSH bands and rows, worked out once

    def __init__(self):
        # datasketch integrates for the bands and rows on every index (~0.1 s): once is enough
        # (analysis makes a small index per batch, under the story lock)
        if StoryIndex._params is None:
            self._lsh = MinHashLSH(threshold=CANDIDATE, num_perm=NUM_PERM)
            StoryIndex._params = (self._lsh.b, self._lsh.r)
        else:
            self._lsh = MinHashLSH(threshold=CANDIDATE, num_perm=NUM_PERM, params=StoryIndex._params)
        self._sigs: dict[int, bytes] = {}
        self.newest_id = 0         # highest story id read from the store (workers catch up past it)

    def add(self, sig: bytes | None, story_id) -> None:
        parts = _parts(sig)
        if story_id in self._sigs or not parts or not parts[0]:
            return          # empty texts and old-format signatures group with nothing
        self._sigs[story_id] = sig
        self._lsh.insert(story_id, _minhash(sig))

    def rekey(self, old, new) -> None:
        """A story added before it had its id (by object) now has one."""
        sig = self._sigs.get(old)
        if sig is not None:
            self.remove(old)
            self.add(sig, new)

    def remove(self, story_id) -> None:
        if self._sigs.pop(story_id, None) is not None:
            self._lsh.remove(story_id)

    def __len__(self) -> int:
        return len(self._sigs)

    def find(self, sig: bytes | None) -> int | None:
        return self.best(sig)[1]

    def best(self, sig: bytes | None) -> tuple[float, int | None]:
        """The most similar story of the same story, with its similarity ((-1, None): none).
        The best over two indexes together is the better of their bests, so analysis looks up
        most of a batch before it takes the story lock (analysis/stage.py)."""
        parts = _parts(sig)
        if not parts or not parts[0]:
            return -1.0, None
        best, best_id = -1.0, None
        for story_id in self._lsh.query(_minhash(sig)):
            other = self._sigs[story_id]
            if same_story(sig, other):
                score = similarity(sig, other)
                if score > best:
                    best, best_id = score, story_id
        return best, best_id
