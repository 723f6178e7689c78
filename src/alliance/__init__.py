"""Connecticut's Alliance District program as open, tested rules over public data."""

__version__ = "0.1.0"
