"""With crawler and analysis workers deployed, the scheduler leaves those stages to them."""

from __future__ import annotations

from yuqing.app.jobs import desired_jobs


def test_stages_taken_by_workers_are_not_scheduled(default_config, monkeypatch):
    every = {j.id for j in desired_jobs(default_config)}
    assert "analysis" in every and any(i.startswith("crawl:") for i in every)
    monkeypatch.setenv("YUQING_SCHEDULE_WORKERS", "crawl,analysis")
    left = {j.id for j in desired_jobs(default_config)}
    # ... except the 人民网领导留言板, polled one request at a time outside the shared queue
    assert "analysis" not in left
    assert {i for i in left if i.startswith("crawl:")} == {"crawl:people-liuyan-yantai"}
    assert {"detection", "delivery", "escalation"} <= left
