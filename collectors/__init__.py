"""Price collection: Scrapy spiders, item pipelines and the runner that drives them."""
