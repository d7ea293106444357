"""The central database: models, engine and sessions, migrations.

Import the pieces from their modules (`console.db.models`, `console.db.engine`,
`console.db.migrate`); this package stays light so importing a model does not pull Alembic in.
"""
