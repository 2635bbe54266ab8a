"""The ppne command line (Typer)."""
