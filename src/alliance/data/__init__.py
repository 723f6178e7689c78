"""Readers for the official exports, their schemas, and the warehouse built from them."""
