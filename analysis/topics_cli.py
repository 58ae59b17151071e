"""`yuqing topics`: rebuild the bundled classifier, or show how a text is classified.

    yuqing topics train [--out DIR] [--cv] rebuild analysis/topic_model (byte-reproducible);
                                           --cv first cross-validates over held-out phrases
    yuqing topics explain TEXT             topic, voice and the top probabilities for one text
"""

from __future__ import annotations


def register(subparsers) -> None:
    p = subparsers.add_parser("topics", help="主题分类器：train 重建 / explain 解释一条文本")
    sub = p.add_subparsers(dest="action", required=True)
    t = sub.add_parser("train", help="重建随程序发布的主题分类器")
    t.add_argument("--out", help="输出目录（默认为内置模型目录）")
    t.add_argument("--cv", action="store_true", help="先按短语留出做交叉验证，列出各平滑系数的准确率（较慢）")
    t.set_defaults(func=_train)
    e = sub.add_parser("explain", help="显示一条文本的主题、发声主体与各主题概率")
    e.add_argument("text", help="文本（标题与正文可用换行分开）")
    e.add_argument("--authority", default="public", choices=["official", "media", "social", "public"],
                   help="信息源的权威级别（默认 public）")
    e.add_argument("--author", default="", help="作者或账号名")
    e.set_defaults(func=_explain)


def _train(args) -> int:
    from yuqing.analysis.topic_train import main

    return main((["--out", args.out] if args.out else []) + (["--cv"] if args.cv else []))


def _explain(args) -> int:
    from yuqing.analysis.topic_decision import TopicDecider
    from yuqing.analysis.voice import classify
    from yuqing.config import load_config

    config = load_config(args.config)
    title, _, body = args.text.partition("\n")
    decider = TopicDecider(config.topics)
    found = decider.decide(title, body)
    names = {t.id: t.name for t in config.topics}
    voice = classify(title, body, authority=args.authority, author=args.author)
    print(f"主题：{names[found.topic_id] + '（' + found.topic_id + '）' if found else '未归类'}"
          + (f"；依据：{'、'.join(found.words)}" if found and found.words else ""))
    print(f"发声主体：{voice.name}（{voice.voice}）")
    scores = sorted(decider.scores(title, body).items(), key=lambda kv: -kv[1])[:5]
    print("概率：" + "，".join(f"{names.get(k, '其他')} {v:.2f}" for k, v in scores))
    return 0
