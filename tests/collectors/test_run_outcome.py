"""The run-outcome rules: a pure function of the pipelines' counts and the crawl's stats."""

from __future__ import annotations

from collectors.pipelines.outcome import RunCounts, judge_run


def counts(seen: int = 10, stored: int = 8, duplicates: int = 1, **dropped: int) -> RunCounts:
    return RunCounts(seen, stored, duplicates, dict(dropped))


def test_a_clean_run_succeeds_with_its_counts() -> None:
    outcome, message = judge_run("demo", counts(unreadable_price=1), {})
    assert outcome == "succeeded"
    assert message == "10 items, 8 stored, 1 duplicates, quarantined: unreadable_price 1"


def test_a_storage_error_fails_the_run_first() -> None:
    stats = {"ppne/first_failure": "https://x/1"}
    assert judge_run("demo", counts(), stats, error="storing a batch failed: boom") == (
        "failed",
        "demo: storing a batch failed: boom",
    )


def test_a_failed_page_fails_the_run_and_names_it() -> None:
    stats = {"ppne/first_failure": "https://x/1 (HTTP 503)", "ppne/failed_pages": 2}
    outcome, message = judge_run("maxi", counts(), stats)
    assert outcome == "failed"
    assert message.startswith(
        "spider maxi: 2 page(s) failed, first https://x/1 (HTTP 503); 10 items"
    )


def test_no_item_fails_naming_the_first_empty_page_or_the_entry_url() -> None:
    empty = counts(seen=0, stored=0, duplicates=0)
    stats = {"response_received_count": 3}
    assert judge_run("demo", empty, stats, entry_url="https://x/") == (
        "failed",
        "spider demo found no product at https://x/ (3 pages answered)",
    )
    stats["ppne/first_empty_url"] = "https://x/empty"
    assert "at https://x/empty" in judge_run("demo", empty, stats, entry_url="https://x/")[1]


def test_too_many_items_missing_page_fields_fail_but_missing_regions_do_not() -> None:
    stats = {"ppne/first_missing_url": "https://x/p"}
    assert judge_run("demo", counts(missing_price=2), stats)[0] == "succeeded"
    outcome, message = judge_run("demo", counts(missing_price=2, missing_sku=1), stats)
    assert outcome == "failed"
    assert "3 of 10 items miss required fields (more than 20%), first at https://x/p" in message
    assert judge_run("demo", counts(missing_region_code=9), stats)[0] == "succeeded"
    assert judge_run("demo", counts(missing_price=2), stats, max_missing_share=0.1)[0] == "failed"


def test_counts_are_read_from_the_stats() -> None:
    stats = {"ppne/items_seen": 5, "ppne/stored": 3, "ppne/dropped/unknown_region": 2}
    assert RunCounts.from_stats(stats) == RunCounts(5, 3, 0, {"unknown_region": 2})
