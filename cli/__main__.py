"""Allow `python -m cli`, used to run a crawl in its own process."""

from cli.main import run

run()
