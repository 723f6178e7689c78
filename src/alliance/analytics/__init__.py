"""Monitoring and evaluation over the warehouse: series, demographics, eligibility, membership."""
