"""The persisted copy index of stored reviews: every upload is compared with the reviews of the whole
scope its uploader may see, not only with the same chi bộ's reviews of the year.

The index (service.index.copyindex over the store's lsh_* tables, created by migration 0001) holds each
stored review's normalised text, headings masked as the copying detector masks them, under the key
`review:<id>`. An upload asks it which stored reviews share windows with the new text; the best of those
the uploader may see join the Context as peers, so the copying detector aligns them like any peer.

The index follows the store, never leads it: a review is indexed only once its transaction has
committed, so a refused or failed upload leaves nothing behind. A review whose indexing failed after
the commit stays stored and is found again after `kiemdiem index rebuild`.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from service.api.queries import REVIEW_SOURCE_PREFIX, review_source
from service.api.references import ReviewCache, stored_reference
from service.api.scope import visible_units
from service.detect.base import Context
from service.detect.copying import heading_mask
from service.index.copyindex import WINDOW_PARAMS, CopyIndex
from service.index.sql_storage import SqlStorage
from service.store.models import Review, User
from service.text.document import Review as TextReview
from service.text.pipeline import build_review

log = logging.getLogger(__name__)

# How many stored reviews found by the index join one upload's Context at most (those sharing the most
# windows): aligning is the costly step, and a province holds tens of thousands of reviews.
MAX_INDEXED_PEERS = 20
REBUILD_CHUNK = 200


def open_index(engine: Engine) -> CopyIndex:
    """The copy index kept in `engine`'s database, with the parameters the index module defines."""
    return CopyIndex(storage=SqlStorage(engine, WINDOW_PARAMS.num_perm, WINDOW_PARAMS.bands))


class SharedIndex:
    """One CopyIndex per process, opened on first use: opening it touches the lsh tables, which exist
    only once `kiemdiem db upgrade` has run, and the app must start (and answer 503) before that."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._index: CopyIndex | None = None
        self._lock = threading.Lock()

    def get(self) -> CopyIndex:
        with self._lock:
            if self._index is None:
                self._index = open_index(self.engine)
            return self._index


def _review_id(key: str) -> int | None:
    if not key.startswith(REVIEW_SOURCE_PREFIX):
        return None
    number = key[len(REVIEW_SOURCE_PREFIX) :]
    return int(number) if number.isdigit() else None


def add_indexed_peers(
    session: Session,
    user: User,
    stored: Review,
    review: TextReview,
    context: Context,
    index: CopyIndex,
    cache: ReviewCache,
) -> None:
    """Add to `context.peers` the stored reviews the index finds for `review` that the context does not
    name yet, the uploader may see, and are of the same kind (best MAX_INDEXED_PEERS by windows hit)."""
    hits = index.query(review.text, heading_mask(review), exclude=review_source(stored.id))
    found = {rid: n for key, n in hits if (rid := _review_id(key)) is not None}
    named = {r.source for r in (*context.history, *context.peers)}
    found = {rid: n for rid, n in found.items() if review_source(rid) not in named}
    if not found:
        return
    query = select(Review.id).where(
        Review.id.in_(list(found)),
        Review.unit_id.in_(visible_units(user)),
        Review.kind == stored.kind,
        Review.id != stored.id,
    )
    if stored.member_id is not None:
        # The author's own reviews are history (earlier years) or not sources at all (later ones).
        query = query.where((Review.member_id != stored.member_id) | Review.member_id.is_(None))
    allowed = session.scalars(query).all()
    best = sorted(allowed, key=lambda rid: (-found[rid], rid))[:MAX_INDEXED_PEERS]
    rows = session.scalars(select(Review).where(Review.id.in_(best))).all()
    by_id = {r.id: r for r in rows}
    context.peers.extend(stored_reference(cache, by_id[rid], "peer") for rid in best if rid in by_id)


def index_review(index: CopyIndex, review_id: int, review: TextReview) -> None:
    """(Re)index one stored review under `review:<id>`; its previous windows are replaced."""
    index.add(review_source(review_id), review.text, heading_mask(review))


def index_after_commit(session: Session, index: CopyIndex, review_id: int, review: TextReview) -> None:
    """Index the review once `session` commits; a rollback leaves the index untouched."""

    def _add(_: Session) -> None:
        try:
            index_review(index, review_id, review)
        except Exception:
            # The review is committed and its screening is valid; only cross-unit search misses it
            # until the next `kiemdiem index rebuild`, which is better than answering 500 for a stored review.
            log.exception("review %s stored but not indexed", review_id)

    def _forget(_: Session, __: object) -> None:
        # A rolled-back session may be used again: its next commit must not index this review.
        if event.contains(session, "after_commit", _add):
            event.remove(session, "after_commit", _add)

    event.listen(session, "after_commit", _add, once=True)
    event.listen(session, "after_soft_rollback", _forget, once=True)


def rebuild(session: Session, index: CopyIndex) -> int:
    """Index every stored review again and forget indexed reviews the store no longer holds; returns how
    many reviews are indexed."""
    ids = sorted(session.scalars(select(Review.id)))
    for key in sorted(index.keys(REVIEW_SOURCE_PREFIX) - {review_source(rid) for rid in ids}):
        index.remove(key)
    # In chunks, each read whole before the index writes: an open SQLite cursor would lock them out.
    for start in range(0, len(ids), REBUILD_CHUNK):
        chunk = session.scalars(select(Review).where(Review.id.in_(ids[start : start + REBUILD_CHUNK]))).all()
        for stored in chunk:
            kind = "collective" if stored.kind == "collective" else "individual"
            built = build_review(stored.text, source=review_source(stored.id), year=stored.year, kind=kind)
            index_review(index, stored.id, built)
        session.expunge_all()  # the texts of a chunk are not needed any more
    return len(ids)
