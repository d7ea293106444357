"""External systems: HTTP clients, the outbox dispatcher and the hall simulator (no Qt)."""
