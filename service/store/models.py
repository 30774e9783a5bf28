"""The store's tables: the unit hierarchy, members, reviews, and each review's screenings with their flags.

A review's `text` is the normalised text (contract `kiemdiem.screen/1`): every offset of its screenings'
flags indexes into it. A review is screened again when its context changes (new history, new templates),
so one review has many screenings; the latest is the one shown.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

UNIT_KINDS = ("province", "grassroots", "chibo")
REVIEW_KINDS = ("individual", "collective")
SEVERITIES = ("high", "medium", "low")
USER_ROLES = ("admin", "committee", "secretary", "inspector")

# SQLite reuses the rowid of a deleted row unless AUTOINCREMENT is asked for; ids of reviews and screenings
# are cited elsewhere (copy evidence, links), so a deleted one must never come back as another.
NO_REUSE = {"sqlite_autoincrement": True}

# Named constraints, so later migrations (SQLite batch mode included) can find and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _now() -> datetime:
    return datetime.now(UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Unit(Base):
    """A Party organisation: the province committee, a grassroots organisation (đảng bộ cơ sở), a chi bộ."""

    __tablename__ = "units"
    __table_args__ = (CheckConstraint(_in("kind", UNIT_KINDS), name="kind"), NO_REUSE)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(128), unique=True)
    name: Mapped[str] = mapped_column(String(512))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")


class Member(Base):
    __tablename__ = "members"
    __table_args__ = NO_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(128), unique=True)
    name: Mapped[str] = mapped_column(String(512))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)

    unit: Mapped[Unit] = relationship()


class Review(Base):
    """One submitted review: a member's (individual) or a unit's (collective, no member) for one year."""

    __tablename__ = "reviews"
    __table_args__ = (
        # Individual reviews: one per member, unit, year and kind.
        UniqueConstraint("unit_id", "member_id", "year", "kind", name="uq_reviews_subject"),
        # A UNIQUE over a NULL member_id never fires (NULLs are distinct in SQL), so collective reviews get
        # their own partial index: one per unit, year and kind.
        Index(
            "uq_reviews_collective",
            "unit_id",
            "year",
            "kind",
            unique=True,
            sqlite_where="member_id IS NULL",
            postgresql_where="member_id IS NULL",
        ),
        CheckConstraint(_in("kind", REVIEW_KINDS), name="kind"),
        # An individual review has an author; a collective one is the unit's own.
        CheckConstraint("(kind = 'individual') = (member_id IS NOT NULL)", name="member_iff_individual"),
        NO_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    form: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(1024))
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    unit: Mapped[Unit] = relationship()
    member: Mapped[Member | None] = relationship()
    screenings: Mapped[list[Screening]] = relationship(
        back_populates="review", cascade="all, delete-orphan", passive_deletes=True, order_by="Screening.id"
    )


class Screening(Base):
    """One run of the detectors over a review; `result` is the whole `kiemdiem.screen/1` object."""

    __tablename__ = "screenings"
    __table_args__ = NO_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    schema: Mapped[str] = mapped_column(String(32))
    pipeline_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    # One column per score family, so lists can be ranked and filtered without reading `result`.
    formalism: Mapped[float | None] = mapped_column(Float)
    duplication: Mapped[float | None] = mapped_column(Float)
    boilerplate: Mapped[float | None] = mapped_column(Float)
    remedies: Mapped[float | None] = mapped_column(Float)
    coverage: Mapped[float | None] = mapped_column(Float)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)

    review: Mapped[Review] = relationship(back_populates="screenings")
    flags: Mapped[list[Flag]] = relationship(
        back_populates="screening", cascade="all, delete-orphan", passive_deletes=True, order_by="Flag.id"
    )


class Flag(Base):
    """One flag of a screening; `start`/`end` index into the review's `text`."""

    __tablename__ = "flags"
    __table_args__ = (CheckConstraint(_in("severity", SEVERITIES), name="severity"), NO_REUSE)

    id: Mapped[int] = mapped_column(primary_key=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("screenings.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(8))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    hint: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)

    screening: Mapped[Screening] = relationship(back_populates="flags")


class User(Base):
    """Someone the API lets in: a role, and the unit at the top of the subtree whose reviews they may see.

    Only the SHA-256 of the API token is kept: a copy of the database does not let anyone in. The plain
    token is shown once, when the user is created (`repository.add_user`).
    """

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", USER_ROLES), name="role"), NO_REUSE)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(512))
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit: Mapped[Unit] = relationship()


def schema_metadata() -> MetaData:
    """Every table the migrations manage: the store's models and the copy index's tables, in one MetaData."""
    from service.index.sql_storage import metadata as index_metadata

    # No naming convention here: the models' constraint names are already resolved, and the copy index's
    # unnamed primary keys keep the database's default names, as SqlStorage creates them.
    combined = MetaData()
    for source in (Base.metadata, index_metadata):
        for table in source.tables.values():
            table.to_metadata(combined)
    return combined
