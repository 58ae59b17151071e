"""Article and list-page extraction for Chinese government and news pages.

Pure functions over bytes: no network, no global state; every public function returns a
result (with `problems` for articles) instead of raising on bad input.
"""

from .article import extract_article
from .dates import SHANGHAI, parse_chinese_datetime
from .encoding import decode_html
from .blocks import link_blocks
from .lists import extract_links, next_pages
from .model import Article, Attachment, Link, LinkBlock

__all__ = ["Article", "Attachment", "Link", "LinkBlock", "SHANGHAI", "decode_html", "extract_article",
           "extract_links", "link_blocks", "next_pages", "parse_chinese_datetime"]
