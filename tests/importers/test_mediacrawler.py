"""`yuqing import mediacrawler DIR`: every platform's posts and comments, linked; idempotent;
files from other versions named, not half read."""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import select

from yuqing.app.imports import import_path
from yuqing.storage.models import Mention
from yuqing.timeutil import local

from tests.importers.mediacrawler_output import write_output


def _mentions(db) -> list[Mention]:
    with db.session() as s:
        return s.scalars(select(Mention).order_by(Mention.id)).all()


def test_all_platforms_posts_and_comments_linked_and_idempotent(db, default_config, tmp_path):
    data = write_output(tmp_path / "data")
    first = import_path(default_config, db, "mediacrawler", data)
    assert first.errors == [] and (first.new, first.updated, first.unchanged) == (15, 0, 0)
    again = import_path(default_config, db, "mediacrawler", data)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 15)
    mentions = _mentions(db)
    assert Counter(m.channel for m in mentions if m.kind == "post") == {
        "douyin": 1, "xiaohongshu": 1, "bilibili": 1, "kuaishou": 1, "weibo": 1, "tieba": 1, "zhihu": 1}
    posts = {m.external_id: m for m in mentions if m.kind == "post"}
    for comment in (m for m in mentions if m.kind == "comment"):
        post = next(p for p in posts.values() if p.id == comment.parent_id)
        assert post.channel == comment.channel and comment.url.startswith(post.url + "#comment-")
    dy = posts["post:7459012345678901234"]
    assert dy.source_id == "mediacrawler-douyin" and dy.author == "烟台老王"
    assert dy.details["点赞"] == "1532" and local(dy.published_at).hour == 4
    reply = next(m for m in mentions if m.external_id == "comment:7459023456789099999")
    assert reply.parent_id == dy.id and reply.details["回复评论"] == "7459023456789012345"
    masked = next(m for m in mentions if m.external_id == "comment:7459023456789012345")
    assert "13806385678" not in masked.content and "138****5678" in masked.content
    xhs = posts["post:6782a1b2000000001e03c4d5"]
    assert local(xhs.published_at).strftime("%m-%d %H") == "01-11 03"      # milliseconds read right
    assert local(posts["post:9012345678"].published_at).strftime("%Y-%m-%d %H:%M") == "2026-01-10 20:15"


def test_comments_before_their_posts_are_linked_later(db, default_config, tmp_path):
    data = write_output(tmp_path / "data")
    posts = data / "douyin" / "json" / "search_contents_2026-01-12.json"
    held = posts.read_text(encoding="utf-8")
    posts.unlink()
    import_path(default_config, db, "mediacrawler", data / "douyin")
    assert all(m.parent_id is None for m in _mentions(db))
    posts.write_text(held, encoding="utf-8")
    import_path(default_config, db, "mediacrawler", data / "douyin")
    comments = [m for m in _mentions(db) if m.kind == "comment"]
    assert comments and all(m.parent_id is not None for m in comments)


def test_older_and_newer_versions(db, default_config, tmp_path):
    # an older version's numbered file names are read as well
    old = write_output(tmp_path / "old", old_douyin=True)
    assert import_path(default_config, db, "mediacrawler", old / "douyin").new == 3
    # a file whose records lack the platform's id field is named, the rest imported
    newer = write_output(tmp_path / "newer")
    renamed = [{("video_id" if k == "aweme_id" else k): v for k, v in row.items()}
               for row in json.loads((newer / "douyin/json/search_contents_2026-01-12.json").read_text())]
    (newer / "douyin/json/search_contents_2026-01-12.json").write_text(json.dumps(renamed))
    report = import_path(default_config, db, "mediacrawler", newer)
    [error] = report.errors
    assert error.row == "douyin/json/search_contents_2026-01-12.json"
    assert "缺少字段 aweme_id" in error.message and "更旧或更新版本的 MediaCrawler" in error.message
    (newer / "xhs/csv/search_comments_2026-01-12.csv").write_text("", encoding="utf-8")
    (newer / "bilibili/jsonl/search_contents_2026-01-12.jsonl").write_text('{"video_id": "1",\n')
    report = import_path(default_config, db, "mediacrawler", newer)
    assert any(e.row.startswith("bilibili/jsonl/search_contents_2026-01-12.jsonl 第 1 行")
               and "不是有效的 JSON" in e.message for e in report.errors)


def test_not_a_mediacrawler_directory(db, default_config, tmp_path):
    (tmp_path / "empty").mkdir()
    [error] = import_path(default_config, db, "mediacrawler", tmp_path / "empty").errors
    assert "没有找到 MediaCrawler 的输出" in error.message


def test_comments_count_in_their_posts_event(db, default_config, tmp_path, monkeypatch):
    from yuqing.analysis.stage import analyse_pending
    from yuqing.storage.events import EventMention

    monkeypatch.setenv("YUQING_NOW", "2026-01-12T10:00:00+08:00")
    import_path(default_config, db, "mediacrawler", write_output(tmp_path / "data"))
    analyse_pending(db, default_config)
    with db.session() as s:
        event_of = dict(s.execute(select(EventMention.mention_id, EventMention.event_id)).all())
        pairs = s.execute(select(Mention.id, Mention.parent_id, Mention.story_id)
                          .where(Mention.kind == "comment")).all()
        stories = dict(s.execute(select(Mention.id, Mention.story_id)).all())
    for comment, post, story in pairs:
        assert event_of[comment] == event_of[post]      # the post's event counts its comments
        assert story != stories[post]                    # but a comment is no reprint of it
