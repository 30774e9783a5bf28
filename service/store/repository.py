"""Small functions over a Session: the unit hierarchy, members, reviews, screenings and rankings.

They flush but never commit: the caller's `session_scope` decides what one unit of work is, so a batch of
reviews is stored entirely or not at all.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.orm import Session, aliased

from service.store.models import REVIEW_KINDS, UNIT_KINDS, USER_ROLES, Flag, Member, Review, Unit, User
from service.store.models import Screening as ScreeningRow

if TYPE_CHECKING:
    from service.screening import Screening

KIND_NAMES = {"individual": "bản kiểm điểm cá nhân", "collective": "báo cáo kiểm điểm tập thể"}


class DuplicateReview(ValueError):
    """A review of the same subject, year and kind is already stored; the stored one was left untouched."""


def unit(session: Session, code: str, name: str, kind: str, parent: Unit | None = None) -> Unit:
    """The unit with `code`, created if absent. A known unit's name is refreshed (units get renamed), but
    its kind and parent are never changed behind the caller's back: moving a unit moves who may see its
    reviews, so a mismatch is an error."""
    if kind not in UNIT_KINDS:
        raise ValueError(f"loại đơn vị không hợp lệ: {kind!r} (phải là {', '.join(UNIT_KINDS)})")
    session.flush()
    found = session.scalar(select(Unit).where(Unit.code == code))
    parent_id = parent.id if parent is not None else None
    if found is None:
        found = Unit(code=code, name=name, kind=kind, parent=parent)
        session.add(found)
        session.flush()
        return found
    if found.kind != kind or found.parent_id != parent_id:
        raise ValueError(
            f"mã đơn vị {code!r} đã dùng cho một đơn vị khác loại hoặc khác cấp trên ({found.name})"
        )
    found.name = name
    session.flush()
    return found


def member(session: Session, code: str, name: str, unit: Unit) -> Member:
    """The member with `code`, created if absent. Name and current unit are refreshed: members transfer
    between chi bộ, and each stored review keeps the unit it was written in."""
    session.flush()
    found = session.scalar(select(Member).where(Member.code == code))
    if found is None:
        found = Member(code=code, name=name, unit=unit)
        session.add(found)
        session.flush()
        return found
    found.name = name
    found.unit = unit
    session.flush()
    return found


def _duplicate_message(unit: Unit, member: Member | None, year: int, kind: str) -> str:
    whose = f"của đảng viên {member.name} (mã {member.code}), {unit.name}" if member else f"của {unit.name}"
    return (
        f"Đã có {KIND_NAMES[kind]} năm {year} {whose} (đơn vị mã {unit.code}); bản đã lưu được giữ nguyên. "
        "Muốn thay thế thì phải yêu cầu thay thế rõ ràng."
    )


def add_review(
    session: Session,
    *,
    unit: Unit,
    member: Member | None,
    year: int,
    kind: str,
    source: str,
    text: str,
    form: str | None,
    replace: bool = False,
) -> Review:
    """Store a review. If one of the same unit, member, year and kind exists: raise DuplicateReview and
    leave it as it is, or with `replace=True` put the new text in its place and drop its screenings (their
    offsets index into the old text)."""
    if kind not in REVIEW_KINDS:
        raise ValueError(f"loại bản kiểm điểm không hợp lệ: {kind!r}")
    if (kind == "individual") != (member is not None):
        raise ValueError("bản kiểm điểm cá nhân phải có đảng viên; báo cáo tập thể thì không")
    session.flush()
    same_member = Review.member_id.is_(None) if member is None else Review.member_id == member.id
    found = session.scalar(
        select(Review).where(Review.unit_id == unit.id, same_member, Review.year == year, Review.kind == kind)
    )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if found is not None:
        if not replace:
            raise DuplicateReview(_duplicate_message(unit, member, year, kind))
        found.screenings.clear()
        found.source, found.text, found.form, found.sha256 = source, text, form, digest
        found.created_at = datetime.now(UTC)
        session.flush()
        return found
    review = Review(
        unit=unit, member=member, year=year, kind=kind, form=form, source=source, text=text, sha256=digest
    )
    session.add(review)
    session.flush()
    return review


def save_screening(session: Session, review: Review, screening: Screening) -> ScreeningRow:
    """Store a screening of `review`: its scores, the whole contract object, and one Flag row per flag."""
    if screening.review.text != review.text:
        # Every offset indexes into the text; stored against another text they would point elsewhere.
        raise ValueError("kết quả rà soát không thuộc văn bản của bản kiểm điểm đã lưu")
    # Through JSON once, so the stored object and the one read back are equal (tuples become lists) and a
    # value JSON cannot hold fails here, not at commit.
    result: dict[str, Any] = json.loads(json.dumps(screening.to_dict(), ensure_ascii=False))
    scores = result["scores"]
    row = ScreeningRow(
        review=review,
        schema=result["schema"],
        pipeline_version=str(result["pipeline"]["version"]),
        formalism=scores.get("formalism"),
        duplication=scores.get("duplication"),
        boilerplate=scores.get("boilerplate"),
        remedies=scores.get("remedies"),
        coverage=scores.get("coverage"),
        result=result,
        flags=[
            Flag(
                code=f["code"],
                severity=f["severity"],
                start=f["start"],
                end=f["end"],
                message=f["message"],
                hint=f["hint"],
                evidence=f["evidence"],
            )
            for f in result["flags"]
        ],
    )
    session.add(row)
    session.flush()
    return row


def subtree(code: str) -> Select[tuple[int]]:
    """The ids of the unit with `code` and of every unit below it (recursive, SQLite and PostgreSQL)."""
    tree = select(Unit.id).where(Unit.code == code).cte("subtree", recursive=True)
    child = aliased(Unit)
    tree = tree.union_all(select(child.id).join(tree, child.parent_id == tree.c.id))
    return select(tree.c.id)


@dataclass(frozen=True)
class RankedReview:
    review_id: int
    screening_id: int
    year: int
    kind: str
    form: str | None
    source: str
    unit_code: str
    unit_name: str
    member_code: str | None
    member_name: str | None
    scores: dict[str, float | None]

    @property
    def formalism(self) -> float | None:
        return self.scores["formalism"]


def latest_screening_ids() -> Select[tuple[int]]:
    """The id of each review's latest screening (the one shown and ranked), as a subquery to filter on."""
    numbered = select(
        ScreeningRow.id,
        func.row_number()
        .over(
            partition_by=ScreeningRow.review_id,
            order_by=(ScreeningRow.created_at.desc(), ScreeningRow.id.desc()),
        )
        .label("n"),
    ).subquery()
    return select(numbered.c.id).where(numbered.c.n == 1)


def ranked(
    session: Session, *, year: int, unit_code: str | None = None, limit: int | None = None
) -> list[RankedReview]:
    """The latest screening of each review of `year`, most formalistic first (unscored last). With
    `unit_code`, only the reviews of that unit and the units below it; an unknown code gives none."""
    query = (
        select(ScreeningRow, Review, Unit, Member)
        .where(ScreeningRow.id.in_(latest_screening_ids()))
        .join(Review, ScreeningRow.review_id == Review.id)
        .join(Unit, Review.unit_id == Unit.id)
        .outerjoin(Member, Review.member_id == Member.id)
        .where(Review.year == year)
        .order_by(ScreeningRow.formalism.desc().nulls_last(), Review.id)
    )
    if unit_code is not None:
        query = query.where(Review.unit_id.in_(subtree(unit_code)))
    if limit is not None:
        query = query.limit(limit)
    return [
        RankedReview(
            review_id=review.id,
            screening_id=row.id,
            year=review.year,
            kind=review.kind,
            form=review.form,
            source=review.source,
            unit_code=unit_.code,
            unit_name=unit_.name,
            member_code=member_.code if member_ else None,
            member_name=member_.name if member_ else None,
            scores={
                "formalism": row.formalism,
                "duplication": row.duplication,
                "boilerplate": row.boilerplate,
                "remedies": row.remedies,
                "coverage": row.coverage,
            },
        )
        for row, review, unit_, member_ in session.execute(query)
    ]


def flags_of(session: Session, screening_id: int) -> list[Flag]:
    """The flags of one screening, in the screening's order (by position in the text)."""
    return list(session.scalars(select(Flag).where(Flag.screening_id == screening_id).order_by(Flag.id)))


def remove_unit(session: Session, code: str) -> bool:
    """Delete a unit with everything under it: the units below, their members, and every review (with its
    screenings and flags) written in those units or by those members. False when no unit has `code`."""
    ids = list(session.scalars(subtree(code)))
    if not ids:
        return False
    members = select(Member.id).where(Member.unit_id.in_(ids))
    # Screenings and flags go with their review (ON DELETE CASCADE).
    session.execute(
        delete(Review).where(or_(Review.unit_id.in_(ids), Review.member_id.in_(members))),
        execution_options={"synchronize_session": "fetch"},
    )
    session.execute(
        delete(Member).where(Member.unit_id.in_(ids)), execution_options={"synchronize_session": "fetch"}
    )
    # One statement for the whole subtree: the parent links inside it are checked when it ends.
    session.execute(delete(Unit).where(Unit.id.in_(ids)), execution_options={"synchronize_session": "fetch"})
    session.expire_all()
    return True


def token_hash(token: str) -> str:
    """What the store keeps of an API token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_user(session: Session, *, name: str, role: str, unit: Unit) -> tuple[User, str]:
    """Create a user who may see `unit` and everything below it; returns the user and the plain token.
    The token is not stored (only its hash), so this is the one moment it can be handed over."""
    if role not in USER_ROLES:
        raise ValueError(f"vai trò không hợp lệ: {role!r} (phải là {', '.join(USER_ROLES)})")
    if not name.strip():
        raise ValueError("tên người dùng không được để trống")
    token = secrets.token_urlsafe(32)
    user = User(name=name.strip(), role=role, unit=unit, token_hash=token_hash(token), active=True)
    session.add(user)
    session.flush()
    return user, token


def user_by_token(session: Session, token: str) -> User | None:
    """The active user holding `token`, or None (unknown, or switched off)."""
    if not token:
        return None
    return session.scalar(select(User).where(User.token_hash == token_hash(token), User.active.is_(True)))


def count(session: Session, model: type[Unit | Member | Review | ScreeningRow | Flag | User]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)
