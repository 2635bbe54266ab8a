"""The names of the crawl statistics the pipelines, spiders and run summary share."""

STAT_SEEN = "ppne/items_seen"
STAT_STORED = "ppne/stored"
STAT_DUPLICATES = "ppne/duplicates"
STAT_DROPPED = "ppne/dropped/"  # followed by the reason
STAT_RUN_ID = "ppne/run_id"
STAT_OUTCOME = "ppne/outcome"
STAT_MESSAGE = "ppne/message"
# Set by the spiders (collectors/spiders/search.py) when a page fails or changed layout.
STAT_FAILED_PAGES = "ppne/failed_pages"
STAT_FIRST_FAILURE = "ppne/first_failure"
STAT_FIRST_MISSING_URL = "ppne/first_missing_url"
STAT_FIRST_EMPTY_URL = "ppne/first_empty_url"

# Sent by the store pipeline after each batch it committed: a distributed worker then knows
# the pages behind those rows are done (collectors/distributed.py).
batch_stored = object()
