"""Mask personal data in what people read (work points item 13: protect personal privacy)."""

from __future__ import annotations

import re

_ID_CARD = re.compile(r"(?<![0-9])([1-9]\d{5})(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}([0-9Xx])(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])(1[3-9]\d)\d{4}(\d{4})(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])(0\d{2,3}-?)\d{4}(\d{3,4})(?![0-9])")
_BANK = re.compile(r"(?<![0-9])(\d{4})\d{8,11}(\d{4})(?![0-9])")


def mask(text: str) -> str:
    if not text:
        return text
    text = _ID_CARD.sub(lambda m: f"{m.group(1)}********{'*' * 3}{m.group(2)}", text)
    text = _MOBILE.sub(r"\1****\2", text)
    text = _LANDLINE.sub(r"\1****\2", text)
    return _BANK.sub(r"\1********\2", text)
