"""Mutual aid and the staff bank: cover requests, escalation pools, safe claiming, timesheets, exports."""
