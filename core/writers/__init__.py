"""Writers: computed costs, lineage and match decisions back to the database (callers commit)."""
