"""The spiders: one short module per site or platform, over shared base spiders."""
