"""Meals on wheels (popote roulante): plans, routes, runs, route sheets, outcomes."""
