"""The use cases: the single write path of the hall.

Each public function is one thing a person does at a seat. It runs one transaction that checks
the rule in `console.domain`, checks the actor's permission, writes the rows, appends the case
event (audit trail and change feed) and any outbox rows, and returns a small value saying what
changed. Nothing else in the program writes to the database.
"""
