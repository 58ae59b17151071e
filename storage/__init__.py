"""Storage: SQLAlchemy models, engine/session setup, Alembic migrations."""
