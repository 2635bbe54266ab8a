"""The researchers' API (FastAPI): thin routes over stored results."""
