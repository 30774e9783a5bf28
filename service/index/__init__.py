"""The copy index: syllable shingles, MinHash LSH candidate retrieval (with a storage interface for an
in-memory or persisted backend), a windowed index for partial copies, and passage alignment."""
