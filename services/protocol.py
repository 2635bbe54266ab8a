"""The costing protocol a deployment uses, built from its settings at the edge."""

from __future__ import annotations

from basket.protocol import CostingProtocol
from core.settings import Settings


def costing_protocol(settings: Settings) -> CostingProtocol:
    """Return the NFB protocol with the deployment's family, preset, coverage and frequency."""
    return CostingProtocol(
        reference_family=tuple(settings.reference_family),
        preset=settings.costing_preset,
        minimum_stores=settings.minimum_stores,
        warn_below_share=settings.coverage_warn_below,
        withhold_below_share=settings.coverage_withhold_below,
        single_child_parent=settings.single_child_parent,
        frequency=settings.costing_frequency,
        infant_feeding=settings.infant_feeding,
    )
