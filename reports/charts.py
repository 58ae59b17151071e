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
from matplotlib.ticker import MaxNLocator  # noqa: E402

from yuqing.reports.fonts import cjk_font  # noqa: E402
from yuqing.reports.stats import DepartmentResponse, TopicDays  # noqa: E402

PALETTE = ["#1f5fa8", "#c8372d", "#e08a00", "#2e8b57", "#7b4fa0", "#8c6d31", "#d6589e", "#4a9bb0",
           "#5b5b5b", "#a4b93d"]


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


def topic_volume_chart(series: list[TopicDays], today: date | None = None) -> str:
    """Small multiples: one panel per topic with mentions per day and the negative part,
    on whole-number axes that stop at `today` (no empty future days drawn as zeros)."""
    with matplotlib.rc_context(_style()):
        return _topic_volume(series, today)


def _topic_volume(series: list[TopicDays], today: date | None) -> str:
    shown = [t for t in series if t.total] or series[:1]
    days = shown[0].days if shown else []
    n_days = len([d for d in days if today is None or d <= today]) or len(days)
    cols = min(3, max(len(shown), 1))
    rows = (len(shown) + cols - 1) // cols
    fig = Figure(figsize=(7.2, 1.9 * rows + 0.4))
    axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)
    x = list(range(n_days))
    top = max([max(t.volume[:n_days] or [0]) for t in shown] + [1])
    for i, ax in enumerate(axes.flat):
        if i >= len(shown):
            ax.set_visible(False)
            continue
        t = shown[i]
        ax.bar(x, t.volume[:n_days], color="#c9d6e8", width=0.75, label="信息量")
        ax.bar(x, t.negative[:n_days], color="#c8372d", width=0.45, label="负面")
        ax.set_title(f"{t.name}（{t.total} 条，负面 {t.negative_total}）", loc="left", fontsize=8.5)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
        ax.set_ylim(0, top * 1.1)
        ax.grid(axis="y", color="#e5e5e5", lw=0.5)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_xticks(x, [f"{d.month}/{d.day}" for d in days[:n_days]], fontsize=7)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper right", ncols=2, frameon=False, fontsize=8)
    fig.suptitle("各领域每日信息量与负面（条）", x=0.01, ha="left", fontsize=10)
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
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("占本部门承办预警的比例（%；回应按有回应职责的预警计）")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, frameon=False, fontsize=8)
    ax.set_title("各部门按时签收、按时回应情况", loc="right", fontsize=10)
    return _svg(fig)


def event_timeline_chart(hours: list, series: dict[str, list[int]]) -> str:
    """An event's mentions per hour, stacked by channel (渠道), on whole-number axes."""
    with matplotlib.rc_context(_style()):
        fig = Figure(figsize=(7.2, 2.4))
        ax = fig.subplots()
        x = list(range(len(hours)))
        bottom = [0] * len(hours)
        for i, (channel, counts) in enumerate(sorted(series.items(), key=lambda kv: -sum(kv[1]))):
            ax.bar(x, counts, bottom=bottom, width=0.85, color=PALETTE[i % len(PALETTE)], label=channel)
            bottom = [b + c for b, c in zip(bottom, counts)]
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
        ticks = [int(t) for t in ax.get_xticks() if 0 <= t < len(hours)]
        ax.set_xticks(ticks, [f"{hours[t]:%m-%d %H时}" for t in ticks], fontsize=7)
        ax.set_ylabel("每小时信息（条）")
        ax.grid(axis="y", color="#e5e5e5", lw=0.5)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper left", frameon=False, fontsize=8, ncols=4)
        return _svg(fig)
