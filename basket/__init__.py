"""The basket engine: pure functions on pandas DataFrames (no database, no web, no Scrapy)."""
