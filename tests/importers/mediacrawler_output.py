"""A MediaCrawler data directory as its versions write it, written for these tests: JSON for
抖音, CSV for 小红书, JSONL for B站, its SQLite database for 快手, 微博, 贴吧 and 知乎."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from yuqing.timeutil import SHANGHAI

BASE = datetime(2026, 1, 12, 9, 0, tzinfo=SHANGHAI)


def _s(hours: float) -> int:
    return int((BASE - timedelta(hours=hours)).timestamp())


DOUYIN_POSTS = [
    {"aweme_id": "7459012345678901234", "aweme_type": "0",
     "title": "芝罘区只楚街道葡萄山小区暖气不热，家里只有13度#供暖 #烟台",
     "desc": "芝罘区只楚街道葡萄山小区暖气不热，家里只有13度#供暖 #烟台", "create_time": _s(5),
     "user_id": "10293847", "sec_uid": "MS4wLjABAAAA", "short_user_id": "", "user_unique_id": "yt_laowang",
     "user_signature": "", "nickname": "烟台老王", "avatar": "https://p3.douyinpic.com/a.jpg",
     "liked_count": "1532", "collected_count": "88", "comment_count": "214", "share_count": "97",
     "ip_location": "山东", "last_modify_ts": 1768180000000,
     "aweme_url": "https://www.douyin.com/video/7459012345678901234", "cover_url": "",
     "video_download_url": "", "music_download_url": "", "note_download_url": "",
     "source_keyword": "芝罘 暖气"},
]
DOUYIN_COMMENTS = [
    {"comment_id": "7459023456789012345", "create_time": _s(4), "ip_location": "山东",
     "aweme_id": "7459012345678901234", "content": "我们楼也是，打了好几次电话没人来，电话13806385678",
     "user_id": "55501", "sec_uid": "", "short_user_id": "", "user_unique_id": "", "user_signature": "",
     "nickname": "葡萄山居民", "avatar": "", "sub_comment_count": "3", "like_count": 45,
     "last_modify_ts": 1768180000000, "parent_comment_id": "0", "pictures": ""},
    {"comment_id": "7459023456789099999", "create_time": _s(3.5), "ip_location": "山东",
     "aweme_id": "7459012345678901234", "content": "供热公司说在排查管网了",
     "user_id": "55502", "nickname": "只楚街坊", "sub_comment_count": "0", "like_count": 2,
     "last_modify_ts": 1768180000000, "parent_comment_id": "7459023456789012345", "pictures": ""},
]
XHS_POSTS = [
    {"note_id": "6782a1b2000000001e03c4d5", "type": "normal", "title": "烟台芝罘区福泰小区电梯又停了",
     "desc": "幸福街道福泰小区加装的电梯停了一周，物业说等配件，老人上下楼太难了", "video_url": "",
     "time": (_s(30)) * 1000, "last_update_time": (_s(29)) * 1000, "user_id": "5f1a", "nickname": "小鹿在烟台",
     "avatar": "", "liked_count": "56", "collected_count": "12", "comment_count": "9", "share_count": "3",
     "ip_location": "山东", "image_list": "", "tag_list": "烟台,电梯", "last_modify_ts": 1768180000000,
     "note_url": "https://www.xiaohongshu.com/explore/6782a1b2000000001e03c4d5", "source_keyword": "芝罘"},
]
XHS_COMMENTS = [
    {"comment_id": "6782a1c3000000000a01b2c3", "create_time": (_s(28)) * 1000, "ip_location": "山东",
     "note_id": "6782a1b2000000001e03c4d5", "content": "同小区，电梯停了好几次了", "user_id": "5f1b",
     "nickname": "福泰邻居", "avatar": "", "sub_comment_count": "0", "pictures": "",
     "parent_comment_id": "0", "last_modify_ts": 1768180000000, "like_count": "4"},
]
BILI_POSTS = [
    {"video_id": "113812345678901", "video_type": "video", "title": "实拍烟台芝罘区通伸街道饭店燃气爆炸现场",
     "desc": "路过通伸街道，一家饭店发生燃气爆炸，消防已到场", "create_time": _s(2), "user_id": "3546",
     "nickname": "烟台随手拍", "avatar": "", "liked_count": "320", "video_play_count": "15000",
     "video_danmaku": "45", "video_comment": "60", "last_modify_ts": 1768180000000,
     "video_url": "https://www.bilibili.com/video/av113812345678901", "video_cover_url": "",
     "source_keyword": "芝罘"},
]
BILI_COMMENTS = [
    {"comment_id": "245678901234", "parent_comment_id": "0", "create_time": _s(1.5),
     "video_id": "113812345678901", "content": "希望没有人员伤亡", "user_id": "3547", "nickname": "路人甲",
     "sex": "保密", "sign": "", "avatar": "", "sub_comment_count": "0", "last_modify_ts": 1768180000000},
]


def write_output(root: Path, old_douyin: bool = False) -> Path:
    """MediaCrawler's data/ directory; `old_douyin` writes the numbered file names of its
    earlier versions."""
    (root / "douyin" / "json").mkdir(parents=True, exist_ok=True)
    prefix = "1_" if old_douyin else ""
    (root / "douyin" / "json" / f"{prefix}search_contents_2026-01-12.json").write_text(
        json.dumps(DOUYIN_POSTS, ensure_ascii=False, indent=4), encoding="utf-8")
    (root / "douyin" / "json" / f"{prefix}search_comments_2026-01-12.json").write_text(
        json.dumps(DOUYIN_COMMENTS, ensure_ascii=False, indent=4), encoding="utf-8")
    (root / "douyin" / "json" / "search_creators_2026-01-12.json").write_text("[]", encoding="utf-8")
    for name, rows in (("search_contents_2026-01-12.csv", XHS_POSTS),
                       ("search_comments_2026-01-12.csv", XHS_COMMENTS)):
        (root / "xhs" / "csv").mkdir(parents=True, exist_ok=True)
        with open(root / "xhs" / "csv" / name, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    (root / "bilibili" / "jsonl").mkdir(parents=True, exist_ok=True)
    for name, rows in (("search_contents_2026-01-12.jsonl", BILI_POSTS),
                       ("search_comments_2026-01-12.jsonl", BILI_COMMENTS)):
        (root / "bilibili" / "jsonl" / name).write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    _database(root / "sqlite_tables.db")
    return root


def _database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript("""
    CREATE TABLE kuaishou_video (id INTEGER PRIMARY KEY, user_id TEXT, nickname TEXT, avatar TEXT,
        add_ts INTEGER, last_modify_ts INTEGER, video_id TEXT NOT NULL, video_type TEXT, title TEXT,
        "desc" TEXT, create_time INTEGER, liked_count TEXT, viewd_count TEXT, video_url TEXT,
        video_cover_url TEXT, video_play_url TEXT, source_keyword TEXT);
    CREATE TABLE kuaishou_video_comment (id INTEGER PRIMARY KEY, user_id TEXT, nickname TEXT,
        avatar TEXT, add_ts INTEGER, last_modify_ts INTEGER, comment_id TEXT NOT NULL,
        video_id TEXT NOT NULL, content TEXT, create_time INTEGER, sub_comment_count TEXT);
    CREATE TABLE weibo_note (id INTEGER PRIMARY KEY, user_id TEXT, nickname TEXT, avatar TEXT,
        gender TEXT, profile_url TEXT, ip_location TEXT, add_ts INTEGER, last_modify_ts INTEGER,
        note_id TEXT NOT NULL, content TEXT, create_time INTEGER, create_date_time TEXT,
        liked_count TEXT, comments_count TEXT, shared_count TEXT, note_url TEXT, source_keyword TEXT);
    CREATE TABLE weibo_note_comment (id INTEGER PRIMARY KEY, user_id TEXT, nickname TEXT,
        avatar TEXT, gender TEXT, profile_url TEXT, ip_location TEXT, add_ts INTEGER,
        last_modify_ts INTEGER, comment_id TEXT NOT NULL, note_id TEXT NOT NULL, content TEXT,
        create_time INTEGER, create_date_time TEXT, comment_like_count TEXT,
        sub_comment_count TEXT, parent_comment_id TEXT);
    CREATE TABLE tieba_note (id INTEGER PRIMARY KEY, note_id TEXT NOT NULL, title TEXT, "desc" TEXT,
        note_url TEXT, publish_time TEXT, user_link TEXT, user_nickname TEXT, user_avatar TEXT,
        tieba_id TEXT, tieba_name TEXT, tieba_link TEXT, total_replay_num INTEGER,
        total_replay_page INTEGER, ip_location TEXT, add_ts INTEGER, last_modify_ts INTEGER,
        source_keyword TEXT);
    CREATE TABLE tieba_comment (id INTEGER PRIMARY KEY, comment_id TEXT NOT NULL,
        parent_comment_id TEXT, content TEXT, user_link TEXT, user_nickname TEXT, user_avatar TEXT,
        tieba_id TEXT, tieba_name TEXT, tieba_link TEXT, publish_time TEXT, ip_location TEXT,
        sub_comment_count INTEGER, note_id TEXT NOT NULL, note_url TEXT, add_ts INTEGER,
        last_modify_ts INTEGER);
    CREATE TABLE zhihu_content (id INTEGER PRIMARY KEY, content_id TEXT NOT NULL,
        content_type TEXT, content_text TEXT, content_url TEXT, question_id TEXT, title TEXT,
        "desc" TEXT, created_time TEXT, updated_time TEXT, voteup_count INTEGER,
        comment_count INTEGER, source_keyword TEXT, user_id TEXT, user_link TEXT,
        user_nickname TEXT, user_avatar TEXT, user_url_token TEXT, add_ts INTEGER,
        last_modify_ts INTEGER);
    CREATE TABLE zhihu_comment (id INTEGER PRIMARY KEY, comment_id TEXT NOT NULL,
        parent_comment_id TEXT, content TEXT, publish_time TEXT, ip_location TEXT,
        sub_comment_count INTEGER, like_count INTEGER, dislike_count INTEGER, content_id TEXT,
        content_type TEXT, user_id TEXT, user_link TEXT, user_nickname TEXT, user_avatar TEXT,
        add_ts INTEGER, last_modify_ts INTEGER);
    """)
    conn.execute("INSERT INTO kuaishou_video (video_id, video_type, title, \"desc\", create_time, "
                 "nickname, liked_count, viewd_count, video_url, source_keyword) VALUES "
                 "(?,?,?,?,?,?,?,?,?,?)",
                 ("3xkf8a2bc9d4e5f", "1", "芝罘区南山路烧烤店半夜还在营业，吵得睡不着",
                  "奇山街道南山路烧烤店油烟噪音扰民", _s(20) * 1000, "夜猫子", "88", "5600",
                  "https://www.kuaishou.com/short-video/3xkf8a2bc9d4e5f", "芝罘"))
    conn.execute("INSERT INTO kuaishou_video_comment (comment_id, video_id, content, create_time, "
                 "nickname, sub_comment_count) VALUES (?,?,?,?,?,?)",
                 ("823456789", "3xkf8a2bc9d4e5f", "城管管管吧", _s(19) * 1000, "南山住户", "0"))
    conn.execute("INSERT INTO weibo_note (note_id, content, create_time, nickname, liked_count, "
                 "comments_count, shared_count, note_url, ip_location) VALUES (?,?,?,?,?,?,?,?,?)",
                 ("5120123456789012", "#烟台供暖# 芝罘区葡萄山社区暖气不热，室温十几度，求关注",
                  _s(6), "烟台小李", "40", "12", "5", "https://m.weibo.cn/detail/5120123456789012",
                  "发布于 山东"))
    conn.execute("INSERT INTO weibo_note_comment (comment_id, note_id, content, create_time, "
                 "nickname, parent_comment_id) VALUES (?,?,?,?,?,?)",
                 ("5120129999999999", "5120123456789012", "同样问题，供热公司电话打不通", _s(5),
                  "只楚人", "0"))
    conn.execute("INSERT INTO tieba_note (note_id, title, \"desc\", note_url, publish_time, "
                 "user_nickname, tieba_name, total_replay_num) VALUES (?,?,?,?,?,?,?,?)",
                 ("9012345678", "芝罘区哪里能办居住证", "刚来烟台工作，想问下芝罘区居住证在哪办",
                  "https://tieba.baidu.com/p/9012345678", "2026-01-10 20:15", "新烟台人", "烟台吧", 2))
    conn.execute("INSERT INTO tieba_comment (comment_id, content, user_nickname, publish_time, "
                 "note_id, note_url, tieba_name) VALUES (?,?,?,?,?,?,?)",
                 ("148765432", "去街道便民服务中心就行", "烟台吧友", "2026-01-10 21:00",
                  "9012345678", "https://tieba.baidu.com/p/9012345678", "烟台吧"))
    conn.execute("INSERT INTO zhihu_content (content_id, content_type, content_text, content_url, "
                 "title, created_time, voteup_count, comment_count, user_nickname) VALUES "
                 "(?,?,?,?,?,?,?,?,?)",
                 ("3345678901", "answer", "芝罘区老城区停车确实难，毓璜顶医院周边尤其如此……",
                  "https://www.zhihu.com/question/612345678/answer/3345678901",
                  "烟台芝罘区生活体验如何？", str(_s(48)), 25, 3, "知乎用户"))
    conn.execute("INSERT INTO zhihu_comment (comment_id, content, publish_time, content_id, "
                 "user_nickname, parent_comment_id) VALUES (?,?,?,?,?,?)",
                 ("10987654321", "同感，看病停车要排半小时", str(_s(47)), "3345678901", "路人", "0"))
    conn.commit()
    conn.close()
