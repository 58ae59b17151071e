"""A proposed sources.yaml entry, and writing it into a config directory's sources.yaml.

The file is edited as text, not re-dumped: the officers' comments, the order of the sources
and their quoting stay exactly as they were. The new entry is appended to the `sources:` list
in the list's own indentation, the whole config is loaded again, and the file is put back as
it was if that load fails.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from yuqing.crawlers.probe_samples import Probe
from yuqing.crawlers.urls import host_of, registered_domain

_ID_CHARS = re.compile(r"[^a-z0-9]+")
_KEY_ORDER = ("id", "name", "kind", "authority", "urls", "interval", "max_pages", "allow_private",
              "verified", "verified_on", "note", "selectors")


class EntryError(Exception):
    """The entry could not be written; the message is for the person at the terminal."""


def propose_id(url: str, taken: set[str]) -> str:
    host = host_of(url)
    domain = registered_domain(host).split(".")[0] if not re.fullmatch(r"[\d.]+", host) else "local"
    segments = [s for s in urlsplit(url).path.split("/") if s and not re.match(r"(?:index|list|default)\b", s)]
    tail = segments[-1].rsplit(".", 1)[0] if segments else ""
    base = _ID_CHARS.sub("-", f"{domain}-{tail}".lower()).strip("-") or "source"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def authority_for(result: Probe) -> str:
    host = host_of(result.url)
    if result.kind == "board":
        return "public"
    if host.endswith(".gov.cn"):
        return "official"
    if result.kind == "feed" and re.search(r"weibo|wechat|/mp/", result.url):
        return "social"
    return "media"


def build_entry(result: Probe, name: str | None, taken: set[str], today: date) -> dict:
    entry: dict = {
        "id": propose_id(result.url, taken),
        "name": name or result.name or host_of(result.url),
        "kind": result.kind,
        "authority": authority_for(result),
        "urls": [result.url],
        "interval": {"feed": "10m", "board": "1h"}.get(result.kind, "30m"),
    }
    if result.private:
        entry["allow_private"] = True
    entry["verified"] = True
    entry["verified_on"] = today
    if result.paging and result.pages:
        entry["note"] = "翻页：" + re.sub(r"（.*?）$", "", result.paging)
    if result.selectors:
        entry["selectors"] = dict(result.selectors)
    return entry


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, date)):
        return str(value)
    text = str(value)
    try:  # plain when YAML reads it back as the same string, quoted otherwise
        if text and yaml.safe_load(f"k: {text}") == {"k": text} and not text.startswith(("*", "&", "!", "%", "@")):
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def render(entry: dict, indent: str = "  ") -> str:
    """The entry as YAML text in the house style of config/*/sources.yaml."""
    pad = indent + "  "
    lines = []
    for key in sorted(entry, key=lambda k: _KEY_ORDER.index(k) if k in _KEY_ORDER else 99):
        value = entry[key]
        prefix = f"{indent}- " if not lines else pad
        if isinstance(value, list):
            lines.append(f"{prefix}{key}: [" + ", ".join(json.dumps(v, ensure_ascii=False) for v in value) + "]")
        elif isinstance(value, dict):
            lines.append(f"{prefix}{key}:")
            lines += [f"{pad}  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in value.items()]
        else:
            lines.append(f"{prefix}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def sources_file(directory: Path) -> tuple[Path, str]:
    """DIR/sources.yaml and its text. A profile that inherits its sources gets its own copy of
    the inherited file first: writing a one-entry file would hide every inherited source."""
    from yuqing.config.loader import _file_map  # the loader's own inheritance rules

    own = directory / "sources.yaml"
    if own.exists():
        return own, own.read_text(encoding="utf-8")
    inherited = _file_map(directory, []).get("sources.yaml")
    if inherited is not None and Path(inherited).exists():
        return own, Path(inherited).read_text(encoding="utf-8")
    return own, "sources:\n"


def insert_entry(text: str, block: str) -> str:
    """text with block appended to its top-level `sources:` list, everything else untouched."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"sources\s*:", line)), None)
    if start is None:
        return text + ("" if text.endswith("\n") or not text else "\n") + "sources:\n" + block
    if re.match(r"sources\s*:\s*\[\s*\]\s*(#.*)?$", lines[start].rstrip("\n")):
        lines[start] = "sources:\n"
    end = len(lines)
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.strip() and not line.startswith((" ", "\t", "#", "-")):
            end = i
            break
    last = end
    while last > start + 1 and (not lines[last - 1].strip() or lines[last - 1].lstrip().startswith("#")):
        last -= 1  # comments and blank lines before the next key belong to that key
    if lines[last - 1] and not lines[last - 1].endswith("\n"):
        lines[last - 1] += "\n"
    return "".join(lines[:last]) + block + "".join(lines[last:])


def list_indent(text: str) -> str:
    m = re.search(r"^sources\s*:\s*\n(?:\s*#.*\n|\s*\n)*(\s*)-", text, re.M)
    return m.group(1) if m else "  "


def write_entry(directory: Path, entry: dict) -> Path:
    """Append the entry, check the whole config loads, or restore the file and raise."""
    from yuqing.config import ConfigError, load_config

    path, text = sources_file(directory)
    existed = path.exists()
    old = path.read_text(encoding="utf-8") if existed else None
    new = insert_entry(text, render(entry, list_indent(text)))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(new, encoding="utf-8")
    os.replace(tmp, path)
    try:
        config = load_config(directory)
    except ConfigError as exc:
        if existed:
            path.write_text(old, encoding="utf-8")
        else:
            path.unlink()
        raise EntryError("写入后配置检查失败，已恢复原文件：\n" + exc.report()) from None
    if not any(s.id == entry["id"] for s in config.sources):
        raise EntryError("写入后重新加载配置，没有找到新的信息源（sources.yaml 的结构不寻常，请手工添加）")
    return path
