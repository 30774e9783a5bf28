"""The Context of an upload, built from the store: the same subject's earlier reviews (history), the other
reviews of the same unit, year and kind (peers), and the template library.

Only reviews the uploader may see are consulted: copy flags quote their source (`source_excerpt`), so a
review outside the uploader's subtree must never become a source. Stored reviews are named
`review:<id>` in evidence. Analysing a stored text costs far more than screening against it, so analysed
reviews are kept in a small in-memory cache keyed by id and SHA-256 (a replaced text is a new key).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.api.queries import review_source
from service.api.scope import visible_units
from service.detect.base import Context, Reference, SourceRole
from service.library import TemplateLibrary
from service.store.models import Member, Review, Unit, User
from service.text.document import Review as TextReview
from service.text.pipeline import build_review


class ReviewCache:
    """Analysed stored reviews (LRU) and the analysed template library, shared by the app's requests."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._reviews: OrderedDict[tuple[int, str], TextReview] = OrderedDict()
        self._templates: tuple[tuple[str, ...], list[Reference]] | None = None
        self._lock = threading.Lock()

    def review(self, stored: Review) -> TextReview:
        key = (stored.id, stored.sha256)
        with self._lock:
            found = self._reviews.get(key)
            if found is not None:
                self._reviews.move_to_end(key)
                return found
        # Built outside the lock: two requests may both build one review, which is harmless.
        built = build_review(
            stored.text,
            source=review_source(stored.id),
            year=stored.year,
            kind="collective" if stored.kind == "collective" else "individual",
        )
        with self._lock:
            self._reviews[key] = built
            while len(self._reviews) > self.size:
                self._reviews.popitem(last=False)
        return built

    def templates(self) -> list[Reference]:
        """The template library's references; read again only when its entries change."""
        library = TemplateLibrary()
        key = tuple(sorted(f"{e.id}:{e.path}" for e in library.entries()))
        with self._lock:
            if self._templates is not None and self._templates[0] == key:
                return list(self._templates[1])
        refs = library.references()
        with self._lock:
            self._templates = (key, refs)
        return list(refs)


def stored_reference(cache: ReviewCache, stored: Review, role: SourceRole) -> Reference:
    author = stored.member.code if stored.member is not None else None
    source = review_source(stored.id)
    # Messages name the source by its author and unit, not by the store's id: the uploader may see both.
    label = ", ".join(x for x in (stored.member.name if stored.member else None, stored.unit.name) if x)
    return Reference(
        review=cache.review(stored), role=role, source=source, year=stored.year, author=author, label=label
    )


def context_for(session: Session, user: User, stored: Review, cache: ReviewCache) -> Context:
    """The Context `stored` is screened with (see the module's docstring)."""
    seen = visible_units(user)
    same_subject = (
        Review.member_id == stored.member_id
        if stored.member_id is not None
        else (Review.unit_id == stored.unit_id) & Review.member_id.is_(None)
    )
    history = session.scalars(
        select(Review)
        .where(same_subject, Review.kind == stored.kind, Review.year < stored.year, Review.unit_id.in_(seen))
        .order_by(Review.year.desc(), Review.id.desc())
    ).all()
    peers = session.scalars(
        select(Review)
        .where(
            Review.unit_id == stored.unit_id,
            Review.year == stored.year,
            Review.kind == stored.kind,
            Review.id != stored.id,
        )
        .order_by(Review.id)
    ).all()
    unit_code = session.scalar(select(Unit.code).where(Unit.id == stored.unit_id))
    author = (
        session.scalar(select(Member.code).where(Member.id == stored.member_id))
        if stored.member_id is not None
        else unit_code
    )
    return Context(
        history=[stored_reference(cache, r, "history") for r in history],
        peers=[stored_reference(cache, r, "peer") for r in peers],
        templates=cache.templates(),
        resources={"author": author, "unit": unit_code},
    )
