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
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+|\d+")
TEXT_CHARS = 400                 # the opening says what an item is about; also bounds cost
_jieba = None


def _tokenizer():
    global _jieba
    if _jieba is None:
        # the global tokenizer the sentiment model also uses (loaded once per process);
        # config user dictionaries live in their own instances (analysis.segment)
        from yuqing.analysis.sentiment import _jieba as sentiment_jieba

        _jieba = sentiment_jieba()
    return _jieba


def features(text: str) -> set[str]:
    text = text[:TEXT_CHARS]
    out: set[str] = set()
    for run in _CJK_RUN.findall(text):
        if run.isascii():
            if len(run) >= 2:
                out.add("w:" + run.lower())
            continue
        out.update("c:" + run[i:i + 2] for i in range(len(run) - 1))
        out.update("w:" + w for w in _tokenizer().lcut(run, HMM=False) if len(w) >= 2)
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

    def log_scores(self, text: str) -> np.ndarray:
        idx = [i for i in map(self.index.get, features(text)) if i is not None]
        if not idx:
            return self.bias.astype(np.float64)
        return self.bias + self.weights[idx].sum(axis=0, dtype=np.float64)

    def posterior(self, text: str) -> dict[str, float]:
        return dict(zip(self.labels, self.probabilities(self.log_scores(text)).tolist()))

    def probabilities(self, log_scores: np.ndarray) -> np.ndarray:
        z = log_scores / self.temperature
        z = np.exp(z - z.max())
        return z / z.sum()

    def strongest(self, text: str, label: str, k: int = 3) -> list[str]:
        """The words in `text` that most favour `label` over the other labels: evidence."""
        j = self.labels.index(label)
        scored = []
        for f in features(text):
            i = self.index.get(f)
            if i is not None and f.startswith("w:"):
                row = self.weights[i]
                scored.append((float(row[j] - np.delete(row, j).max()), f[2:]))
        return [w for s, w in sorted(scored, reverse=True)[:k] if s > 0]

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
