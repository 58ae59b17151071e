"""Each department's own duty on a warning, as the digest and the weekly report show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from yuqing.alerts.duties import clock_state, duty_line, state_name
from yuqing.config.models import Config
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
    def ack_late(self) -> bool:
        return self.clock == "overdue" and not self.acknowledged and self.acknowledge_by is not None


def duty_views(config: Config, assignments: list[Assignment], at: datetime) -> list[DutyView]:
    names = {d.id: d.name for d in config.departments}
    return [DutyView(a.department_id, names.get(a.department_id, a.department_id), a.role,
                     duty_line(a, at), state_name(a), a.acknowledge_by, a.respond_by,
                     a.acknowledged_at is not None, a.responded_at is not None,
                     clock_state(a, at), a.response_url)
            for a in assignments if a.active]
