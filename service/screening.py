"""One screening of one review: run the detectors, collect flags and scores (contract `kiemdiem.screen/1`)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from service import __version__
from service.detect.base import Context, DetectorResult, Flag
from service.detect.grade import check_grade, grade_summary
from service.fixlist import Fix, build_fixes
from service.scoring import combine
from service.text.document import Review

SCHEMA = "kiemdiem.screen/1"
SCORE_FAMILIES = ("formalism", "duplication", "boilerplate", "remedies", "coverage")

Detector = Callable[[Review, Context], DetectorResult]

# family → detector module (each exposes `detect(review, context) -> DetectorResult`). A family whose
# detector is not built yet is absent here, and its score is null in the output.
DETECTORS: dict[str, str] = {
    "placeholders": "service.detect.placeholders",
    "copying": "service.detect.copying",
    "boilerplate": "service.detect.boilerplate",
    "remedies": "service.detect.remedies",
    "coverage": "service.detect.coverage",
}
# Which detector's score is which contract score.
SCORE_OF_FAMILY: dict[str, str] = {
    "copying": "duplication",
    "boilerplate": "boilerplate",
    "remedies": "remedies",
    "coverage": "coverage",
}


def load_detectors() -> dict[str, Detector]:
    return {family: importlib.import_module(module).detect for family, module in DETECTORS.items()}


@dataclass
class Screening:
    review: Review
    flags: list[Flag]
    scores: dict[str, float | None]
    details: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)
    grade_summary: dict[str, Any] = field(default_factory=dict)
    # The references the review was compared with (not serialised; renderers show copied sources).
    context: Context = field(default_factory=Context)

    def to_dict(self) -> dict[str, Any]:
        r = self.review
        return {
            "schema": SCHEMA,
            "source": r.source,
            "text": r.text,
            "year": r.year,
            "kind": r.kind,
            "form": r.form,
            "scores": {name: self.scores.get(name) for name in SCORE_FAMILIES},
            "sections": [{"id": s.id, "title": s.title, "start": s.start, "end": s.end} for s in r.sections],
            "flags": [f.to_dict() for f in self.flags],
            "fixes": [f.to_dict() for f in self.fixes],
            "grade": (
                {"level": r.grade.level, "start": r.grade.start, "end": r.grade.end} if r.grade else None
            ),
            "grade_summary": self.grade_summary,
            "points": {"general": r.points.general, "tasks": r.points.tasks, "total": r.points.total},
            "formalism": self.details.get("formalism"),
            "notes": self.notes,
            "pipeline": {"version": __version__, "form_definition": r.form_definition},
        }


def _null_reasons(scores: dict[str, float | None], context: Context) -> dict[str, str]:
    """Why each null score is null, in Vietnamese: not built, or not judgeable for this review."""
    built = {SCORE_OF_FAMILY[f] for f in DETECTORS if f in SCORE_OF_FAMILY}
    reasons: dict[str, str] = {}
    for name, value in scores.items():
        if value is not None or name == "formalism":
            continue
        if name not in built:
            reasons[name] = "chưa có bộ phát hiện cho nhóm này"
        elif name == "duplication" and not context.history:
            reasons[name] = "không có bản kiểm điểm các năm trước để so sánh (--history)"
        else:
            reasons[name] = "không đủ nội dung để đánh giá nhóm này"
    return reasons


def _trimmed(flag: Flag, text: str) -> Flag:
    """A flag's span without surrounding whitespace: the contract says text[start:end] is what is flagged."""
    start, end = flag.start, flag.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if (start, end) == (flag.start, flag.end) or start == end:
        return flag
    return replace(flag, start=start, end=end)


def screen(review: Review, context: Context | None = None) -> Screening:
    context = context or Context()
    flags: list[Flag] = []
    scores: dict[str, float | None] = dict.fromkeys(SCORE_FAMILIES)
    details: dict[str, Any] = {}
    for family, detect in load_detectors().items():
        result = detect(review, context)
        flags.extend(result.flags)
        details[family] = result.details
        if family in SCORE_OF_FAMILY:
            scores[SCORE_OF_FAMILY[family]] = result.score
    # The grade is judged against what the other detectors found, so it runs after them.
    flags.extend(check_grade(review, context, flags, details.get("remedies")))
    flags = [_trimmed(f, review.text) for f in flags]
    flags.sort(key=lambda f: (f.start, f.end, f.code))
    reasons = _null_reasons(scores, context)
    scores["formalism"], details["formalism"] = combine(scores, flags, reasons=reasons)
    notes = [f"scores.{name}: {reason}" for name, reason in reasons.items()]
    return Screening(
        review=review,
        flags=flags,
        scores=scores,
        details=details,
        notes=notes,
        fixes=build_fixes(review, flags),
        grade_summary=grade_summary(review),
        context=context,
    )
