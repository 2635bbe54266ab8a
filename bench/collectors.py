"""`ppne bench collectors`: how fast the collectors parse the real saved responses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from collectors.offline import bench

# (platform, spider, file under the pages folder): the real responses of ../shared/realdata.
REAL_FILES = (
    ("pcexpress", "nofrills", "pcexpress_ca/nofrills_search_tiles_2026-01.jsonl"),
    ("sobeys-algolia", "sobeys", "sobeys_ca/sobeys_algolia_search_milk_page0.json"),
    ("sobeys-algolia", "sobeys", "sobeys_ca/sobeys_algolia_search_bread_page0.json"),
    ("walmart", "walmart", "walmart_ca/walmart_ca_graphql_search_fresh_vegetables_2024-06.json"),
    ("html", "sainsburys", "sainsburys_uk_2017/sainsburys-berries.html"),
)


@dataclass(frozen=True)
class ParsingSpeed:
    """The best of several parses of one saved response."""

    platform: str
    spider: str
    file: str
    prices: int
    seconds: float
    per_second: float


def measure(pages: Path, repeat: int) -> list[ParsingSpeed]:
    """Parse each real saved response found under `pages` `repeat` times; keep the best run."""
    speeds = []
    for platform, spider, relative in REAL_FILES:
        path = pages / relative
        if not path.exists():
            continue
        result = bench(spider, path, repeat)
        speeds.append(
            ParsingSpeed(platform, spider, path.name, result.products, result.seconds,
                         result.per_second)
        )  # fmt: skip
    return speeds
