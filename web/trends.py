"""Trend charts: daily volume and negative count per topic, as inline SVG.

Each bar links to the search listing the mentions it counts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, current_app, render_template, request, url_for
from markupsafe import Markup, escape

from yuqing.reports.stats import TopicDays, topic_days
from yuqing.web.auth import login_required
from yuqing.timeutil import SHANGHAI, local, now

bp = Blueprint("trends", __name__)
W, H, PAD_L, PAD_B, PAD_T = 640, 150, 34, 30, 10


def bars_svg(t: TopicDays) -> Markup:
    top = max(t.volume) or 1
    n = len(t.days)
    step = (W - PAD_L - 6) / n
    plot_h = H - PAD_B - PAD_T
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="100%" role="img" '
             f'aria-label="{escape(t.name)}每日信息量">',
             f'<line x1="{PAD_L}" y1="{H - PAD_B}" x2="{W}" y2="{H - PAD_B}" stroke="#999"/>',
             f'<text x="{PAD_L - 4}" y="{PAD_T + 8}" text-anchor="end" font-size="10">{top}</text>',
             f'<text x="{PAD_L - 4}" y="{H - PAD_B}" text-anchor="end" font-size="10">0</text>']
    for i, (day, vol, neg) in enumerate(zip(t.days, t.volume, t.negative)):
        x = PAD_L + i * step + step * 0.15
        width = step * 0.7
        vh, nh = plot_h * vol / top, plot_h * neg / top
        link = escape(url_for("mentions.search", topic=t.topic_id, start=day.isoformat(),
                              end=day.isoformat()))
        parts.append(f'<a href="{link}"><title>{day:%m-%d}：{vol} 条，负面 {neg} 条</title>'
                     f'<rect x="{x:.1f}" y="{H - PAD_B - vh:.1f}" width="{width:.1f}" height="{vh:.1f}" fill="#9db7d5"/>'
                     f'<rect x="{x:.1f}" y="{H - PAD_B - nh:.1f}" width="{width:.1f}" height="{nh:.1f}" fill="#c8372d"/></a>')
        if n <= 16 or i % 2 == 0:
            parts.append(f'<text x="{x + width / 2:.1f}" y="{H - PAD_B + 14}" text-anchor="middle" '
                         f'font-size="10">{day.month}/{day.day}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


@bp.get("/trends")
@login_required
def trends():
    ext = current_app.extensions["yuqing"]
    config, db = ext["config"], ext["db"]
    try:
        days = min(max(int(request.args.get("days", 14)), 7), 60)
    except ValueError:
        days = 14
    today = local(now()).date()
    first = today - timedelta(days=days - 1)
    start = datetime(first.year, first.month, first.day, tzinfo=SHANGHAI)
    with db.session() as s:
        series = topic_days(s, config, start, days)
    shown = sorted((t for t in series if t.total), key=lambda t: -t.total)
    return render_template("trends.html", series=[(t, bars_svg(t)) for t in shown], days=days,
                           quiet=[t.name for t in series if not t.total])
