"""Imports (导入): files a district already has — 12345 work orders, MediaCrawler output —
read into mentions like anything crawled. Readers turn a file into typed records; the writer
stores them in one transaction, idempotent by the record's id on its channel."""
