"""The deadline of a shortcoming: the best time expression among the remedies that address it most closely.

Concrete over implausible over vague over none. A vague word times nothing inside a purpose clause ("… để
kịp thời phát hiện"), in a category listed as no deadline (a routine: "hằng tháng"), or as a manner adverb
("hoàn thiện kịp thời hồ sơ", "đầy đủ, kịp thời"); rules in corpus/rules/remedies.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from service.detect.shortcoming_items import Extraction, Remedy, Shortcoming
from service.detect.shortcoming_rules import Rules, similarity
from service.text.temporal import TimeExpression, check_deadline, vague_rules


@cache
def _vague_categories() -> dict[str, str]:
    """Vague rule id → category, built once (asked for every vague expression of every review)."""
    return {r.id: r.category for r in vague_rules()}


RANK = {"none": 0, "vague": 1, "implausible": 2, "concrete": 3}


@dataclass(frozen=True)
class Deadline:
    status: str  # none | vague | concrete | implausible
    expression: TimeExpression | None = None
    remedy: int | None = None  # index into Extraction.remedies


def _expression_status(expr: TimeExpression, text: str, year: int | None, rules: Rules) -> str:
    """concrete / implausible / vague for a deadline; "none" for a vague word that times no remedy: one
    inside a purpose clause ("… để kịp thời phát hiện"), a manner adverb (`_manner`) or one of a category
    listed as no deadline."""
    if expr.vague:
        if rules.data_pattern("purpose_clause").search(text[max(0, expr.start - 40) : expr.start]):
            return "none"
        if expr.rule in rules.data["manner_rules"] and _manner(expr, text, rules):
            return "none"
        category = _vague_categories().get(expr.rule, "unspecified")
        return "none" if category in rules.data["non_deadline_vague_categories"] else "vague"
    return {"ok": "concrete", "implausible": "implausible"}.get(check_deadline(expr, year), "vague")


def _manner(expr: TimeExpression, text: str, rules: Rules) -> bool:
    """ "kịp thời" says how, not when: inside its clause after the verb ("hoàn thiện kịp thời hồ sơ"), or
    beside a manner word ("đầy đủ, kịp thời"). Opening its clause ("Kịp thời rà soát …") or closing it on
    its own ("…, kịp thời.") it times the remedy, vaguely."""
    before, after = text[max(0, expr.start - 30) : expr.start], text[expr.end : expr.end + 30]
    words = rules.data["manner_words"]
    if re.search(words + r",?\s*(?:và\s+)?$", before) or re.match(r",\s*" + words + r"\b", after):
        return True
    opens = re.search(r"(?:^|[.;:,!]\s*|\n\s*(?:[-+*]\s*)?)$", before)
    closes = re.match(r"\s*(?:[.;,!]|$)", after)
    return not opens and not closes


def _remedy_deadline(
    ri: int, remedy: Remedy, exprs: list[TimeExpression], text: str, year: int | None, rules: Rules
) -> Deadline:
    found = [
        Deadline(_expression_status(e, text, year, rules), e, ri)
        for e in exprs
        if remedy.start <= e.start and e.end <= remedy.end
    ]
    found = [d for d in found if d.status != "none"]
    stated = [d for d in found if d.expression and d.expression.kind == "deadline"]
    # "Hoàn thành sổ điểm học kỳ II trước 25/5/2026": the stated deadline decides, not "học kỳ II".
    found = stated or found
    return max(found, key=_preference) if found else Deadline("none", None, ri)


def _preference(d: Deadline) -> tuple[int, bool, str]:
    """Concrete over implausible over vague; among equals a stated deadline ("trước 30/6") over a mere
    date ("học kỳ II"), then the latest."""
    e = d.expression
    return (
        RANK[d.status],
        bool(e and e.kind == "deadline"),
        e.value_end.isoformat() if e and e.value_end else "",
    )


def closest_remedies(sc: Shortcoming, ex: Extraction, rules: Rules) -> list[int]:
    """The shortcoming's remedies that address it most closely: those written inside it, else those sharing
    most with it (or with its own cause), with the other halves of their "A; B" lines. A long section VI
    often has a loosely related "Thường xuyên tu dưỡng…" besides the measure that answers the shortcoming;
    the deadline is the measure's."""
    inline = [ri for ri in sc.remedies if ex.remedies[ri].inline_of is not None]
    if inline:
        return inline
    texts = [sc.text] + [ex.causes[c].text for c in sc.causes if not ex.causes[c].general]
    weight = {ri: max(similarity(ex.remedies[ri].text, t, rules)[1] for t in texts) for ri in sc.remedies}
    top = max(weight.values(), default=0)
    kept = {ri for ri, w in weight.items() if w == top}
    groups = {ex.remedies[ri].group for ri in kept}
    return [ri for ri in sc.remedies if ri in kept or ex.remedies[ri].group in groups]


def deadline_of(
    sc: Shortcoming, ex: Extraction, exprs: list[TimeExpression], text: str, year: int | None, rules: Rules
) -> Deadline:
    """The best deadline (concrete > implausible > vague > none) among the remedies that address the
    shortcoming most closely."""
    if not sc.remedies:
        return Deadline("none")
    focus = closest_remedies(sc, ex, rules)
    options = [_remedy_deadline(ri, ex.remedies[ri], exprs, text, year, rules) for ri in focus]
    best = max(options, key=lambda d: RANK[d.status])
    return best if best.status != "none" else Deadline("none", None, focus[0])
