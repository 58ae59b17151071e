"""Closing the loop from the web, on the sample board: a reply the housing bureau publishes after
the warning opened is crawled on a later cycle and recorded as 区住建局's own response
(留言板答复); a reply signed by a department not on the warning is recorded and flagged to
the duty office; running the cycle again records nothing twice."""

from __future__ import annotations

import os
from datetime import timedelta

from sqlalchemy import select

from yuqing.alerts.external import FLAGGED, record_external_response
from yuqing.sample_sites import SampleSites
from yuqing.sample_sites.events import HEATING_LATER_REPLY
from yuqing.storage.models import Delivery, Mention, Warning, WarningEvidence
from tests.duties.conftest import DEMO_AT, demo_cycle, heating_id


def test_board_reply_on_a_later_cycle_is_that_departments_response(tmp_path, monkeypatch):
    monkeypatch.setenv("YUQING_HOME", str(tmp_path))
    monkeypatch.setenv("YUQING_NOW", DEMO_AT.isoformat())
    title, bureau, text = HEATING_LATER_REPLY
    with SampleSites(now=DEMO_AT) as sites:
        for key, value in sites.env().items():
            monkeypatch.setenv(key, value)
        config, db = demo_cycle(tmp_path, {})
        wid = heating_id(db)
        with db.session() as s:
            mention = s.scalar(select(Mention).where(Mention.title == title))
            assert mention.reply == "" and s.get(WarningEvidence, (wid, mention.id)) is not None
            other = s.scalar(select(Mention).join(WarningEvidence, WarningEvidence.mention_id == Mention.id)
                             .where(WarningEvidence.warning_id == wid, Mention.kind == "message",
                                    Mention.reply == "", Mention.id != mention.id))
            mention_id, other_title = mention.id, other.title
        # an hour later the bureau answers on the board; so does the market regulator, elsewhere
        replied = DEMO_AT + timedelta(hours=1)
        sites.reply(title, bureau, text, replied)
        sites.reply(other_title, "芝罘区市场监督管理局", "已转供热企业核查。", replied)
        monkeypatch.setenv("YUQING_NOW", (DEMO_AT + timedelta(hours=2)).isoformat())
        demo_cycle(tmp_path, {}, sources=["sample-board"])
        demo_cycle(tmp_path, {}, sources=["sample-board"])          # nothing twice
    with db.session() as s:
        w = s.get(Warning, wid)
        duty = {a.department_id: a for a in w.assignments}
        zhujian, zhichu = duty["zhujian"], duty["zhichu"]
        assert zhujian.responded_at == replied and zhujian.response_via == "board"
        assert zhujian.response_text == text and zhujian.response_mention_id == mention_id
        assert zhujian.response_url == s.get(Mention, mention_id).url
        assert zhichu.responded_at is None                        # the bureau's reply is not the street's
        board = [e for e in w.events if e.action == "留言板答复"]
        flagged = [e for e in w.events if e.action == FLAGGED]
        assert len(board) == 1 and board[0].actor == bureau and board[0].at == replied
        assert len(flagged) == 1 and "芝罘区市场监督管理局（不是本预警的承办单位）" in flagged[0].detail
        told = s.scalars(select(Delivery).where(Delivery.key.like(f"t{wid}:board%"))).all()
        assert {d.department_id for d in told} == {"qzfb"}
        assert "未计为任何单位的回应" in told[0].body
        assert "shijian" not in {a.department_id for a in w.assignments}
    db.dispose()


def test_external_reply_api_for_other_sources(demo):
    """The entry point other sources (e.g. 人民网领导留言板) call: names as a board writes them."""
    config, db = demo
    wid = heating_id(db)
    with db.session() as s:
        mention_id = s.scalar(select(WarningEvidence.mention_id).where(WarningEvidence.warning_id == wid))
    at = DEMO_AT + timedelta(hours=3)
    out = record_external_response(db, config, mention_id, "芝罘区只楚街道办事处", at, "已入户维修。",
                                   "http://rmw.test/1", via="rmw")
    assert [(o.department_id, o.recorded, o.flagged) for o in out] == [("zhichu", True, False)]
    again = record_external_response(db, config, mention_id, "芝罘区只楚街道办事处", at, "已入户维修。",
                                     "http://rmw.test/1", via="rmw")
    assert [(o.recorded, o.flagged) for o in again] == [(False, False)]
    unknown = record_external_response(db, config, mention_id, "某某公司", at, "已处理", via="rmw")
    assert [(o.department_id, o.recorded, o.flagged) for o in unknown] == [(None, False, True)]
    early = record_external_response(db, config, mention_id, "区住房和城乡建设局", DEMO_AT - timedelta(days=1),
                                     "早前答复", via="rmw")
    assert [o.recorded for o in early] == []                    # older than the warning: not its response
    with db.session() as s:
        duty = {a.department_id: a for a in s.get(Warning, wid).assignments}
        assert duty["zhichu"].responded_at == at and duty["zhichu"].response_via == "rmw"
        assert duty["zhujian"].responded_at is None
    assert os.environ["YUQING_NOW"] == DEMO_AT.isoformat()
