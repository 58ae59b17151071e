"""Read hand-labelled mention files: one item a line, fields separated by '|'.

    topic|voice|authority|kind|author|title|content       (an article or board message)
    topic|voice|authority|kind|author|content             (a post: no title)

`topic` is a topic id or "other" (no topic: 未归类); `voice` as in analysis.voice; `#` starts
a comment line. Used for the topic tuning set and the held-out evaluation set.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Labelled:
    topic: str
    voice: str
    authority: str
    kind: str
    author: str
    title: str
    content: str
    line: int


def read_labelled(path: str | Path) -> list[Labelled]:
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("|")
        if len(parts) not in (6, 7):
            raise ValueError(f"{path} 第 {n} 行应有 6 或 7 个以“|”分隔的字段，现有 {len(parts)} 个")
        title, content = (parts[5], parts[6]) if len(parts) == 7 else ("", parts[5])
        out.append(Labelled(*[p.strip() for p in parts[:5]], title.strip(), content.strip(), n))
    return out
