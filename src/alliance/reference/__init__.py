"""Reference tables shipped with the code (not source exports); a YAML beside each CSV names its sources."""
