"""`yuqing source add URL` and `yuqing source test ID|--all`: add and re-check sources.

add: fetch the page, say what kind it is, show the article-link block, the paging and three
sample articles as the crawler will store them, propose the sources.yaml entry and write it
(with verified: true and today's date) when confirmed or given --yes.
test: the same check on configured sources, with their own kind and selectors; says what
changed since the last check (kept under YUQING_HOME/source-checks/).
"""

from __future__ import annotations

import argparse
import json
import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser("source", help="添加、检查信息源 / add and check sources",
                                   description="添加信息源（自动识别类型、文章链接、翻页）或检查已配置的信息源。")
    sub = parser.add_subparsers(dest="source_command", required=True, metavar="COMMAND")
    add = sub.add_parser("add", help="检查一个网址并加入 sources.yaml / probe a URL and add it")
    add.add_argument("url", metavar="URL", help="栏目列表页、订阅源、留言板列表页或一篇文章的网址")
    add.add_argument("--name", help="信息源名称（默认取自页面标题）")
    add.add_argument("--id", dest="source_id", help="信息源 id（默认由网址生成）")
    add.add_argument("--yes", "-y", action="store_true", help="不询问，直接写入配置")
    add.add_argument("--json", action="store_true", help="输出 JSON（不写入，除非同时给出 --yes）")
    add.set_defaults(func=run_add)
    test = sub.add_parser("test", help="重新检查已配置的信息源 / re-check configured sources")
    test.add_argument("source_id", nargs="?", metavar="ID", help="信息源 id")
    test.add_argument("--all", action="store_true", help="检查全部启用的信息源")
    test.add_argument("--json", action="store_true", help="输出 JSON")
    test.set_defaults(func=run_test)


def run_add(args: argparse.Namespace) -> int:
    from yuqing.config import load_config
    from yuqing.config.loader import resolve_config_dir
    from yuqing.crawlers.probe import probe
    from yuqing.crawlers.probe_fetch import Fetcher
    from yuqing.crawlers.source_entry import EntryError, build_entry, render, write_entry
    from yuqing.crawlers.source_report import describe
    from yuqing.crawlers.urls import canonical_url
    from yuqing.timeutil import local, now

    url = args.url.strip()
    if not url.startswith(("http://", "https://")):
        print(f"网址应以 http:// 或 https:// 开头：{url}", file=sys.stderr)
        return 2
    config = load_config(args.config)
    directory = resolve_config_dir(args.config)
    for source in config.sources:
        if any(canonical_url(u) == canonical_url(url) for u in source.urls):
            print(f"该网址已在信息源 {source.id}（{source.name}）中，无需重复添加；检查它请用 "
                  f"yuqing source test {source.id}", file=sys.stderr)
            return 2
    result = probe(url, Fetcher())
    taken = {s.id for s in config.sources}
    entry = None
    if result.kind in ("feed", "site", "board") and result.samples:
        entry = build_entry(result, args.name, taken, local(now()).date())
        if args.source_id:
            if args.source_id in taken:
                print(f"信息源 id“{args.source_id}”已存在", file=sys.stderr)
                return 2
            entry["id"] = args.source_id
    if args.json:
        data = result.to_json()
        data["entry"] = {k: (str(v) if k == "verified_on" else v) for k, v in entry.items()} if entry else None
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(describe(result))
        if entry:
            print("\n建议的配置：\n" + render(entry))
    if entry is None:
        print("未能确定可采集的信息源，配置未改动。", file=sys.stderr)
        return 1
    if not args.yes:
        if args.json or not sys.stdin.isatty():
            print(f"未写入（加 --yes 直接写入 {directory / 'sources.yaml'}）", file=sys.stderr)
            return 0
        answer = input(f"写入 {directory / 'sources.yaml'}？[y/N] ").strip().lower()
        if answer not in ("y", "yes", "是"):
            print("未写入。")
            return 0
    try:
        path = write_entry(directory, entry)
    except (EntryError, OSError) as exc:
        print(f"写入失败：{exc}", file=sys.stderr)
        return 2
    print(f"已写入 {path}：信息源 {entry['id']}（{entry['name']}），verified: true，{entry['verified_on']}",
          file=sys.stderr if args.json else sys.stdout)
    return 0


def run_test(args: argparse.Namespace) -> int:
    from yuqing.config import load_config
    from yuqing.crawlers.probe import probe
    from yuqing.crawlers.probe_fetch import Fetcher
    from yuqing.crawlers.source_report import changes, describe, load_last, save_last

    config = load_config(args.config)
    if args.all == bool(args.source_id):
        print("请给出一个信息源 id，或用 --all 检查全部", file=sys.stderr)
        return 2
    if args.all:
        sources = [s for s in config.sources if s.enabled]
    else:
        sources = [s for s in config.sources if s.id == args.source_id]
        if not sources:
            known = "、".join(s.id for s in config.sources)
            print(f"没有 id 为“{args.source_id}”的信息源（已配置：{known}）", file=sys.stderr)
            return 2
    failed = 0
    out = []
    for source in sources:
        fetcher = Fetcher(allow_private=source.allow_private)
        selectors = source.selectors.model_dump(exclude_none=True)
        if source.kind == "liuyan":
            from yuqing.crawlers.probe_liuyan import probe_liuyan

            result = probe_liuyan(source, fetcher)
        else:
            result = probe(source.urls[0], fetcher, kind=source.kind, selectors=selectors)
        for extra in source.urls[1:] if source.kind != "liuyan" else ():
            more = probe(extra, fetcher, kind=source.kind, selectors=selectors, samples=1)
            result.problems += more.problems
        changed = changes(source, result, load_last(source.id))
        save_last(source.id, result)
        failed += bool(result.problems)
        if args.json:
            data = result.to_json()
            data["changes"] = changed
            out.append({"id": source.id, **data} if args.all else data)
        else:
            print(f"== {source.id}（{source.name}）==")
            print(describe(result))
            print("变化：" + ("；".join(changed) if changed else "与上次检查相比没有变化"))
            print()
    if args.json:
        print(json.dumps(out if args.all else out[0], ensure_ascii=False, indent=2))
    return 1 if failed else 0
