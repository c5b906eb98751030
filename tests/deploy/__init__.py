"""Tests of the portal served by several processes."""
