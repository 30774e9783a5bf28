"""Response models: what the API promises to return (the screening itself is the kiemdiem.screen/1 dict)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class Health(BaseModel):
    status: str
    # "schema" would shadow a BaseModel attribute, so the field is only called that on the wire.
    schema_revision: str = Field(serialization_alias="schema")


class Created(BaseModel):
    review_id: int
    screening_id: int
    screening: dict[str, Any]


class UnitRef(BaseModel):
    code: str
    name: str


class MemberRef(BaseModel):
    code: str
    name: str


class ReviewMeta(BaseModel):
    id: int
    unit: UnitRef
    member: MemberRef | None
    year: int
    kind: str
    form: str | None
    source: str
    sha256: str
    created_at: datetime


class ReviewDetail(BaseModel):
    review: ReviewMeta
    screening_id: int | None
    screening: dict[str, Any] | None


class FixList(BaseModel):
    review_id: int
    screening_id: int | None
    year: int
    member: MemberRef | None
    unit: UnitRef
    text: str
    fixes: list[dict[str, Any]]


class RankedRow(BaseModel):
    review_id: int
    screening_id: int
    member_code: str | None
    member_name: str | None
    unit_code: str
    unit_name: str
    year: int
    kind: str
    scores: dict[str, float | None]
    flags: dict[str, int]


class Ranking(BaseModel):
    unit: UnitRef
    year: int
    reviews: list[RankedRow]


class CopyFlag(BaseModel):
    review_id: int
    screening_id: int
    member_code: str | None
    member_name: str | None
    unit_code: str
    year: int
    code: str
    start: int
    end: int
    text: str
    source: str | None
    source_review_id: int | None
    source_year: int | None
    similarity: float | None


class Copies(BaseModel):
    unit: UnitRef
    year: int | None
    copies: list[CopyFlag]
