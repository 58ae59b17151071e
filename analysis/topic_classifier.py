"""The bundled topic classifier: multinomial naive Bayes over jieba words and character bigrams.

Trained by `yuqing topics train` on analysis.topic_corpus (phrase banks we wrote, never the
held-out set in bench/data/), saved as analysis/topic_model/{meta.json, model.npz}: plain
JSON and numpy arrays, no pickle, byte-identical for the same code and seed.

    model = TopicModel.load()                  # the bundled one; cached by get_topic_model()
    model.posterior(text) -> {label: probability}   # labels: topic ids and "other"

Words carry meaning (暖气, 划片), character bigrams carry the unseen wordings jieba splits
differently (冰凉 in 冰凉凉, 塌陷 in 塌陷坑). Presence, not counts: a long article repeating one
word should not drown the rest. Posteriors are tempered (divided by `temperature`) because
naive Bayes is overconfident on correlated features.
"""

from __future__ import annotations

import json
import re
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).with_name("topic_model")
FORMAT = "yuqing-topic-nb-1"
_CJK = re.compile(r"[\u4e00-\u9fff]{2,}")
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
TEXT_CHARS = 400                 # the opening says what an item is about; also bounds cost


def features(text: str, tokens: list[str] | None = None) -> set[str]:
    """Words ("w:") and character bigrams ("c:") of the opening TEXT_CHARS characters.
    ``tokens``: analysis.sentiment.tokenize of the text, when the caller has segmented it
    already (jieba is most of the cost; the stage segments once for sentiment and topics)."""
    text = text[:TEXT_CHARS]
    if tokens is None:
        from yuqing.analysis.sentiment import tokenize

        tokens = tokenize(text)
    out = {"w:" + t.lower() for t in tokens if len(t) >= 2 and _WORD.fullmatch(t)}
    for run in _CJK.findall(text):
        out.update("c:" + run[i:i + 2] for i in range(len(run) - 1))
    return out


class TopicModel:
    def __init__(self, labels: list[str], vocab: list[str], weights: np.ndarray, bias: np.ndarray,
                 temperature: float, meta: dict | None = None):
        self.labels = labels
        self.vocab = vocab
        self.index = {f: i for i, f in enumerate(vocab)}
        self.weights = weights                   # (features, labels) log P(feature | label)
        self.bias = bias                         # (labels,) log prior + log P(absent) terms folded in
        self.temperature = temperature
        self.meta = meta or {}

    @classmethod
    def train(cls, examples: list[tuple[str, str]], alpha: float = 0.5, min_count: int = 2,
              temperature: float = 4.0, extra: dict | None = None) -> "TopicModel":
        labels = sorted({y for _, y in examples})
        rows = [(features(x), labels.index(y)) for x, y in examples]
        counts: dict[str, int] = {}
        for feats, _ in rows:
            for f in feats:
                counts[f] = counts.get(f, 0) + 1
        vocab = sorted(f for f, c in counts.items() if c >= min_count)
        index = {f: i for i, f in enumerate(vocab)}
        n = np.zeros((len(vocab), len(labels)))
        for feats, y in rows:
            for f in feats:
                i = index.get(f)
                if i is not None:
                    n[i, y] += 1
        # multinomial NB on presence vectors; uniform prior (the banks are balanced by design)
        log_p = np.log(n + alpha) - np.log(n.sum(axis=0) + alpha * len(vocab))
        weights = np.round(log_p, 4).astype(np.float32)
        bias = np.zeros(len(labels), dtype=np.float32)
        meta = {"format": FORMAT, "alpha": alpha, "min_count": min_count, "examples": len(examples),
                "per_label": {lab: sum(1 for _, y in examples if y == lab) for lab in labels},
                **(extra or {})}
        return cls(labels, vocab, weights, bias, temperature, meta)

    def log_scores(self, text: str, feats: set[str] | None = None) -> np.ndarray:
        idx = [i for i in map(self.index.get, features(text) if feats is None else feats) if i is not None]
        if not idx:
            return self.bias.astype(np.float64)
        return self.bias + self.weights[idx].sum(axis=0, dtype=np.float64)

    def posterior(self, text: str) -> dict[str, float]:
        return dict(zip(self.labels, self.probabilities(self.log_scores(text)).tolist()))

    def probabilities(self, log_scores: np.ndarray) -> np.ndarray:
        z = log_scores / self.temperature
        z = np.exp(z - z.max())
        return z / z.sum()

    def strongest(self, feats: set[str], label: str, k: int = 3) -> list[str]:
        """The words among a text's features that most favour `label` over the others: evidence."""
        words = sorted(f for f in feats if f.startswith("w:") and f in self.index)
        if not words:
            return []
        j = self.labels.index(label)
        rows = self.weights[[self.index[w] for w in words]].astype(np.float64)
        mine = rows[:, j].copy()
        rows[:, j] = -np.inf
        margin = mine - rows.max(axis=1)
        order = sorted(range(len(words)), key=lambda i: (-margin[i], words[i]))[:k]
        return [words[i][2:] for i in order if margin[i] > 0]

    def save(self, folder: str | Path) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        meta = {**self.meta, "labels": self.labels, "temperature": self.temperature,
                "vocab": self.vocab}
        (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=0) + "\n",
                                          encoding="utf-8")
        # written by hand with fixed timestamps: np.savez stamps the current time
        with zipfile.ZipFile(folder / "model.npz", "w", zipfile.ZIP_DEFLATED) as z:
            for name, array in (("weights", self.weights), ("bias", self.bias)):
                info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                with z.open(info, "w") as f:
                    np.lib.format.write_array(f, np.ascontiguousarray(array), allow_pickle=False)
        return folder

    @classmethod
    def load(cls, folder: str | Path | None = None) -> "TopicModel":
        folder = Path(folder or MODEL_DIR)
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"主题模型“{folder}”的格式不是 {FORMAT}，请用 yuqing topics train 重建")
        with np.load(folder / "model.npz", allow_pickle=False) as z:
            weights, bias = z["weights"], z["bias"]
        vocab, labels = meta.pop("vocab"), meta.pop("labels")
        return cls(labels, vocab, weights, bias, meta.pop("temperature"), meta)


@lru_cache(maxsize=2)
def get_topic_model(folder: str | None = None) -> TopicModel:
    return TopicModel.load(folder)
