"""The self-proposed grade against the points and the content: `grade_inconsistent`, and the unit quota.

Two schemes. 2025 (Quy định 366-QĐ/TW, forms 2A/2B/2C/01): general criteria /30 + task results /70 = /100,
bands ≥ 90 excellent, 70–< 90 good, 50–< 70 completed, < 50 not completed; excellent also requires every
shortcoming pointed out at the previous review fixed and concrete products. 2023/2019 (Quy định 124/132, forms
02A/02B/collective): a level claimed in VII, no points; excellent needs task results shown by concrete
products. Which scheme applies follows the form the review was written on (a 2025 review on a 2023 form is
judged on that form's terms here, and coverage flags the outdated form); numbers, bands and texts are data
(the `grade` block of corpus/rules/coverage.yaml).

`check_grade` runs after the other detectors: it reads their flags (copies, recurring shortcomings) and the
remedies detector's details (shortcomings and the status of last year's). A blank grade or blank points is
"unknown", never a flag: only what is written can be inconsistent.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from typing import Any

from service.detect.base import Context, Flag, Severity
from service.detect.coverage import CoverageRules, load_rules
from service.detect.coverage_content import body_sentences, is_substantive, title_span
from service.text.document import Review

# The total's line first; the general criteria's line when no total is written.
_POINTS_LINES = (
    re.compile(r"tổng(?:\s+cộng)?(?:\s+số)?\s+điểm[^\n]*", re.IGNORECASE),
    re.compile(r"nhóm\s+tiêu\s+chí\s+chung[^\n]*", re.IGNORECASE),
)


def scheme_of(review: Review, cfg: dict[str, Any]) -> str:
    """ "points" (2025 scheme), "levels" (2023/2019 schemes) or "unknown"."""
    if review.form in cfg["points_forms"]:
        return "points"
    if review.form in cfg["level_forms"]:
        return "levels"
    if review.year is None:
        return "unknown"
    return "points" if review.year >= cfg["points_from_year"] else "levels"


def band_of(total: float | None, cfg: dict[str, Any]) -> str | None:
    """The level a total of points falls in (None for no total or one outside 0..max)."""
    if total is None or total < 0 or total > cfg["points"]["total_max"]:
        return None
    for level, (low, high) in cfg["points"]["bands"].items():
        if low <= total < high or (total == high == cfg["points"]["total_max"]):
            return level
    return None


def _effective_total(review: Review) -> float | None:
    p = review.points
    if p.total is not None:
        return p.total
    if p.general is not None and p.tasks is not None:
        return p.general + p.tasks
    return None


def grade_summary(review: Review, rules: CoverageRules | None = None) -> dict[str, Any]:
    """What the review claims, in one dict for the output: level or "unknown", scheme, points, their band."""
    cfg = (rules or load_rules()).grade
    total = _effective_total(review)
    band = band_of(total, cfg)
    claimed = review.grade.level if review.grade else "unknown"
    return {
        "scheme": scheme_of(review, cfg),
        "claimed": claimed,
        "claimed_label": cfg["levels"].get(claimed, claimed),
        "points": asdict(review.points),
        "points_complete": None not in (review.points.general, review.points.tasks, review.points.total),
        "band_from_points": band or "unknown",
    }


def _fmt(value: float | None) -> str:
    if value is None:
        return "…"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class _Writer:
    def __init__(self, review: Review, context: Context, rules: CoverageRules) -> None:
        self.review, self.context, self.rules = review, context, rules
        self.cfg = rules.grade
        self.flags: list[Flag] = []
        self.base = {"rules_version": rules.key, "scheme": scheme_of(review, self.cfg)}

    def add(
        self, rule_id: str, span: tuple[int, int], severity: Severity | None = None, **values: Any
    ) -> None:
        if rule_id in self.context.disabled_rules or "grade" in self.context.disabled_rules:
            return
        rule = self.cfg["rules"][rule_id]
        fmt = {k: v for k, v in values.items() if isinstance(v, str | int | float)}
        self.flags.append(
            Flag(
                "grade_inconsistent",
                severity or rule["severity"],
                span[0],
                span[1],
                rule["message"].format(**fmt),
                rule["hint"].format(**fmt),
                {"rule": rule_id, **self.base, **values},
            )
        )


def _points_span(review: Review) -> tuple[int, int]:
    """Where the points are written: the "Tổng điểm" (or general criteria) line of part B."""
    zone = review.section("B.I") or review.section("B")
    start, end = (zone.start, zone.end) if zone else (0, len(review.text))
    m = next((m for rx in _POINTS_LINES if (m := rx.search(review.text, start, end))), None)
    if m:
        s, e = m.start(), m.end()
        while e > s and review.text[e - 1].isspace():
            e -= 1
        return s, e
    if review.grade:
        return review.grade.start, review.grade.end
    return title_span(review.text)


def _check_points(w: _Writer) -> None:
    review, p, cfg = w.review, w.review.points, w.cfg["points"]
    span = _points_span(review)
    for part, value, top, label in (
        ("general", p.general, cfg["general_max"], "nhóm tiêu chí chung"),
        ("tasks", p.tasks, cfg["tasks_max"], "nhóm kết quả thực hiện nhiệm vụ"),
        ("total", p.total, cfg["total_max"], "tổng"),
    ):
        if value is not None and (value < 0 or value > top):
            w.add("grade.points-max", span, part=label, value=_fmt(value), max=top, points_part=part)
    if None not in (p.general, p.tasks, p.total):
        s = p.general + p.tasks  # type: ignore[operator]
        if abs(s - p.total) > cfg["tolerance"]:  # type: ignore[operator]
            w.add(
                "grade.points-sum", span,
                general=_fmt(p.general), tasks=_fmt(p.tasks), total=_fmt(p.total), sum=_fmt(s),
            )  # fmt: skip
    claim = review.grade
    band = band_of(_effective_total(review), w.cfg)
    if claim is not None and band is not None and band != claim.level:
        levels = w.cfg["levels"]
        w.add(
            "grade.points-band", (claim.start, claim.end),
            total=_fmt(_effective_total(review)), claimed=levels[claim.level], band=levels[band],
            claimed_level=claim.level, band_level=band,
        )  # fmt: skip


def _products(w: _Writer) -> int:
    review, count = w.review, 0
    for sid in w.cfg["product_sections"]:
        section = review.section(sid)
        if section is not None:
            texts = body_sentences(review, section.body_start, section.end)
            count += sum(is_substantive(t, w.rules.coverage["min_syllables"]) for t in texts)
    return count


def _open_shortcomings(w: _Writer, other_flags: list[Flag], remedies: dict[str, Any] | None) -> list[Any]:
    """What is still open of the shortcomings pointed out at earlier reviews: not reported fixed in III, or
    restated this year. The rules ask of "Hoàn thành xuất sắc" that every one of them be fixed; this year's
    own shortcomings are judged by their remedies (remedies detector), not against the grade."""
    opened: list[Any] = []
    codes = set(w.cfg["open_shortcoming_codes"])
    if remedies is not None:
        opened += [r.get("text") for r in remedies.get("previous") or [] if r.get("status") != "fixed"]
        # Unreported previous shortcomings are already counted from the details.
        codes.discard("previous_shortcoming_unreported")
    else:
        section = w.review.section("III")
        if section is not None:
            pattern = re.compile(w.cfg["open_status_pattern"], re.IGNORECASE)
            opened += [
                t for t in body_sentences(w.review, section.body_start, section.end) if pattern.search(t)
            ]
    opened += [w.review.text[f.start : f.end] for f in other_flags if f.code in codes]
    # The same shortcoming may be both unreported in III and restated this year: count it once.
    return list(dict.fromkeys(" ".join(str(o).split()).rstrip(" .;") for o in opened))


def _copied_share(review: Review, flags: list[Flag], codes: set[str]) -> float:
    """Share of the author's text (from the first section on) covered by copy flags, overlaps merged."""
    start = min((s.body_start for s in review.sections if s.id != "header"), default=0)
    spans = sorted((max(f.start, start), f.end) for f in flags if f.code in codes and f.end > start)
    covered, cursor = 0, start
    for s, e in spans:
        s = max(s, cursor)
        if e > s:
            covered += e - s
            cursor = e
    length = len(review.text) - start
    return covered / length if length > 0 else 0.0


def check_grade(
    review: Review,
    context: Context,
    other_flags: list[Flag],
    remedies_details: dict[str, Any] | None,
) -> list[Flag]:
    """`grade_inconsistent` flags: points against their maxima, their sum and the claimed band; a claim of
    excellent against the content (products, open shortcomings, copying). Call after the other detectors."""
    rules = load_rules()
    w = _Writer(review, context, rules)
    _check_points(w)
    claim = review.grade
    if claim is None:
        return w.flags
    levels = w.cfg["levels"]
    span = (claim.start, claim.end)
    if claim.level == "excellent":
        found, needed = _products(w), int(w.cfg["min_products"])
        if found < needed:
            w.add(
                "grade.excellent-no-products", span, claimed=levels["excellent"], found=found, needed=needed
            )
        opened = _open_shortcomings(w, other_flags, remedies_details)
        if opened:
            severity: Severity = "high" if w.base["scheme"] == "points" else "medium"
            w.add(
                "grade.excellent-open-shortcomings", span, severity,
                claimed=levels["excellent"], count=len(opened), open=[str(o)[:120] for o in opened[:10]],
            )  # fmt: skip
    if claim.level == "excellent":
        share = _copied_share(review, other_flags, set(w.cfg["serious_copy_codes"]))
        if share >= float(w.cfg["serious_copy_share"]):
            w.add(
                "grade.claim-copied", span,
                claimed=levels[claim.level], share=round(100 * share), copied_share=round(share, 3),
            )  # fmt: skip
    return w.flags


# ---------------------------------------------------------------------------------------------- unit quota
@dataclass(frozen=True)
class QuotaResult:
    rule: str
    rated: int  # grades known
    unknown: int
    excellent: int
    good: int
    base: int  # those "rated good" the quota is a share of (see corpus/rules/coverage.yaml, quota.base)
    rate: float
    limit: int
    exceeded: bool
    over_by: int
    message: str  # Vietnamese
    hint: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def unit_quota(grades: list[str], outstanding_unit: bool = False) -> QuotaResult:
    """The unit's excellent ratings against the quota: ≤ 20% of those rated good (25% for an outstanding
    unit). `grades` are levels (excellent | good | completed | not_completed); anything else is unknown."""
    rules = load_rules()
    q = rules.grade["quota"]
    known = ("excellent", "good", "completed", "not_completed")
    excellent = sum(g == "excellent" for g in grades)
    good = sum(g == "good" for g in grades)
    rated = sum(g in known for g in grades)
    base = good + excellent if q["base"] == "good_and_excellent" else good
    rate = float(q["outstanding_rate"] if outstanding_unit else q["rate"])
    limit = math.floor(rate * base + 1e-9)
    exceeded = excellent > limit
    values = {"excellent": excellent, "limit": limit, "rate": round(rate * 100), "base": base}
    return QuotaResult(
        rule=q["id"],
        rated=rated,
        unknown=len(grades) - rated,
        excellent=excellent,
        good=good,
        base=base,
        rate=rate,
        limit=limit,
        exceeded=exceeded,
        over_by=max(0, excellent - limit),
        message=(q["message"] if exceeded else q["message_ok"]).format(**values),
        hint=q["hint"] if exceeded else "",
    )
