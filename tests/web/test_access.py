"""Who sees and acts on what: departments only on their own warnings, duty officers on all,
every form behind a CSRF token, and signed message links opening read-only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from yuqing.storage.models import Assignment, Warning, WarningEvent
from tests.web.conftest import PASSWORD, csrf_of, login
from yuqing.signing import sign_warning


def test_login_required_and_wrong_password(client):
    assert client.get("/").status_code == 302
    assert "/login" in client.get("/warnings/1").headers["Location"]
    response = login(client, "zhichu1", "wrong password")
    assert response.status_code == 401 and "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_without_csrf_token_is_refused(client):
    client.get("/login")
    response = client.post("/login", data={"username": "zhichu1", "password": PASSWORD})
    assert response.status_code == 400 and "安全校验码" in response.get_data(as_text=True)


def test_login_next_never_leaves_the_site(client):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"username": "zhichu1", "password": PASSWORD,
                                           "csrf_token": csrf_of(page), "next": "//evil.example/x"})
    assert response.headers["Location"] == "/warnings"


def test_department_inbox_shows_only_its_warnings(client, scenario):
    login(client, "zhichu1")
    html = client.get("/").get_data(as_text=True)
    assert f'data-warning="{scenario["heating"]}"' in html
    assert f'data-warning="{scenario["education"]}"' not in html
    assert "只楚街道“冬季供暖”负面舆情上升" in html


def test_duty_officer_sees_all(client, scenario):
    login(client, "duty1")
    html = client.get("/").get_data(as_text=True)
    assert all(f'data-warning="{i}"' in html for i in scenario.values())


def test_other_departments_warning_is_forbidden_by_url_and_by_post(client, db, scenario):
    login(client, "xiangyang1")
    heating = scenario["heating"]
    assert client.get(f"/warnings/{heating}").status_code == 403
    token = csrf_of(client.get("/").get_data(as_text=True))
    for action, data in (("acknowledge", {}), ("respond", {"text": "伪造的回应"}),
                         ("close", {"reason": "伪造"})):
        response = client.post(f"/warnings/{heating}/{action}", data={"csrf_token": token, **data})
        assert response.status_code == 403, action
    response = client.post(f"/warnings/{heating}/reassign", data={
        "csrf_token": token, "from_department": "zhichu", "to_department": "xiangyang", "reason": "x"})
    assert response.status_code == 403
    with db.session() as s:
        w = s.get(Warning, heating)
        assert w.status == "open" and w.response_text == ""
        assert all(a.acknowledged_at is None for a in w.assignments)
        assert [e.action for e in w.events] == ["开启"]


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_post_without_valid_csrf_token_changes_nothing(client, db, scenario, token):
    login(client, "zhichu1")
    data = {} if token is None else {"csrf_token": token}
    response = client.post(f"/warnings/{scenario['heating']}/acknowledge", data=data)
    assert response.status_code == 400
    with db.session() as s:
        assert s.get(Warning, scenario["heating"]).status == "open"


def test_cross_origin_post_is_refused_even_with_token(client, scenario):
    login(client, "zhichu1")
    token = csrf_of(client.get("/").get_data(as_text=True))
    response = client.post(f"/warnings/{scenario['heating']}/acknowledge", data={"csrf_token": token},
                           headers={"Origin": "http://evil.example"})
    assert response.status_code == 403


def test_department_acknowledges_and_responds(client, db, scenario):
    login(client, "zhichu1")
    heating = scenario["heating"]
    token = csrf_of(client.get(f"/warnings/{heating}").get_data(as_text=True))
    assert client.post(f"/warnings/{heating}/acknowledge", data={"csrf_token": token}).status_code == 302
    client.post(f"/warnings/{heating}/respond", data={
        "csrf_token": token, "text": "已约谈供热企业，今日恢复供暖", "url": "https://example.gov.cn/notice/1"})
    with db.session() as s:
        w = s.get(Warning, heating)
        zhichu = next(a for a in w.assignments if a.department_id == "zhichu")
        others = [a for a in w.assignments if a.department_id != "zhichu"]
        assert zhichu.acknowledged_at is not None and zhichu.acknowledged_by == "ZHICHU1（zhichu1）"
        assert all(a.acknowledged_at is None for a in others)
        assert zhichu.responded_at is not None and zhichu.response_url == "https://example.gov.cn/notice/1"
        # the street office's response is its own: 区住建局 (主管) still owes one
        assert all(a.responded_at is None for a in others) and w.status == "open"
        assert [e.action for e in w.events] == ["开启", "签收", "回应"]


def test_department_user_cannot_reassign_even_its_own(client, scenario):
    login(client, "zhichu1")
    token = csrf_of(client.get("/").get_data(as_text=True))
    response = client.post(f"/warnings/{scenario['heating']}/reassign", data={
        "csrf_token": token, "from_department": "zhichu", "to_department": "xiangyang", "reason": "不归我们"})
    assert response.status_code == 403


def test_refused_action_is_explained(client, scenario):
    login(client, "duty1")
    token = csrf_of(client.get("/").get_data(as_text=True))
    response = client.post(f"/warnings/{scenario['heating']}/reassign", follow_redirects=True, data={
        "csrf_token": token, "from_department": "zhichu", "to_department": "xiangyang", "reason": ""})
    assert "改派必须说明原因" in response.get_data(as_text=True)


def test_signed_link_opens_read_only_without_login(client, db, scenario):
    heating = scenario["heating"]
    html = client.get(f"/warnings/{heating}?t={sign_warning(heating, 'zhichu')}").get_data(as_text=True)
    assert "只读" in html and "只楚幸福小区暖气不热 电话139****5678" in html
    assert "/acknowledge" not in html and "csrf_token" not in html.split("<main>")[1]
    # a link signed for another warning, or for a department that no longer holds it, is refused
    other = client.get(f"/warnings/{heating}?t={sign_warning(scenario['education'], 'zhichu')}")
    assert other.status_code == 302 and "/login" in other.headers["Location"]
    with db.session() as s:
        s.scalar(select(Assignment).where(Assignment.warning_id == heating,
                                          Assignment.department_id == "zhichu")).active = False
    assert client.get(f"/warnings/{heating}?t={sign_warning(heating, 'zhichu')}").status_code == 302


def test_signed_link_then_login_gives_the_full_page(client, scenario):
    heating = scenario["heating"]
    url = f"/warnings/{heating}?t={sign_warning(heating, 'zhichu')}"
    page = client.get("/login?next=" + url).get_data(as_text=True)
    response = client.post("/login", data={"username": "zhichu1", "password": PASSWORD,
                                           "csrf_token": csrf_of(page), "next": url})
    assert response.headers["Location"] == url
    html = client.get(url).get_data(as_text=True)
    assert "只读" not in html and f"/warnings/{heating}/acknowledge" in html


def test_warning_page_masks_phone_numbers_and_links_evidence(client, db, scenario):
    login(client, "zhichu1")
    html = client.get(f"/warnings/{scenario['heating']}").get_data(as_text=True)
    assert "13812345678" not in html and "138****5678" in html
    with db.session() as s:
        urls = [m.url for m in s.get(Warning, scenario["heating"]).evidence and
                [e.mention for e in s.get(Warning, scenario["heating"]).evidence]]
    assert urls and all(f'href="{u}"' in html for u in urls)
    assert "回应时限" in html and "剩余 1 天 23 小时" in html


def test_disabled_user_is_logged_out(client, db):
    from yuqing.storage.models import User

    login(client, "zhichu1")
    assert client.get("/").status_code == 200
    with db.session() as s:
        s.scalar(select(User).where(User.username == "zhichu1")).active = False
    assert client.get("/").status_code == 302


def test_duty_reassign_records_event(client, db, scenario):
    login(client, "duty1")
    education = scenario["education"]
    token = csrf_of(client.get(f"/warnings/{education}").get_data(as_text=True))
    client.post(f"/warnings/{education}/reassign", data={
        "csrf_token": token, "from_department": "xiangyang", "to_department": "dongshan",
        "reason": "学校位于东山街道"})
    with db.session() as s:
        active = {a.department_id for a in s.get(Warning, education).assignments if a.active}
        assert "dongshan" in active and "xiangyang" not in active
        assert s.scalar(select(WarningEvent).where(WarningEvent.action == "改派")).actor == "DUTY1（duty1）"
