"""The CJK font for charts and PDF pages: Noto Sans CJK SC (Debian: fonts-noto-cjk)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN")


class FontMissing(RuntimeError):
    """No CJK font: charts would show empty boxes instead of Chinese, so refuse to draw."""


@dataclass(frozen=True)
class CJKFont:
    family: str
    path: str


@lru_cache(maxsize=1)
def cjk_font() -> CJKFont:
    from matplotlib import font_manager

    installed = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for family in FAMILIES:
        if family in installed:
            return CJKFont(family, installed[family])
    raise FontMissing(
        "未找到中文字体（需要 " + " / ".join(FAMILIES[:2]) + "），图表和 PDF 中的中文将无法显示。"
        "请安装 Noto CJK 字体：Debian/Ubuntu 执行 apt-get install fonts-noto-cjk，"
        "然后删除 matplotlib 的字体缓存（~/.cache/matplotlib）后重试。")
