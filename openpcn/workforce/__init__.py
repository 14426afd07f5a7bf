"""Workforce: staff, employers, contracts and job roles (ARRS included), skills, sites, availability, leave, training."""
