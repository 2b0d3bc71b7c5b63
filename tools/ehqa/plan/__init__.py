"""Planners: pure functions that decide things — the calendar of cycles, and who audits what."""
