"""Spiders by source kind: feed, site, board."""
