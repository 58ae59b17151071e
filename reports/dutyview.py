"""Each department's own duty on a warning, as the digest and the weekly report show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from yuqing.alerts.duties import clock_state, duty_line, state_name
from yuqing.config.models import Config
from yuqing.reports.render import clock
from yuqing.timeutil import fmt
from yuqing.storage.models import Assignment


@dataclass(frozen=True)
class DutyView:
    department_id: str
    name: str
    role: str
    line: str                      # 本单位职责：处置 — 请于 19:45 前签收，23:45 前回应
    state: str                     # 待签收 / 已签收 / 已回应 / 已阅 / 未阅 / 已退回
    acknowledge_by: datetime | None
    respond_by: datetime | None
    acknowledged: bool
    responded: bool
    clock: str                     # overdue / due_soon / ok / done
    response_url: str

    @property
    def label(self) -> str:
        """未签收 / 已签收 / 已回应 (未阅 / 已阅 for 抄送 and 上报; 已退回)."""
        if self.state in ("已退回", "未阅", "已阅"):
            return self.state
        return "已回应" if self.responded else "已签收" if self.acknowledged else "未签收"

    def clocks(self, at: datetime) -> str:
        """签收时限 12-12 14:00（剩余 3 小时）；回应时限：… — this department's own clocks."""
        parts = []
        if self.acknowledge_by is not None:
            parts.append("已签收" if self.acknowledged else
                         f"签收时限 {fmt(self.acknowledge_by)}（{clock(self.acknowledge_by, at)}）")
        if self.respond_by is not None:
            parts.append("已回应" if self.responded else
                         f"回应时限：{fmt(self.respond_by)}（{clock(self.respond_by, at)}）")
        elif self.acknowledge_by is not None:
            parts.append("无回应职责")
        return "；".join(parts) or "无需签收和回应"

    def overdue(self, at: datetime) -> bool:
        return any(d is not None and not done and d < at for d, done in
                   ((self.acknowledge_by, self.acknowledged), (self.respond_by, self.responded)))


def duty_views(config: Config, assignments: list[Assignment], at: datetime) -> list[DutyView]:
    names = {d.id: d.name for d in config.departments}
    return [DutyView(a.department_id, names.get(a.department_id, a.department_id), a.role,
                     duty_line(a, at), state_name(a), a.acknowledge_by, a.respond_by,
                     a.acknowledged_at is not None, a.responded_at is not None,
                     clock_state(a, at), a.response_url)
            for a in assignments if a.active]
