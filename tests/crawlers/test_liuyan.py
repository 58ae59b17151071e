"""人民网领导留言板 against the sample board that answers the site's JSON interface."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from yuqing.crawlers import liuyan as api
from yuqing.crawlers.health import source_problems
from yuqing.crawlers.runner import crawl_in_subprocess
from yuqing.sample_sites import SampleSites
from yuqing.storage.models import Mention, Source

from edgesites import FAST

SOURCES = """\
sources:
  - id: liuyan
    name: 人民网领导留言板·芝罘区
    kind: liuyan
    authority: public
    urls: ["{base}"]
    max_pages: 4
    delay: {delay}
    allow_private: true
    forums:
      - {{fid: 5031, name: 芝罘区委书记}}
      - {{fid: 5032, name: 芝罘区区长}}
      - {{fid: 1096, name: 烟台市委书记, only: [芝罘]}}
"""


@pytest.fixture
def board():
    with SampleSites() as sites:
        yield sites


def _crawl(config_dir, db, board, delay="0s"):
    directory = config_dir(SOURCES.format(base=board.urls["liuyan"], delay=delay))
    [summary] = crawl_in_subprocess(directory, db.url, ["liuyan"], crawl=FAST)
    return directory, summary


def _messages(db) -> dict[str, Mention]:
    with db.session() as s:
        return {m.title: m for m in s.scalars(select(Mention).where(Mention.source_id == "liuyan"))}


def test_messages_replies_and_city_board_filter(db, config_dir, board):
    _, summary = _crawl(config_dir, db, board)
    assert summary.status == "ok", summary.errors
    messages = _messages(db)
    assert len(messages) == 8                      # two city-board messages name other districts
    assert "莱山区观海路夜间施工噪音" not in messages
    road = messages["白石街道金沟寨路段坑洼不平"]
    assert road.channel == "liuyan" and road.kind == "message"
    assert road.status == "已办理" and road.reply_department == "芝罘区住房和城乡建设局"
    assert "路面修复" in road.reply and road.reply_at > road.published_at
    assert road.details["留言类型"] == "投诉" and road.details["领域"] == "交通"
    assert road.details["满意度"] == {"办理态度": 4, "办理速度": 5}
    assert road.details["留言对象"] == "芝罘区委书记"
    assert road.url.endswith(f"/threads/content?tid={road.external_id}")
    assert messages["幸福街道幼儿园报名政策咨询"].status == "办理中"
    heating = messages["只楚街道葡萄山小区暖气不热没人管"]
    assert heating.status == "未回复" and heating.reply == ""
    # the list cuts long messages short; the signed detail request brings the whole text
    renewal = messages["建议加快只楚社区老旧小区改造"]
    assert not renewal.content.endswith("...") and "公开施工计划和资金使用情况" in renewal.content
    assert "雨污分流" in renewal.reply


def test_polling_is_incremental_and_a_later_reply_updates_the_message(db, config_dir, board):
    _crawl(config_dir, db, board)
    board.liuyan.requests.clear()
    board.liuyan.now = board.now + timedelta(hours=2)
    _, again = _crawl(config_dir, db, board)
    assert again.items_new == 0
    lists = [r for r in board.liuyan.requests if r["path"] == api.LIST_PATH]
    assert all("lastItem=0" in r["body"] for r in lists if "state=1" in r["body"])  # no paging back

    # days later the 区长 board answers the kindergarten question
    board.liuyan.messages[2].reply_after = 160
    board.liuyan.messages[2].reply_org = "芝罘区教育和体育局"
    board.liuyan.messages[2].reply = "您好！公办幼儿园报名时间为每年5月，需提供户口簿和房产证明。"
    board.liuyan.messages[2].grades = (5, 5)
    board.liuyan.now = board.now + timedelta(hours=12)
    _, later = _crawl(config_dir, db, board)
    assert later.items_updated >= 1 and later.items_new == 0
    answered = _messages(db)["幸福街道幼儿园报名政策咨询"]
    assert answered.status == "已办理" and answered.reply_department == "芝罘区教育和体育局"
    assert answered.reply.startswith("您好！公办幼儿园") and answered.version == 1


@pytest.mark.parametrize("mode, words", [
    ("blocked", "被限流：人民网领导留言板返回了验证码或访问频繁拦截页面"),
    ("broken", "人民网领导留言板返回的是网页而不是接口数据（HTTP 502，“502 Bad Gateway”）"),
    ("error", "人民网领导留言板留言列表接口返回错误：系统繁忙，请稍后再试"),
])
def test_error_pages_and_captchas_are_source_problems(db, config_dir, board, mode, words):
    from yuqing.config import load_config

    board.liuyan.mode = mode
    # spaced as on the real site, so that a block is seen before the next request goes out
    directory, summary = _crawl(config_dir, db, board, delay="0.5s")
    assert summary.status == "failed"
    assert words in summary.errors[0]
    with db.session() as s:
        assert words in s.get(Source, "liuyan").last_error
    if mode == "blocked":                          # stops at once instead of pressing on
        assert len(board.liuyan.requests) == 1
        problems = source_problems(db, load_config(directory))
        mine = [p for p in problems if p.source_id == "liuyan"]
        assert mine and words in mine[0].problem   # a person must act: reported on first failure


def test_signature_and_shapes():
    body = api.content_body(26100005)
    import json
    assert api.check_signature(json.loads(body))
    assert not api.check_signature({**json.loads(body), "signature": "0" * 32})
    with pytest.raises(api.LiuyanError, match="不是 JSON"):
        api.parse_list(b"ok", 200, "text/plain")


def test_source_test_runs_the_fetcher_against_the_board(config_dir, board, tmp_path):
    import os
    import subprocess
    import sys

    directory = config_dir(SOURCES.format(base=board.urls["liuyan"], delay="0s"))
    env = {**os.environ, "YUQING_HOME": str(tmp_path / "home")}
    cmd = [sys.executable, "-m", "yuqing.app.cli", "--config", directory, "source", "test", "liuyan"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "类型：人民网领导留言板接口" in out.stdout and "问题：无" in out.stdout
    assert "只楚社区老楼暖气一直不热" in out.stdout and "答复：芝罘区" in out.stdout
    board.liuyan.mode = "blocked"
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 1 and "被限流：人民网领导留言板返回了验证码" in out.stdout
    assert len([r for r in board.liuyan.requests if "state=1" in r["body"]]) == 4   # 3 + 1: stopped


def test_the_scheduler_keeps_liuyan_when_workers_crawl(config_dir, board, monkeypatch):
    from yuqing.app.jobs import desired_jobs
    from yuqing.config import load_config

    monkeypatch.setenv("YUQING_SCHEDULE_WORKERS", "crawl")
    directory = config_dir(SOURCES.format(base=board.urls["liuyan"], delay="0s"))
    names = {job.id for job in desired_jobs(load_config(directory))}
    assert "crawl:liuyan" in names                    # not through the shared queue
    assert not any(n.startswith("crawl:zhifu") for n in names)


def test_blocks_in_a_row_back_off(db, config_dir, board):
    board.liuyan.mode = "blocked"
    _crawl(config_dir, db, board, delay="0.5s")          # blocked: wait an interval (30m)
    board.liuyan.requests.clear()
    _, paused = _crawl(config_dir, db, board, delay="0.5s")
    assert board.liuyan.requests == []                   # nothing asked while backing off
    assert paused.status == "failed" and paused.errors[0].startswith(
        "被限流（退避中）：已连续 1 次被人民网领导留言板拦截")
    assert "按退避规则暂停到" in paused.errors[0]
