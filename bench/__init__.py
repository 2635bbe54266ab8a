"""Benchmarks: figures printed by `ppne bench ...`, never asserted on in tests."""
