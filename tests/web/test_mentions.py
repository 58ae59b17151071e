"""Mention search with filters (搜索即服务), sentiment corrections and their export."""

from __future__ import annotations

import re
from urllib.parse import unquote

from sqlalchemy import select

from yuqing.storage.models import Mention
from yuqing.storage.web import SentimentCorrection
from tests.web.conftest import csrf_of, login
from yuqing.web.corrections import export_tsv


def ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-mention="(\d+)"', html)]


def total(html: str) -> int:
    return int(re.search(r'<b id="total">(\d+)</b>', html).group(1))


SEARCHES = [
    ("q=暖气不热", 5),                                   # in titles
    ("q=没人管&place=zhichu", 8),                         # in the text
    ("q=暖气不热 只楚新村", 1),                          # every word must match
    ("topic=education&place=xiangyang&negative=1", 7 + 7),        # the spike + 7 noise items
    ("topic=education&start=2024-12-12&end=2024-12-12", 7),
    ("source=news2", 1),
    ("q=供暖不达标&start=2024-12-13", 0),
    ("place=baishi&negative=1", 0),                       # that noise is all positive
    ("q=100%", 0),                                       # LIKE wildcards are literal
]


def test_search_filters(client, scenario):
    """One table, one stored week (building it per row would dominate the run time)."""
    login(client, "zhichu1")
    got = [(query, total(client.get(f"/search?{query}").get_data(as_text=True)))
           for query, _ in SEARCHES]
    assert got == SEARCHES


def test_search_pages_and_masks(app, client, scenario):
    app.config["SEARCH_PAGE_SIZE"] = 20
    login(client, "xiangyang1")                # search serves every department, not only its own
    first = client.get("/search").get_data(as_text=True)
    second = client.get("/search?page=2").get_data(as_text=True)
    assert len(ids(first)) == 20 and ids(second) and not set(ids(first)) & set(ids(second))
    assert "13912345678" not in first + second and "13812345678" not in first + second
    assert "下一页" in first


def test_bad_date_is_explained(client, scenario):
    login(client, "zhichu1")
    html = client.get("/search?start=12/01").get_data(as_text=True)
    assert "日期“12/01”无法识别" in html


def test_correction_is_stored_with_who_and_when_and_changes_the_filter(client, db, scenario):
    login(client, "zhichu1")
    page = client.get("/search?q=只楚新村").get_data(as_text=True)
    [mention_id] = ids(page)
    response = client.post(f"/mentions/{mention_id}/sentiment", data={
        "csrf_token": csrf_of(page), "label": "1", "back": "/search?q=只楚新村"})
    assert response.status_code == 302 and unquote(response.headers["Location"]) == "/search?q=只楚新村"
    with db.session() as s:
        [c] = s.scalars(select(SentimentCorrection)).all()
        assert (c.mention_id, c.label, c.username, c.department_id) == (mention_id, 1, "zhichu1", "zhichu")
        assert c.at is not None and s.get(Mention, mention_id).sentiment_corrected == 1.0
    assert total(client.get("/search?q=只楚新村&negative=1").get_data(as_text=True)) == 0
    assert "（已纠正）" in client.get("/search?q=只楚新村").get_data(as_text=True)


def test_correction_needs_a_valid_label_and_token(client, scenario):
    login(client, "zhichu1")
    token = csrf_of(client.get("/search").get_data(as_text=True))
    assert client.post("/mentions/1/sentiment", data={"csrf_token": token, "label": "5"}).status_code == 400
    assert client.post("/mentions/1/sentiment", data={"label": "0"}).status_code == 400
    assert client.post("/mentions/99999/sentiment", data={"csrf_token": token, "label": "0"}).status_code == 404


def test_export_is_the_sentiment_training_format(client, db, scenario):
    login(client, "duty1")
    token = csrf_of(client.get("/search").get_data(as_text=True))
    with db.session() as s:
        phone = s.scalar(select(Mention.id).where(Mention.title.like("%13912345678%")))
        news = s.scalar(select(Mention.id).where(Mention.source_id == "news"))
    for mention_id, label in ((phone, 1), (news, 1), (news, 0)):        # the last word counts
        client.post(f"/mentions/{mention_id}/sentiment", data={"csrf_token": token, "label": str(label)})
    response = client.get("/corrections.tsv")
    assert response.headers["Content-Type"].startswith("text/tab-separated-values")
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "label\ttext" and len(lines) == 3
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(r) == 2 and r[0] in ("0", "1") and "\n" not in r[1] for r in rows)
    assert rows[0][0] == "1" and rows[0][1].startswith("只楚幸福小区暖气不热 电话139****5678。联系电话138****5678")
    assert rows[1][0] == "0" and rows[1][1].startswith("只楚街道多处小区供暖不达标")
    assert export_tsv(db)[1] == 2
