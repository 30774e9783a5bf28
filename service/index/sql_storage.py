"""The LSH index persisted in a relational database (SQLite file by default, PostgreSQL in production).

The same `LshStorage` interface as `MemoryStorage`, so a service or batch job keeps its copy index across
processes and adds reviews incrementally as they arrive. Tables follow the layout in `storage.py`; the
index parameters are stored too and checked on open, so an index is never queried with other bands.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Index,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    and_,
    create_engine,
    delete,
    func,
    insert,
    or_,
    select,
    tuple_,
)

metadata = MetaData()
lsh_bucket = Table(
    "lsh_bucket",
    metadata,
    Column("band", SmallInteger, nullable=False),
    Column("bucket", BigInteger, nullable=False),
    Column("doc_key", String(512), nullable=False),
    Index("ix_lsh_bucket_band_bucket", "band", "bucket"),
    Index("ix_lsh_bucket_doc_key", "doc_key"),
)
lsh_signature = Table(
    "lsh_signature",
    metadata,
    Column("doc_key", String(512), primary_key=True),
    Column("signature", LargeBinary, nullable=False),
)
lsh_params = Table(
    "lsh_params",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(256), nullable=False),
)


class IndexParamsMismatch(ValueError):
    """The database holds an index built with other parameters."""


class SqlStorage:
    def __init__(self, url_or_engine: str | Engine, num_perm: int, num_bands: int) -> None:
        self.engine = create_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
        self.num_perm = num_perm
        self.num_bands = num_bands
        metadata.create_all(self.engine)
        self._check_params()

    def _check_params(self) -> None:
        wanted = {"num_perm": str(self.num_perm), "bands": str(self.num_bands)}
        with self.engine.begin() as conn:
            stored = dict(conn.execute(select(lsh_params.c.name, lsh_params.c.value)).all())
            if not stored:
                conn.execute(insert(lsh_params), [{"name": k, "value": v} for k, v in wanted.items()])
            elif any(stored.get(k) != v for k, v in wanted.items()):
                raise IndexParamsMismatch(f"index built with {stored}, opened with {wanted}")

    def insert(self, key: str, signature: np.ndarray, band_keys: np.ndarray) -> None:
        self.insert_many([(key, signature, band_keys)])

    def insert_many(self, entries: Sequence[tuple[str, np.ndarray, np.ndarray]]) -> None:
        """All entries in one transaction and two multi-row statements: a review's windows are stored
        together (a round trip per window made re-indexing a province take most of an hour)."""
        if not entries:
            return
        with self.engine.begin() as conn:
            conn.execute(
                insert(lsh_signature),
                [
                    {"doc_key": key, "signature": np.asarray(signature, dtype="<u4").tobytes()}
                    for key, signature, _ in entries
                ],
            )
            conn.execute(
                insert(lsh_bucket),
                [
                    {"band": band, "bucket": int(b), "doc_key": key}
                    for key, _, band_keys in entries
                    for band, b in enumerate(band_keys.tolist())
                ],
            )

    def remove(self, key: str, band_keys: np.ndarray) -> bool:
        with self.engine.begin() as conn:
            gone = conn.execute(delete(lsh_signature).where(lsh_signature.c.doc_key == key)).rowcount
            conn.execute(delete(lsh_bucket).where(lsh_bucket.c.doc_key == key))
        return bool(gone)

    def candidates(self, band_keys: np.ndarray) -> list[str]:
        pairs = [(band, int(b)) for band, b in enumerate(band_keys.tolist())]
        condition = (
            tuple_(lsh_bucket.c.band, lsh_bucket.c.bucket).in_(pairs)
            if self.engine.dialect.name == "postgresql"
            else or_(*(and_(lsh_bucket.c.band == band, lsh_bucket.c.bucket == b) for band, b in pairs))
        )
        with self.engine.connect() as conn:
            rows = conn.execute(select(lsh_bucket.c.doc_key).where(condition).distinct()).all()
        return [r[0] for r in rows]

    def signatures(self, keys: Sequence[str]) -> np.ndarray:
        if not keys:
            return np.zeros((0, self.num_perm), dtype=np.uint32)
        with self.engine.connect() as conn:
            rows = dict(
                conn.execute(
                    select(lsh_signature.c.doc_key, lsh_signature.c.signature).where(
                        lsh_signature.c.doc_key.in_(list(keys))
                    )
                ).all()
            )
        return np.stack([np.frombuffer(rows[k], dtype="<u4").astype(np.uint32) for k in keys])

    def signature(self, key: str) -> np.ndarray | None:
        with self.engine.connect() as conn:
            blob = conn.execute(
                select(lsh_signature.c.signature).where(lsh_signature.c.doc_key == key)
            ).scalar_one_or_none()
        return None if blob is None else np.frombuffer(blob, dtype="<u4").astype(np.uint32)

    def keys(self) -> Iterator[str]:
        with self.engine.connect() as conn:
            return iter([r[0] for r in conn.execute(select(lsh_signature.c.doc_key)).all()])

    def keys_with_prefix(self, prefix: str) -> list[str]:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        condition = lsh_signature.c.doc_key.like(escaped + "%", escape="\\")
        if prefix and self.engine.dialect.name == "sqlite":
            # SQLite cannot use the primary key for a LIKE with ESCAPE; the same range under its binary
            # collation can (PostgreSQL's default collations do not order bytes, so it gets LIKE only).
            upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            condition = condition & (lsh_signature.c.doc_key >= prefix) & (lsh_signature.c.doc_key < upper)
        with self.engine.connect() as conn:
            rows = conn.execute(select(lsh_signature.c.doc_key).where(condition)).all()
        # SQLite's LIKE ignores ASCII case; keys are case-sensitive.
        return [r[0] for r in rows if r[0].startswith(prefix)]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.signature(key) is not None

    def __len__(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(lsh_signature)).scalar_one())
