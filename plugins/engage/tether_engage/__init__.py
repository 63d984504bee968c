"""Engage connector (in progress)."""
