"""Oversight: metadata quality, link checks, freshness, dashboards, home page, digests."""
