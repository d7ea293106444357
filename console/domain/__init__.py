"""The rules of the trade: pure Python, no Qt, no database, no network."""
