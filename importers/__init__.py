"""Importers: collectors that read files (survey sheets, StatCan, Open Prices, flyers, CSV)."""
