"""A 领导留言板 reply published days later: the message is updated, and the reply counts as
the replying department's own response on the warning its silence opened (谁主管谁回应)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from yuqing.alerts.detect import detect
from yuqing.alerts.external import record_board_replies
from yuqing.analysis.stage import analyse_pending
from yuqing.config import load_config
from yuqing.crawlers.runner import crawl_in_subprocess
from yuqing.sample_sites import SampleSites
from yuqing.storage.models import Assignment, Mention, Warning

from edgesites import FAST
from test_liuyan import SOURCES

KINDERGARTEN = "幸福街道幼儿园报名政策咨询"


def test_a_later_reply_is_the_departments_response(db, config_dir):
    with SampleSites() as sites:
        directory = config_dir(SOURCES.format(base=sites.urls["liuyan"], delay="0s"))
        config = load_config(directory)
        crawl_in_subprocess(directory, db.url, ["liuyan"], crawl=FAST)
        analyse_pending(db, config)
        detect(db, config)
        with db.session() as s:
            message = s.scalar(select(Mention).where(Mention.title == KINDERGARTEN))
            warning = s.scalar(select(Warning).where(Warning.key == f"unanswered:{message.id}"))
            assert warning is not None and message.status == "办理中"
            receivers = {a.department_id for a in warning.assignments}
        assert "jiaoti" in receivers                       # 教育 is the 教体局's to answer

        # six days on, the board publishes the 教体局's answer
        kindergarten = sites.liuyan.messages[2]
        kindergarten.reply_after, kindergarten.grades = 160, (5, 4)
        kindergarten.reply_org = "芝罘区教育和体育局"
        kindergarten.reply = "您好！公办幼儿园报名时间为每年5月，需提供户口簿和房产证明。"
        sites.liuyan.now = sites.now + timedelta(hours=12)
        [again] = crawl_in_subprocess(directory, db.url, ["liuyan"], crawl=FAST)
        assert again.items_updated >= 1
        assert record_board_replies(db, config) == 1
        assert record_board_replies(db, config) == 0       # once per reply
        with db.session() as s:
            message = s.scalar(select(Mention).where(Mention.title == KINDERGARTEN))
            assert message.status == "已办理" and message.reply_department == "芝罘区教育和体育局"
            assert message.details["满意度"] == {"办理态度": 5, "办理速度": 4}
            duty = s.scalar(select(Assignment).where(Assignment.warning_id == warning.id,
                                                     Assignment.department_id == "jiaoti"))
            assert duty.response_text.startswith("您好！公办幼儿园报名")
            assert duty.response_via == "rmw" and duty.response_url == message.url
            others = s.scalars(select(Assignment).where(Assignment.warning_id == warning.id,
                                                        Assignment.department_id != "jiaoti")).all()
            assert all(not a.response_text for a in others)   # no one else's duty is done
