"""`yuqing extract FILE_OR_URL`: run the article extractor on a saved page or a live URL."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from yuqing.crawlers.extract import extract_article
from yuqing.crawlers.extract.dates import SHANGHAI

MAX_BYTES = 10 * 1024 * 1024  # a news page is well under this; anything larger is not one
TIMEOUT = (10, 30)
USER_AGENT = "Mozilla/5.0 (compatible; yuqing-extract/0.1)"


def register(subparsers) -> None:
    parser = subparsers.add_parser("extract", help="抽取单个文章页（保存的文件或网址）",
                                   description="抽取文章标题、发布时间、作者、来源、正文和附件。")
    parser.add_argument("target", metavar="FILE_OR_URL", help="保存的 HTML 文件路径，或 http(s) 网址")
    parser.add_argument("--url", help="文件对应的原始网址（用于补全相对链接和网址中的日期）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    parser.set_defaults(func=run)


def _fetch(url: str) -> tuple[bytes, str | None, datetime]:
    import requests

    fetched_at = datetime.now(timezone.utc)
    with requests.get(url, timeout=TIMEOUT, stream=True, headers={"User-Agent": USER_AGENT}) as resp:
        resp.raise_for_status()
        chunks, size = [], 0
        for chunk in resp.iter_content(65536):
            size += len(chunk)
            if size > MAX_BYTES:
                raise ValueError(f"页面超过 {MAX_BYTES // (1024 * 1024)} MB 上限，已放弃")
            chunks.append(chunk)
        # requests' own guess (ISO-8859-1 for text/html without charset) is exactly what not to trust.
        declared = resp.encoding if "charset" in resp.headers.get("Content-Type", "").lower() else None
        return b"".join(chunks), declared, fetched_at


def run(args: argparse.Namespace) -> int:
    target: str = args.target
    declared = None
    fetched_at = None
    if target.startswith(("http://", "https://")):
        url = args.url or target
        try:
            body, declared, fetched_at = _fetch(target)
        except Exception as exc:  # noqa: BLE001 - every network failure becomes one clear line
            print(f"抓取失败：{target}：{_reason(exc)}", file=sys.stderr)
            return 2
    else:
        path = Path(target)
        url = args.url or ""
        try:
            body = path.read_bytes()
        except OSError as exc:
            print(f"无法读取文件：{path}：{exc.strerror or exc}", file=sys.stderr)
            return 2
    article = extract_article(body, url, fetched_at=fetched_at, declared_encoding=declared)
    if args.json:
        data = article.to_json()
        data["problems"] = list(article.problems)
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(summary(article))
    return 0 if article.title or article.content else 1


def _reason(exc: Exception) -> str:
    import requests

    if isinstance(exc, requests.Timeout):
        return "连接或读取超时"
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code}"
    if isinstance(exc, requests.ConnectionError):
        return "无法连接服务器"
    return str(exc) or type(exc).__name__


def summary(article) -> str:
    when = article.published_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") \
        if article.published_at else "（未找到）"
    lines = [
        f"标题：{article.title or '（未找到）'}",
        f"发布时间：{when}",
        f"作者：{article.author or '—'}",
        f"来源：{article.source or '—'}",
        f"编码：{article.encoding or '—'}",
    ]
    if article.attachments:
        lines.append(f"附件（{len(article.attachments)}）：")
        lines += [f"  - {a.title}  {a.url}" for a in article.attachments]
    else:
        lines.append("附件：无")
    if article.problems:
        lines.append("问题：" + "；".join(article.problems))
    body = article.content.replace("\n", " ")
    lines.append(f"正文前 200 字：{body[:200]}{'…' if len(body) > 200 else ''}")
    return "\n".join(lines)
