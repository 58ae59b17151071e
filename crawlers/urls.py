"""Canonical URLs and address checks shared by spiders and middlewares."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

_TRACKING = ("utm_", "spm", "from", "share", "wfr", "isappinstalled", "scene", "clicktime")


def canonical_url(url: str) -> str:
    """One URL per document: no fragment, no tracking parameters, sorted query."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(_TRACKING)]
    cleaned = urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/",
                          urlencode(query), ""))
    return canonicalize_url(cleaned)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def registered_domain(host: str) -> str:
    """Crude eTLD+1 that covers .gov.cn / .com.cn: enough to keep a spider on its own site."""
    parts = host.split(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    if len(parts) >= 3 and parts[-2] in {"gov", "com", "net", "org", "edu"} and parts[-1] == "cn":
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def is_private_host(host: str) -> bool:
    """True for loopback/private/link-local addresses, resolving names first."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False          # unresolvable: the download itself will fail with a clear error
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved:
            return True
    return False
