"""Sentiment: P(positive) of a Chinese text, from a model retrained on real news/social data.

The core is SnowNLP's classifier idea -- a multinomial naive Bayes over word tokens -- fed
jieba tokens instead of SnowNLP's slow segmenter, plus:

* emoticons such as ``[哈哈]`` kept as one token, and negation marking: the two words after
  不/没/未/无/非/别 ... (up to the next punctuation) become ``!word``;
* a complementary logistic regression over the same words, characters and character bigrams,
  the words of a short first sentence (a headline) and counts from a small public-affairs
  lexicon, trained with "frustratingly easy" domain augmentation (each feature also exists
  once per source domain);
* a small domain classifier (Weibo / epidemic Weibo / news / finance) whose posterior mixes the
  per-domain scores, and per-domain Platt calibration fitted on cross-validated training scores.

All weights live in one float matrix (rows = features, columns = per-domain LR, NB and domain
scores), so scoring a text is: segment once, look features up, sum rows, a few exp().

    model = SentimentModel.load()          # bundled model in analysis/sentiment_model/
    model.score("小区垃圾三天没人清运，臭气熏天")   # -> ~0.1
"""

from __future__ import annotations

import json
import math
import re
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

BUNDLED = Path(__file__).resolve().parent / "sentiment_model"
MODEL_FILE = "model.npz"
META_FILE = "meta.json"
FORMAT_VERSION = 1

# ---------------------------------------------------------------------------------------------
# Features. Training (analysis.sentiment_train) uses exactly these functions.

EMOTICON_RE = re.compile(r"\[[^\[\]\s]{1,8}\]")
NEGATORS = frozenset(
    "不 没 没有 未 无 非 别 莫 勿 毋 否 不是 不会 不能 不要 不用 不够 不太 不再 并非 从未 绝不 "
    "毫无 难以 无法 未能 没能 甭 不得 不可".split()
)
NEG_SCOPE = 2
PUNCT = frozenset("，。！？；：、,.!?;:~…—（）()《》“”\"'‘’【】")
SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])")
_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_PUNCT_ANY = re.compile(r"[，。！？；：、,.!?;:]")
TITLE_MAX = 60          # a first sentence this short is treated as a headline

# A small hand-written lexicon of public-affairs words (complaints, hotline replies, local news).
# Each text gets cumulative count marks L:n1/L:n2/L:n3 and L:p1/L:p2/L:p3 (a word right after a
# negator counts for the other side); their weights are learned from the training data like any
# feature, so they carry what the four sources agree on to texts unlike any of them.
LEXICON_NEG = tuple("""
投诉 举报 没人管 无人管 没人修 无人处理 不作为 乱收费 乱象 拖欠 欠薪 讨薪 扰民 噪音 污染 臭气 异味 脏乱
拥堵 堵车 积水 内涝 漏水 停水 停电 爆裂 坍塌 塌陷 事故 身亡 死亡 受伤 遇难 诈骗 骗子 跑路 违法 违规
腐败 贪污 受贿 失望 愤怒 气愤 生气 恶劣 糟糕 推诿 扯皮 刁难 拖延 无果 怨声载道 不满 抱怨 隐患 黑心
假冒 过期 倒闭 亏损 暴跌 逾期 违约 维权 纠纷 冲突 殴打 火灾 爆炸 泄漏 超标 盗窃 强拆 失业 崩溃 寒心
心寒 坑人 破损 坏了 缺斤短两 吐槽 曝光 谴责 痛心 担忧 恐慌 危险 困难 麻烦 难受 无奈 被骗 罚款 处罚
""".split())
LEXICON_POS = tuple("""
感谢 谢谢 点赞 满意 方便 便民 贴心 暖心 热情 耐心 周到 高效 及时 解决了 已解决 好评 称赞 表扬 赞扬
优美 整洁 干净 改善 提升 惠民 免费 优惠 增长 突破 成功 获奖 荣获 开心 高兴 幸福 温暖 感动 加油 支持
给力 优秀 先进 模范 好事 实事 顺利 圆满 丰收 繁荣 红火 放心 舒心 安心 靠谱 规范 漂亮 美丽 精彩 祝福
庆祝 通车 开通 落成 竣工 简化 便捷 欢迎 喜欢 满满 点个赞 赞 棒 致敬 辛苦了 平安 健康 进步 创新
""".split())
_NEG_BEFORE = frozenset("不没未无非别莫勿")                  # right before the word
_NEG_BEFORE2 = frozenset("没有 不是 不太 不够 不很 不算 不再 不会 不能 并非 毫无 无法 未能 没能 难以 从未 从不 并不 毫不".split())


_LEXICON_SIDE = {**{w: 0 for w in LEXICON_NEG}, **{w: 1 for w in LEXICON_POS}}
_LEXICON_RE = re.compile("|".join(sorted(map(re.escape, _LEXICON_SIDE), key=len, reverse=True)))


def lexicon_marks(text: str) -> list[str]:
    counts = [0, 0]                     # negative, positive
    for m in _LEXICON_RE.finditer(text):
        start = m.start()
        flipped = (start > 0 and text[start - 1] in _NEG_BEFORE) or text[max(start - 2, 0):start] in _NEG_BEFORE2
        counts[_LEXICON_SIDE[m.group()] ^ flipped] += 1
    marks = []
    for name, c in (("n", counts[0]), ("p", counts[1])):
        marks.extend(f"L:{name}{i}" for i in (1, 2, 3) if c >= i)
    return marks


def _jieba():
    if "jieba" not in sys.modules:
        # jieba 0.42 imports pkg_resources only to open its own data files, and pkg_resources
        # scans every installed distribution first (0.1–0.2 s of `yuqing sentiment`). Without
        # it jieba opens them by path. Hidden only while jieba loads; later importers get it.
        hidden = "pkg_resources" not in sys.modules
        if hidden:
            sys.modules["pkg_resources"] = None
        try:
            import jieba  # noqa: F401
        finally:
            if hidden:
                del sys.modules["pkg_resources"]
    import jieba

    if not getattr(_jieba, "_quiet", False):
        import logging

        jieba.setLogLevel(logging.WARNING)
        _jieba._quiet = True
    return jieba


def tokenize(text: str) -> list[str]:
    """jieba words, with Weibo emoticons ``[哈哈]`` kept whole and whitespace dropped."""
    jieba = _jieba()
    out: list[str] = []
    pos = 0
    for m in EMOTICON_RE.finditer(text):
        if m.start() > pos:
            out.extend(w for w in jieba.lcut(text[pos:m.start()], HMM=False) if not w.isspace())
        out.append(m.group())
        pos = m.end()
    if pos < len(text):
        out.extend(w for w in jieba.lcut(text[pos:], HMM=False) if not w.isspace())
    return out


def merge_emoticons(tokens: Sequence[str]) -> list[str]:
    """Re-join ``[`` ``哈哈`` ``]`` as produced by plain jieba into ``[哈哈]``; drop whitespace."""
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        t = tokens[i]
        if t == "[":
            j, inner = i + 1, ""
            while j < n and tokens[j] not in ("[", "]") and len(inner) <= 8 and not tokens[j].isspace():
                inner += tokens[j]
                j += 1
            if j < n and tokens[j] == "]" and 1 <= len(inner) <= 8:
                out.append(f"[{inner}]")
                i = j + 1
                continue
        if t and not t.isspace():
            out.append(t)
        i += 1
    return out


def negation_marked(tokens: Sequence[str]) -> list[str]:
    out: list[str] = []
    scope = 0
    for t in tokens:
        if t in PUNCT:
            scope = 0
            out.append(t)
            continue
        out.append("!" + t if scope > 0 else t)
        if scope > 0:
            scope -= 1
        if t in NEGATORS:
            scope = NEG_SCOPE
    return out


def _headline(text: str) -> str:
    i = text.find("。")
    return text[:i] if 0 < i < TITLE_MAX else ""


def features(text: str, tokens: Sequence[str]) -> set[str]:
    """Binary features: ``w:`` words (negation-marked), ``t:`` headline words, ``c:`` characters
    and character bigrams, ``s:`` a few style marks (used mostly by the domain classifier), ``L:`` lexicon counts."""
    feats = {"w:" + t for t in negation_marked(tokens)}
    head = _headline(text)
    if head:
        acc = 0
        for t in tokens:               # the headline's tokens are a prefix of the text's tokens
            if acc >= len(head):
                break
            feats.add("t:" + t)
            acc += len(t)
    s = _SPACE.sub("", text)
    feats.update("c:" + ch for ch in s)
    feats.update("c:" + s[i:i + 2] for i in range(len(s) - 1))
    n = len(s)
    feats.add("s:len" + ("0" if n < 20 else "1" if n < 60 else "2" if n < 150 else "3"))
    if not _PUNCT_ANY.search(s):
        feats.add("s:nopunct")
    if not _DIGIT.search(s):
        feats.add("s:nodigit")
    if "//@" in s or "@" in s:
        feats.add("s:at")
    if "http" in s:
        feats.add("s:url")
    feats.update(lexicon_marks(s))
    return feats


def focus_text(text: str, focus: Sequence[str]) -> str:
    """The sentences of ``text`` that mention any focus keyword ('' if none or all do)."""
    keys = [k for k in focus if k]
    if not keys:
        return ""
    sentences = [s for s in SENTENCE_END.split(text) if s.strip()]
    hit = [s for s in sentences if any(k in s for k in keys)]
    if not hit or len(hit) == len(sentences):
        return ""
    return "".join(hit)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


# ---------------------------------------------------------------------------------------------


class SentimentModel:
    """The retrained domain model. Load once per process (``get_model`` caches it)."""

    FOCUS_WEIGHT = 0.6      # share of the logit taken from the focus sentences when they exist

    def __init__(self, vocab: dict[str, int], weights: np.ndarray, domains: list[str],
                 lr_bias: np.ndarray, nb_bias: np.ndarray, dom_bias: np.ndarray,
                 calib: np.ndarray, meta: dict | None = None):
        k = len(domains)
        if weights.shape != (len(vocab), 3 * k):
            raise ValueError(f"模型权重形状不符：{weights.shape}，应为 ({len(vocab)}, {3 * k})")
        self.vocab = vocab
        self.weights = np.ascontiguousarray(weights, dtype=np.float64)
        self._padded = np.vstack([self.weights, np.zeros((1, 3 * k))])
        self._zero = len(vocab)
        self.domains = list(domains)
        self.lr_bias = np.asarray(lr_bias, dtype=np.float64)
        self.nb_bias = np.asarray(nb_bias, dtype=np.float64)
        self.dom_bias = np.asarray(dom_bias, dtype=np.float64)
        self.calib = np.asarray(calib, dtype=np.float64)          # (k, 3): a_lr, a_nb, c
        self.meta = dict(meta or {})

    # -- persistence ---------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None) -> "SentimentModel":
        folder = Path(path) if path is not None else BUNDLED
        if folder.is_file():
            folder = folder.parent
        npz, meta_path = folder / MODEL_FILE, folder / META_FILE
        if not npz.exists() or not meta_path.exists():
            raise FileNotFoundError(f"找不到情感模型：{folder}（需要 {MODEL_FILE} 和 {META_FILE}）")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"情感模型格式版本不支持：{meta.get('format')}（{meta_path}）")
        with np.load(npz, allow_pickle=False) as z:
            names = bytes(z["vocab"]).decode("utf-8").split("\n") if z["vocab"].size else []
            weights = z["weights"].astype(np.float64) * float(z["scale"])
            arrays = {k: z[k] for k in ("lr_bias", "nb_bias", "dom_bias", "calib")}
        vocab = {name: i for i, name in enumerate(names)}
        return cls(vocab, weights, meta["domains"], meta=meta, **arrays)

    def save(self, path: str | Path) -> Path:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        names = [""] * len(self.vocab)
        for name, i in self.vocab.items():
            names[i] = name
        if any("\n" in n for n in names):
            raise ValueError("特征名不能包含换行")
        # int16 with one global scale: ~1e-4 resolution on weights of magnitude < 3, half the
        # size of float32 and it compresses well.
        scale = max(float(np.abs(self.weights).max()), 1e-9) / 32000.0
        q = np.round(self.weights / scale).astype(np.int16)
        np.savez_compressed(
            folder / MODEL_FILE,
            vocab=np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8),
            weights=q, scale=np.float64(scale),
            lr_bias=self.lr_bias, nb_bias=self.nb_bias, dom_bias=self.dom_bias, calib=self.calib,
        )
        meta = dict(self.meta, format=FORMAT_VERSION, domains=self.domains)
        (folder / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
        return folder

    # -- scoring -------------------------------------------------------------------------------

    def _sums(self, feature_sets: Sequence[set[str]]) -> np.ndarray:
        """(n, 3k) row sums of the weight matrix over each text's known features, in one
        gather for the whole batch (the last row of ``_padded`` is zeros for unknown ones)."""
        get, zero = self.vocab.get, self._zero
        flat: list[int] = []
        starts: list[int] = []
        for fs in feature_sets:
            starts.append(len(flat))
            flat.append(zero)                      # keeps every segment non-empty
            flat.extend([get(f, zero) for f in fs])
        out = np.add.reduceat(self._padded.take(flat, axis=0), np.asarray(starts, dtype=np.intp), axis=0)
        return out

    def _posterior(self, sums: np.ndarray) -> np.ndarray:
        k = len(self.domains)
        d = sums[:, 2 * k:] + self.dom_bias
        d = np.exp(d - d.max(axis=1, keepdims=True))
        return d / d.sum(axis=1, keepdims=True)

    def _probs(self, sums: np.ndarray) -> np.ndarray:
        k = len(self.domains)
        z = (self.calib[:, 0] * (sums[:, :k] + self.lr_bias)
             + self.calib[:, 1] * (sums[:, k:2 * k] + self.nb_bias) + self.calib[:, 2])
        p = 0.5 * (1.0 + np.tanh(0.5 * z))
        return (self._posterior(sums) * p).sum(axis=1)

    def domain_posterior(self, text: str, tokens: Sequence[str] | None = None) -> dict[str, float]:
        """Which training source the text resembles most (a diagnostic; used for mixing)."""
        toks = tokenize(text) if tokens is None else list(tokens)
        post = self._posterior(self._sums([features(text, toks)]))[0]
        return dict(zip(self.domains, post.tolist()))

    def _prob(self, text: str, tokens: list[str]) -> float:
        return float(self._probs(self._sums([features(text, tokens)]))[0])

    def score(self, text: str, focus: Sequence[str] = (), tokens: Sequence[str] | None = None) -> float:
        """P(positive) in [0, 1]; 0.5 for an empty text. With ``focus`` keywords, sentences that
        contain them weigh more (FOCUS_WEIGHT of the logit). ``tokens``: ``tokenize(text)``
        when the caller has it already (the analysis stage shares it with the topic classifier)."""
        if not text or text.isspace():
            return 0.5
        p = self._prob(text, tokenize(text) if tokens is None else list(tokens))
        if focus:
            part = focus_text(text, focus)
            if part:
                pf = self._prob(part, tokenize(part))
                w = self.FOCUS_WEIGHT
                p = _sigmoid((1 - w) * _logit(p) + w * _logit(pf))
        return p

    def score_many(self, texts: Sequence[str], batch: int = 256) -> list[float]:
        """Same as ``[score(t) for t in texts]``, faster: the numpy work is done per batch."""
        out = [0.5] * len(texts)
        todo = [i for i, t in enumerate(texts) if t and not t.isspace()]
        for b in range(0, len(todo), batch):
            part = todo[b:b + batch]
            sums = self._sums([features(texts[i], tokenize(texts[i])) for i in part])
            for i, p in zip(part, self._probs(sums).tolist()):
                out[i] = p
        return out

    def score_tokens(self, tokens: Sequence[str]) -> float:
        """For callers that already segmented with jieba (any dictionary)."""
        toks = merge_emoticons(tokens)
        if not toks:
            return 0.5
        return self._prob("".join(toks), toks)


class StockSnowNLP:
    """The baseline: SnowNLP 0.12.3 as shipped (product reviews, its own segmenter)."""

    def __init__(self):
        from snownlp import SnowNLP

        self._cls = SnowNLP

    @classmethod
    def load(cls, path: str | Path | None = None) -> "StockSnowNLP":
        return cls()

    def score(self, text: str, focus: Sequence[str] = ()) -> float:
        if not text or text.isspace():
            return 0.5
        return float(self._cls(text).sentiments)

    def score_many(self, texts: Sequence[str]) -> list[float]:
        return [self.score(t) for t in texts]

    def score_tokens(self, tokens: Sequence[str]) -> float:
        return self.score("".join(tokens))


_CACHE: dict[tuple[str, str | None], object] = {}
_LOCK = threading.Lock()


def get_model(name: str = "domain", path=None):
    """``"domain"`` (the retrained model, default) or ``"snownlp"`` (stock baseline); one
    instance per process and (name, path)."""
    if name not in ("domain", "snownlp"):
        raise ValueError(f"未知的情感模型：{name!r}（可选 domain 或 snownlp）")
    key = (name, str(Path(path).resolve()) if path is not None else None)
    with _LOCK:
        model = _CACHE.get(key)
        if model is None:
            model = SentimentModel.load(path) if name == "domain" else StockSnowNLP.load(path)
            _CACHE[key] = model
        return model
