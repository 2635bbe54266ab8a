"""Readers: rows to the frames and records the engine and use cases read, a module a subject."""
