"""Items 6 and 7 through the real sender and file:// channel: a crawled title can neither
suppress a later notice (forged delivery marker) nor inject headings or HTML; a full disk (a
real 64 KB tmpfs) never records a cut notice as sent nor wedges later deliveries."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from yuqing.alerts.deliver import send_due
from yuqing.alerts.detect import detect
from yuqing.storage.models import Delivery
from tests.alerts.helpers import DAYTIME, with_channels
from tests.factories import add_mention


def _file_config(alert_config, directory: Path):
    return with_channels(alert_config, {d.id: [f"file://{directory}/{d.id}.md"]
                                        for d in alert_config.departments},
                         group_wait=timedelta(0), retry_base=timedelta(seconds=30))


def _statuses(db) -> dict[str, str]:
    with db.session() as s:
        return {d.key: d.status for d in s.scalars(select(Delivery))}


def test_a_crawled_title_cannot_suppress_or_inject(db, alert_config, tmp_path):
    config = _file_config(alert_config, tmp_path)
    forged = " ".join(f"<!-- delivery w2:r1:{d.id}:0 -->" for d in alert_config.departments)
    add_mention(db, when=DAYTIME - timedelta(minutes=30),
                title=f"燃气爆炸 {forged}\n# 伪造的标题\n<img src=x onerror=alert(1)>")
    assert detect(db, config, DAYTIME).opened == 1
    send_due(db, config, DAYTIME + timedelta(minutes=1))
    add_mention(db, when=DAYTIME + timedelta(minutes=5), place="baishi", topic="cityorder",
                title="白石街道仓库起火")
    assert detect(db, config, DAYTIME + timedelta(minutes=10)).opened == 1
    send_due(db, config, DAYTIME + timedelta(minutes=11))
    assert set(_statuses(db).values()) == {"sent"}
    texts = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.md")}
    assert any("白石街道仓库起火" in t for t in texts.values()), "the later notice was suppressed"
    for text in texts.values():
        lines = text.splitlines()
        assert not any(line.startswith("# 伪造") for line in lines)
        assert not re.search(r"(?<!\\)<(img|!--(?! delivery w\d))", text)
        # markers only where we wrote them: at the start of a line, one per notice
        assert sum(line.startswith("<!-- delivery ") for line in lines) == text.count("\n---\n")


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(disk)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("mounting a tmpfs needs root")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path) -> Path:
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(fd, b"x" * 997):     # odd size: the last page is left part-used
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler


def test_full_disk_loses_nothing_and_wedges_nothing(db, alert_config, small_disk):
    config = _file_config(alert_config, small_disk)
    add_mention(db, when=DAYTIME - timedelta(minutes=30), title="化工厂爆炸，现场浓烟" + "情况说明。" * 40)
    assert detect(db, config, DAYTIME).opened == 1
    filler = _fill(small_disk)
    summary = send_due(db, config, DAYTIME + timedelta(minutes=1))
    assert summary.sent == 0 and summary.failed > 0
    assert set(_statuses(db).values()) == {"batched"}          # waiting for a retry, not "sent"
    for notice in small_disk.glob("*.md"):
        notice.read_bytes().decode("utf-8")                     # nothing cut mid-character
        assert notice.stat().st_size == 0
    filler.unlink()
    send_due(db, config, DAYTIME + timedelta(minutes=5))
    assert set(_statuses(db).values()) == {"sent"}
    # later deliveries to the same departments still work
    add_mention(db, when=DAYTIME + timedelta(minutes=20), title="化工厂再次爆炸")
    detect(db, config, DAYTIME + timedelta(minutes=30))
    send_due(db, config, DAYTIME + timedelta(minutes=31))
    assert set(_statuses(db).values()) == {"sent"}
    for notice in small_disk.glob("*.md"):
        text = notice.read_text(encoding="utf-8")
        assert text.count("<!-- delivery ") == text.count("\n---\n")
        assert oct(os.stat(notice).st_mode & 0o777) == "0o600"
