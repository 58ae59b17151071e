"""python -m yuqing.sample_sites [--port 8780] [--now ISO] : serve the sample sites until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import threading
from collections import Counter
from datetime import datetime

from yuqing.sample_sites import DEFAULT_PORT, SampleSites


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m yuqing.sample_sites", description="示例网站（本机）")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port for all the sites (0: any free)")
    parser.add_argument("--now", help="pretend the current time is this (ISO 8601)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every response")
    args = parser.parse_args(argv)
    now = datetime.fromisoformat(args.now) if args.now else None
    stop = threading.Event()
    # Ctrl-C sets the event like SIGTERM: a KeyboardInterrupt raised while the site list is still
    # being printed (before the wait loop) escaped the loop's handler and the process never exited.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with SampleSites(now=now, port=args.port, latency=args.latency) as sites:
        counts = Counter(item.site for item in sites.items())
        for site, url in sites.urls.items():
            print(f"{site:7s} {url}  ({counts[site]} items)")
        for name, value in sites.env().items():
            print(f"export {name}={value}")
        print("Ctrl-C to stop.", flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
