"""Decide a page's text encoding from its bytes.

Chinese sites routinely declare one charset and serve another (a GB2312 meta tag on a page
re-saved as UTF-8, an archive wrapper declaring UTF-8 around GBK bytes), so the declaration is
only the last resort. A strict UTF-8 decode almost never succeeds by accident on GBK bytes,
which is why it goes first; GB18030 is a superset of GB2312/GBK and covers the rest.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)

# Below this share of undecodable bytes a page is UTF-8 with a few broken characters
# (a truncated download, one pasted GBK fragment) rather than a GBK page.
_LOSSY_UTF8_RATIO = 0.005


def declared_charsets(body: bytes) -> list[str]:
    """Charsets the markup claims, in document order (several pages declare more than one)."""
    head = body[:65536]
    found = [m.group(1).decode("ascii", "ignore") for m in _XML_ENCODING.finditer(head)]
    found += [m.group(1).decode("ascii", "ignore") for m in _META_CHARSET.finditer(head)]
    return found


def _codec_name(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936"):
        return "gb18030"  # the superset decodes everything its subsets can
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _strip_bom(body: bytes) -> tuple[bytes, str | None]:
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):], name
    return body, None


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding name). Never raises; undecodable bytes become U+FFFD."""
    if not body:
        return "", "utf-8"
    if isinstance(body, str):  # tolerate callers that already decoded
        return body, "unicode"
    body, bom = _strip_bom(body)
    if bom:
        return body.decode(bom, "replace"), bom
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        # A download cut inside a multi-byte character is still a UTF-8 page.
        if exc.start >= len(body) - 3 and exc.reason == "unexpected end of data":
            return body[: exc.start].decode("utf-8", "replace"), "utf-8"
    lossy = body.decode("utf-8", "replace")
    bad = lossy.count("\ufffd")
    non_ascii = sum(1 for ch in lossy if ord(ch) > 127)
    if non_ascii and bad / max(non_ascii, 1) < _LOSSY_UTF8_RATIO:
        return lossy, "utf-8"
    try:
        return body.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    candidates = [declared] + declared_charsets(body)
    for name in candidates:
        codec = _codec_name(name)
        if codec and codec not in ("utf-8", "gb18030"):
            try:
                return body.decode(codec), codec
            except (UnicodeDecodeError, LookupError):
                continue
    try:
        from charset_normalizer import from_bytes  # MIT; already a dependency of requests

        best = from_bytes(body[:200000]).best()
        if best is not None and best.encoding:
            codec = _codec_name(best.encoding) or best.encoding
            return body.decode(codec, "replace"), codec
    except Exception:  # noqa: BLE001 - detection is best effort
        pass
    # Mostly-GBK pages with a few corrupt bytes read better as GB18030 than as UTF-8 junk.
    gb = body.decode("gb18030", "replace")
    if gb.count("\ufffd") < bad:
        return gb, "gb18030"
    return lossy, "utf-8"
