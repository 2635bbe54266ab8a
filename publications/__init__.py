"""Publications: the bulletin for journalists (charts, HTML and PDF, in French)."""
