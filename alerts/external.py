"""Closing the loop from the web: a reply a department published is that department's response.

`record_external_response` is the one entry point for any source of published replies: the
crawled message boards (回复单位 / 回复时间 / 回复内容, `record_board_replies` below), the
人民网领导留言板, or a department's own notice page. For each open warning that holds the
mention as evidence:

- the replying department holds a duty that may respond → its own response is recorded with
  the reply's time, text and link (timeline: 留言板答复). Once per mention and department:
  running it again changes nothing.
- a reply older than the warning answered one message before the matter became a warning: it
  stays evidence, and is not the warning's response.
- it is not on the warning (or names no known department, or is a 抄送 department) → the
  reply is recorded in the timeline as 留言板答复（非接收单位） and the duty office is told, so
  a person decides whether it answers the warning; nobody's duty is marked done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from yuqing.alerts.duties import MAY_RESPOND
from yuqing.alerts.outbox import record
from yuqing.alerts.respond import apply_response
from yuqing.alerts.tell import tell
from yuqing.config.models import Config
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import Mention, Warning, WarningEvidence, WarningEvent
from yuqing.timeutil import fmt, now

ACTION = "留言板答复"
# where a reply was read, by the mention's channel (yuqing.channels): 人民网领导留言板, 12345
VIA = {"liuyan": "rmw", "hotline": "12345"}
FLAGGED = "留言板答复（非接收单位）"
# "烟台市芝罘区住房和城乡建设局" and "区住房和城乡建设局" name the same department
_PREFIXES = re.compile(r"^(山东省)?(烟台市)?(芝罘区|芝罘)?(区)?")


@dataclass(frozen=True)
class ExternalOutcome:
    warning_id: int
    department_id: str | None      # None: no configured department has that name
    recorded: bool                 # a department's own response was recorded
    flagged: bool                  # told the duty office instead


def unmark(detail: str) -> str:
    """A timeline detail without the idempotency marker ([#mention]) people need not read."""
    return re.sub(r"\s*\[#\d+\]$", "", detail or "")


def _core(name: str) -> str:
    name = re.sub(r"\s+", "", name or "")
    name = _PREFIXES.sub("", name)
    return name.replace("办事处", "").replace("人民政府", "")


def find_department(config: Config, org_name: str) -> str | None:
    """The configured department an official reply names (exact, or the same after the
    district prefix and 办事处 are dropped), else None."""
    wanted = _core(org_name)
    if not wanted:
        return None
    for d in config.departments:
        if org_name.strip() in (d.id, d.name) or _core(d.name) == wanted:
            return d.id
    return None


@retry_locked
def record_external_response(db: Database, config: Config, mention_id: int, org_name: str,
                             replied_at: datetime | None, text: str, url: str = "",
                             via: str = "board") -> list[ExternalOutcome]:
    """Record a published reply on every open warning behind the mention (see module doc).

    `via` names where the reply was read ("board", "rmw" …); `url` is the page showing it.
    Returns one outcome per open warning holding the mention; none when no warning does.
    """
    text, org_name = (text or "").strip(), (org_name or "").strip()
    if not text and not url:
        return []
    department_id = find_department(config, org_name)
    outcomes = []
    with db.session() as s:
        mention = s.get(Mention, mention_id)
        at = replied_at or (mention.reply_at if mention else None) or (mention.fetched_at if mention else None)
        warnings = s.scalars(select(Warning).join(WarningEvidence, WarningEvidence.warning_id == Warning.id)
                             .where(WarningEvidence.mention_id == mention_id,
                                    Warning.closed_at.is_(None)).order_by(Warning.id)).all()
        for warning in warnings:
            if at is not None and at < warning.opened_at:
                continue      # answered one message before the matter became a warning
            row = next((a for a in warning.assignments if a.department_id == department_id
                        and a.active and a.state != "returned"), None)
            if row is not None and row.role in MAY_RESPOND:
                marker = f"[#{mention_id}]"
                if s.scalar(select(WarningEvent.id).where(
                        WarningEvent.warning_id == warning.id, WarningEvent.action == ACTION,
                        WarningEvent.actor == (org_name or row.department_id),
                        WarningEvent.detail.endswith(marker))):
                    outcomes.append(ExternalOutcome(warning.id, department_id, False, False))
                    continue
                apply_response(s, config, warning, row, org_name or row.department_id, text, url,
                               at, via, action=ACTION, mention_id=mention_id, marker=marker)
                outcomes.append(ExternalOutcome(warning.id, department_id, True, False))
                continue
            outcomes.append(ExternalOutcome(warning.id, department_id, False,
                                            _flag(s, config, warning, org_name, at, text, url, mention_id)))
    return outcomes


def _flag(s, config: Config, warning: Warning, org_name: str, at: datetime | None, text: str,
          url: str, mention_id: int) -> bool:
    """Record a reply from a department without a response duty here; tell the duty office once."""
    marker = f"[#{mention_id}]"
    seen = s.scalar(select(WarningEvent.id).where(WarningEvent.warning_id == warning.id,
                                                  WarningEvent.action == FLAGGED,
                                                  WarningEvent.detail.endswith(marker)))
    if seen:
        return False
    who = org_name or "（未署名单位）"
    record(s, warning, who, FLAGGED, f"{who}（不是本预警的承办单位）：{text[:200]} {url} {marker}", at)
    tell(s, config, warning, config.routing.duty_office, f"board{mention_id}",
         f"【请核实】{who}在留言板答复了预警 #{warning.id} 的留言",
         f"{who}于 {fmt(at)} 在留言板答复了该预警所涉留言，但该单位不是本预警的承办单位，"
         f"未计为任何单位的回应。请核实后改派或由承办单位记录回应。\n答复：{text[:300]}\n{url}",
         now())        # sent now: the reply's own time may be hours old, or unknown
    return True


def record_board_replies(db: Database, config: Config) -> int:
    """Crawled board messages behind open warnings that carry an official reply: record each.

    Returns the responses newly recorded. Cheap when nothing changed: one query for the
    replied messages of open warnings, and each already-recorded reply is skipped.
    """
    with db.session() as s:
        rows = s.execute(select(Mention.id, Mention.reply_department, Mention.reply_at, Mention.reply,
                                Mention.url, Mention.channel)
                         .join(WarningEvidence, WarningEvidence.mention_id == Mention.id)
                         .join(Warning, Warning.id == WarningEvidence.warning_id)
                         .where(Warning.closed_at.is_(None), Mention.reply != "")
                         .distinct().order_by(Mention.id)).all()
    recorded = 0
    for mention_id, department, reply_at, reply, url, channel in rows:
        outcomes = record_external_response(db, config, mention_id, department, reply_at, reply, url,
                                            VIA.get(channel, "board"))
        recorded += sum(o.recorded for o in outcomes)
    return recorded
