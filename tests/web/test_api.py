"""The JSON API and /metrics: per-department tokens with the dashboard's access rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.reports.scenario import AT
from yuqing.app.cli import main
from yuqing.storage.api import ApiToken
from yuqing.storage.models import Assignment, Delivery, Source, Warning
from yuqing.web.tokens import TokenError, create_token, digest, revoke_token


@pytest.fixture
def tokens(db, default_config, scenario):
    return {"duty": create_token(db, default_config, "一网统管", "duty"),
            "zhichu": create_token(db, default_config, "只楚街道12345", "department", "zhichu"),
            "xiangyang": create_token(db, default_config, "向阳街道12345", "department", "xiangyang")}


def get(client, path, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(path, headers=headers)


def test_token_is_stored_hashed_and_shown_once(db, tokens):
    with db.session() as s:
        rows = s.scalars(select(ApiToken)).all()
    stored = {r.token_hash for r in rows}
    assert all(t not in stored for t in tokens.values())
    assert {digest(t) for t in tokens.values()} == stored


def test_no_token_or_bad_token_is_401_in_chinese(client, tokens):
    for token in (None, "yq_not-a-token", tokens["zhichu"] + "x"):
        response = get(client, "/api/v1/warnings", token)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "令牌" in response.get_json()["error"]
    # a dashboard session is not an API credential, and an API token is not a login
    assert client.get("/", headers={"Authorization": f"Bearer {tokens['duty']}"}).status_code == 302


def test_department_token_sees_only_its_warnings(client, scenario, tokens):
    heating, education = scenario["heating"], scenario["education"]
    body = get(client, "/api/v1/warnings", tokens["zhichu"]).get_json()
    assert [w["id"] for w in body["warnings"]] == [heating] and body["total"] == 1
    item = body["warnings"][0]
    assert item["topic"] == "冬季供暖" and item["status_name"] == "待签收"
    assert "zhichu" in {a["department_id"] for a in item["assignments"]}
    assert "13812345678" not in str(body)
    assert get(client, f"/api/v1/warnings/{education}", tokens["zhichu"]).status_code == 403
    detail = get(client, f"/api/v1/warnings/{heating}", tokens["zhichu"]).get_json()
    assert detail["evidence"] and all("13812345678" not in m["text"] for m in detail["evidence"])
    ids = {w["id"] for w in get(client, "/api/v1/warnings", tokens["xiangyang"]).get_json()["warnings"]}
    assert heating not in ids and education in ids


def test_duty_token_sees_all(client, scenario, tokens):
    body = get(client, "/api/v1/warnings?status=all", tokens["duty"]).get_json()
    assert {w["id"] for w in body["warnings"]} == set(scenario.values())


def test_reassigned_warning_leaves_the_old_departments_view(client, db, scenario, tokens):
    heating = scenario["heating"]
    with db.session() as s:
        s.scalar(select(Assignment).where(Assignment.warning_id == heating,
                                          Assignment.department_id == "zhichu")).active = False
    assert get(client, f"/api/v1/warnings/{heating}", tokens["zhichu"]).status_code == 403


def test_revoked_token_stops_working(client, db, tokens):
    assert get(client, "/api/v1/warnings", tokens["xiangyang"]).status_code == 200
    revoke_token(db, "向阳街道12345")
    assert get(client, "/api/v1/warnings", tokens["xiangyang"]).status_code == 401


def test_bad_parameters_are_400_in_chinese(client, tokens):
    for path in ("/api/v1/warnings?status=whatever", "/api/v1/warnings?limit=0",
                 "/api/v1/warnings?limit=abc", "/api/v1/mentions?start=2024-13-01"):
        response = get(client, path, tokens["duty"])
        assert response.status_code == 400, path
        assert response.get_json()["error"]


def test_mentions_search_with_filters_and_masking(client, tokens):
    body = get(client, "/api/v1/mentions?topic=heating&place=zhichu&negative=1&limit=5",
               tokens["zhichu"]).get_json()
    assert body["total"] >= 5 and len(body["mentions"]) == 5
    assert all("heating" in m["topics"] and m["negative"] for m in body["mentions"])
    assert "13812345678" not in str(body)
    page2 = get(client, "/api/v1/mentions?topic=heating&limit=5&offset=5", tokens["zhichu"]).get_json()
    assert not {m["id"] for m in page2["mentions"]} & {m["id"] for m in body["mentions"]}


def test_events_list_and_detail(client, db, default_config, tokens):
    from yuqing.analysis.event_rebuild import group_ungrouped
    from yuqing.analysis.event_refresh import refresh_events
    from yuqing.analysis.event_facts import FactReader

    reader = FactReader(default_config)
    group_ungrouped(db, default_config, reader)
    refresh_events(db, default_config, reader)
    body = get(client, "/api/v1/events?topic=heating", tokens["zhichu"]).get_json()
    assert body["events"], body
    first = body["events"][0]
    assert first["topic"] == "冬季供暖" and first["counts"]["mentions"] >= 5
    assert "13812345678" not in str(body)
    detail = get(client, f"/api/v1/events/{first['id']}", tokens["xiangyang"]).get_json()
    assert detail["id"] == first["id"] and detail["mentions"]
    assert "13812345678" not in str(detail)
    assert get(client, "/api/v1/events/999999", tokens["duty"]).status_code == 404
    assert get(client, "/api/v1/events?since=yesterday", tokens["duty"]).status_code == 400
    assert get(client, "/api/v1/events").status_code == 401


def test_healthz_needs_no_token(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["status"] == "ok"


def _value(text: str, line_start: str) -> float:
    for line in text.splitlines():
        if line.startswith(line_start):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{line_start} not in metrics")


def test_metrics_in_prometheus_format(client, db, scenario, tokens, default_config):
    from prometheus_client.parser import text_string_to_metric_families

    assert client.get("/metrics").status_code == 401
    with db.session() as s:
        s.add(Source(id="zhifu-gov-news", name="区政府", kind="site", consecutive_failures=3))
    response = get(client, "/metrics", tokens["duty"])
    assert response.status_code == 200 and response.content_type.startswith("text/plain")
    text = response.get_data(as_text=True)
    families = {f.name: f for f in text_string_to_metric_families(text)}
    for name in ("yuqing_analysis_pending_mentions", "yuqing_analysis_lag_seconds", "yuqing_crawl_runs",
                 "yuqing_source_healthy", "yuqing_warnings_open", "yuqing_duties_overdue",
                 "yuqing_outbox_deliveries", "yuqing_outbox_oldest_due_seconds", "yuqing_scheduler_up"):
        assert name in families, name
    with db.session() as s:
        pending_rows = s.scalar(select(Warning).where(Warning.status == "open").limit(1))
        outbox = len(s.scalars(select(Delivery).where(Delivery.status == "pending")).all())
    assert pending_rows is not None
    assert _value(text, 'yuqing_warnings_open{') >= 1
    assert _value(text, 'yuqing_source_consecutive_failures{source="zhifu-gov-news"}') == 3
    assert _value(text, 'yuqing_source_healthy{source="zhifu-gov-news"}') == 0
    if outbox:
        assert _value(text, 'yuqing_outbox_deliveries{status="pending"}') == outbox


def test_overdue_duties_per_department(client, db, scenario, tokens, monkeypatch):
    # the clock is pinned an hour after detection; two days later every 48-hour deadline passed
    monkeypatch.setenv("YUQING_NOW", (AT + timedelta(days=3)).isoformat())
    text = get(client, "/metrics", tokens["duty"]).get_data(as_text=True)
    with db.session() as s:
        # only departments with a response duty of their own (主管 / 处置; not the 协调 office)
        held = {a.department_id for a in s.scalars(select(Assignment).where(
            Assignment.active.is_(True), Assignment.respond_by.is_not(None)))}
    assert held
    for department in held:
        assert _value(text, f'yuqing_duties_overdue{{department="{department}",kind="respond"}}') >= 1
    assert 'yuqing_duties_overdue{department="qzfb",kind="respond"}' not in text


def test_token_rules_and_cli(db, db_url, default_config, monkeypatch, capsys):
    with pytest.raises(TokenError, match="必须用 --department"):
        create_token(db, default_config, "x", "department")
    with pytest.raises(TokenError, match="未在 departments.yaml 中定义"):
        create_token(db, default_config, "x", "department", "nowhere")
    monkeypatch.setenv("YUQING_DATABASE_URL", db_url)
    assert main(["api-token", "add", "12345平台", "--role", "department", "--department", "zhichu"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith("yq_")
    assert main(["api-token", "add", "12345平台", "--role", "duty"]) == 2
    assert "已存在" in capsys.readouterr().out
    assert main(["api-token", "list"]) == 0
    assert "12345平台" in capsys.readouterr().out
    assert main(["api-token", "revoke", "12345平台"]) == 0
    with db.session() as s:
        assert s.scalar(select(ApiToken)).revoked_at is not None
