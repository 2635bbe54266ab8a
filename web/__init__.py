"""The web app at /app: server-rendered pages in French and English, served by the API's process."""
