"""The event page (事件): timeline by channel, spread path, summary, communities and every
mention; and the small pieces other pages show of events (a warning's events, search hits)."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, url_for
from sqlalchemy import or_, select

from yuqing.alerts.event_link import event_warnings, trigger_sentence, warning_events
from yuqing.alerts.messages import evidence
from yuqing.analysis.event_facts import FactReader
from yuqing.analysis.event_view import event_detail, resolve
from yuqing.reports import charts
from yuqing.storage.events import Event
from yuqing.storage.models import Warning
from yuqing.timeutil import now
from yuqing.web.access import can_view
from yuqing.web.auth import login_required
from yuqing.web.context import store

bp = Blueprint("events", __name__)
_readers: dict[int, FactReader] = {}


def _reader(config) -> FactReader:
    reader = _readers.get(id(config))
    if reader is None:
        _readers.clear()
        reader = _readers[id(config)] = FactReader(config)
    return reader


@bp.get("/events/<int:event_id>")
@login_required
def event_page(event_id: int):
    config, db = store()
    with db.session() as s:
        e = resolve(s, event_id)
        if e is None:
            abort(404, description=f"事件 {event_id} 不存在")
        if e.id != event_id:
            return redirect(url_for("events.event_page", event_id=e.id))    # merged into another
        d = event_detail(s, config, _reader(config), e, now())
        chart = charts.data_uri(charts.event_timeline_chart(d.hours, d.series)) if d.hours else ""
        warnings = [w for w in event_warnings(s, e) if can_view(g.user, w)]
        return render_template("event.html", d=d, e=e, chart=chart, warnings=warnings)


@bp.app_context_processor
def _event_helpers():
    def events_of_warning(warning: Warning) -> dict:
        """What a warning's page shows of its events: each event and the trigger sentence."""
        config, db = store()
        with db.session() as s:
            w = s.get(Warning, warning.id)
            found = [(e.id, e.title, e.status, e.mentions, n) for e, n in warning_events(s, w)]
            return {"events": found, "trigger": trigger_sentence(config, w, evidence(s, w, None))}

    def events_matching(words: str, limit: int = 5) -> list:
        """Events whose title or place names the search words (shown above the mentions)."""
        if not words.strip():
            return []
        config, db = store()
        query = select(Event).where(Event.merged_into.is_(None))
        for word in words.split()[:5]:
            places = [p.id for p in config.places if word in p.name]
            query = query.where(or_(Event.title.contains(word, autoescape=True),
                                    Event.place_id.in_(places or ["-"])))
        with db.session() as s:
            rows = s.scalars(query.order_by(Event.weight.desc(), Event.last_seen_at.desc()).limit(limit))
            return [(e.id, e.title, e.status, e.mentions, e.negative) for e in rows]

    return {"events_of_warning": events_of_warning, "events_matching": events_matching}
