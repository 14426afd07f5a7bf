"""Workforce pages: staff list and record, leave requests and approvals."""
