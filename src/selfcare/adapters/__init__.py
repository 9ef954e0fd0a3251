"""Adapters that ship with the library: in-memory and SQLite implementations of the ports."""
