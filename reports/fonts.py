"""The CJK font for charts and PDF pages, taken from the Python environment, not the system.

The dependency `noto-cjk[sans]` ships Google's Noto Sans CJK collection (SIL OFL 1.1) as a
wheel, so a machine with nothing but Python renders the same report as any other. The collection
holds ten faces (JP, KR, SC, TC, HK, and mono); we take the Simplified Chinese face out of it
once, into YUQING_HOME/cache/fonts, under a family name of our own ("Yuqing Noto Sans CJK SC").
That name cannot collide with an installed system copy of Noto, so matplotlib and WeasyPrint
both pick exactly this file whatever the machine has.

A deployment may set YUQING_CJK_FONT to a font file of its own (e.g. a system font); that is the
only way a system font is used.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from yuqing.paths import home

FAMILY = "Yuqing Noto Sans CJK SC"
SOURCE_FACE = "Noto Sans CJK SC"          # the face we take from the collection
ENV = "YUQING_CJK_FONT"
_lock = threading.Lock()


class FontMissing(RuntimeError):
    """No CJK font: charts would show empty boxes instead of Chinese, so refuse to draw."""


@dataclass(frozen=True)
class CJKFont:
    family: str           # the name to use in matplotlib rcParams and CSS font-family
    path: str             # the font file

    @property
    def uri(self) -> str:
        return Path(self.path).as_uri()

    def css(self) -> str:
        """An @font-face rule binding `family` to the file, for WeasyPrint."""
        return f'@font-face {{ font-family: "{self.family}"; src: url("{self.uri}"); }}'


def _bundled_collection() -> Path:
    try:
        import noto_cjk
        return Path(noto_cjk.otc_path("sans"))
    except Exception as exc:             # ImportError, or noto_cjk's FontNotInstalled
        raise FontMissing(
            "未找到中文字体，图表和 PDF 中的中文将无法显示。yuqing 依赖的字体包 noto-cjk[sans] 没有安装"
            f"（{exc}）：请在 yuqing 所在的 Python 环境中执行 pip install 'noto-cjk[sans]'，"
            f"或者用环境变量 {ENV} 指定一个中文字体文件（如 /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
            "，需安装 Debian 的 fonts-noto-cjk）。") from None


def _extract(collection: Path, out: Path) -> None:
    from fontTools.ttLib import TTCollection

    fonts = TTCollection(str(collection)).fonts
    face = next((f for f in fonts if f["name"].getDebugName(1) == SOURCE_FACE), None)
    if face is None:
        raise FontMissing(f"字体文件 {collection} 中没有“{SOURCE_FACE}”字形，无法生成中文图表和 PDF。")
    for record in face["name"].names:
        if record.nameID in (1, 4, 16):          # family, full name, typographic family
            record.string = FAMILY
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    face.save(str(tmp))
    os.replace(tmp, out)                         # another process may be extracting too


def _configured() -> CJKFont | None:
    path = os.environ.get(ENV)
    if not path:
        return None
    if not Path(path).is_file():
        raise FontMissing(f"环境变量 {ENV} 指定的字体文件不存在：{path}。请改正路径，或删除该变量以使用内置的 Noto Sans CJK。")
    from matplotlib import font_manager

    font_manager.fontManager.addfont(path)
    family = font_manager.FontProperties(fname=path).get_name()
    return CJKFont(family, path)


def cjk_font() -> CJKFont:
    """The font, registered with matplotlib; extracted from the bundled collection on first use
    (and again if its cached copy went away, e.g. with a YUQING_HOME that was removed)."""
    font = _cjk_font()
    if not Path(font.path).exists():
        _cjk_font.cache_clear()
        font = _cjk_font()
    return font


cjk_font.cache_clear = lambda: _cjk_font.cache_clear()     # tests reset the choice


@lru_cache(maxsize=1)
def _cjk_font() -> CJKFont:
    configured = _configured()
    if configured is not None:
        return configured
    collection = _bundled_collection()
    out = home() / "cache" / "fonts" / f"YuqingNotoSansCJKsc-{collection.stat().st_size}.otf"
    with _lock:
        if not out.exists():
            _extract(collection, out)
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(out))
    return CJKFont(FAMILY, str(out))
