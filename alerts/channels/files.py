"""file:// notices: one Markdown file per department, appended to, with exactly-once by key.

Which notices a file holds is kept beside it, in `<file>.keys` (one delivery key a line), not
searched for in the text: crawled titles are part of the text, and a title that contained a
later notice's marker used to suppress that notice. Crawled text is written as text (Markdown
escaped), never as headings, HTML or comments.

A notice is appended whole or not at all: if the disk fills or the write fails, the file is
cut back to its length before the write and the send fails (retried later), so no truncated
notice is recorded as sent and no half-written character is left to break later reads.
Files are created owner-only (0600, folder 0700): notices carry citizens' complaints.
"""

from __future__ import annotations

import os
from pathlib import Path

from yuqing.alerts.channels.base import ChannelError, Message
from yuqing.safetext import markdown_text, one_line


def _keys(index: Path) -> set[str]:
    try:
        return set(index.read_bytes().decode("ascii", "replace").split())
    except FileNotFoundError:
        return set()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _append(path: Path, data: bytes) -> None:
    """Append all of `data` durably, or leave the file as it was and raise OSError."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        start = os.fstat(fd).st_size
        try:
            _write_all(fd, data)
            os.fsync(fd)
        except OSError:
            os.ftruncate(fd, start)
            raise
    finally:
        os.close(fd)


def render(message: Message) -> str:
    # the marker is ours alone: crawled text is escaped, so it never holds "<!--"
    return (f"<!-- delivery {message.key} -->\n# {markdown_text(one_line(message.subject))}\n\n"
            f"{markdown_text(message.body)}\n\n---\n\n")


def append_notice(path: Path, message: Message) -> str:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    index = path.with_name(path.name + ".keys")
    if message.key in _keys(index):
        return f"已在 {path}（重复投递已忽略）"
    try:
        _append(path, render(message).encode("utf-8"))
    except OSError as exc:
        raise ChannelError(f"{path}：写入失败（{exc.strerror or exc}），未记为已发送") from exc
    try:
        _append(index, f"{message.key}\n".encode("ascii", "replace"))
    except OSError as exc:
        # the notice is in the file but not its key: it may be written again once, never lost
        raise ChannelError(f"{path}.keys：写入失败（{exc.strerror or exc}）") from exc
    return f"已写入 {path}"
