"""`/metrics` (Prometheus text format) and `/healthz` for the operators' monitoring.

`/metrics` needs an API token (Prometheus sends it with `authorization: {credentials: …}`);
it shows counts and source ids, nothing from a mention. `/healthz` answers without a token,
with nothing but whether the database answers, so a load balancer can probe it.

Every figure is read from the store at scrape time by one custom collector, so any number of
web processes report the same values (no per-process counters to add up).
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, jsonify
from sqlalchemy import func, select, text

from yuqing.crawlers.health import source_problems_in
from yuqing.storage.models import Assignment, Delivery, Mention, Source, SourceRun, Warning
from yuqing.storage.scheduling import current_lease, real_now
from yuqing.timeutil import now
from yuqing.web.api import token_required
from yuqing.web.context import store

bp = Blueprint("ops", __name__)
OPEN_STATES = ("open", "acknowledged", "responded")
UNANSWERED_STATES = ("open", "acknowledged")


def _ts(value: datetime | None) -> float:
    return value.timestamp() if value else 0.0


class StoreCollector:
    """A prometheus_client collector reading the store once per scrape."""

    def __init__(self, config, db):
        self.config, self.db = config, db

    def collect(self):
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        at = now()
        config = self.config
        with self.db.session() as s:
            pending, oldest = s.execute(select(func.count(), func.min(Mention.fetched_at))
                                        .where(Mention.analysed_at.is_(None))).one()
            yield GaugeMetricFamily("yuqing_analysis_pending_mentions",
                                    "Mentions stored but not analysed yet", value=pending)
            yield GaugeMetricFamily("yuqing_analysis_lag_seconds",
                                    "Age of the oldest mention waiting for analysis (0 when none)",
                                    value=max((at - oldest).total_seconds(), 0) if oldest else 0)

            runs = CounterMetricFamily("yuqing_crawl_runs", "Finished crawl runs per source and result",
                                       labels=["source", "status"])
            for source_id, status, count in s.execute(
                    select(SourceRun.source_id, SourceRun.status, func.count())
                    .group_by(SourceRun.source_id, SourceRun.status)):
                runs.add_metric([source_id, status], count)
            yield runs
            items = CounterMetricFamily("yuqing_crawl_items", "Items stored by crawls per source and kind",
                                        labels=["source", "kind"])
            for source_id, new, updated, failed in s.execute(
                    select(SourceRun.source_id, func.sum(SourceRun.items_new),
                           func.sum(SourceRun.items_updated), func.sum(SourceRun.items_failed))
                    .group_by(SourceRun.source_id)):
                for kind, value in (("new", new), ("updated", updated), ("failed", failed)):
                    items.add_metric([source_id, kind], value or 0)
            yield items

            rows = {r.id: r for r in s.scalars(select(Source))}
            problems = {p.source_id for p in source_problems_in(s, config, at)}
            healthy = GaugeMetricFamily("yuqing_source_healthy",
                                        "1 when the source has no problem the duty digest would report",
                                        labels=["source"])
            failures = GaugeMetricFamily("yuqing_source_consecutive_failures",
                                         "Failed crawl runs in a row", labels=["source"])
            success = GaugeMetricFamily("yuqing_source_last_success_timestamp_seconds",
                                        "Unix time of the last successful crawl (0: never)",
                                        labels=["source"])
            for source in config.sources:
                if not source.enabled:
                    continue
                row = rows.get(source.id)
                healthy.add_metric([source.id], 0 if source.id in problems else 1)
                failures.add_metric([source.id], row.consecutive_failures if row else 0)
                success.add_metric([source.id], _ts(row.last_success_at) if row else 0)
            yield healthy
            yield failures
            yield success

            warnings = GaugeMetricFamily("yuqing_warnings_open", "Warnings not closed, by state and severity",
                                         labels=["status", "severity"])
            for status, severity, count in s.execute(
                    select(Warning.status, Warning.severity, func.count())
                    .where(Warning.status.in_(OPEN_STATES))
                    .group_by(Warning.status, Warning.severity)):
                warnings.add_metric([status, severity], count)
            yield warnings

            overdue = GaugeMetricFamily(
                "yuqing_duties_overdue",
                "Active department duties past their own deadline: kind=acknowledge (not signed "
                "for) or respond (this department has not responded)", labels=["department", "kind"])
            held = (select(Assignment.department_id, func.count())
                    .join(Warning, Warning.id == Assignment.warning_id)
                    .where(Assignment.active.is_(True), Assignment.state.not_in(("returned", "reassigned")),
                           Warning.closed_at.is_(None))
                    .group_by(Assignment.department_id))
            for department, count in s.execute(held.where(Assignment.acknowledged_at.is_(None),
                                                          Assignment.acknowledge_by < at)):
                overdue.add_metric([department, "acknowledge"], count)
            for department, count in s.execute(held.where(Assignment.responded_at.is_(None),
                                                          Assignment.respond_by < at)):
                overdue.add_metric([department, "respond"], count)
            yield overdue

            outbox = GaugeMetricFamily("yuqing_outbox_deliveries", "Outbox rows by state",
                                       labels=["status"])
            for status, count in s.execute(select(Delivery.status, func.count())
                                           .where(Delivery.status.in_(("pending", "batched", "failed")))
                                           .group_by(Delivery.status)):
                outbox.add_metric([status], count)
            yield outbox
            due = s.scalar(select(func.min(Delivery.next_attempt_at))
                           .where(Delivery.status.in_(("pending", "batched")),
                                  Delivery.next_attempt_at <= at))
            yield GaugeMetricFamily("yuqing_outbox_oldest_due_seconds",
                                    "How long the oldest due delivery has waited (0 when none)",
                                    value=max((at - due).total_seconds(), 0) if due else 0)
        lease = current_lease(self.db)
        yield GaugeMetricFamily("yuqing_scheduler_up", "1 while a scheduler holds a live lease",
                                value=1 if lease is not None and lease.alive(real_now()) else 0)


def render(config, db) -> bytes:
    from prometheus_client import CollectorRegistry, generate_latest

    registry = CollectorRegistry(auto_describe=False)
    registry.register(StoreCollector(config, db))
    return generate_latest(registry)


@bp.get("/metrics")
@token_required
def metrics():
    from prometheus_client import CONTENT_TYPE_LATEST

    config, db = store()
    return Response(render(config, db), mimetype=None, content_type=CONTENT_TYPE_LATEST)


@bp.get("/healthz")
def healthz():
    try:
        with store()[1].engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return jsonify({"status": "error", "database": "无法连接数据库"}), 503
    return jsonify({"status": "ok", "database": "ok"})
