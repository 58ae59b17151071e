"""Topic and voice accuracy on a held-out labelled set (bench/data/topics_heldout*.txt).

The sets are hand-written, in board/Weibo/press/government styles, and never used to train or
tune anything (the classifier trains on analysis/topic_phrases.py and the hand-written
analysis/topic_tuning*.txt, and tunes on the latter). `--set heldout` (the default) is the first set; `--set heldout2`
is a second one written blind (its author saw neither the training phrases, the tuning set,
the keyword rules nor the first set); `--set heldout3` is a third, written blind by yet another
author who also saw neither of the first two sets; `--set heldout4` is a fourth, written blind
the same way by an author who saw none of the first three; `--set heldout5` is a fifth,
written blind by yet another author who saw none of the first four; `--set PATH` reads any file in the same
format. Rows:

- keyword rules before issue 13 (the eight topics, bench/data/baseline_topics.yaml);
- this release's keyword rules alone (settings analysis.topic_model: rules);
- rules + bundled classifier (the default).

A topic is right when the decided topic equals the label; for "other" items, when none is
decided (未归类). Voice: analysis.voice.classify against the labelled voice.

    .venv/bin/python bench/eval_topics.py [--set heldout|heldout2|heldout3|heldout4|heldout5|PATH] [--errors]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from yuqing.analysis.labelled import read_labelled  # noqa: E402
from yuqing.analysis.topic_decision import TopicDecider  # noqa: E402
from yuqing.analysis.voice import classify  # noqa: E402
from yuqing.config import load_config  # noqa: E402
from yuqing.config.models import Topic  # noqa: E402

HELDOUT = REPO / "bench" / "data" / "topics_heldout.txt"
SETS = {"heldout": HELDOUT, "heldout2": REPO / "bench" / "data" / "topics_heldout2.txt",
        "heldout3": REPO / "bench" / "data" / "topics_heldout3.txt",
        "heldout4": REPO / "bench" / "data" / "topics_heldout4.txt",
        "heldout5": REPO / "bench" / "data" / "topics_heldout5.txt"}
BASELINE = REPO / "bench" / "data" / "baseline_topics.yaml"


def decided(decider, item) -> str:
    found = decider.decide(item.title, item.content)
    return found.topic_id if found else "other"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--errors", action="store_true", help="list the items the default gets wrong")
    p.add_argument("--quick", action="store_true", help="accepted for make bench; the set is small")
    p.add_argument("--set", default="heldout", metavar="NAME|PATH",
                   help="留出集：heldout（默认）、heldout2、heldout3、heldout4、heldout5（盲写的第二至五套）或同格式文件的路径")
    args = p.parse_args(argv)
    path = SETS.get(args.set) or Path(args.set)
    if not path.is_file():
        p.error(f"找不到留出集：{args.set}（可用 {'、'.join(SETS)} 或文件路径）")
    items = read_labelled(path)
    topics = load_config("default").topics
    old = [Topic.model_validate(t) for t in yaml.safe_load(BASELINE.read_text(encoding="utf-8"))["topics"]]
    old_ids = {t.id for t in old}
    deciders = {"关键词规则（issue 13 之前，8 个主题）": TopicDecider(old, use_model=False),
                "关键词规则（本版，21 个主题）": TopicDecider(topics, use_model=False),
                "规则 + 主题分类器（默认）": TopicDecider(topics)}
    shown = path.resolve().relative_to(REPO) if path.resolve().is_relative_to(REPO) else path
    print(f"主题准确率，留出集 {len(items)} 条（{shown}，从未用于训练或调参）")
    print(f"{'方法':34} {'全部':>8} {'旧8主题内':>10} {'未归类正确':>10}")
    results = {}
    for name, decider in deciders.items():
        got = [decided(decider, x) for x in items]
        results[name] = got
        right = [g == x.topic for g, x in zip(got, items)]
        in_old = [r for r, x in zip(right, items) if x.topic in old_ids]
        other = [r for r, x in zip(right, items) if x.topic == "other"]
        print(f"{name:34} {sum(right) / len(items):8.3f} {sum(in_old) / len(in_old):10.3f} "
              f"{sum(other) / max(len(other), 1):10.3f}")
    default = results["规则 + 主题分类器（默认）"]
    labels = sorted({x.topic for x in items}, key=lambda t: (t == "other", t))
    cells = []
    for t in labels:
        mine = [g == x.topic for g, x in zip(default, items) if x.topic == t]
        claimed = sum(1 for g in default if g == t)
        wrongly = sum(1 for g, x in zip(default, items) if g == t and x.topic != t)
        cells.append(f"{'未归类' if t == 'other' else t} {sum(mine)}/{len(mine)}"
                     + (f"（误入 {wrongly}）" if wrongly and claimed else ""))
    print("按主题（默认方法，答对/条数，括号内为别的主题误判为它的条数）：")
    for i in range(0, len(cells), 4):
        print("  " + "；".join(cells[i:i + 4]))
    voices = [classify(x.title, x.content, authority=x.authority, kind=x.kind, author=x.author).voice
              for x in items]
    vright = sum(v == x.voice for v, x in zip(voices, items))
    official = [(v in ("notice", "response"), x.voice in ("notice", "response")) for v, x in zip(voices, items)]
    tp = sum(a and b for a, b in official)
    print(f"\n发声主体准确率（4 类）：{vright / len(items):.3f}（{vright}/{len(items)}）；"
          f"官方发声识别：精确率 {tp / max(sum(a for a, _ in official), 1):.3f}，"
          f"召回率 {tp / max(sum(b for _, b in official), 1):.3f}")
    confusion = Counter((x.voice, v) for v, x in zip(voices, items) if v != x.voice)
    if confusion:
        print("  错分：" + "，".join(f"{a}→{b} {n}" for (a, b), n in confusion.most_common()))
    if args.errors:
        for g, v, x in zip(default, voices, items):
            if g != x.topic or v != x.voice:
                print(f"  第{x.line}行 主题 {x.topic}→{g} 主体 {x.voice}→{v}：{x.title}｜{x.content[:30]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
