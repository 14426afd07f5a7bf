"""Shared foundations: the audit log, the action helpers, template environment and home page."""
