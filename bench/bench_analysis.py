"""Mentions per second for the whole analysis stage on one core, against stock SnowNLP per text.

Ours: segment (jieba + the config's dictionary), topics, place, sentiment on the tokens,
MinHash fingerprint — `Analyser.analyse`, and the full `analyse_pending` with SQLite writes.
Baselines, same run, same texts: `SnowNLP(text).sentiments`, and the analyser as it was
before issue 13 (the eight keyword rules alone, bench/data/baseline_topics.yaml) — so the
cost of the topic classifier and the voice is the ratio of those two rows. Texts are about 150 characters,
cut from ../shared/sentiment/*.dev.tsv (real news and posts) when present, else from the
story pairs. When analysis.sentiment is not there yet, a stand-in does the same work the
retrained model will (SnowNLP's Bayes classifier on our jieba tokens), and the table says so.

    .venv/bin/python bench/bench_analysis.py [--mentions N] [--baseline N] [--quick]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from yuqing.analysis.stage import Analyser, analyse_pending  # noqa: E402
from yuqing.config import load_config  # noqa: E402

SHARED = REPO.parent / "shared" / "sentiment"
LENGTH = 150


class BayesOnTokens:
    """Stand-in with the sentiment interface: SnowNLP's shipped Bayes model fed jieba tokens."""

    def __init__(self):
        from snownlp import sentiment

        self._bayes = sentiment.classifier.classifier

    def score_tokens(self, tokens):
        label, prob = self._bayes.classify(tokens)
        return prob if label == "pos" else 1 - prob

    def score(self, text, focus=()):
        import jieba

        return self.score_tokens(jieba.lcut(text, HMM=False))


def texts(n: int) -> list[tuple[str, str]]:
    """(title, body) pairs of about LENGTH characters in all."""
    pool: list[str] = []
    for path in sorted(SHARED.glob("*.dev.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            text = line.partition("\t")[2].strip()
            if len(text) >= 40:
                pool.append(text)
    if not pool:
        from tests.analysis.story_pairs import pairs

        pool = [p.a for p in pairs()] + [p.b for p in pairs()]
    out, i = [], 0
    while len(out) < n:
        text = pool[i % len(pool)]
        while len(text) < LENGTH:                       # short posts: join neighbours
            i += 1
            text += "。" + pool[i % len(pool)]
        text = text[:LENGTH]
        out.append((text[:18], text[18:]))
        i += 1
    return out


def sentiment_model(config):
    try:
        from yuqing.analysis.sentiment import get_model

        return get_model(config.settings.analysis.sentiment_model), "yuqing.analysis.sentiment"
    except (ImportError, AttributeError, OSError) as exc:   # OSError: model not trained yet
        return BayesOnTokens(), f"stand-in (SnowNLP Bayes on jieba tokens; {type(exc).__name__})"


def rules_only_analyser(config, model):
    """The analyser with the pre-issue-13 topics: eight keyword rules, no classifier."""
    import yaml

    from yuqing.config.models import Topic

    data = yaml.safe_load((REPO / "bench" / "data" / "baseline_topics.yaml").read_text(encoding="utf-8"))
    analysis = config.settings.analysis.model_copy(update={"topic_model": "rules"})
    old = config.model_copy(update={
        "topics": [Topic.model_validate(t) for t in data["topics"]],
        "settings": config.settings.model_copy(update={"analysis": analysis})})
    return Analyser(old, model=model)


def interleaved(fns: dict, items: dict, rounds: int) -> dict[str, float]:
    """Rates of each fn over its items, measured in alternating slices: on a shared, noisy
    machine both sides then see the same load, which keeps the ratio honest. CPU time of this
    process, not wall time: time spent waiting for the core is another process's work."""
    spent = dict.fromkeys(fns, 0.0)
    for r in range(rounds):
        for name, fn in fns.items():
            part = items[name][r::rounds]
            started = time.process_time()
            for item in part:
                fn(item)
            spent[name] += time.process_time() - started
    return {name: len(items[name]) / spent[name] for name in fns}


def stage_rate(config, analyser, items) -> float:
    from yuqing.storage.db import Database
    from yuqing.storage.models import Mention

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        db.migrate()
        when = datetime(2024, 11, 20, tzinfo=timezone(timedelta(hours=8)))
        with db.session() as s:
            s.add_all(Mention(source_id="bench", url=f"http://bench/{i}", title=t, content=b,
                              published_at=when + timedelta(minutes=i), fetched_at=when)
                      for i, (t, b) in enumerate(items))
        started = time.process_time()
        summary = analyse_pending(db, config, analyser)
        elapsed = time.process_time() - started
        db.dispose()
    return summary.analysed / elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=3000)
    parser.add_argument("--baseline", type=int, default=300, help="texts for stock SnowNLP (slow)")
    parser.add_argument("--quick", action="store_true", help="tiny run, to check the benchmark works")
    args = parser.parse_args(argv)
    if args.quick:
        args.mentions, args.baseline = 50, 10
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})   # one core
    config = load_config("default")
    model, which = sentiment_model(config)
    analyser = Analyser(config, model=model)           # built once: excluded from timing
    items = texts(args.mentions)
    analyser.analyse(*items[0])

    from snownlp import SnowNLP

    SnowNLP(items[0][0] + items[0][1]).sentiments      # model load excluded
    before = rules_only_analyser(config, model)
    before.analyse(*items[0])
    rates = interleaved({"base": lambda tb: SnowNLP(tb[0] + tb[1]).sentiments,
                         "before": lambda tb: before.analyse(*tb),
                         "ours": lambda tb: analyser.analyse(*tb)},
                        {"base": items[: args.baseline], "before": items, "ours": items}, rounds=10)
    base, ours, old = rates["base"], rates["ours"], rates["before"]
    stage = stage_rate(config, analyser, items)
    print(f"analysis stage, ~{LENGTH}-character mentions, one core (nproc={os.cpu_count()}, "
          f"{time.strftime('%Y-%m-%d')}); sentiment: {which}")
    print(f"{'what':46} {'mentions/s':>11} {'× stock':>8}")
    print(f"{'stock SnowNLP(text).sentiments (baseline)':46} {base:11.1f} {1:8.1f}")
    print(f"{'Analyser.analyse, before issue 13 (8 rules)':46} {old:11.1f} {old / base:8.1f}")
    print(f"{'Analyser.analyse (segment+topics+place+sent+fp)':46} {ours:11.1f} {ours / base:8.1f}")
    print(f"{'analyse_pending incl. SQLite reads/writes':46} {stage:11.1f} {stage / base:8.1f}")
    print(f"Analyser.analyse now / before issue 13: {ours / old:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
