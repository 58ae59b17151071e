"""MediaCrawler's output (抖音, 快手, B站, 小红书, 微博, 贴吧, 知乎): posts and their comments.

MediaCrawler writes, per platform, `data/<platform>/<json|jsonl|csv>/<type>_contents_<date>.*`
and `…_comments_…` (older versions prefix a number: `1_search_contents_…`), or rows in its
SQLite database (tables douyin_aweme, douyin_aweme_comment, xhs_note, …). We read all three,
by the field names below; fields a version adds are ignored, a missing optional field is
tolerated, and a file without a platform's id field is named as not ours (older or newer
MediaCrawler) instead of being half read. A comment is linked to its post by the post's id.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from yuqing.crawlers.extract import parse_chinese_datetime
from yuqing.crawlers.importers.model import ImportFileError, ImportRecord, RowError
from yuqing.timeutil import SHANGHAI


@dataclass(frozen=True)
class Platform:
    channel: str
    folders: tuple[str, ...]               # MediaCrawler's folder names for it
    post_table: str
    comment_table: str
    post_id: str                           # the post's id field, also in its comments
    title: str
    text: tuple[str, ...]                  # first non-empty wins
    time: tuple[str, ...]
    url: str                               # the post's own URL field
    url_template: str                      # when that field is empty
    author: tuple[str, ...] = ("nickname", "user_nickname")
    comment_time: tuple[str, ...] = ("create_time", "publish_time")


PLATFORMS = {p.channel: p for p in (
    Platform("douyin", ("douyin", "dy"), "douyin_aweme", "douyin_aweme_comment", "aweme_id",
             "title", ("desc",), ("create_time",), "aweme_url", "https://www.douyin.com/video/{}"),
    Platform("kuaishou", ("kuaishou", "ks"), "kuaishou_video", "kuaishou_video_comment",
             "video_id", "title", ("desc",), ("create_time",), "video_url",
             "https://www.kuaishou.com/short-video/{}"),
    Platform("bilibili", ("bilibili", "bili"), "bilibili_video", "bilibili_video_comment",
             "video_id", "title", ("desc",), ("create_time",), "video_url",
             "https://www.bilibili.com/video/av{}"),
    Platform("xiaohongshu", ("xhs", "xiaohongshu"), "xhs_note", "xhs_note_comment", "note_id",
             "title", ("desc",), ("time", "create_time"), "note_url",
             "https://www.xiaohongshu.com/explore/{}"),
    Platform("weibo", ("weibo", "wb"), "weibo_note", "weibo_note_comment", "note_id", "",
             ("content",), ("create_time", "create_date_time"), "note_url",
             "https://m.weibo.cn/detail/{}"),
    Platform("tieba", ("tieba",), "tieba_note", "tieba_comment", "note_id", "title",
             ("desc",), ("publish_time",), "note_url", "https://tieba.baidu.com/p/{}"),
    Platform("zhihu", ("zhihu",), "zhihu_content", "zhihu_comment", "content_id", "title",
             ("content_text", "desc"), ("created_time",), "content_url",
             "https://www.zhihu.com/answer/{}"),
)}
COUNTS = {"liked_count": "点赞", "comment_count": "评论", "comments_count": "评论",
          "share_count": "分享", "shared_count": "分享", "collected_count": "收藏",
          "video_play_count": "播放", "viewd_count": "播放", "voteup_count": "赞同",
          "like_count": "点赞", "comment_like_count": "点赞", "total_replay_num": "回复"}
FILE_SUFFIXES = (".json", ".jsonl", ".csv")
DB_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def read_mediacrawler(directory: Path) -> tuple[dict[str, list[ImportRecord]], list[RowError]]:
    """Records per platform channel, and the rows or files that could not be read."""
    if not directory.is_dir():
        raise ImportFileError(f"{directory}：不是目录。请给出 MediaCrawler 的 data 目录（或其中某个平台的目录）")
    batches: dict[str, list[ImportRecord]] = {}
    errors: list[RowError] = []
    found = 0
    for path in sorted(directory.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(directory).as_posix()
        try:
            if path.suffix.lower() in DB_SUFFIXES:
                found += _read_database(path, name, batches, errors)
            elif path.suffix.lower() in FILE_SUFFIXES:
                found += _read_file(path, name, directory, batches, errors)
        except ImportFileError as exc:
            errors.append(RowError(name, str(exc)))
    for records in batches.values():
        _comment_urls(records)
    if not found and not errors:
        raise ImportFileError(f"{directory}：没有找到 MediaCrawler 的输出（<平台>/json|jsonl|csv 下的 "
                              "*_contents_*、*_comments_* 文件，或其 SQLite 数据库）")
    return batches, errors


def _comment_urls(records: list[ImportRecord]) -> None:
    """A comment's address is its post's (read from any file) with the comment's anchor."""
    posts = {r.external_id: r.url for r in records if r.kind == "post"}
    for r in records:
        if r.kind == "comment" and r.parent_external_id in posts:
            r.url = f"{posts[r.parent_external_id]}#comment-{r.external_id.removeprefix('comment:')}"


def _platform_of(path: Path, root: Path) -> Platform | None:
    parts = [p.lower() for p in path.relative_to(root).parts[:-1]] + [root.name.lower()]
    for part in parts:
        for platform in PLATFORMS.values():
            if part in platform.folders:
                return platform
    return None


def _read_file(path: Path, name: str, root: Path, batches, errors) -> int:
    lowered = path.name.lower()
    kind = "post" if "contents" in lowered else "comment" if "comments" in lowered else None
    if kind is None:
        return 0                                  # creators, word clouds …
    platform = _platform_of(path, root)
    if platform is None:
        raise ImportFileError(f"无法判断平台：文件不在 {'、'.join(f for p in PLATFORMS.values() for f in p.folders)} "
                              "之一的目录下")
    rows = _rows(path, name)
    _convert(platform, kind, rows, name, batches, errors)
    return 1


def _rows(path: Path, name: str) -> list[tuple[str, dict]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [(f"{name} 第 {i} 行", row) for i, row in
                enumerate(csv.DictReader(io.StringIO(text, newline="")), start=2)]
    if suffix == ".jsonl":
        rows = []
        for i, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    rows.append((f"{name} 第 {i} 行", json.loads(line)))
                except ValueError as exc:
                    rows.append((f"{name} 第 {i} 行", {"__error__": f"不是有效的 JSON：{exc}"}))
        return rows
    try:
        data = json.loads(text) if text.strip() else []
    except ValueError as exc:
        raise ImportFileError(f"不是有效的 JSON（{exc}）；MediaCrawler 写到一半被中断时会这样，"
                              "请等它结束后再导入") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ImportFileError("JSON 的顶层应是记录的列表")
    return [(f"{name} 第 {i} 条", row) for i, row in enumerate(data, start=1)]


def _read_database(path: Path, name: str, batches, errors) -> int:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise ImportFileError(f"不是可读的 SQLite 数据库（{exc}）") from None
    read = 0
    try:
        conn.row_factory = sqlite3.Row
        for platform in PLATFORMS.values():
            for table, kind in ((platform.post_table, "post"), (platform.comment_table, "comment")):
                if table not in tables:
                    continue
                rows = [(f"{name} 表 {table} 第 {i} 行", dict(r)) for i, r in
                        enumerate(conn.execute(f'SELECT * FROM "{table}" ORDER BY 1'), start=1)]
                _convert(platform, kind, rows, f"{name} 表 {table}", batches, errors)
                read += 1
    finally:
        conn.close()
    return read


def _convert(platform: Platform, kind: str, rows, where: str, batches, errors) -> None:
    if not rows:
        return
    key = "comment_id" if kind == "comment" else platform.post_id
    readable = [row for _, row in rows[:20] if "__error__" not in row]
    if readable and not any(key in row for row in readable):
        fields = "、".join(list(readable[0])[:12])
        raise ImportFileError(
            f"不像 MediaCrawler 的{_name(platform)}{'评论' if kind == 'comment' else '内容'}数据："
            f"缺少字段 {key}（现有字段：{fields}）；可能来自更旧或更新版本的 MediaCrawler，"
            "请用与本系统说明（docs/sources.md）一致的版本导出")
    out = batches.setdefault(platform.channel, [])
    for row_name, row in rows:
        try:
            out.append(_post(platform, row_name, row) if kind == "post"
                       else _comment(platform, row_name, row))
        except ValueError as exc:
            errors.append(RowError(row_name, str(exc)))


def _post(p: Platform, row: str, r: dict) -> ImportRecord:
    if "__error__" in r:
        raise ValueError(r["__error__"])
    pid = _text(r.get(p.post_id))
    if not pid:
        raise ValueError(f"缺少 {p.post_id}")
    text = next((_text(r.get(f)) for f in p.text if _text(r.get(f))), "")
    title = _text(r.get(p.title)) if p.title else ""
    if not title and not text:
        raise ValueError(f"{_name(p)} {pid} 既没有标题也没有正文")
    return ImportRecord(
        row=row, channel=p.channel, external_id=f"post:{pid}",
        url=_text(r.get(p.url)) or p.url_template.format(pid), kind="post",
        title=title or _opening(text), content=text or title,
        published_at=_when(r, p.time, row), author=_author(p, r), details=_details(r))


def _comment(p: Platform, row: str, r: dict) -> ImportRecord:
    if "__error__" in r:
        raise ValueError(r["__error__"])
    cid, pid = _text(r.get("comment_id")), _text(r.get(p.post_id))
    if not cid or not pid:
        raise ValueError(f"评论缺少 comment_id 或所属内容的 {p.post_id}")
    text = _text(r.get("content"))
    if not text:
        raise ValueError(f"评论 {cid} 没有内容")
    details = _details(r)
    parent = _text(r.get("parent_comment_id"))
    if parent and parent != "0":
        details["回复评论"] = parent
    post_url = _text(r.get(p.url)) or p.url_template.format(pid)
    return ImportRecord(
        row=row, channel=p.channel, external_id=f"comment:{cid}", url=f"{post_url}#comment-{cid}",
        kind="comment", title=f"评论：{_opening(text, 24)}", content=text,
        published_at=_when(r, p.comment_time, row), author=_author(p, r),
        parent_external_id=f"post:{pid}", details=details)


def _when(r: dict, fields: tuple[str, ...], row: str) -> datetime | None:
    for field in fields:
        value = r.get(field)
        if value in (None, ""):
            continue
        text = str(value).strip()
        if text.lstrip("-").isdigit():
            stamp = int(text)
            if stamp > 10**11:
                stamp //= 1000                     # milliseconds (小红书, 快手)
            return datetime.fromtimestamp(stamp, SHANGHAI)
        found = parse_chinese_datetime(text)
        if found is None:
            raise ValueError(f"时间字段 {field} 不认识：{text[:30]}")
        return found
    return None


def _details(r: dict) -> dict:
    details = {label: _text(r[f]) for f, label in COUNTS.items() if _text(r.get(f))}
    for field, label in (("ip_location", "IP属地"), ("source_keyword", "搜索关键词"),
                         ("tieba_name", "贴吧")):
        if _text(r.get(field)):
            details[label] = _text(r[field])
    return details


def _author(p: Platform, r: dict) -> str:
    return next((_text(r.get(f)) for f in p.author if _text(r.get(f))), "")


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _opening(text: str, limit: int = 30) -> str:
    first = text.split("\n")[0].strip()
    return first if len(first) <= limit else first[:limit] + "…"


def _name(p: Platform) -> str:
    from yuqing.channels import label

    return label(p.channel)
