"""`yuqing sentiment`: score texts, retrain on a deployment's own labels, evaluate.

    yuqing sentiment [FILE] [--model PATH] [--baseline]   one text per line in, P(positive) per line out
    yuqing sentiment train --data DIR [--out DIR]         retrain on label<TAB>text files
    yuqing sentiment eval --data DIR [--model PATH] [--baseline]

argparse cannot mix an optional positional with subcommands, so the first word is looked at
here: ``train`` and ``eval`` are actions, anything else is the input file.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ACTIONS = ("train", "eval")


def default_out_dir() -> Path:
    return Path(os.environ.get("YUQING_HOME", "var")).resolve() / "models" / "sentiment"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "sentiment", help="情感打分 / 训练 / 评估（sentiment train|eval ...）",
        description="情感分析：每行一条文本，输出每行一个正面概率（4 位小数）。"
                    "子命令：train --data DIR [--out DIR]；eval --data DIR [--model PATH] [--baseline]")
    # Options that may come before FILE (argparse's REMAINDER only takes what follows a word).
    p.add_argument("--model", dest="top_model", help="模型目录（默认为内置模型）")
    p.add_argument("--baseline", dest="top_baseline", action="store_true", help="改用原版 SnowNLP")
    p.add_argument("words", nargs=argparse.REMAINDER,
                   help="[FILE] 或 train/eval 及其参数；不给 FILE 时从标准输入读取")
    p.set_defaults(func=run)


def _score_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yuqing sentiment", description="每行一条文本，输出正面概率")
    p.add_argument("file", nargs="?", help="输入文件（UTF-8，每行一条）；省略则读标准输入")
    p.add_argument("--model", help="模型目录（默认为内置模型）")
    p.add_argument("--baseline", action="store_true", help="改用原版 SnowNLP 打分")
    return p


def _train_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yuqing sentiment train", description="用标注数据重新训练情感模型")
    p.add_argument("--data", required=True, help="目录：NAME.train.tsv / NAME.dev.tsv（或 *.tsv），表头 label<TAB>text")
    p.add_argument("--out", help="模型输出目录（默认 $YUQING_HOME/models/sentiment）")
    p.add_argument("--seed", type=int, default=0)
    return p


def _eval_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yuqing sentiment eval", description="按文件评估平衡准确率和 AUC")
    p.add_argument("--data", required=True, help="目录（评估其中 *.dev.tsv，没有则全部 *.tsv）或单个 TSV 文件")
    p.add_argument("--model", help="模型目录（默认为内置模型）")
    p.add_argument("--baseline", action="store_true", help="同时评估原版 SnowNLP")
    return p


def run(args) -> int:
    words = list(getattr(args, "words", None) or [])
    if words and words[0] == "--":
        words = words[1:]
    top_model = getattr(args, "top_model", None)
    top_baseline = bool(getattr(args, "top_baseline", False))
    try:
        if words and words[0] == "train":
            return _train(_train_parser().parse_args(words[1:]))
        if words and words[0] == "eval":
            sub = _eval_parser().parse_args(words[1:])
        else:
            sub = _score_parser().parse_args(words)
        sub.model = sub.model or top_model
        sub.baseline = sub.baseline or top_baseline
        return _eval(sub) if words and words[0] == "eval" else _score(sub)
    except SystemExit as exc:               # argparse errors/--help inside a subcommand
        return int(exc.code or 0)


def _load(model_path, baseline: bool):
    from yuqing.analysis.sentiment import get_model

    return get_model("snownlp" if baseline else "domain", model_path)


def _score(args) -> int:
    try:
        model = _load(args.model, args.baseline)
    except (FileNotFoundError, ValueError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if args.file:
        try:
            raw = Path(args.file).read_bytes()
        except OSError as exc:
            print(f"错误：无法读取 {args.file}（{exc.strerror or exc}）", file=sys.stderr)
            return 2
    else:
        raw = sys.stdin.buffer.read()
    text = raw.decode("utf-8-sig", errors="replace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()                         # a final newline ends the last line, it is no line
    lines = [ln.rstrip("\r") for ln in lines]
    out = sys.stdout
    batch = 2048
    for start in range(0, len(lines), batch):
        scores = model.score_many(lines[start:start + batch])
        out.write("".join(f"{s:.4f}\n" for s in scores))
    out.flush()
    return 0


def _train(args) -> int:
    from yuqing.analysis.sentiment_train import DataError, format_rows, train

    data = Path(args.data)
    if not data.exists():
        print(f"错误：找不到数据目录 {data}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else default_out_dir()
    try:
        report = train(data, out, seed=args.seed, log=lambda m: print(m, file=sys.stderr, flush=True))
    except DataError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(f"模型已写入 {report.out_dir}（特征 {report.n_features} 个，用时 {report.seconds:.0f} 秒）")
    print("训练数据：")
    for name, (n, pos) in report.sizes.items():
        print(f"  {name}: {n} 条（正例 {pos}，负例 {n - pos}）")
    if report.oof:
        print("训练集交叉验证（折外）：")
        print(format_rows(report.oof))
    if report.dev:
        print("dev 集：")
        print(format_rows(report.dev))
    else:
        print("（没有 *.dev.tsv，未做 dev 评估）")
    print(f"使用新模型：在 settings.yaml 中设置 analysis.sentiment_path: {report.out_dir}"
          f"（试用：yuqing sentiment --model {report.out_dir}）")
    return 0


def _eval(args) -> int:
    from yuqing.analysis.sentiment_train import DataError, evaluate, format_rows

    data = Path(args.data)
    if not data.exists():
        print(f"错误：找不到评估数据 {data}", file=sys.stderr)
        return 2
    try:
        model = _load(args.model, False)
        print(format_rows(evaluate(model, data), "本模型"))
        if args.baseline:
            print()
            print(format_rows(evaluate(_load(None, True), data), "原版 SnowNLP"))
    except DataError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, ValueError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.sentiment_cli ...`` works without the yuqing command."""
    parser = argparse.ArgumentParser(prog="yuqing")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["sentiment", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
