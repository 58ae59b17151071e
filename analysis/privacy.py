"""Mask personal data in what people read (work points item 13: protect personal privacy).

Mobile numbers, ID-card numbers (18 digits, last may be X; old 15-digit ones), bank cards and
landlines are masked wherever a person reads mention text: digests, warnings, the dashboard.
People write numbers with full-width digits, spaces or dashes inside ("138 1234 5678"), so the
text is first mapped character for character to ASCII — positions stay the same — and the
patterns allow a separator where people put one. Left alone on purpose: dates, amounts and
document numbers (烟芝政办发〔2024〕2号) — too short to match — and anything inside a URL,
where a long number is an article id, not a person (a URL is ASCII: it ends at the first
character that cannot be in one, so Chinese text right after a link is still checked).
Zero-width and bidirectional control characters are removed first: joined into a number
they would hide it from every pattern, and nobody reading needs them.
"""

from __future__ import annotations

import re

from yuqing.safetext import visible

_ASCII = str.maketrans("０１２３４５６７８９Ｘｘ－—　＋．（）", "0123456789Xx-- +.()")
_SEP = r"[ .-]?"
_DATE = r"(?:18|19|20)\d{2}" + _SEP + r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_PATTERNS = [
    ("id", re.compile(rf"(?<![0-9])[1-9]\d{{5}}{_SEP}{_DATE}{_SEP}\d{{3}}[0-9Xx](?![0-9A-Za-z])")),
    ("id", re.compile(r"(?<![0-9])[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9])")),
    ("bank", re.compile(r"(?<![0-9])[1-9]\d{3}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?(?![0-9])")),
    ("mobile", re.compile(rf"(?<![0-9])(?:\+?86{_SEP})?1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}(?![0-9])")),
    ("landline", re.compile(r"(?<![0-9])((?:\(0\d{2,3}\)|0\d{2,3})[ .-]?)\d{4}(\d{3,4})(?![0-9])")),
]
_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", re.IGNORECASE)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _masked(kind: str, match: re.Match, text: str) -> str | None:
    raw = match.group()
    digits = re.sub(r"[^0-9Xx]", "", raw)
    if kind == "id":
        return digits[:6] + "*" * (len(digits) - 7) + digits[-1]
    if kind == "bank":
        grouped = bool(re.fullmatch(r"\d{4}([ -]\d{4})+([ -]\d{1,3})?", raw))
        if not 16 <= len(digits) <= 19 or not (grouped or _luhn(digits)):
            return None                 # an order or tracking number, not a card
        return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]
    if kind == "mobile":
        prefix = raw[: raw.index(digits[-11])] if len(digits) > 11 else ""
        return f"{prefix}{digits[-11:-8]}****{digits[-4:]}"
    return f"{text[match.start(1):match.end(1)]}****{match.group(2)}"   # area code as written


def mask(text: str) -> str:
    """Linear in the text: one pass per pattern, a byte per character marks what is taken."""
    if not text:
        return text
    text = visible(text)
    plain = text.translate(_ASCII)
    if not any(ch.isdigit() for ch in plain):
        return text
    taken = bytearray(len(plain))
    for m in _URL.finditer(plain):
        taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    edits: list[tuple[int, int, str]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(plain):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            replacement = _masked(kind, match, text)
            if replacement is not None:
                taken[start:end] = b"\x01" * (end - start)
                edits.append((start, end, replacement))
    if not edits:
        return text
    pieces, at = [], 0
    for start, end, replacement in sorted(edits):
        pieces += [text[at:start], replacement]
        at = end
    pieces.append(text[at:])
    return "".join(pieces)
