"""Several analysis workers at once: every mention analysed exactly once, copies in one story.

Real worker processes (`yuqing worker analyse --once`) on the same database. On PostgreSQL they
claim disjoint batches (FOR UPDATE SKIP LOCKED); on SQLite they take turns. Exactly-once is
checked by counts: what the workers say they analysed adds up to the number of mentions.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from datetime import datetime, timedelta

from sqlalchemy import func, select

from yuqing.storage.models import Mention, MentionTopic, Story
from yuqing.timeutil import SHANGHAI

CHARS = ("只楚街道居民反映小区供暖不热室温低物业没人管学校划片入学家长着急道路施工噪音扰民"
         "夜间渣土车违规垃圾清运不及时公交线路调整不便老旧小区改造进度缓慢停车难菜市场价格")
AT = datetime(2024, 12, 10, 12, 0, tzinfo=SHANGHAI)


def _text(rng: random.Random, n: int = 160) -> str:
    return "".join(rng.choice(CHARS) for _ in range(n))


def _store(db, stories: int, copies: int, singles: int) -> dict[str, list[int]]:
    """`stories` texts copied `copies` times each (reprints), plus distinct singles."""
    rng = random.Random(7)
    groups: dict[str, list[int]] = {}
    with db.session() as s:
        n = 0
        for g in range(stories):
            text = _text(rng)
            rows = []
            for c in range(copies):
                n += 1
                rows.append(Mention(source_id=f"src{c}", url=f"http://t.test/{g}/{c}", title=f"转载{g}",
                                    content=text, published_at=AT - timedelta(minutes=n)))
            s.add_all(rows)
            s.flush()
            groups[f"g{g}"] = [m.id for m in rows]
        for i in range(singles):
            n += 1
            s.add(Mention(source_id="single", url=f"http://t.test/s/{i}", title=f"单条{i}",
                          content=_text(rng), published_at=AT - timedelta(minutes=n)))
    return groups


def _workers(db_url: str, count: int, batch: int) -> list[int]:
    env = {**os.environ, "YUQING_DATABASE_URL": db_url, "YUQING_NOW": AT.isoformat()}
    cmd = [sys.executable, "-m", "yuqing.app.cli", "--config", "default", "worker", "analyse",
           "--once", "--quiet", "--batch", str(batch)]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(count)]
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-3000:]
        done.append(int(re.search(r"本进程共分析 (\d+) 条", out).group(1)))
    return done


def test_workers_analyse_each_mention_exactly_once(db, db_url):
    groups = _store(db, stories=40, copies=4, singles=240)
    total = 40 * 4 + 240
    done = _workers(db_url, count=3, batch=15)
    # a mention analysed twice would be counted twice here
    assert sum(done) == total, done
    with db.session() as s:
        assert s.scalar(select(func.count()).where(Mention.analysed_at.is_(None))) == 0
        assert s.scalar(select(func.count()).select_from(Mention)) == total
        in_stories = s.scalar(select(func.count()).where(Mention.story_id.is_not(None)))
        assert in_stories == total
        # every story's copy count is what it holds, though several workers bumped it
        held = dict(s.execute(select(Mention.story_id, func.count()).group_by(Mention.story_id)).all())
        copies = dict(s.execute(select(Story.id, Story.copies)).all())
        assert held == copies
        # copies analysed by different workers at the same time still share one story
        for ids in groups.values():
            story_ids = set(s.scalars(select(Mention.story_id).where(Mention.id.in_(ids))))
            assert len(story_ids) == 1, ids
        assert s.scalar(select(func.count()).select_from(Story)) == 40 + 240
        # no topic row written twice (the primary key would refuse it, but say so plainly)
        assert s.scalar(select(func.count()).select_from(MentionTopic)) == s.scalar(
            select(func.count(func.distinct(MentionTopic.mention_id.concat("|").concat(MentionTopic.topic_id)))))
