"""Citizens' posts in a feed named after an official account are the citizens' words."""

from __future__ import annotations

from yuqing.analysis.speakers import Speakers
from yuqing.config import load_config
from yuqing.storage.models import Mention


def test_posts_are_labelled_by_their_poster_not_by_the_feed():
    speaker = Speakers(load_config("demo"))
    citizen = Mention(source_id="sample-weibo", kind="post", author="只楚老李", title="暖气不热")
    official = Mention(source_id="sample-weibo", kind="post", author="芝罘发布", title="通知")
    anonymous = Mention(source_id="sample-weibo", kind="post", author="", title="暖气不热")
    board = Mention(source_id="sample-board", kind="message", author="王先生", title="暖气不热")
    reprint = Mention(source_id="sample-news", kind="article", origin="大众网", title="暖气不热")
    assert speaker(citizen) == "微博 @只楚老李"
    assert speaker(official) == "微博 @芝罘发布"
    assert speaker(anonymous) == "微博"                       # never the feed's 芝罘发布 name
    assert speaker(board) == "芝罘区民意直通车留言板（示例）"
    assert speaker(reprint) == "大众网"
    assert speaker.channel(board) == "留言板" and speaker.channel(citizen) == "微博"
