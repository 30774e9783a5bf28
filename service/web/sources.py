"""How a stored review cited as a copy source is shown to one user: by member, unit and year when the
user may see it, otherwise only as "a review outside your scope" — never its text, its year or its id.

Copy evidence names stored sources `review:<id>` and quotes them (`source_excerpt`), and the uploader's
scope may be wider than the reader's (an admin uploaded it, a secretary reads it), so every flag that
cites a stored review is passed through `shown_flag` before a page shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.api.queries import COPY_CODES, source_review_id
from service.api.scope import visible_units
from service.render.labels import FLAG_NAMES
from service.store.models import Review, User

OUT_OF_SCOPE = "một bản kiểm điểm ngoài phạm vi của bạn"
HIDDEN_TEXT = "(nội dung không hiển thị)"
# What a page may still show of a hidden source's evidence: how similar, and which rule said so.
KEPT_EVIDENCE = ("similarity", "source_role", "detector", "rules", "rule")


@dataclass(frozen=True)
class Source:
    review_id: int
    label: str
    text: str | None  # None: outside the user's scope (or gone)
    year: int | None = None

    @property
    def visible(self) -> bool:
        return self.text is not None


def review_label(review: Review) -> str:
    who = review.member.name if review.member is not None else f"Tập thể {review.unit.name}"
    return f"{who} — {review.unit.name} — năm {review.year}"


def sources(session: Session, user: User, ids: Iterable[int | None]) -> dict[int, Source]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    found = {
        r.id: r
        for r in session.scalars(
            select(Review).where(Review.id.in_(wanted), Review.unit_id.in_(visible_units(user)))
        )
    }
    out = {}
    for i in wanted:
        r = found.get(i)
        out[i] = Source(i, review_label(r), r.text, r.year) if r else Source(i, OUT_OF_SCOPE, None)
    return out


def cited(flags: Iterable[dict[str, Any]]) -> list[int | None]:
    return [source_review_id((f.get("evidence") or {}).get("source")) for f in flags]


def shown_flag(flag: dict[str, Any], known: dict[int, Source]) -> dict[str, Any]:
    """The flag as this user may see it (see the module's docstring); flags citing no stored review are
    returned as they are."""
    evidence = dict(flag.get("evidence") or {})
    raw = evidence.get("source")
    sid = source_review_id(raw)
    if sid is None:
        return flag
    source = known.get(sid) or Source(sid, OUT_OF_SCOPE, None)
    if source.visible:
        evidence["source"] = source.label
        # Detector messages name the source "(tệp review:<id>)"; a person reads the member's name instead.
        message = str(flag["message"]).replace(f"tệp {raw}", source.label).replace(str(raw), source.label)
        return {**flag, "message": message, "evidence": evidence}
    hidden = {k: evidence[k] for k in KEPT_EVIDENCE if k in evidence}
    hidden |= {"source": OUT_OF_SCOPE, "source_excerpt": HIDDEN_TEXT}
    similarity = evidence.get("similarity")
    alike = f", độ giống {similarity:.2f}" if isinstance(similarity, int | float) else ""
    name = FLAG_NAMES.get(str(flag["code"]), str(flag["code"]))
    if flag["code"] in COPY_CODES:
        message, hint = f"Đoạn này trùng với {OUT_OF_SCOPE}{alike}.", flag["hint"]
    else:
        # Other rules citing a source (an earlier shortcoming not reported on) quote it in message and hint.
        message = f"{name} (so với {OUT_OF_SCOPE})."
        hint = "Đối chiếu với bản kiểm điểm trước đó và báo cáo rõ kết quả khắc phục ở mục III."
    return {**flag, "message": message, "hint": hint, "evidence": hidden}
