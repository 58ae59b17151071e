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
# a character class, not str.translate: translate looks every character of a page up in a dict
# (0.5 ms for a 30 KB article, more than parsing it); the regex scans in C (issue 18)
_INVISIBLE = re.compile(f"[{re.escape(INVISIBLE)}]")
# C0/C1 controls and the Unicode line/paragraph separators: all end a header line somewhere.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def visible(text: str) -> str:
    """The text without invisible formatting characters."""
    return _INVISIBLE.sub("", text) if text else text


def one_line(text: str, limit: int | None = None) -> str:
    """Visible, on one line: every run of control characters becomes one space."""
    if not text:
        return text
    flat = re.sub(r" {2,}", " ", _BREAKS.sub(" ", visible(text))).strip()
    if limit is not None and len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return flat


# A URL as RFC 3986 writes it: ASCII only, so it ends where Chinese text or a space begins.
URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", re.IGNORECASE)
_MD_INLINE = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|"})
_MD_BLOCK = re.compile(r"^(\s*)([#>+=~-])")
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])")


def markdown_text(text: str) -> str:
    """Crawled text inside a Markdown file: read as text, never as headings, HTML, links or
    comments (a forged `<!-- delivery … -->` marker included). URLs become autolinks
    (<…>), which Markdown takes literally, so a signed link stays copyable."""
    out = []
    for line in visible(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        pieces, at = [], 0
        for m in URL.finditer(line):
            pieces += [line[at:m.start()].translate(_MD_INLINE), f"<{m.group()}>"]
            at = m.end()
        pieces.append(line[at:].translate(_MD_INLINE))
        line = _MD_BLOCK.sub(r"\1\\\2", "".join(pieces))
        out.append(_MD_ORDERED.sub(r"\1\\\2", line))
    return "\n".join(out)


def markdown_url(url: str) -> str:
    """A URL as a Markdown link target: brackets, parentheses, spaces and angle brackets are
    percent-encoded, so `)[…](…)` in a crawled URL cannot close the link and open another."""
    from urllib.parse import quote

    return quote(visible(url or ""), safe=":/?#@!$&'*+,;=%-._~")
