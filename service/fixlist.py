"""The secretary's fix-list: for one review, what the member should fix, most important first, by section.

Every item points at the span of the flag it comes from, so a display can highlight it. The wording
("what") and the order of flag codes are data (the `fixlist` block of corpus/rules/scoring.yaml); the
hint is the flag's own Vietnamese hint. Items are grouped by section (the section the flag sits in, or the
section a `missing_section` flag says is expected); groups are ordered by their most important item,
items within a group by importance then position. Codes marked `merge` (many boilerplate sentences, many
blanks) become one item per section so the list stays short.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import Any

from service.detect.base import Flag, Severity
from service.detect.coverage_content import short_title
from service.scoring import SEVERITIES, ScoringRules, load_scoring
from service.text.document import Review

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Fix:
    section_id: str | None
    section_title: str
    code: str
    severity: Severity
    start: int
    end: int
    what: str  # Vietnamese, a short imperative
    hint: str  # Vietnamese
    rule: str | None = None
    count: int = 1
    # All spans folded into this item (one for an ordinary item).
    spans: tuple[tuple[int, int], ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "section_id": self.section_id,
            "section_title": self.section_title,
            "code": self.code,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "what": self.what,
            "hint": self.hint,
            "rule": self.rule,
            "count": self.count,
            "spans": [list(s) for s in self.spans],
        }


class _Strict(dict[str, Any]):
    def __missing__(self, key: str) -> Any:
        raise KeyError(key)


def _excerpt(text: str, limit: int) -> str:
    flat = _SPACES.sub(" ", text).strip().strip("*_ ")
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def _templates(*specs: Any) -> list[str]:
    """Templates in the order they are tried: each spec is a string, a list of strings, or None."""
    out: list[str] = []
    for spec in specs:
        out += [spec] if isinstance(spec, str) else list(spec or [])
    return out


def _values(evidence: dict[str, Any]) -> dict[str, Any]:
    """Evidence fields usable in a template: scalars as they are, lists of scalars joined."""
    out: dict[str, Any] = {}
    for key, value in evidence.items():
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            out[key] = value
        elif isinstance(value, list | tuple) and value and all(isinstance(v, str | int) for v in value):
            out[key] = ", ".join(str(v) for v in value)
    return out


def _fill(templates: list[str], values: dict[str, Any]) -> str:
    for template in templates:
        if not template:
            continue
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        # A field present but empty ("" or None) is as bad as a missing one: try the next template.
        if any(values.get(name) in (None, "") for name in fields):
            continue
        try:
            return template.format_map(_Strict(values))
        except (KeyError, IndexError, ValueError):
            continue
    return ""


def _section_of(review: Review, flag: Flag) -> tuple[str | None, str]:
    """The section the fix belongs to: the expected one for a missing section, else where the flag sits."""
    expected = flag.evidence.get("expected_section") if flag.code == "missing_section" else None
    if expected:
        return str(expected), str(flag.evidence.get("title") or "")
    section_id = flag.evidence.get("section") if flag.code == "thin_section" else None
    section = review.section(str(section_id)) if section_id else None
    section = section or review.section_at(flag.start)
    if section is None:
        return None, ""
    return section.id, section.title


def _importance(code_spec: dict[str, Any], severity: str) -> tuple[int, int]:
    rank = SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)
    return rank, int(code_spec.get("priority", 99))


def build_fixes(review: Review, flags: list[Flag], *, rules: ScoringRules | None = None) -> list[Fix]:
    """The ordered fix-list of a review (empty when nothing is flagged)."""
    config = (rules or load_scoring()).fixlist
    codes: dict[str, dict[str, Any]] = config.get("codes") or {}
    by_rule: dict[str, dict[str, Any]] = config.get("rules") or {}
    limit = int(config.get("excerpt_chars", 70))
    title_chars = int(config.get("title_chars", 60))
    general_title = str(config.get("general_section_title", ""))
    fallback = config.get("what_fallback")

    seen: set[tuple[str, int, int, str]] = set()
    # (section id, code) → the flags folded into one item, for merged codes.
    merged: dict[tuple[str | None, str], list[Flag]] = {}
    items: list[tuple[tuple[int, int], Fix]] = []
    # The most severe of flags sharing a span comes first, so it is the one kept.
    for flag in sorted(flags, key=lambda f: (f.start, f.end, f.code, _importance({}, f.severity))):
        spec = codes.get(flag.code, {})
        section_id, section_title = _section_of(review, flag)
        if spec.get("merge"):
            # Flags on one span stay distinct when their messages differ (one per earlier shortcoming).
            key = (flag.code, flag.start, flag.end, flag.message)
            if key not in seen:
                seen.add(key)
                merged.setdefault((section_id, flag.code), []).append(flag)
            continue
        values = {
            **_values(flag.evidence),
            "excerpt": _excerpt(review.text[flag.start : flag.end], limit),
            "section_id": section_id or "",
            "section_title": short_title(section_title or general_title, title_chars),
        }
        rule_spec = by_rule.get(str(flag.evidence.get("rule")), {})
        what = _fill(_templates(rule_spec.get("what"), spec.get("what"), fallback), values) or flag.message
        # The same fix for the same span (one remedy shared by several shortcomings) is listed once.
        key = (flag.code, flag.start, flag.end, what)
        if key in seen:
            continue
        seen.add(key)
        fix = Fix(
            section_id=section_id,
            section_title=section_title or general_title,
            code=flag.code,
            severity=flag.severity,
            start=flag.start,
            end=flag.end,
            what=what,
            hint=flag.hint,
            rule=flag.evidence.get("rule"),
            spans=((flag.start, flag.end),),
        )
        items.append((_importance(spec, flag.severity), fix))

    for (section_id, code), group in merged.items():
        spec = codes.get(code, {})
        top = min(group, key=lambda f: (_importance(spec, f.severity), f.start))
        title = _section_of(review, top)[1] or general_title
        values = {
            **_values(top.evidence),
            "excerpt": _excerpt(review.text[top.start : top.end], limit),
            "count": len(group),
            "section_id": section_id or "",
            "section_title": short_title(title, title_chars),
        }
        many = len(group) > 1
        templates = _templates(spec.get("what_many")) if many else _templates(spec.get("what"), fallback)
        fix = Fix(
            section_id=section_id,
            section_title=title,
            code=code,
            severity=top.severity,
            start=top.start,
            end=top.end,
            what=_fill(templates, values) or top.message,
            hint=top.hint,
            rule=top.evidence.get("rule"),
            count=len(group),
            spans=tuple((f.start, f.end) for f in group),
        )
        items.append((_importance(spec, top.severity), fix))

    # Group by section; a group ranks by its most important item, then by where it starts in the text.
    groups: dict[str | None, list[tuple[tuple[int, int], Fix]]] = {}
    for item in items:
        groups.setdefault(item[1].section_id, []).append(item)
    for members in groups.values():
        members.sort(key=lambda it: (it[0], it[1].start))
    ordered = sorted(groups.values(), key=lambda m: (m[0][0], min(f.start for _, f in m)))
    return [fix for members in ordered for _, fix in members]
