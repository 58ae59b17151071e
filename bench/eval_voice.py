"""Voice and counted-negative accuracy on hand-written labelled items (issue 13).

Each line: `expect|voice|authority|kind|author|[title|]content` as in analysis.labelled, with
the first field `neg` (must count as negative public opinion) or `ok` (must not: praise,
ordinary news, the government's notices and responses) instead of a topic. The items were
written in one batch and split alternately: analysis/voice_tuning.txt is studied and tuned on,
bench/data/voice_selfcheck.txt (the other half) only reported on. Blind sets are not read here.

    .venv/bin/python bench/eval_voice.py [--set tuning|selfcheck|PATH] [--errors]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from yuqing.analysis.labelled import read_labelled  # noqa: E402
from yuqing.analysis.stage import Analyser  # noqa: E402
from yuqing.config import load_config  # noqa: E402

SETS = {"tuning": REPO / "analysis" / "voice_tuning.txt",
        "selfcheck": REPO / "bench" / "data" / "voice_selfcheck.txt"}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--set", default="selfcheck", metavar="NAME|PATH", help="tuning、selfcheck 或同格式文件的路径")
    p.add_argument("--errors", action="store_true", help="列出判错的条目")
    args = p.parse_args(argv)
    path = SETS.get(args.set) or Path(args.set)
    items = read_labelled(path)
    analyser = Analyser(load_config("default"))
    # the item's authority stands for its source's
    analyser.authority = {a: a for a in ("official", "media", "social", "public")}
    got = [analyser.analyse(x.title, x.content, source_id=x.authority, kind=x.kind, author=x.author)
           for x in items]
    voice_ok = [g.voice == x.voice for g, x in zip(got, items)]
    neg_ok = [g.negative == (x.topic == "neg") for g, x in zip(got, items)]
    n = len(items)
    print(f"{path.name}：{n} 条；发声主体准确率 {sum(voice_ok) / n:.3f}；计为负面与否准确率 {sum(neg_ok) / n:.3f}")
    confusion = Counter((x.voice, g.voice) for g, x in zip(got, items) if g.voice != x.voice)
    if confusion:
        print("  发声主体错分：" + "，".join(f"{a}→{b} {k}" for (a, b), k in confusion.most_common()))
    missed = sum(1 for g, x in zip(got, items) if x.topic == "neg" and not g.negative)
    wrong = sum(1 for g, x in zip(got, items) if x.topic != "neg" and g.negative)
    print(f"  负面漏计 {missed} 条（共 {sum(x.topic == 'neg' for x in items)} 条应计），误计 {wrong} 条")
    if args.errors:
        for g, x, v, s in zip(got, items, voice_ok, neg_ok):
            if not (v and s):
                print(f"  第{x.line}行 主体 {x.voice}→{g.voice} 负面 {x.topic}→{'neg' if g.negative else 'ok'}"
                      f"（{g.sentiment:.2f}）：{x.title}｜{x.content[:40]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
