"""One module per source folder under ``raw/``; each defines ``SOURCE`` (see data/source.py)."""
