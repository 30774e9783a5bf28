"""What detectors take and give: the Context they may consult and the Flags they raise."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from service.text.document import Review

Severity = Literal["high", "medium", "low"]
SourceRole = Literal["history", "peer", "template"]

FLAG_CODES = (
    "copied_from_history",
    "copied_from_peer",
    "copied_from_template",
    "recurring_shortcoming",
    "boilerplate",
    "shortcoming_without_cause",
    "shortcoming_without_remedy",
    "remedy_without_deadline",
    "vague_deadline",
    "missing_section",
    "thin_section",
    "placeholder_left",
    "grade_inconsistent",
    # added codes (the contract allows new codes; existing ones keep their meaning)
    "previous_shortcoming_unreported",
    "implausible_deadline",
    "objective_cause_only",
)


@dataclass(frozen=True)
class Flag:
    code: str
    severity: Severity
    start: int
    end: int
    message: str  # Vietnamese
    hint: str  # Vietnamese
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "hint": self.hint,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Reference:
    """Another review a detector may compare with: an earlier year's, a peer's, or a circulating template.

    `source` is the file path as the user gave it, or the store's id; `label` how a message names it to a
    reader ("Trần Thị Lan, Chi bộ thôn Đồng Tâm"), when the caller knows better than the path or id.
    """

    review: Review
    role: SourceRole
    source: str
    year: int | None = None
    author: str | None = None
    label: str | None = None

    @property
    def named(self) -> str:
        return self.label or f"tệp {self.source}"


@dataclass
class Context:
    """Everything a detector may consult besides the review itself. Built by the CLI from files, by the
    service from the store, by tests from fixtures."""

    history: list[Reference] = field(default_factory=list)
    peers: list[Reference] = field(default_factory=list)
    templates: list[Reference] = field(default_factory=list)
    # Rule ids or categories switched off, and a unit's allow-list of phrases never flagged.
    disabled_rules: frozenset[str] = frozenset()
    allow_phrases: frozenset[str] = frozenset()
    # Optional shared resources (copy index, commonness statistics, trained models) keyed by name.
    resources: dict[str, Any] = field(default_factory=dict)


@dataclass
class DetectorResult:
    flags: list[Flag] = field(default_factory=list)
    # The family's score in 0..1 (higher = more formalistic), or None when it cannot be judged.
    score: float | None = None
    # Anything the screening or a report may want besides flags (e.g. per-shortcoming links).
    details: dict[str, Any] = field(default_factory=dict)
