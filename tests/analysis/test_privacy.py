"""Personal data is masked in everything people read; dates, amounts, URLs and document numbers are not."""

from __future__ import annotations

import pytest

from yuqing.analysis.privacy import mask


def luhn_complete(prefix: str) -> str:
    """prefix + the check digit that makes it a valid card number."""
    for d in "0123456789":
        digits = prefix + d
        total = sum((int(c) * (2 if i % 2 else 1)) - (9 if int(c) * (2 if i % 2 else 1) > 9 else 0)
                    for i, c in enumerate(reversed(digits)))
        if total % 10 == 0:
            return digits
    raise AssertionError


CARD = luhn_complete("622202123456789012")          # 19 digits


@pytest.mark.parametrize("raw,masked", [
    # mobile numbers, however they are written
    ("联系电话13812345678", "联系电话138****5678"),
    ("电话：１３８１２３４５６７８", "电话：138****5678"),
    ("手机 138 1234 5678，", "手机 138****5678，"),
    ("手机138-1234-5678", "手机138****5678"),
    ("+86 13812345678", "+86 138****5678"),
    ("电话13812345678 0535-6212345", "电话138****5678 0535-****345"),
    ("邮箱13812345678@qq.com", "邮箱138****5678@qq.com"),
    # ID cards
    ("身份证号370602198801011234", "身份证号370602***********4"),
    ("身份证37060219880101123X", "身份证370602***********X"),
    ("身份证号 370602 19880101 123x", "身份证号 370602***********x"),
    ("身份证３７０６０２１９８８０１０１１２３Ｘ", "身份证370602***********X"),
    ("老身份证370602880101123", "老身份证370602********3"),
    # bank cards: valid check digit, or written in groups of four
    (f"卡号{CARD}", f"卡号{CARD[:4]}***********{CARD[-4:]}"),
    ("卡号6222 0212 3456 7890 123", "卡号6222***********0123"),
    # landlines
    ("固话0535-6212345", "固话0535-****345"),
    # left alone
    ("2024年11月20日", "2024年11月20日"),
    ("2024-11-20 13:45", "2024-11-20 13:45"),
    ("金额12345678.90元，共1,234,567元", "金额12345678.90元，共1,234,567元"),
    ("烟芝政办发〔2024〕2号", "烟芝政办发〔2024〕2号"),
    ("鲁（2024）烟台市不动产权第0012345号", "鲁（2024）烟台市不动产权第0012345号"),
    ("https://www.zhifu.gov.cn/art/2024/11/20/art_13812345678.html",
     "https://www.zhifu.gov.cn/art/2024/11/20/art_13812345678.html"),
    ("订单号2024112012345678901", "订单号2024112012345678901"),   # 19 digits, not a card
    ("热线12345", "热线12345"),
    ("", ""),
])
def test_masking(raw, masked):
    assert mask(raw) == masked


def test_masking_is_idempotent():
    once = mask("电话13812345678，身份证370602198801011234")
    assert mask(once) == once


# Issue 15, item 3: what slipped through before.
@pytest.mark.parametrize("raw,masked", [
    # a URL ends where a URL cannot go on: the text after it is still read
    ("视频http://t.cn/x我的手机13912345678身份证370602198801011234",
     "视频http://t.cn/x我的手机139****5678身份证370602***********4"),
    ("见https://a.cn/p?id=1，电话13912345678", "见https://a.cn/p?id=1，电话139****5678"),
    # landlines with the area code in brackets or after a space
    ("（0535）6612345", "（0535）****345"),
    ("(0535)6612345", "(0535)****345"),
    ("0535 6612345", "0535 ****345"),
    ("0535.6612345", "0535.****345"),
    # dots between the groups of a mobile number
    ("138.1234.5678", "138****5678"),
    ("１３８．１２３４．５６７８", "138****5678"),
    # digits joined with zero-width characters, or reordered by a bidi override
    ("1\u200b3\u200b8\u200b1\u200c2\u200d3\u20604\ufeff5678", "138****5678"),
    ("身份证\u202e370602198801011234\u202c", "身份证370602***********4"),
])
def test_masking_what_slipped_through(raw, masked):
    assert mask(raw) == masked


def test_masking_is_linear():
    """One page of phone numbers made the search page take 38 s: twice the text must take
    about twice as long, not four times (a ratio in one run, best of three, not a timing)."""
    import time

    def seconds(n):
        text = "电话13812345678，" * n
        start = time.perf_counter()
        out = mask(text)
        assert "13812345678" not in out
        return time.perf_counter() - start

    small = min(seconds(20000) for _ in range(3))
    big = min(seconds(40000) for _ in range(3))
    assert big < 3 * small + 0.05
