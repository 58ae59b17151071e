"""Charts for the weekly report and the dashboard, drawn with matplotlib as SVG.

Text is drawn as glyph outlines (svg.fonttype "path"), so Chinese labels look the same in
browsers, mail clients and WeasyPrint's PDF without the reader having the font.
"""

from __future__ import annotations

import base64
import io
from datetime import date

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

from yuqing.reports.fonts import cjk_font  # noqa: E402
from yuqing.reports.stats import DepartmentResponse, TopicDays  # noqa: E402

PALETTE = ["#1f5fa8", "#c8372d", "#e08a00", "#2e8b57", "#7b4fa0", "#8c6d31", "#d6589e", "#4a9bb0",
           "#5b5b5b", "#a4b93d"]
WEEKDAYS = "一二三四五六日"


def _style() -> dict:
    family = cjk_font().family
    return {"font.family": [family], "font.sans-serif": [family], "svg.fonttype": "path",
            "axes.unicode_minus": False, "font.size": 9, "svg.hashsalt": "yuqing"}


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.index("<svg"):]


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _day_labels(days: list[date]) -> list[str]:
    return [f"{d.month}/{d.day}\n周{WEEKDAYS[d.weekday()]}" for d in days]


def topic_volume_chart(series: list[TopicDays]) -> str:
    """Two panels: mentions per topic per day, and the negative share of each."""
    with matplotlib.rc_context(_style()):
        return _topic_volume(series)


def _topic_volume(series: list[TopicDays]) -> str:
    shown = [t for t in series if t.total] or series[:1]
    fig = Figure(figsize=(7.2, 5.2))
    volume_ax, share_ax = fig.subplots(2, 1, sharex=True)
    x = list(range(len(shown[0].days))) if shown else []
    for i, t in enumerate(shown):
        color = PALETTE[i % len(PALETTE)]
        volume_ax.plot(x, t.volume, marker="o", ms=3, lw=1.6, color=color, label=t.name)
        # days without any mention have no share: skip them rather than drawing zero
        points = [(i, v * 100) for i, v in zip(x, t.share()) if v is not None]
        if points:
            share_ax.plot(*zip(*points), marker="o", ms=3, lw=1.6, color=color, label=t.name)
    volume_ax.set_title("各领域每日信息量（条）", loc="left", fontsize=10)
    share_ax.set_title("各领域每日负面占比（%）", loc="left", fontsize=10)
    share_ax.set_ylim(0, 105)
    for ax in (volume_ax, share_ax):
        ax.grid(axis="y", color="#ddd", lw=0.6)
        ax.spines[["top", "right"]].set_visible(False)
    volume_ax.set_ylim(bottom=0)
    if shown:
        share_ax.set_xticks(x, _day_labels(shown[0].days))
    volume_ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return _svg(fig)


def response_chart(rows: list[DepartmentResponse]) -> str:
    """Per department: share of warnings acknowledged and answered within their deadlines."""
    with matplotlib.rc_context(_style()):
        return _response(rows[:12])


def _response(rows: list[DepartmentResponse]) -> str:
    fig = Figure(figsize=(7.2, 0.45 * max(len(rows), 2) + 1.0))
    ax = fig.subplots()
    y = list(range(len(rows)))
    ack = [100 * r.ack_on_time / r.received if r.received else 0 for r in rows]
    resp = [100 * r.respond_on_time / r.must_respond if r.must_respond else 0 for r in rows]
    ax.barh([v - 0.2 for v in y], ack, height=0.38, color="#1f5fa8", label="按时签收")
    ax.barh([v + 0.2 for v in y], resp, height=0.38, color="#2e8b57", label="按时回应")
    for v, a, r in zip(y, ack, resp):
        ax.text(a + 1, v - 0.2, f"{a:.0f}%", va="center", fontsize=8)
        ax.text(r + 1, v + 0.2, f"{r:.0f}%", va="center", fontsize=8)
    ax.set_yticks(y, [f"{r.name}（{r.received} 条）" for r in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 110)
    ax.set_xlabel("占本部门承办预警的比例（%；回应按有回应职责的预警计）")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, frameon=False, fontsize=8)
    ax.set_title("各部门按时签收、按时回应情况", loc="right", fontsize=10)
    return _svg(fig)
