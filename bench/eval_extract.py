"""Per-field accuracy of crawlers.extract over the real saved pages, with trafilatura as baseline.

    python bench/eval_extract.py [--fixtures DIR] [--no-baseline] [--verbose]

Scoring (the same for both extractors):
  title         equal after removing all whitespace (U+3000 included).
  published_at  equal to the minute in Asia/Shanghai; to the day when the expected value has no
                time of day or is exactly midnight (a CMS placeholder such as "2007-08-20-23:59:59"
                is labelled by date only in the fixtures, so the label decides the precision).
  content       whitespace removed on both sides; the extracted text must start with the expected
                first sentence (its first 20 characters) or with the title followed by it, the
                expected first 200 characters must be >= 80% covered (difflib matching blocks)
                by the start of the extracted text, and content_must_include /
                content_must_exclude are honoured on the whole text.
Pages whose label for a field is null are not scored for that field. author/source are
reported for information only; an author is compared without its role words ("本报记者 王亮" is
"王亮"), and "author wrong" counts pages where a non-empty author differs from a non-null label
(an empty author is never wrong: the product prefers empty to wrong). Labels listed in DISPUTED (with the reason) are scored and shown
like any other, and the totals are printed twice: over all labels, and without the disputed ones.
Exit status is always 0.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from yuqing.crawlers.extract import extract_article, parse_chinese_datetime  # noqa: E402
from yuqing.crawlers.extract.dates import SHANGHAI  # noqa: E402

DEFAULT_FIXTURES = REPO / ".." / "shared" / "fixtures" / "real"
FIELDS = ("title", "published_at", "content")
INFO_FIELDS = ("author", "source", "author wrong")
# Labels that contradict the page or the product's definition; reported, never tuned to.
DISPUTED: dict[tuple[str, str], str] = {
    ("52_news_qq_2016_readability", "title"):
        "readability label keeps the site suffix '_科技_腾讯网'; extraction must drop it (h1 agrees)",
    ("53_news_gmw_readability", "title"):
        "readability label keeps the suffix ' _探索者 _光明网'; extraction must drop it (h1 agrees)",
    ("54_news_youth_cn_readability", "title"):
        "readability label keeps the suffix '_教育频道_中国青年网'; extraction must drop it",
    ("52_news_qq_2016_readability", "content"):
        "readability label starts with the dateline 'TNW中文站2016年10月14日07:17' and the share "
        "widget '转播到腾讯微博'; the article's first sentence is 'TNW中文站 10月14日报道 …'",
}
_WS = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


def squash(text) -> str:
    return _WS.sub("", text or "")


_ROLE_WORD = re.compile(r"^[\u4e00-\u9fff《》]{0,8}?(?:记者|通讯员|实习生)$")
_ROLE_PREFIX = re.compile(r"^(?:本报|特约)?(?:记者|通讯员|实习生)")


def _names(author: str) -> list[str]:
    tokens = [t for t in re.split(r"[\s\u3000、,，]+", author or "") if t]
    return [_ROLE_PREFIX.sub("", t) for t in tokens if not _ROLE_WORD.match(t)]


def author_same(got: str, expected: str) -> bool:
    """Equal names, roles aside: "记者 孙丽娜 通讯员 王晓" is "孙丽娜 王晓"."""
    return "".join(_names(got)) == "".join(_names(expected))


def title_ok(got: str, expected: str) -> bool:
    return squash(got) == squash(expected)


def time_ok(got: datetime | None, expected: str) -> bool:
    if got is None:
        return False
    exp = datetime.fromisoformat(expected.strip().replace("T", " "))
    local = got.astimezone(SHANGHAI).replace(tzinfo=None) if got.tzinfo else got
    day_only = len(expected.strip()) <= 10 or (exp.hour, exp.minute, exp.second) == (0, 0, 0)
    if day_only:
        return local.date() == exp.date()
    return local.replace(second=0, microsecond=0) == exp.replace(second=0, microsecond=0)


def content_ok(got: str, expected: str, title: str, include=None, exclude=None) -> tuple[bool, str]:
    ours, exp = squash(got), squash(expected)[:200]
    if not exp:
        return bool(ours), "empty label"
    if not ours:
        return False, "empty"
    rest = ours
    t = squash(title)
    if t and ours.startswith(t):
        rest = ours[len(t):]
    if t and exp.startswith(t) and len(exp) > len(t):  # "or its title": the title line is optional
        exp = exp[len(t):]
    first = re.split(r"(?<=[。！？!?])", exp, maxsplit=1)[0]
    key = exp[: max(5, min(len(first), 20))]
    if not (rest.startswith(key) or ours.startswith(key)):
        return False, f"starts with {ours[:30]!r}"
    window = rest if rest.startswith(key) else ours
    matcher = SequenceMatcher(None, exp, window[: len(exp) + 100], autojunk=False)
    covered = sum(block.size for block in matcher.get_matching_blocks()) / len(exp)
    if covered < 0.8:
        return False, f"covers {covered:.0%}"
    for needle in include or ():
        if squash(needle) not in ours:
            return False, f"missing {needle[:20]!r}"
    for needle in exclude or ():
        if squash(needle) in ours:
            return False, f"contains {needle[:20]!r}"
    return True, ""


def load_pages(fixtures: Path) -> list[tuple[Path, dict]]:
    pages = []
    for meta in sorted((fixtures / "articles").glob("*.json")):
        html_path = meta.with_suffix(".html")
        if html_path.exists():
            pages.append((html_path, json.loads(meta.read_text(encoding="utf-8"))))
    return pages


def ours(body: bytes, label: dict) -> dict:
    art = extract_article(body, label.get("url") or "")
    return {"title": art.title, "published_at": art.published_at, "content": art.content,
            "author": art.author, "source": art.source}


def trafilatura_result(body: bytes, label: dict) -> dict:
    from trafilatura import bare_extraction  # dev/bench only, never imported by runtime code

    try:
        doc = bare_extraction(body, url=label.get("url") or None, with_metadata=True)
    except Exception:  # noqa: BLE001 - the baseline failing on a page is a miss, not a crash
        doc = None
    if doc is None:
        return {f: None for f in FIELDS + ("author", "source")}
    get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    date = get("date")
    return {"title": get("title") or "", "published_at": parse_chinese_datetime(date) if date else None,
            "content": get("text") or "", "author": get("author") or "", "source": get("sitename") or ""}


def score(result: dict, label: dict) -> dict[str, tuple[bool | None, str]]:
    out: dict[str, tuple[bool | None, str]] = {}
    out["title"] = (None, "") if not label.get("title") else (
        title_ok(result["title"] or "", label["title"]), result["title"] or "")
    exp_time = label.get("publish_time_iso")
    out["published_at"] = (None, "") if not exp_time else (
        time_ok(result["published_at"], exp_time),
        result["published_at"].isoformat() if result["published_at"] else "None")
    if label.get("content"):
        ok, why = content_ok(result["content"] or "", label["content"], label.get("title") or "",
                             label.get("content_must_include"), label.get("content_must_exclude"))
        out["content"] = (ok, why)
    else:
        out["content"] = (None, "")
    for field in INFO_FIELDS:
        exp = label.get(field)
        same = author_same if field == "author" else (lambda a, b: squash(a) == squash(b))
        out[field] = (None, "") if not exp else (same(result[field] or "", exp), result[field] or "")
    exp = label.get("author")
    out["author wrong"] = (None, "") if not exp else (
        bool(result["author"]) and not author_same(result["author"], exp), result["author"] or "")
    return out


def evaluate(fixtures: Path, baseline: bool = True, verbose: bool = False, out=sys.stdout) -> dict:
    pages = load_pages(fixtures)
    systems = {"ours": ours}
    if baseline:
        systems["trafilatura"] = trafilatura_result
    totals = {name: {f: [0, 0] for f in FIELDS + INFO_FIELDS} for name in systems}
    agreed = {name: {f: [0, 0] for f in FIELDS + INFO_FIELDS} for name in systems}
    misses: list[tuple[str, str, str, str, str]] = []
    for path, label in pages:
        body = path.read_bytes()
        for name, run in systems.items():
            scored = score(run(body, label), label)
            for field, (ok, got) in scored.items():
                if ok is None:
                    continue
                totals[name][field][1] += 1
                totals[name][field][0] += int(ok)
                disputed = (path.stem, field) in DISPUTED
                if not disputed:
                    agreed[name][field][1] += 1
                    agreed[name][field][0] += int(ok)
                bad = ok if field == "author wrong" else not ok
                if bad and name == "ours" and (field in FIELDS or verbose):
                    expected = label.get("publish_time_iso") if field == "published_at" else label.get(field)
                    mark = " [disputed label]" if disputed else ""
                    misses.append((path.stem, field + mark, str(expected)[:40], str(got)[:60], name))
    print(f"fixtures: {fixtures.resolve()}  pages: {len(pages)}", file=out)
    print("\nmisses (ours):", file=out)
    if not misses:
        print("  none", file=out)
    for page, field, expected, got, _ in misses:
        print(f"  {page:<40} {field:<13} expected={expected!r}  got={got!r}", file=out)
    if DISPUTED:
        print("\ndisputed labels:", file=out)
        for (page, field), why in DISPUTED.items():
            print(f"  {page} {field}: {why}", file=out)
    rates: dict[str, dict[str, float]] = {}
    for heading, table in (("all labels", totals), ("without disputed labels", agreed)):
        print(f"\n{heading}\n{'field':<14}" + "".join(f"{name:>22}" for name in systems), file=out)
        for field in FIELDS + INFO_FIELDS:
            cells = []
            for name in systems:
                ok, n = table[name][field]
                key = name if table is totals else f"{name}:agreed"
                rates.setdefault(key, {})[field] = ok / n if n else 0.0
                cells.append(f"{ok:>3}/{n:<3} {100 * ok / n if n else 0:6.1f}%")
            note = "" if field in FIELDS else "  (info)"
            print(f"{field:<14}" + "".join(f"{c:>22}" for c in cells) + note, file=out)
    return rates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    parser.add_argument("--no-baseline", action="store_true", help="skip trafilatura")
    parser.add_argument("--verbose", action="store_true", help="also list author/source misses")
    args = parser.parse_args(argv)
    if not (args.fixtures / "articles").is_dir():
        print(f"没有找到真实页面样本目录：{args.fixtures}（跳过评测）")
        return 0
    started = time.perf_counter()
    evaluate(args.fixtures, baseline=not args.no_baseline, verbose=args.verbose)
    print(f"\n({time.perf_counter() - started:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
