"""Every shortcoming with its cause, remedy and deadline (Quy định 366, Art. 6; Hướng dẫn 43).

Flags (contract codes): `shortcoming_without_cause` and `shortcoming_without_remedy` on the shortcoming;
`remedy_without_deadline` and `vague_deadline` on the remedy (on the shortcoming when the remedy is
written inside it), evidence {shortcoming_start/end, remedy_start/end, time_expression, rules}; new codes
`implausible_deadline` (on the time expression), `objective_cause_only` (only circumstances blamed; the
rules want the member's own causes first) and `previous_shortcoming_unreported` (on section III, one per
shortcoming of the latest earlier review that III gives no status for). Severities and the Vietnamese
texts are data (corpus/rules/remedies.yaml): without remedy high; without cause, without deadline,
implausible deadline, unreported medium; vague deadline and objective-only cause low.

Conventions (checked against corpus/labelled/hand): a catch-all line ("khắc phục những hạn chế đã nêu")
is no remedy; "thường xuyên", "từng bước", "lâu dài" are vague deadlines, a routine ("hằng tháng") or a
time word inside a purpose clause ("để kịp thời …") none; the deadline is that of the remedies closest to
the shortcoming. `score` = 1 − share of shortcomings fully covered (a cause, a remedy and a concrete
plausible deadline): higher = worse; 0.0 when section II holds no shortcoming, None when there is neither.
`details["shortcomings"]` has one row per shortcoming: start, end, cause (subjective|objective|both|none),
remedy (bool), remedy_start/end, deadline (none|vague|concrete|implausible), time_expression, covered.
"""

from __future__ import annotations

import re
from typing import Any

from service.detect.base import Context, DetectorResult, Flag, Reference
from service.detect.shortcoming_deadlines import Deadline, deadline_of
from service.detect.shortcomings import (
    Extraction,
    Item,
    Remedy,
    Rules,
    Shortcoming,
    closest_among,
    extract,
    first_match,
    items_of,
    load_rules,
    related,
    review_from_parts,
    topic_label,
    topics,
    units,
)
from service.text.document import Review
from service.text.temporal import TimeExpression, find_time_expressions

_SYLLABLE = re.compile(r"\S+")


def cause_status(sc: Shortcoming, ex: Extraction) -> str:
    kinds = {ex.causes[ci].kind for ci in sc.causes}
    if not kinds:
        return "none"
    if "both" in kinds or kinds == {"subjective", "objective"}:
        return "both"
    return kinds.pop()


# ------------------------------------------------------------------------------------------ wording
def _shorten(phrase: str, limit: int) -> str:
    words = phrase.split()
    if len(words) <= limit:
        return phrase
    head = " ".join(words[:limit])
    return (head[: head.rfind(",")] if "," in head[20:] else head) + "…"


def key_phrase(text: str, rules: Rules, limit: int = 18, *, shorten: bool = True) -> str:
    """The shortcoming as the member wrote it, without its inline cause or remedy, short enough to quote."""
    cut = len(text)
    for group in ("cause_cues", "remedy_cues"):
        for cue in rules[group]:
            m = cue.regex.search(text, 8)
            if m and (group == "cause_cues" or cue.inline):
                cut = min(cut, m.start())
    phrase = text[:cut].split("(")[0].strip(" ,;:.-*")
    phrase = re.sub(rules.data["key_prefixes"], "", phrase, flags=re.IGNORECASE).strip(" ,")
    if len(phrase) > 1 and not phrase[1].isupper():
        phrase = phrase[0].lower() + phrase[1:]
    return _shorten(phrase, limit) if shorten else phrase


def remedy_quote(remedy: Remedy, sc: Shortcoming | None, rules: Rules, limit: int = 16) -> str:
    """The part of a remedy that speaks to the shortcoming: the generic clause of a generic remedy, else
    the comma-clause sharing most with the shortcoming (the first clause without one)."""
    text = remedy.text.strip(" .;")
    gen = (
        first_match(rules["generic_remedy_cues"], text) or first_match(rules["pledge_cues"], text)
        if remedy.generic
        else None
    )
    if gen:
        clause = re.split(r"[.;]", text[gen[0] :])[0]
    else:
        clauses = [c.strip() for c in re.split(r"[,;.]\s", text) if c.strip()] or [text]
        want = units(sc.text, rules) if sc else set()
        shared = [len(units(c, rules) & want) for c in clauses]
        # The remedy's own opening, unless it shares nothing with the shortcoming.
        k = 0 if shared[0] else max(range(len(clauses)), key=lambda i: shared[i])
        clause = clauses[k]
        if len(clause.split()) < 6 and k + 1 < len(clauses):
            clause = clause + ", " + clauses[k + 1]
    return _shorten(clause.strip(" ,"), limit)


def _action(key: str, rules: Rules) -> tuple[str, str]:
    """The shortcoming turned into what to do ("chưa tham gia đầy đủ …" → "Tham gia đầy đủ …")."""
    for rw in rules.data["rewrites"]:
        m = re.match(rw["pattern"], key, re.IGNORECASE)
        if m:
            x = m.group("x").strip(" ,")
            return rw["template"].format(x=x, X=x[:1].upper() + x[1:]), x
    return key, key


def _fmt(template: str, **values: Any) -> str:
    return template.format(**values)


class _Writer:
    """Vietnamese messages and hints from the templates of the rules file."""

    def __init__(self, rules: Rules, review: Review) -> None:
        self.rules, self.year, self.text = rules, review.year, review.text
        year = review.year
        self.next_year = (year + 1) if year else "2026"
        self.deadline = _fmt(rules.data["example_deadline"], next_year=self.next_year)

    def values(self, sc: Shortcoming, remedy: Remedy | None = None, expr: TimeExpression | None = None):
        rules = self.rules
        action, topic = _action(_shorten(key_phrase(sc.text, rules, shorten=False), 24).rstrip("…"), rules)
        values = {
            "key": key_phrase(sc.text, rules),
            "topic": topic,
            "example": _fmt(rules.data["example_action"], action=action, deadline=self.deadline),
            "year": self.year or "…",
            "next_year": self.next_year,
            "remedy": remedy_quote(remedy, sc, rules) if remedy else "",
            "expression": expr.text if expr else "",
            "cause": "",
        }
        if remedy:
            if expr and remedy.start <= expr.start and expr.end <= remedy.end:
                # The member's own sentence with the vague time replaced by a date.
                own = (
                    remedy.text[: expr.start - remedy.start]
                    + self.deadline
                    + remedy.text[expr.end - remedy.start :]
                )
                own = _shorten(own.strip(" .;"), 24)
            else:
                own = _fmt(
                    rules.data["example_remedy"], remedy=values["remedy"].rstrip("…"), deadline=self.deadline
                )
            values["remedy_example"] = own[:1].upper() + own[1:]
        return values

    def flag(
        self,
        code: str,
        start: int,
        end: int,
        evidence: dict[str, Any],
        template: str | None = None,
        **values: Any,
    ) -> Flag:
        spec = self.rules.data["flags"][template or code]
        evidence = {**evidence, "rules_version": f"{self.rules.data['id']}@{self.rules.version}"}
        return Flag(
            code,
            spec["severity"],
            start,
            end,
            _fmt(spec["message"], **values),
            _fmt(spec["hint"], **values),
            evidence,
        )


# -------------------------------------------------------------------------------------------- detect
def _span(d: Deadline, remedy: Remedy | None, sc: Shortcoming) -> tuple[int, int]:
    if remedy is None or remedy.inline_of is not None:
        return sc.start, sc.end
    return remedy.start, remedy.end


def _expr_dict(expr: TimeExpression | None) -> dict[str, Any] | None:
    if expr is None:
        return None
    value = [expr.value_start.isoformat(), expr.value_end.isoformat()] if expr.value_end else None
    return {"start": expr.start, "end": expr.end, "text": expr.text, "rule": expr.rule, "value": value}


def _judge(
    i: int, sc: Shortcoming, ex: Extraction, exprs: list[TimeExpression], w: _Writer, flags: list[Flag]
) -> dict[str, Any]:
    """The flags of one shortcoming, and its row of `details`."""
    rules = w.rules
    cause = cause_status(sc, ex)
    dl = deadline_of(sc, ex, exprs, w.text, w.year, rules)
    remedy = ex.remedies[dl.remedy] if dl.remedy is not None else None
    values = w.values(sc, remedy, dl.expression)
    evidence: dict[str, Any] = {"shortcoming_start": sc.start, "shortcoming_end": sc.end}
    if remedy is not None:
        evidence |= {"remedy_start": remedy.start, "remedy_end": remedy.end}
    cause_rules = sorted({cue for ci in sc.causes for cue in ex.causes[ci].cues})
    if cause == "none":
        flags.append(
            w.flag("shortcoming_without_cause", sc.start, sc.end, evidence | {"rules": []}, **values)
        )
    elif cause == "objective":
        values["cause"] = key_phrase(ex.causes[sc.causes[0]].text, rules, 12)
        ev = evidence | {
            "rules": cause_rules,
            "causes": [[ex.causes[c].start, ex.causes[c].end] for c in sc.causes],
        }
        flags.append(w.flag("objective_cause_only", sc.start, sc.end, ev, **values))
    start, end = _span(dl, remedy, sc)
    remedy_rules = list(remedy.cues) if remedy else []
    time_ev = {"time_expression": _expr_dict(dl.expression)}
    if remedy is None:
        # A catch-all line ("khắc phục những hạn chế đã nêu") is no remedy; the message quotes it.
        generic = next((r for r in ex.remedies if r.generic), None)
        ev = evidence | {"rules": list(generic.cues) if generic else []}
        if generic:
            ev["generic_remedy"] = [generic.start, generic.end]
            values["remedy"] = remedy_quote(generic, sc, rules)
        template = "shortcoming_without_remedy_generic" if generic else None
        flags.append(w.flag("shortcoming_without_remedy", sc.start, sc.end, ev, template, **values))
    elif dl.status == "none":
        template = "remedy_without_deadline_generic" if remedy.generic else None
        ev = evidence | time_ev | {"rules": remedy_rules, "generic_remedy": remedy.generic}
        flags.append(w.flag("remedy_without_deadline", start, end, ev, template, **values))
    elif dl.status == "vague" and dl.expression is not None:
        ev = evidence | time_ev | {"rules": [*remedy_rules, dl.expression.rule]}
        flags.append(w.flag("vague_deadline", start, end, ev, **values))
    elif dl.status == "implausible" and dl.expression is not None:
        e = dl.expression
        ev = evidence | time_ev | {"rules": [*remedy_rules, e.rule]}
        flags.append(w.flag("implausible_deadline", e.start, e.end, ev, **values))
    covered = cause != "none" and remedy is not None and dl.status == "concrete"
    return {
        "start": sc.start,
        "end": sc.end,
        "text": sc.text,
        "origin": sc.origin,
        "section_id": sc.section_id,
        "cause": cause,
        "causes": [
            {
                "start": ex.causes[c].start,
                "end": ex.causes[c].end,
                "kind": ex.causes[c].kind,
                "general": ex.causes[c].general,
                "inline": ex.causes[c].inline_of is not None,
            }
            for c in sc.causes
        ],
        "remedy": remedy is not None,
        "remedy_start": remedy.start if remedy else None,
        "remedy_end": remedy.end if remedy else None,
        "remedy_generic": bool(remedy and remedy.generic),
        "remedies": [[ex.remedies[r].start, ex.remedies[r].end] for r in sc.remedies],
        "deadline": dl.status,
        "time_expression": _expr_dict(dl.expression),
        "covered": covered,
    }


def detect(review: Review, context: Context) -> DetectorResult:
    rules = load_rules()
    if "remedies" in context.disabled_rules:
        return DetectorResult()
    ex = extract(review, rules)
    exprs = find_time_expressions(review.text, reference_year=review.year) if ex.remedies else []
    writer = _Writer(rules, review)
    flags: list[Flag] = []
    rows = [_judge(i, sc, ex, exprs, writer, flags) for i, sc in enumerate(ex.shortcomings)]
    previous = _previous(review, context, writer, flags)
    # One flag per implausible expression, however many shortcomings share its remedy.
    seen: set[tuple[int, int]] = set()
    kept = []
    for f in flags:
        if f.code == "implausible_deadline":
            if (f.start, f.end) in seen:
                continue
            seen.add((f.start, f.end))
        if f.code not in context.disabled_rules:
            kept.append(f)
    kept.sort(key=lambda f: (f.start, f.end, f.code))
    if rows:
        score: float | None = 1.0 - sum(r["covered"] for r in rows) / len(rows)
    else:
        score = 0.0 if ex.has_section_ii else None
    details = {
        "rules_version": f"{rules.data['id']}@{rules.version}",
        "shortcomings": rows,
        "claims": [
            {"code": "claim_no_shortcoming", "start": c.start, "end": c.end, "text": c.text, "rule": c.rule}
            for c in ex.claims
        ],
        "previous": previous,
    }
    return DetectorResult(flags=kept, score=score, details=details)


# ------------------------------------------------------------------------------------------- history
def _reported(
    old: list[Shortcoming], items: list[Item], rules: Rules
) -> dict[int, tuple[str, str, int, int]]:
    """Which of last year's shortcomings section III reports on: each item with a status word ("đã khắc
    phục", or on a next line "Tình trạng: …") goes to the previous shortcoming(s) closest to it or to the
    one it names ("Hạn chế về chuyển đổi số …: đã khắc phục")."""
    texts = [sc.text for sc in old]
    found: dict[int, tuple[str, str, int, int]] = {}
    for k, it in enumerate(items):
        nearby = [it] + [n for n in items[k + 1 : k + 2] if rules.data_pattern("status_label").match(n.text)]
        hit = next(((c, n) for n in nearby for c in rules["status_cues"] if c.regex.search(n.text)), None)
        if hit is None:
            continue
        label = topic_label(it.text, rules)
        # The rest of its line tells the topic too ("…: đã khắc phục; đã có 1 đề xuất cải tiến …").
        line = " ".join(n.text for n in items if n.group == it.group)
        probes = [line] + ([label] if label else [])
        candidates = [
            j
            for j, t in enumerate(texts)
            if any(related(p, t, rules) for p in probes)
            or (label and topics(label, rules) & topics(t, rules))
        ]
        for j in closest_among(label or it.text, texts, candidates, rules):
            found.setdefault(j, (hit[0].status or "", hit[0].id, it.start, hit[1].end))
    return found


def _latest(review: Review, history: list[Reference]) -> Reference | None:
    def year(ref: Reference) -> int:
        return ref.year or ref.review.year or -1

    earlier = [r for r in history if review.year is None or year(r) < review.year] or history
    return max(earlier, key=year) if earlier else None


def _previous(review: Review, context: Context, w: _Writer, flags: list[Flag]) -> list[dict[str, Any]]:
    """Last year's shortcomings and whether section III reports on each (topic + a status word)."""
    ref = _latest(review, context.history)
    if ref is None:
        return []
    rules = w.rules
    old = extract(ref.review, rules).shortcomings
    items = items_of(review, "III", rules)
    iii = review.section("III") or review.section("II")
    where = (iii.start, iii.end) if iii else (0, min(len(review.text), review.text.find("\n") % 10_000 or 1))
    found = _reported(old, items, rules)
    rows = []
    for j, sc in enumerate(old):
        status = found.get(j)
        source_year = ref.year or ref.review.year
        rows.append(
            {
                "start": sc.start,
                "end": sc.end,
                "text": sc.text,
                "source": ref.source,
                "status": status[0] if status else None,
                "iii_span": [status[2], status[3]] if status else None,
            }
        )
        if status is None:
            values = w.values(sc)
            values |= {
                "source_year": source_year or "trước",
                "example": _fmt(rules.data["status_example"], key=values["key"]),
            }
            evidence = {
                "source": ref.source,
                "source_year": source_year,
                "source_start": sc.start,
                "source_end": sc.end,
                "rules": [c.id for c in rules["status_cues"]],
            }
            flags.append(w.flag("previous_shortcoming_unreported", *where, evidence, **values))
    return rows


# ---------------------------------------------------------------------------------------- evaluation
def judge_excerpt(item: dict[str, Any]) -> dict[str, Any] | None:
    """Judge one labelled excerpt of corpus/labelled/*/shortcomings.jsonl: the shortcoming placed in section
    II.1 with its context sections ({"II.2": …, "VI": …}) under the form's headings. Returns the
    shortcoming's row of `details` (cause, remedy, deadline, …), or None when no shortcoming is found."""
    parts = {"II.1": item["shortcoming"], **(item.get("context") or {})}
    review = review_from_parts(parts, year=item.get("review_year"))
    rows = detect(review, Context()).details["shortcomings"]
    return rows[0] if rows else None
