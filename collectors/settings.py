"""Scrapy settings shared by every spider of the project."""

BOT_NAME = "ppne"
SPIDER_MODULES = ["collectors.spiders"]
NEWSPIDER_MODULE = "collectors.spiders"

# Names the project and where to read about it, so a store can tell who is crawling.
USER_AGENT = "ppne-price-collector/0.1 (+https://github.com/ppne; food basket cost research)"
ROBOTSTXT_OBEY = True

# AutoThrottle adapts to each server's latency: a grocer's site slows us down, while
# the demo site on 127.0.0.1 answers in a millisecond and lets the crawl run at full speed.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.05
AUTOTHROTTLE_MAX_DELAY = 10.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 8.0
DOWNLOAD_DELAY = 0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_TIMEOUT = 30
# Scrapy starts this many item workers per response; our pages yield one or two items and
# the pipelines are synchronous, so the default of 100 only costs time.
CONCURRENT_ITEMS = 8

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Our retry middleware waits base x 2^attempt seconds (or Retry-After) before each retry.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "collectors.retry.BackoffRetryMiddleware": 550,
}
PPNE_RETRY_BACKOFF_BASE = 1.0
PPNE_RETRY_BACKOFF_MAX = 60.0
# A run fails when more than this share of its items miss a required field (changed layout).
PPNE_MAX_MISSING_SHARE = 0.2

ITEM_PIPELINES = {
    "collectors.pipelines.normalise.NormalisePipeline": 100,
    "collectors.pipelines.validate.ValidatePipeline": 200,
    "collectors.pipelines.deduplicate.DeduplicatePipeline": 300,
    "collectors.pipelines.store.StorePipeline": 400,
}
# Rows written per transaction by StorePipeline.
PPNE_STORE_BATCH_SIZE = 500

LOG_LEVEL = "WARNING"
TELNETCONSOLE_ENABLED = False
COOKIES_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
