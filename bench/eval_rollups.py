"""Detection with the hourly rollups against detection reading the mentions directly, on the
simulated months (bench/sim_month.py): two stores fed the same items in lockstep, analysed
the same way, one detection cycle each per poll; every cycle's findings (kind, key, severity,
topic, place) and the final warnings are compared.

    python bench/eval_rollups.py [--seeds held-out|tuning|1,2,…] [--days 28] [--poll 1h]

Prints, per seed, the cycles whose findings differ and the warnings that differ, and a
verdict. The rollups approximate the baseline (hours, not minutes; distinct stories per
hour, summed), so a difference is possible in principle on a series at a threshold; this
counts how often it happens.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from sqlalchemy import select  # noqa: E402

from sim_month import START, generate  # noqa: E402
from simulate_month import HELD_OUT, TUNING, _write, replay, sim_config  # noqa: E402
from yuqing.alerts.detect import detect  # noqa: E402
from yuqing.config import load_config  # noqa: E402
from yuqing.config.types import parse_duration  # noqa: E402
from yuqing.storage.db import Database  # noqa: E402
from yuqing.storage.models import Warning  # noqa: E402


def _warnings(db: Database) -> set[tuple]:
    with db.session() as s:
        return {(w.kind, w.key, w.severity, w.topic_id, w.place_id)
                for w in s.scalars(select(Warning))}


def compare_month(seed: int, days: int, poll: timedelta, shapes=None, url_a: str | None = None,
                  url_b: str | None = None) -> dict:
    """Run one simulated month on two stores; A detects from rollups, B from mentions."""
    from yuqing.analysis.stage import Analyser, analyse_pending

    config = sim_config(load_config("default"))
    month = generate(seed, config, days, poll, shapes)
    os.environ.setdefault("YUQING_SECRET", "simulation-only-7c1e9a4f2b6d8035e1c7a9f3b2d4e6a8")
    with tempfile.TemporaryDirectory() as tmp:
        dbs = [Database(url_a or f"sqlite:///{tmp}/a.db"), Database(url_b or f"sqlite:///{tmp}/b.db")]
        for db in dbs:
            db.migrate()
        analyser = Analyser(config)
        written, cycles, differing = 0, 0, []
        for t, batch in replay(month, days, poll):
            os.environ["YUQING_NOW"] = t.isoformat()
            for db in dbs:
                _write(db, batch, written)
                if batch:
                    analyse_pending(db, config, analyser)
            written += len(batch)
            if t >= START:
                found = []
                for db, rollups in zip(dbs, (True, False)):
                    summary = detect(db, config, t, rollups=rollups)
                    found.append({(f.kind, f.key, f.severity, f.topic_id, f.place_id) for f in summary.findings})
                cycles += 1
                if found[0] != found[1]:
                    differing.append((t, sorted(found[0] - found[1]), sorted(found[1] - found[0])))
        os.environ.pop("YUQING_NOW", None)
        final = [_warnings(db) for db in dbs]
        for db in dbs:
            db.dispose()
    return {"seed": seed, "items": len(month.items), "cycles": cycles, "differing": differing,
            "warnings": len(final[1]), "only_rollups": sorted(final[0] - final[1]),
            "only_mentions": sorted(final[1] - final[0])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="held-out")
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--poll", default="1h")
    args = parser.parse_args(argv)
    seeds = {"held-out": HELD_OUT, "tuning": TUNING}.get(args.seeds) or [int(x) for x in args.seeds.split(",")]
    poll = parse_duration(args.poll)
    same = True
    for seed in seeds:
        started = time.monotonic()
        r = compare_month(seed, args.days, poll)
        same &= not r["differing"] and not r["only_rollups"] and not r["only_mentions"]
        print(f"种子 {seed}：{r['items']} 条信息，{r['cycles']} 个检测周期，其中判定不同 {len(r['differing'])} 个；"
              f"预警 {r['warnings']} 条，仅汇总有 {len(r['only_rollups'])} 条，仅明细有 {len(r['only_mentions'])} 条"
              f"（{time.monotonic() - started:.0f}s）", flush=True)
        for t, a, b in r["differing"]:
            print(f"    {t:%m-%d %H:%M} 汇总多 {a} 明细多 {b}")
        for w in r["only_rollups"]:
            print(f"    仅汇总：{w}")
        for w in r["only_mentions"]:
            print(f"    仅明细：{w}")
    print("汇总与明细的判定完全相同" if same else "汇总与明细的判定有差别（见上）")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
