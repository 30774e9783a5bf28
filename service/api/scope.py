"""Who may see what: a user sees their unit and every unit below it, nothing else.

Anything outside that subtree is answered exactly as if it did not exist (404), so a client cannot learn
which units or reviews exist elsewhere by trying codes or ids.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from service.api.errors import not_found
from service.store import repository as repo
from service.store.models import Member, Review, Unit, User

UNIT_NOT_FOUND = "không tìm thấy đơn vị"
REVIEW_NOT_FOUND = "không tìm thấy bản kiểm điểm"
MEMBER_NOT_FOUND = "không tìm thấy đảng viên"


def visible_units(user: User) -> Select[tuple[int]]:
    """The ids of the units `user` may see."""
    return repo.subtree(user.unit.code)


def unit_in_scope(session: Session, user: User, code: str) -> Unit:
    found = session.scalar(select(Unit).where(Unit.code == code, Unit.id.in_(visible_units(user))))
    if found is None:
        raise not_found(f"{UNIT_NOT_FOUND} mã '{code}'")
    return found


def review_in_scope(session: Session, user: User, review_id: int) -> Review:
    found = session.scalar(
        select(Review).where(Review.id == review_id, Review.unit_id.in_(visible_units(user)))
    )
    if found is None:
        raise not_found(f"{REVIEW_NOT_FOUND} số {review_id}")
    return found


def member_for_upload(session: Session, user: User, code: str) -> Member | None:
    """The member with `code` if the user may see them (their current unit is in scope), None if no member
    has that code; a member elsewhere is a 404, never moved into the user's unit by an upload."""
    found = session.scalar(select(Member).where(Member.code == code))
    if found is None:
        return None
    seen = visible_units(user)
    if session.scalar(select(Unit.id).where(Unit.id == found.unit_id, Unit.id.in_(seen))) is None:
        raise not_found(f"{MEMBER_NOT_FOUND} mã '{code}'")
    return found
