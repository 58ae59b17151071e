"""Low items against the Flask app: absurd numbers and dates answer with a page, not a 500;
anonymous visitors cannot tell which warning numbers exist; a department corrects the
sentiment only of mentions that concern it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.web.conftest import csrf_of, login
from yuqing.storage.models import Mention


@pytest.mark.parametrize("path,says", [
    ("/search?page=100000000000000000000", ""), ("/search?page=1e20", ""),
    ("/search?start=0001-01-01", "超出范围"), ("/search?end=9999-12-31", "超出范围"),
    ("/search?since=0001-01-01T00:00", "超出范围"), ("/trends?days=99999999999999999999", ""),
])
def test_absurd_parameters_get_a_page(client, path, says):
    login(client, "duty1")
    reply = client.get(path)
    assert reply.status_code == 200 and says in reply.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/warnings/1e23", "/warnings/99999999999999999999999",
                                  "/mentions/99999999999999999999999/sentiment"])
def test_huge_ids_are_not_found(client, path):
    login(client, "duty1")
    page = client.get("/search").get_data(as_text=True)
    reply = client.post(path, data={"csrf_token": csrf_of(page), "label": "1"}) \
        if path.endswith("sentiment") else client.get(path)
    assert reply.status_code == 404


def test_anonymous_visitors_cannot_count_warnings(client, scenario):
    existing, missing = client.get(f"/warnings/{scenario['heating']}"), client.get("/warnings/99999")
    assert (existing.status_code, missing.status_code) == (302, 302)
    assert existing.headers["Location"].startswith("/login")
    assert missing.headers["Location"].startswith("/login")


def test_a_department_relabels_only_what_concerns_it(client, db, scenario):
    with db.session() as s:
        theirs = s.scalar(select(Mention.id).where(Mention.place_id == "zhichu").limit(1))
        other = s.scalar(select(Mention.id).where(Mention.place_id != "zhichu",
                                                  Mention.place_id.is_not(None)).limit(1))
    login(client, "xiangyang1")
    token = csrf_of(client.get("/search").get_data(as_text=True))
    refused = client.post(f"/mentions/{theirs}/sentiment", data={"csrf_token": token, "label": "1"})
    assert refused.status_code == 403
    with db.session() as s:
        assert s.get(Mention, theirs).sentiment_corrected is None
    duty = client.application.test_client()
    login(duty, "duty1")
    token = csrf_of(duty.get("/search").get_data(as_text=True))
    assert duty.post(f"/mentions/{other}/sentiment", data={"csrf_token": token, "label": "1"}).status_code == 302
