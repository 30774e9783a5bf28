"""The HTTP API: a thin shell over screening and the store, with access by role and unit.

The app never changes the database's schema: `kiemdiem db upgrade` must run first; until it has, every
request is answered 503 with a Vietnamese message.
"""
