"""Coverage of the form: `missing_section` and `thin_section` (Quy định 366, Hướng dẫn 43; Quy định 124).

What a form requires comes from its definition (corpus/forms/*.yaml: sections, `required`, the topics of I.1);
thresholds, severities and the Vietnamese texts come from corpus/rules/coverage.yaml. The structural choices
(documented there too): the highest missing part is reported, not each of its items; a parent written as one
block (no item headings) is judged as a whole; "(nếu có)" sections IV and V are required only where they
apply (V for leaders and when the unit's collective review lists shortcomings).

Spans: a missing section's flag sits on the heading of the nearest present section before it (where the
missing one should follow), or on the document's first line when none precedes, so `text[start:end]` is
always the heading or title it claims (evidence `anchor`). A thin section's flag sits on its heading, or on
the section's text when its heading was dropped. `score` = Σ weight(section) × severity / Σ weight(sections
checked), in 0..1, higher = worse; None when the form could not be told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from service.detect.base import Context, DetectorResult, Flag, Severity
from service.detect.coverage_content import (
    body_sentences,
    collective_shortcomings,
    content_text,
    definition_of,
    heading_span,
    history_shortcomings,
    is_substantive,
    short_title,
    title_span,
    trim,
)
from service.paths import CORPUS_DIR
from service.text.document import Review, Section
from service.text.forms import FormDefinition, SectionDef, load_definitions

RULES_FILE = CORPUS_DIR / "rules" / "coverage.yaml"


@dataclass(frozen=True)
class CoverageRules:
    id: str
    version: str
    coverage: dict[str, Any]
    grade: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def section(self, sid: str) -> dict[str, Any]:
        sections = self.coverage["sections"]
        return {**sections["default"], **(sections.get(sid) or {})}

    def rule(self, rule_id: str) -> dict[str, Any]:
        return self.coverage["rules"][rule_id]


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> CoverageRules:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return CoverageRules(str(data["id"]), str(data["version"]), data["coverage"], data["grade"])


# ---------------------------------------------------------------------------------------------- checks
@dataclass
class _Run:
    review: Review
    context: Context
    rules: CoverageRules
    definition: FormDefinition
    flags: list[Flag] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)  # sections checked → weight
    penalty: float = 0.0
    status: dict[str, str] = field(default_factory=dict)

    @property
    def cfg(self) -> dict[str, Any]:
        return self.rules.coverage

    def raise_flag(
        self, code: str, rule_id: str, severity: Severity, span: tuple[int, int], weight: float, **values: Any
    ) -> Flag | None:
        if rule_id in self.context.disabled_rules:
            return None
        rule = self.rules.rule(rule_id)
        fmt = {"form": self.review.form or "?"}
        fmt |= {k: v for k, v in values.items() if isinstance(v, str | int | float)}
        if "title" in fmt:
            fmt["title"] = short_title(str(fmt["title"]), int(self.cfg["title_chars"]))
        evidence = {
            "rule": rule_id,
            "rules_version": self.rules.key,
            "form": self.review.form,
            "form_definition": self.review.form_definition,
            **values,
        }
        message, hint = rule["message"].format(**fmt), rule["hint"].format(**fmt)
        flag = Flag(code, severity, span[0], span[1], message, hint, evidence)
        self.flags.append(flag)
        self.penalty += weight * self.cfg["severity_weight"][severity]
        return flag

    def anchor(self, sd: SectionDef) -> tuple[tuple[int, int], dict[str, str]]:
        """Where a missing section's flag sits: the heading of the nearest present section before it."""
        order = [s.id for s in self.definition.sections]
        for sid in reversed(order[: order.index(sd.id)]):
            present = self.review.section(sid)
            span = heading_span(self.review, present) if present else None
            if span and span[1] > span[0]:
                return span, {"kind": "after_section", "section": sid}
        return title_span(self.review.text), {"kind": "title"}


def section_def(definition: FormDefinition, sid: str) -> SectionDef | None:
    return next((s for s in definition.sections if s.id == sid), None)


def _children(definition: FormDefinition, sid: str) -> list[SectionDef]:
    return [s for s in definition.sections if s.parent == sid]


def _missing(
    run: _Run, sd: SectionDef, severity: Severity, rule_id: str, weight: float, **values: Any
) -> None:
    span, anchor = run.anchor(sd)
    run.status[sd.id] = "missing"
    run.raise_flag(
        "missing_section", rule_id, severity, span, weight,
        id=sd.id, expected_section=sd.id, title=sd.title, anchor=anchor, **values,
    )  # fmt: skip


def _judge_content(run: _Run, section: Section) -> tuple[int, int]:
    """(content sentences, substantive sentences) of a section's whole span."""
    texts = body_sentences(run.review, section.body_start, section.end)
    return len(texts), sum(is_substantive(t, run.cfg["min_syllables"]) for t in texts)


def _thin_span(run: _Run, section: Section) -> tuple[int, int]:
    span = heading_span(run.review, section)
    return span if span and span[1] > span[0] else trim(run.review.text, section.start, section.end)


def _thin(
    run: _Run, section: Section, severity: Severity, rule_id: str, weight: float, **values: Any
) -> Flag | None:
    run.status[section.id] = "thin"
    return run.raise_flag(
        "thin_section", rule_id, severity, _thin_span(run, section), weight,
        id=section.id, section=section.id, title=section.title,
        section_start=section.start, section_end=section.end, **values,
    )  # fmt: skip


def _check_required(run: _Run, sd: SectionDef, history: tuple[int, int | None]) -> None:
    review, spec = run.review, run.rules.section(sd.id)
    present = review.section(sd.id)
    parent = review.section(sd.parent) if sd.parent else None
    weight = float(spec["weight"])
    if present is None:
        if sd.parent and parent is None:
            return  # the highest missing part is reported
        siblings = _children(run.definition, sd.parent) if sd.parent else []
        if parent is not None and not any(review.section(s.id) for s in siblings):
            run.status[sd.id] = "in_parent"  # the parent was written as one block: its content is judged
            return
        run.weights[sd.id] = weight
        if sd.id == "III" and history[0]:
            values = {"source_year": history[1] or "trước", "count": history[0]}
            _missing(run, sd, "high", "cov.iii-history", weight, **values)
        elif spec["missing"] != "skip":
            leader_part = sd.id.startswith("I.L") and review.form in run.cfg["leader_forms"]
            rule_id = "cov.missing-leader-part" if leader_part else "cov.missing-section"
            _missing(run, sd, spec["missing"], rule_id, weight)
        return
    required_children = [c for c in _children(run.definition, sd.id) if c.required]
    if any(review.section(c.id) for c in required_children):
        run.status[sd.id] = "ok"
        return  # its items are judged themselves
    run.weights[sd.id] = weight
    sentences, substantive = _judge_content(run, present)
    run.status[sd.id] = "ok"
    if sd.id == "III" and history[0] and substantive < run.cfg["min_substantive"]:
        _thin(run, present, "high", "cov.iii-history", weight, source_year=history[1] or "trước",
              count=history[0], sentences=sentences, substantive=substantive)  # fmt: skip
    elif spec["thin"] != "skip" and substantive < run.cfg["min_substantive"]:
        rule_id = "cov.empty-section" if sentences == 0 else "cov.thin-section"
        _thin(run, present, spec["thin"], rule_id, weight, sentences=sentences, substantive=substantive)


def _check_conditional(run: _Run, sd: SectionDef, collective: bool) -> None:
    """IV and V, "(nếu có)": required only where they apply (see corpus/rules/coverage.yaml)."""
    cond = run.cfg["conditional"].get(sd.id)
    if cond is None:
        return
    review = run.review
    leader = review.form in run.cfg["leader_forms"]
    present = review.section(sd.id)
    weight = float(run.rules.section(sd.id)["weight"])
    why = "người giữ chức vụ lãnh đạo, quản lý" if leader else "tập thể có hạn chế, khuyết điểm"
    required = sd.id == "V" and (leader or collective)
    prefix = "leader" if leader else "collective"
    if present is None:
        severity = (
            cond.get(f"{prefix}_absent") if required else (cond.get("leader_absent") if leader else None)
        )
        if severity:
            run.weights[sd.id] = weight
            _missing(
                run, sd, severity, "cov.v-required" if required else "cov.optional-absent", weight, why=why
            )
        return
    run.weights[sd.id] = weight
    sentences, substantive = _judge_content(run, present)
    run.status[sd.id] = "ok"
    if required and substantive < run.cfg["min_substantive"]:
        _thin(run, present, cond[f"{prefix}_thin"], "cov.v-required", weight,
              why=why, sentences=sentences, substantive=substantive)  # fmt: skip
    elif sentences == 0:
        _thin(run, present, cond["empty"], "cov.optional-empty", weight, sentences=0, substantive=0)


def _check_topics(run: _Run) -> list[str]:
    """The required I.1 topics no content sentence mentions; added to I.1's thin flag or flagged alone."""
    sd = section_def(run.definition, "I.1")
    section = run.review.section("I.1") or run.review.section("I")
    if sd is None or not sd.topics or section is None:
        return []
    end = section.end
    if section.id == "I":  # one block: stop where the next item of I begins, if any was found
        later = [s.start for s in run.review.sections if s.id.startswith("I.") and s.start > section.start]
        end = min(later, default=end)
    text = " ".join(content_text(t) for t in body_sentences(run.review, section.body_start, end)).lower()
    missing = [t for t in sd.topics if t.required and not any(k in text for k in t.keywords)]
    if not missing:
        return []
    ids, labels = [t.id for t in missing], [t.label for t in missing]
    thin = [
        i for i, f in enumerate(run.flags) if f.code == "thin_section" and f.evidence["section"] == section.id
    ]
    if thin:
        # I.1 is already thin: its flag names the missing topics rather than a second flag being raised.
        extra = {"missing_topics": ids, "missing_topic_labels": labels}
        run.flags[thin[0]] = replace(run.flags[thin[0]], evidence={**run.flags[thin[0]].evidence, **extra})
    else:
        weight = float(run.rules.section("I.1")["weight"])
        run.raise_flag(
            "thin_section", "cov.i1-topics", "low", _thin_span(run, section), weight,
            section=section.id, title=sd.title, topics=", ".join(labels),
            missing_topics=ids, missing_topic_labels=labels,
        )  # fmt: skip
    return ids


def _check_form_year(run: _Run) -> None:
    review, d = run.review, run.definition
    if review.year is None or d.years[1] >= review.year:
        return
    now = [
        x for x in load_definitions().values() if x.kind == d.kind and x.years[0] <= review.year <= x.years[1]
    ]
    current = sorted({x.form for x in now if x.form})
    expected = "/".join(current) or "hiện hành"
    run.weights["form"] = 1.0
    run.raise_flag(
        "missing_section", "cov.outdated-form", "medium", title_span(review.text), 1.0,
        year=review.year, form_years=f"{d.years[0]}–{d.years[1]}", expected=expected,
        expected_forms=current, expected_section="B" if any(section_def(x, "B") for x in now) else None,
        title="Nội dung tự đánh giá, xếp loại (mẫu hiện hành)",
    )  # fmt: skip


def _check_leader_form(run: _Run) -> None:
    review = run.review
    if review.form not in run.cfg["non_leader_forms"]:
        return
    header = review.section("header")
    limit = header.end if header else min(len(review.text), 1500)
    m = re.search(run.cfg["leader_titles"], review.text[:limit], re.IGNORECASE)
    if m:
        run.raise_flag(
            "missing_section", "cov.leader-form", "low", trim(review.text, m.start(), m.end()), 1.0,
            expected_section=run.cfg["leader_part"]["id"], title=run.cfg["leader_part"]["title"],
        )  # fmt: skip


def detect(review: Review, context: Context) -> DetectorResult:
    rules = load_rules()
    definition = definition_of(review)
    if "coverage" in context.disabled_rules or definition is None:
        reason = "không xác định được mẫu bản kiểm điểm" if definition is None else "đã tắt"
        return DetectorResult(score=None, details={"rules": rules.key, "reason": reason})
    run = _Run(review, context, rules, definition)
    history = history_shortcomings(review, context, rules.coverage)
    collective = collective_shortcomings(review, context, rules.coverage)
    _check_form_year(run)
    for sd in definition.sections:
        if sd.required:
            _check_required(run, sd, history)
        else:
            _check_conditional(run, sd, collective)
    topics = _check_topics(run)
    _check_leader_form(run)
    total = sum(run.weights.values())
    score = min(1.0, run.penalty / total) if total > 0 else 0.0
    run.flags.sort(key=lambda f: (f.start, f.end, f.code))
    details = {
        "rules": rules.key,
        "form_definition": review.form_definition,
        "sections": run.status,
        "missing_topics": topics,
        "history_shortcomings": history[0],
        "collective_shortcomings": collective,
    }
    return DetectorResult(flags=run.flags, score=round(score, 4), details=details)
