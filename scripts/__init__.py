"""One-off maintenance scripts run from a checkout (`python -m scripts.<name>`); not shipped."""
