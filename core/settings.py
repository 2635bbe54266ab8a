"""Settings read lazily from the environment (prefix PPNE_), with a working SQLite default."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATA_DIR = Path("data")


class Settings(BaseSettings):
    """Everything a deployment may change; defaults run the demo on one machine."""

    model_config = SettingsConfigDict(env_prefix="PPNE_", env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{DEFAULT_DATA_DIR / 'ppne.db'}"
    out_dir: Path = Path("out")
    # Seed of the demo store website: the same seed gives the same prices everywhere.
    demo_seed: int = 2026
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    # Reference family of the Nutritious Food Basket practice: man and woman 31-50 (in the
    # CFG 19-50 groups), boy 14-18, girl 4-8.
    # PPNE_REFERENCE_FAMILY is written comma-separated: "male_19_50,female_19_50,...".
    reference_family: Annotated[list[str], NoDecode] = [
        "male_19_50",
        "female_19_50",
        "male_14_18",
        "female_4_8",
    ]
    # Costing protocol settings a deployment may change (docs/engine.md lists them all).
    costing_preset: str = "nfb"
    minimum_stores: int = 6
    # Coverage rules (docs/engine.md, "Coverage rules"): a figure whose share of the
    # basket's items priced, or of its cost (weighted by the previous period's prices where
    # they exist), is under `coverage_warn_below` is published with a warning; under
    # `coverage_withhold_below` it is withheld (stored with its reason, never headlined).
    # Project choice: 95 % and 80 %, so one or two items missing of 75 only warn, and a
    # basket missing a fifth of its cost is never quoted.
    coverage_warn_below: float = 0.95
    coverage_withhold_below: float = 0.80
    # A parent region whose eligible stores all lie in one child (the province priced from
    # Montréal stores): "note" says so in the reason (status warning), "withhold" withholds.
    single_child_parent: str = "note"
    # Babies under 6 months (members written F:4m): "formula" prices a day's formula a day;
    # "breast_milk" costs them 0 $ (nothing to buy). Which one a figure assumes is a choice.
    infant_feeding: str = "formula"
    # Costing period: "month" (YYYY-MM) or "quarter" (YYYY-Qn, the PPNE survey rounds of
    # October, January, April and July open Q4, Q1, Q2 and Q3).
    costing_frequency: str = "month"
    # The round changes are reported against (the PPNE reports the change since October 2021).
    base_period: str = "2021-Q4"
    # The contact the editions print (ppne publish); unset, they print a visible "to be
    # completed" mark rather than an address nobody answers.
    publication_contact: str | None = None
    # API tokens (ppne users token, POST /v1/auth/token) expire after this many days.
    token_days: int = 30
    # Sign-in: this many failed attempts for one account (or five times as many from one
    # address) within the window refuse further attempts until the window has passed.
    login_max_failures: int = 5
    login_window_minutes: int = 15
    # Counts under this are suppressed in funder reports and satisfaction summaries.
    suppression_threshold: int = 5
    # Worker threads the API's public database reads share (api/read_pool.py). Few on
    # purpose: with the default forty, twenty concurrent page requests fought over the GIL
    # and each cost 9 ms of CPU instead of 3.6; raise it where the database is a separate
    # server (PostgreSQL) and a read mostly waits for it.
    api_read_threads: int = Field(default=4, ge=1, le=64)
    # Largest survey sheet POST /v1/surveys takes, in bytes; larger answers 413.
    upload_max_bytes: int = 10_000_000
    # Importers read and prepare rows in a second process while the first writes them
    # (where fork exists and there are two cores); off, everything runs in one process.
    import_worker: bool = True
    # The price gate's believable prices, per unit, kg or L alike (core/observations/gate.py):
    # a price outside them is refused with its reason, never stored.
    price_min: Decimal = Decimal("0.01")
    price_max: Decimal = Decimal("10000")

    @field_validator("reference_family", mode="before")
    @classmethod
    def _split_codes(cls, value: object) -> object:
        if isinstance(value, str):
            return [code.strip() for code in value.split(",") if code.strip()]
        return value


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings, read on first use."""
    return Settings()
