"""The copy audit: a unit's copy flags grouped into clusters of reviews that share passages.

Reviews and the sources they copied from are the nodes, each copy flag an edge; a cluster is a connected
component (union-find), so a passage passed from A to B to C shows as one group. A source outside the
user's scope is one node per review id, shown only as "a review outside your scope"; a template is one
node per template, so everyone who copied the same sample lands in one cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from service.api.queries import CopyRow, copies
from service.store.models import User
from service.web.sources import HIDDEN_TEXT, OUT_OF_SCOPE, Source, sources


@dataclass(frozen=True)
class Pair:
    review_id: int
    review_label: str
    code: str
    passage: str
    source_label: str
    source_review_id: int | None  # None for templates and for sources outside the user's scope
    source_passage: str
    similarity: float | None


@dataclass
class Cluster:
    reviews: dict[int, str] = field(default_factory=dict)  # review id → label, in the user's scope
    sources: list[str] = field(default_factory=list)  # other sources: templates, reviews out of scope
    pairs: list[Pair] = field(default_factory=list)

    @property
    def best(self) -> float:
        return max((p.similarity or 0.0 for p in self.pairs), default=0.0)


class _Groups:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, node: str) -> str:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def _label(row: CopyRow, known: dict[int, Source]) -> str:
    return known[row.review_id].label if row.review_id in known else f"bản kiểm điểm năm {row.year}"


def _source_node(row: CopyRow) -> str:
    if row.source_review_id is not None:
        return f"review:{row.source_review_id}"
    return f"source:{row.source or '?'}"


def clusters(session: Session, user: User, *, unit_code: str, year: int | None) -> list[Cluster]:
    """The clusters of the unit's latest screenings (units below included), largest similarity first."""
    rows = copies(session, unit_code=unit_code, year=year)
    known = sources(session, user, [r.review_id for r in rows] + [r.source_review_id for r in rows])
    groups = _Groups()
    for row in rows:
        groups.join(f"review:{row.review_id}", _source_node(row))
    found: dict[str, Cluster] = {}
    for row in rows:
        cluster = found.setdefault(groups.find(f"review:{row.review_id}"), Cluster())
        cluster.reviews[row.review_id] = _label(row, known)
        source = known.get(row.source_review_id) if row.source_review_id is not None else None
        if source is not None and source.visible and source.text is not None:
            cluster.reviews.setdefault(source.review_id, source.label)
            start, end = row.source_start, row.source_end
            passage = source.text[start:end] if start is not None and end is not None else ""
            label, source_id = source.label, source.review_id
        elif row.source_review_id is not None:
            passage, label, source_id = HIDDEN_TEXT, OUT_OF_SCOPE, None
        else:
            # A template of the library: its text is the shared sample everyone may read.
            passage = row.source_excerpt or ""
            label, source_id = f"mẫu viết sẵn {row.source or ''}".strip(), None
        if source_id is None and label not in cluster.sources:
            cluster.sources.append(label)
        cluster.pairs.append(
            Pair(
                review_id=row.review_id,
                review_label=_label(row, known),
                code=row.code,
                passage=row.text,
                source_label=label,
                source_review_id=source_id,
                source_passage=passage,
                similarity=row.similarity,
            )
        )
    return sorted(found.values(), key=lambda c: (-len(c.reviews), -c.best))
