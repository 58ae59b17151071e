"""`yuqing import`: bring a district's own files in as mentions (12345 work orders,
MediaCrawler output), masked and placed, then analysed like anything crawled.

This module owns the wiring the readers cannot do themselves: personal-data masking and
street/community matching live in the analysis layer.
"""

from __future__ import annotations

from pathlib import Path

from yuqing.channels import label
from yuqing.config.models import Config
from yuqing.crawlers.importers.model import ImportFileError, ImportReport, RowError
from yuqing.crawlers.importers.writer import ImportWriter
from yuqing.storage.db import Database

KINDS = ("12345", "mediacrawler")


def import_path(config: Config, db: Database, kind: str, path: Path,
                source_id: str | None = None) -> ImportReport:
    """Import one file (12345) or one output directory (mediacrawler)."""
    report = ImportReport()
    try:
        if kind == "12345":
            _import_hotline(config, db, path, source_id, report)
        elif kind == "mediacrawler":
            _import_mediacrawler(config, db, path, source_id, report)
        else:
            raise ImportFileError(f"未知的导入类型“{kind}”，可用：{'、'.join(KINDS)}")
    except ImportFileError as exc:
        report.errors.append(RowError(str(path), str(exc)))
    return report


def _writer(config: Config, db: Database, source_id: str, name: str) -> ImportWriter:
    from yuqing.analysis.privacy import mask

    return ImportWriter(db, source_id, name, clean=mask, place_of=place_matcher(config))


def _import_hotline(config, db, path, source_id, report) -> None:
    from yuqing.crawlers.importers.hotline import read_hotline

    records, errors = read_hotline(path, config.settings.imports.hotline_columns)
    report.errors.extend(errors)
    if records:
        writer = _writer(config, db, source_id or "import-12345",
                         f"{label('hotline')}（{config.settings.district}，导入）")
        writer.write(records, report)


def _import_mediacrawler(config, db, path, source_id, report) -> None:
    from yuqing.crawlers.importers.mediacrawler import read_mediacrawler

    batches, errors = read_mediacrawler(path)
    report.errors.extend(errors)
    for platform, records in batches.items():
        if records:
            writer = _writer(config, db, source_id or f"mediacrawler-{platform}",
                             f"{label(platform)}（MediaCrawler 导入）")
            writer.write(records, report)


def place_matcher(config: Config):
    """address -> (place id, street name, community name), from the configured gazetteer."""
    from yuqing.analysis.places import Gazetteer

    gazetteer = Gazetteer(config.places)
    communities = sorted(((name, place) for place in config.places for c in place.communities
                          for name in (c.name, *c.aliases)), key=lambda p: -len(p[0]))
    names = {place.id: place for place in config.places}

    def place_of(address: str) -> tuple[str | None, str, str]:
        place_id = gazetteer.locate(address, "")
        community = ""
        for name, place in communities:
            if name in address and (place_id is None or place.id == place_id):
                community, place_id = name, place.id
                break
        street = names[place_id].name if place_id in names else ""
        return place_id, street, community

    return place_of
