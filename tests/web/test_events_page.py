"""The event page in headless Chromium: from a warning to its event, and the event's
timeline, first report, spread path, summary, communities and every mention."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from yuqing.storage.events import Event, EventMention
from yuqing.storage.models import Mention
from tests.reports.scenario import NEWS_TITLE
from tests.web.conftest import login
from tests.web.test_browser import CHROMIUM, browser, page, shot, sign_in  # noqa: F401 (fixtures)


def heating(db) -> Event:
    with db.session() as s:
        e = s.scalars(select(Event).where(Event.title == NEWS_TITLE)).one()
        urls = set(s.scalars(select(Mention.url).join(EventMention, EventMention.mention_id == Mention.id)
                             .where(EventMention.event_id == e.id)))
        s.expunge(e)
    return e, urls


def test_event_page_and_links_without_a_browser(client, db, scenario):
    login(client, "duty1")
    e, urls = heating(db)
    page = client.get(f"/events/{e.id}").get_data(as_text=True)
    assert NEWS_TITLE in page and "传播路径" in page and 'id="timeline"' in page
    assert all(url in page for url in urls)
    warning = client.get(f"/warnings/{scenario['heating']}").get_data(as_text=True)
    assert f'href="/events/{e.id}"' in warning and "只楚街道近" in warning
    hits = client.get("/search?q=只楚街道").get_data(as_text=True)
    assert f'href="/events/{e.id}"' in hits.split('<ol class="results"')[0]
    assert client.get("/events/999999").status_code == 404


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium 未安装")
def test_from_a_warning_to_its_event_in_the_browser(page, live_server, db, scenario):
    e, urls = heating(db)
    sign_in(page, live_server, "zhichu1")
    page.goto(f"{live_server}/warnings/{scenario['heating']}")
    assert "只楚街道近24小时" in page.locator("#trigger").inner_text()
    page.locator("#warning-events a").first.click()
    page.wait_for_url(f"{live_server}/events/{e.id}")
    assert page.locator("#event-title").inner_text() == NEWS_TITLE
    assert page.locator("#event-status").inner_text() in ("新发", "上升", "高位", "回落", "平息")
    assert page.locator("#first-report a").get_attribute("href") in urls
    assert page.locator("#spread li").count() == 5
    assert page.locator("#summary li a").count() >= 1
    assert page.locator("#mentions li").count() == len(urls)
    # the timeline chart is drawn (a real image the browser decoded, not a broken icon)
    width = page.eval_on_selector("#timeline", "img => img.complete ? img.naturalWidth : 0")
    assert width > 100
    assert page.locator("a", has_text="#{}".format(scenario["heating"])).count() == 1
    shot(page, "event-heating")
