"""The store tests use ``db_url`` from tests/conftest.py (a real SQLite file or a private PostgreSQL schema)."""
