"""With crawler and analysis workers deployed, the scheduler leaves those stages to them."""

from __future__ import annotations

from yuqing.app.jobs import desired_jobs


def test_stages_taken_by_workers_are_not_scheduled(default_config, monkeypatch):
    every = {j.id for j in desired_jobs(default_config)}
    assert "analysis" in every and any(i.startswith("crawl:") for i in every)
    monkeypatch.setenv("YUQING_SCHEDULE_WORKERS", "crawl,analysis")
    left = {j.id for j in desired_jobs(default_config)}
    assert "analysis" not in left and not any(i.startswith("crawl:") for i in left)
    assert {"detection", "delivery", "escalation"} <= left
