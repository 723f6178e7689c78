"""Policy simulation: scenarios as data, run against the current law."""
