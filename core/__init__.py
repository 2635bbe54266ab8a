"""Shared foundation: settings, database, tables, units and money. Imports nothing of ours."""
