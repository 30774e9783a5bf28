"""The store's error for users, in a module of its own: the CLI catches it without importing SQLAlchemy."""


class StoreError(Exception):
    """The database cannot be reached or used; the message is one Vietnamese line for the user."""
