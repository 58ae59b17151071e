"""Train and evaluate the domain sentiment model (analysis.sentiment.SentimentModel).

Data: a folder of UTF-8 TSV files with the header ``label<TAB>text`` (1 = positive / not
negative, 0 = negative). Each ``NAME.train.tsv`` (or any ``NAME.tsv`` that is not ``*.dev.tsv``)
is one *domain*; ``NAME.dev.tsv`` files are only used to report scores.

Training (deterministic for a fixed seed):

1. features per text (analysis.sentiment.features): negation-marked jieba words, headline
   words, characters and character bigrams, style marks; kept if seen in >= min_df texts;
2. the Bayes core: multinomial naive Bayes (SnowNLP's classifier, add-alpha smoothing) over the
   word features, pooled over all domains plus one per domain, as log-likelihood ratios;
3. a logistic regression over all features with domain augmentation, class- and
   domain-balanced sample weights, L2, full-batch Adam (numpy);
4. per-domain Platt scaling of (LR logit, NB log-ratio) fitted on k-fold out-of-fold scores
   of the training split (never on dev);
5. a softmax domain classifier whose posterior mixes the per-domain probabilities.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from yuqing.analysis.sentiment import SentimentModel, features, tokenize

HEADER = ("label", "text")


class DataError(ValueError):
    """A labelled file that cannot be used; the message names file and line."""


def load_tsv(path) -> list[tuple[int, str]]:
    """Rows of a ``label<TAB>text`` file. Blank lines are skipped; anything else that is not
    ``0``/``1``, a tab and a non-empty text is an error naming the file and line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: 无法读取（{exc.strerror or exc}）") from exc
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise DataError(f"{path} 第 {line} 行：不是 UTF-8 编码") from exc
    lines = content.splitlines()
    if not lines or tuple(c.strip().lower() for c in lines[0].split("\t")) != HEADER:
        got = lines[0][:40] if lines else "（空文件）"
        raise DataError(f"{path} 第 1 行：表头应为 “label<TAB>text”，实际为 “{got}”")
    rows: list[tuple[int, str]] = []
    for no, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        if "\t" not in line:
            raise DataError(f"{path} 第 {no} 行：缺少制表符分隔的 label 和 text")
        label, text = line.split("\t", 1)
        label = label.strip()
        if label not in ("0", "1"):
            raise DataError(f"{path} 第 {no} 行：标签应为 0 或 1，实际为 “{label[:20]}”")
        text = text.strip()
        if not text:
            raise DataError(f"{path} 第 {no} 行：文本为空")
        rows.append((int(label), text))
    return rows


# ---------------------------------------------------------------------------------------------
# Metrics


def balanced_accuracy(y: Sequence[int], p: Sequence[float], threshold: float = 0.5) -> float:
    y = np.asarray(y)
    p = np.asarray(p, dtype=float)
    pos, neg = y == 1, y == 0
    parts = []
    if pos.any():
        parts.append(float((p[pos] > threshold).mean()))
    if neg.any():
        parts.append(float((p[neg] <= threshold).mean()))
    return sum(parts) / len(parts) if parts else float("nan")


def roc_auc(y: Sequence[int], s: Sequence[float]) -> float:
    """Mann-Whitney AUC with tied scores sharing their average rank; nan with one class."""
    y = np.asarray(y)
    s = np.asarray(s, dtype=float)
    npos = int((y == 1).sum())
    nneg = len(y) - npos
    if npos == 0 or nneg == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    sorted_s = s[order]
    ranks = np.empty(len(s))
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j + 2) / 2.0
        i = j + 1
    return float((ranks[y == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg))


# ---------------------------------------------------------------------------------------------
# Sparse binary design matrix (CSR without scipy)


class _Rows:
    def __init__(self, rows: list[np.ndarray]):
        self.n = len(rows)
        self.lengths = np.array([len(r) for r in rows], dtype=np.int64)
        self.ptr = np.concatenate([[0], np.cumsum(self.lengths)])
        self.ind = np.concatenate(rows).astype(np.int64) if rows else np.zeros(0, np.int64)

    def dot(self, w: np.ndarray) -> np.ndarray:
        """Row sums of w[features]; w may be 1-D (n_features) or 2-D (n_features, k)."""
        g = w[self.ind]
        cs = np.concatenate([np.zeros((1,) + g.shape[1:]), np.cumsum(g, axis=0)])
        return cs[self.ptr[1:]] - cs[self.ptr[:-1]]

    def tdot(self, g: np.ndarray, size: int) -> np.ndarray:
        rep = np.repeat(g, self.lengths, axis=0)
        if rep.ndim == 1:
            return np.bincount(self.ind, weights=rep, minlength=size)
        return np.stack([np.bincount(self.ind, weights=rep[:, j], minlength=size)
                         for j in range(rep.shape[1])], axis=1)


def _adam(grad_fn, w: np.ndarray, iters: int, lr: float) -> np.ndarray:
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    b1, b2 = 0.9, 0.999
    for t in range(1, iters + 1):
        g = grad_fn(w)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        w = w - lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t) * m / (np.sqrt(v) + 1e-8)
    return w


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


@dataclass
class _Docs:
    idx: list[np.ndarray]          # base feature ids per text
    word_idx: list[np.ndarray]     # ids of its "w:" features
    dom: np.ndarray                # domain index per text
    y: np.ndarray

    def take(self, sel: np.ndarray) -> "_Docs":
        return _Docs([self.idx[i] for i in sel], [self.word_idx[i] for i in sel],
                     self.dom[sel], self.y[sel])


def _sample_weights(d: _Docs, k: int) -> np.ndarray:
    """Every (domain, class) cell gets the same total weight: balanced accuracy per domain."""
    cells = Counter(zip(d.dom.tolist(), d.y.tolist()))
    w = np.array([1.0 / cells[(a, b)] for a, b in zip(d.dom.tolist(), d.y.tolist())])
    return w / w.sum()


def _fit_lr(d: _Docs, n_feat: int, k: int, l2: float, iters: int, lr: float):
    """Logistic regression with domain augmentation. Returns (per-domain feature weights
    (n_feat, k), per-domain bias (k,))."""
    size = (k + 1) * n_feat + k + 1
    rows = _Rows([np.concatenate([ix, ix + (dm + 1) * n_feat, [(k + 1) * n_feat + dm, size - 1]])
                  for ix, dm in zip(d.idx, d.dom.tolist())])
    sw = _sample_weights(d, k)
    y = d.y.astype(float)
    reg = np.full(size, l2 / max(len(y), 1))
    reg[-1] = 0.0                                   # the intercept is not shrunk

    def grad(w):
        p = _sigmoid(rows.dot(w))
        return rows.tdot((p - y) * sw, size) + reg * w

    w = _adam(grad, np.zeros(size), iters, lr)
    shared = w[:n_feat]
    per = np.stack([shared + w[(j + 1) * n_feat:(j + 2) * n_feat] for j in range(k)], axis=1)
    bias = w[(k + 1) * n_feat:(k + 1) * n_feat + k] + w[-1]
    return per, bias


def _fit_nb(d: _Docs, n_feat: int, k: int, alpha: float) -> np.ndarray:
    """Multinomial naive Bayes log-likelihood ratios log P(f|pos) - log P(f|neg) over binary
    word features, add-alpha smoothing (SnowNLP's Bayes uses alpha = 1), pooled plus per
    domain; a feature a domain never saw contributes only its pooled ratio."""

    def ratios(sel: list[int]) -> np.ndarray:
        c = np.zeros((2, n_feat))
        for i in sel:
            c[d.y[i], d.word_idx[i]] += 1
        seen = (c.sum(axis=0) > 0)
        v = seen.sum()
        out = np.zeros(n_feat)
        if v == 0:
            return out
        s0, s1 = c[0].sum() + alpha * v, c[1].sum() + alpha * v
        out[seen] = np.log((c[1, seen] + alpha) / s1) - np.log((c[0, seen] + alpha) / s0)
        return out

    pooled = ratios(list(range(len(d.y))))
    return np.stack([pooled + ratios(np.where(d.dom == j)[0].tolist()) for j in range(k)], axis=1)


def _fit_domains(d: _Docs, n_feat: int, k: int, l2: float, iters: int, lr: float):
    """Softmax regression: which domain a text comes from (balanced over domains)."""
    if k == 1:
        return np.zeros((n_feat, 1)), np.zeros(1)
    rows = _Rows([np.concatenate([ix, [n_feat]]) for ix in d.idx])
    size = n_feat + 1
    counts = np.bincount(d.dom, minlength=k).astype(float)
    sw = 1.0 / counts[d.dom]
    sw /= sw.sum()
    onehot = np.eye(k)[d.dom]
    reg = np.full((size, 1), l2 / len(d.y))
    reg[-1] = 0.0

    def grad(w):
        z = rows.dot(w)
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        return rows.tdot((p - onehot) * sw[:, None], size) + reg * w

    w = _adam(grad, np.zeros((size, k)), iters, lr)
    return w[:n_feat], w[n_feat]


def _platt(z: np.ndarray, y: np.ndarray, l2: float = 1e-3) -> np.ndarray:
    """Balanced logistic fit of y on the columns of z plus an intercept (Newton)."""
    x = np.c_[z, np.ones(len(z))]
    npos, nneg = int((y == 1).sum()), int((y == 0).sum())
    if npos == 0 or nneg == 0:
        return np.r_[np.ones(z.shape[1]) * 0.5, 0.0]
    sw = np.where(y == 1, 0.5 / npos, 0.5 / nneg)
    w = np.zeros(x.shape[1])
    eye = np.eye(len(w))
    eye[-1, -1] = 0
    for _ in range(100):
        p = _sigmoid(x @ w)
        g = x.T @ ((p - y) * sw) + l2 * eye @ w
        h = (x * (sw * p * (1 - p))[:, None]).T @ x + l2 * eye + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(h, g)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return w


# ---------------------------------------------------------------------------------------------


@dataclass
class EvalRow:
    name: str
    n: int
    n_pos: int
    balanced_accuracy: float
    auc: float


@dataclass
class TrainReport:
    out_dir: Path
    domains: list[str]
    sizes: dict[str, tuple[int, int]]            # domain -> (n texts, n positive)
    n_features: int
    seconds: float
    dev: list[EvalRow] = field(default_factory=list)
    oof: list[EvalRow] = field(default_factory=list)   # cross-validated on train

    @property
    def dev_mean(self) -> float:
        return float(np.mean([r.balanced_accuracy for r in self.dev])) if self.dev else float("nan")


def _domain_name(path: Path) -> str:
    name = path.name[:-4] if path.name.endswith(".tsv") else path.name
    return name[:-6] if name.endswith(".train") else name


def training_files(data_dir: Path) -> list[Path]:
    data_dir = Path(data_dir)
    if data_dir.is_file():
        return [data_dir]
    train = sorted(data_dir.glob("*.train.tsv"))
    if train:
        return train
    return sorted(p for p in data_dir.glob("*.tsv") if not p.name.endswith(".dev.tsv"))


def dev_files(data_dir: Path) -> list[Path]:
    data_dir = Path(data_dir)
    if data_dir.is_file():
        return [data_dir]
    dev = sorted(data_dir.glob("*.dev.tsv"))
    return dev or sorted(data_dir.glob("*.tsv"))


def train(data_dir: Path, out_dir: Path, *, folds: int = 5, seed: int = 0, min_df: int | None = None,
          lr_l2: float = 3.0, lr_iters: int = 400, nb_alpha: float = 1.0, dom_iters: int = 150,
          evaluate_dev: bool = True, log=None) -> TrainReport:
    """Train on the training files of ``data_dir`` and write the model to ``out_dir``."""
    started = time.monotonic()
    say = log or (lambda msg: None)
    files = training_files(Path(data_dir))
    if not files:
        raise DataError(f"{data_dir}: 没有找到训练文件（*.train.tsv 或 *.tsv）")
    domains = [_domain_name(p) for p in files]
    if len(set(domains)) != len(domains):
        raise DataError(f"{data_dir}: 训练文件名重复：{domains}")
    k = len(domains)
    texts: list[str] = []
    labels: list[int] = []
    doms: list[int] = []
    sizes = {}
    for j, p in enumerate(files):
        rows = load_tsv(p)
        if not rows:
            raise DataError(f"{p}: 没有数据行")
        sizes[domains[j]] = (len(rows), sum(lab for lab, _ in rows))
        for lab, text in rows:
            texts.append(text)
            labels.append(lab)
            doms.append(j)
    y = np.array(labels)
    if len(set(labels)) < 2:
        raise DataError(f"{data_dir}: 训练数据只有一个类别（需要 0 和 1 都有）")
    say(f"分词与特征提取：{len(texts)} 条")
    feats = [features(t, tokenize(t)) for t in texts]
    if min_df is None:
        min_df = 2 if len(texts) >= 500 else 1
    df = Counter(f for fs in feats for f in fs)
    names = sorted(f for f, c in df.items() if c >= min_df)
    vocab = {f: i for i, f in enumerate(names)}
    n_feat = len(names)
    is_word = np.array([f.startswith("w:") for f in names], dtype=bool)
    idx = [np.array(sorted(vocab[f] for f in fs if f in vocab), dtype=np.int64) for fs in feats]
    docs = _Docs(idx, [ix[is_word[ix]] for ix in idx], np.array(doms), y)

    # Out-of-fold scores for calibration, folds stratified by (domain, label).
    rng = np.random.RandomState(seed)
    fold = np.zeros(len(y), dtype=int)
    cells: dict[tuple[int, int], list[int]] = {}
    for i, key in enumerate(zip(doms, labels)):
        cells.setdefault(key, []).append(i)
    smallest = min(len(v) for v in cells.values())
    n_folds = min(folds, smallest) if all(len(cells.get((j, c), [])) for j in range(k) for c in (0, 1)) else 0
    calib = np.tile([1.0, 0.0, 0.0], (k, 1))
    oof_rows: list[EvalRow] = []
    if n_folds >= 2:
        for members in cells.values():
            order = rng.permutation(len(members))
            for r, m in enumerate(order):
                fold[members[m]] = r % n_folds
        z_lr = np.zeros(len(y))
        z_nb = np.zeros(len(y))
        for f in range(n_folds):
            say(f"交叉验证 {f + 1}/{n_folds}")
            tr = np.where(fold != f)[0]
            te = np.where(fold == f)[0]
            sub = docs.take(tr)
            w_lr, b_lr = _fit_lr(sub, n_feat, k, lr_l2, lr_iters, 0.05)
            w_nb = _fit_nb(sub, n_feat, k, nb_alpha)
            held = docs.take(te)
            rows = _Rows(held.idx)
            lr_all = rows.dot(w_lr) + b_lr
            nb_all = _Rows(held.word_idx).dot(w_nb)
            z_lr[te] = lr_all[np.arange(len(te)), held.dom]
            z_nb[te] = nb_all[np.arange(len(te)), held.dom]
        for j in range(k):
            m = docs.dom == j
            calib[j] = _platt(np.c_[z_lr[m], z_nb[m]], y[m])
            zc = calib[j, 0] * z_lr[m] + calib[j, 1] * z_nb[m] + calib[j, 2]
            oof_rows.append(EvalRow(domains[j], int(m.sum()), int(y[m].sum()),
                                    balanced_accuracy(y[m], _sigmoid(zc)), roc_auc(y[m], zc)))
    say("训练最终模型")
    w_lr, b_lr = _fit_lr(docs, n_feat, k, lr_l2, lr_iters, 0.05)
    w_nb = _fit_nb(docs, n_feat, k, nb_alpha)
    w_dom, b_dom = _fit_domains(docs, n_feat, k, 1.0, dom_iters, 0.05)
    weights = np.concatenate([w_lr, w_nb, w_dom], axis=1)
    # Features whose weights are all negligible are dropped: smaller file, same scores.
    keep = np.abs(weights).max(axis=1) >= 2e-3
    kept = [names[i] for i in np.where(keep)[0]]
    weights = weights[keep]
    meta = {
        "trained_on": {d: {"texts": n, "positive": p} for d, (n, p) in sizes.items()},
        "params": {"folds": n_folds, "seed": seed, "min_df": min_df, "lr_l2": lr_l2,
                   "lr_iters": lr_iters, "nb_alpha": nb_alpha, "dom_iters": dom_iters},
        "oof": {r.name: {"balanced_accuracy": round(r.balanced_accuracy, 4), "auc": round(r.auc, 4)}
                for r in oof_rows},
    }
    model = SentimentModel({f: i for i, f in enumerate(kept)}, weights, domains,
                           lr_bias=b_lr, nb_bias=np.zeros(k), dom_bias=b_dom, calib=calib, meta=meta)
    model.save(out_dir)
    model = SentimentModel.load(out_dir)         # score with exactly what was written
    report = TrainReport(Path(out_dir), domains, sizes, len(kept), 0.0, oof=oof_rows)
    if evaluate_dev and not Path(data_dir).is_file():
        devs = sorted(Path(data_dir).glob("*.dev.tsv"))
        if devs:
            say("在 dev 集上评估")
            report.dev = evaluate(model, devs)
    report.seconds = time.monotonic() - started
    return report


def evaluate(model, data_dir) -> list[EvalRow]:
    """Balanced accuracy (threshold 0.5) and AUC per ``*.dev.tsv`` of a folder (every ``*.tsv``
    if it has no dev files), or per file when given a file or a list of files."""
    if isinstance(data_dir, (str, Path)):
        paths = dev_files(Path(data_dir))
    else:
        paths = [Path(p) for p in data_dir]
    if not paths:
        raise DataError(f"{data_dir}: 没有找到评估文件（*.dev.tsv 或 *.tsv）")
    out = []
    for p in paths:
        rows = load_tsv(p)
        y = [lab for lab, _ in rows]
        s = model.score_many([t for _, t in rows])
        name = p.name[:-4] if p.name.endswith(".tsv") else p.name
        out.append(EvalRow(name, len(rows), sum(y), balanced_accuracy(y, s), roc_auc(y, s)))
    return out


def format_rows(rows: Iterable[EvalRow], label: str = "") -> str:
    lines = [f"{'数据集':<22}{'条数':>6}{'正例':>6}{'平衡准确率':>10}{'AUC':>8}  {label}".rstrip()]
    rows = list(rows)
    for r in rows:
        lines.append(f"{r.name:<24}{r.n:>7}{r.n_pos:>7}{r.balanced_accuracy:>13.4f}{r.auc:>9.4f}")
    if rows:
        lines.append(f"{'宏平均':<21}{'':>14}{np.mean([r.balanced_accuracy for r in rows]):>13.4f}"
                     f"{np.nanmean([r.auc for r in rows]):>9.4f}")
    return "\n".join(lines)
