"""The store: units, members, reviews and their screenings in a relational database (SQLite or PostgreSQL)."""
