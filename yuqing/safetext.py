"""Text that came from the web, made safe to show: no invisible characters that hide or
reorder what a reader sees, and one line where a line break means something (mail headers,
subjects, Markdown headings, CLI tables)."""

from __future__ import annotations

import re

# Zero-width characters join digits so no pattern sees a number; bidirectional overrides
# (U+202E) make "gpj.exe" read as "exe.jpg". Neither carries meaning in Chinese text.
INVISIBLE = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
             "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068"
             "\u2069\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufeff\uffa0")
_INVISIBLE = str.maketrans("", "", INVISIBLE)
# C0/C1 controls and the Unicode line/paragraph separators: all end a header line somewhere.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def visible(text: str) -> str:
    """The text without invisible formatting characters."""
    return text.translate(_INVISIBLE) if text else text


def one_line(text: str, limit: int | None = None) -> str:
    """Visible, on one line: every run of control characters becomes one space."""
    if not text:
        return text
    flat = re.sub(r" {2,}", " ", _BREAKS.sub(" ", visible(text))).strip()
    if limit is not None and len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return flat
