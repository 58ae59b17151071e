"""Canonical URLs and address checks shared by spiders and middlewares."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Exact names: a prefix would also strip fromId, shareId, sceneId — article ids that keep
# distinct articles apart (only utm_* is a family by definition).
_TRACKING_PREFIXES = ("utm_",)
_TRACKING = frozenset({"spm", "from", "share", "wfr", "isappinstalled", "scene", "clicktime",
                       "share_source", "share_medium", "share_plat", "share_from", "share_token",
                       "sharer_sharetime", "sharer_shareid", "from_source", "wxshare_count",
                       "spm_id_from", "vd_source", "fbclid", "gclid"})


def canonical_url(url: str) -> str:
    """One URL per document: no fragment, no tracking parameters, sorted query."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in _TRACKING and not k.lower().startswith(_TRACKING_PREFIXES)]
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


def is_public_address(address: str) -> bool:
    """Globally routable, by IANA's special-purpose registries: a list of private ranges
    always misses one (100.64.0.0/10 holds Alibaba Cloud's metadata service 100.100.100.200).
    IPv4 written inside IPv6 (::ffff:10.0.0.1, 64:ff9b::a00:1) is judged as the IPv4 it is."""
    addr = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address):
        inner = addr.ipv4_mapped or addr.sixtofour or (addr.teredo or (None, None))[1]
        if inner is None and addr in _NAT64:
            inner = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
        if inner is not None:
            return inner.is_global and not inner.is_multicast
    return addr.is_global and not addr.is_multicast


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_private_host(host: str) -> bool:
    """True unless every address the name resolves to is globally routable."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False          # unresolvable: the download itself will fail with a clear error
    return any(not is_public_address(info[4][0]) for info in infos)


def is_robots_url(url: str) -> bool:
    """Exactly /robots.txt at the root: not a path, query or fragment that ends so."""
    parts = urlsplit(url)
    return parts.path == "/robots.txt" and not parts.query and not parts.fragment
