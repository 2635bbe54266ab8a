"""Use cases of the service records: each checks the caller's grants and leaves an audit row."""
