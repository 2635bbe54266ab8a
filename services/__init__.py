"""Use cases: what the application does, for the command line, the API and the web app."""
