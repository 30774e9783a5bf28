"""The temporal tagger: time expressions in Vietnamese remedies, normalised to date intervals.

`find_time_expressions` finds concrete expressions ("trước 30/6/2026", "quý II năm 2026", "năm học
2025-2026"), normalised to an inclusive interval, and vague ones ("thời gian tới", "thường xuyên",
listed in corpus/temporal/vague.yaml) with no value. `check_deadline` judges whether a concrete one is a
plausible deadline for a review of a given year. The atom rules live in `temporal_rules`.

Choices (each visible in the `rule` id of what it produces):
- The remedy year. A remedy is written at the end of the review year and is for the coming year, so an
  expression without a year ("trước 30/6", "trong quý I", "trong tháng 7") belongs to `default_year`,
  which is `reference_year + 1` unless given. "năm nay" and "vừa qua" point to `reference_year` itself.
  Without any year to use, a concrete expression keeps value None but `vague=False`: it is a deadline
  whose year the text does not give.
- Deadlines. "trước"/"đến"/"chậm nhất"/"hạn" + X give an interval from 1 January of the deadline's year
  to the deadline. "trước 30/6" includes 30/6 (administrative usage); "trước tháng 6" ends on 31/5,
  "trước quý III" on 30/6; "trước cuối năm" ends on 31/12.
- "trong năm tới" is the year after `reference_year`; without a reference year it is vague.
- "trong 3 tháng tới", "trong vòng 6 tháng": counted from 1 January of the remedy year (the review's
  own date is unknown; reviews are held at the end of the year).
- "trước kỳ kiểm điểm năm 2026" = by 31/12/2026; "trước kỳ kiểm điểm cuối năm" = by the end of the
  remedy year.
- Parts: "đầu/giữa/cuối năm" = Jan–Mar / Apr–Sep / Oct–Dec; "đầu/giữa/cuối tháng" = days 1–10 / 11–20 /
  21–end; "đầu/cuối quý" = its first / last month; a school year runs 1/9–31/5 (semester I to 31/1).
- Cue words ("trước", "trong", "chậm nhất là") are part of the expression's span: "trước 30/6/2026".
- Dates and years that are part of a document citation ("Quy định 366-QĐ/TW ngày 30/8/2025", "Luật
  Đất đai năm 2024") are not time expressions of the text: they are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import yaml

from service.paths import CORPUS_DIR
from service.text.temporal_rules import RULES_VERSION, Atom, Interval, find_atoms, months

__all__ = [
    "RULES_VERSION",
    "TimeExpression",
    "VagueRule",
    "check_deadline",
    "find_time_expressions",
    "ruleset_version",
    "vague_rules",
]

VAGUE_PATH = CORPUS_DIR / "temporal" / "vague.yaml"


@dataclass(frozen=True)
class TimeExpression:
    start: int
    end: int
    text: str  # text[start:end] of the input
    # What the expression denotes: date, month, quarter, part_of_year, year, range, school_year, semester,
    # relative, deadline, period, vague. Plausibility as a deadline is check_deadline's business.
    kind: str
    value_start: date | None  # inclusive interval; None for vague (or when no year can be inferred)
    value_end: date | None
    rule: str  # id of the rule that matched, e.g. "before+date_dmy", "quarter", "vague.thoi_gian_toi"
    vague: bool


@dataclass(frozen=True)
class VagueRule:
    id: str
    category: str
    pattern: re.Pattern[str]
    message: str  # Vietnamese, for the user
    hint: str


@lru_cache(maxsize=4)
def _load_vague(path: Path) -> tuple[str, tuple[VagueRule, ...]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = []
    for entry in data["rules"]:
        pattern = re.compile(rf"(?<!\w)(?:{entry['pattern']})(?!\w)", re.IGNORECASE)
        rules.append(VagueRule(entry["id"], entry["category"], pattern, entry["message"], entry["hint"]))
    return f"{data['id']}@{data['version']}", tuple(rules)


def vague_rules(path: Path = VAGUE_PATH) -> tuple[VagueRule, ...]:
    """The vague-expression rules from corpus/temporal/vague.yaml (id, category, message, hint)."""
    return _load_vague(path)[1]


def ruleset_version(path: Path = VAGUE_PATH) -> str:
    """Versions of what tags time expressions, for evidence: "temporal.rules@1+temporal.vague@1"."""
    return f"temporal.rules@{RULES_VERSION}+{_load_vague(path)[0]}"


# Cue words right before an expression. "before"/"by" turn it into a deadline; "within" leaves it as is;
# all three are absorbed into the expression's span. "from" only licenses a bare "1/3" and starts ranges.
_CUES: dict[str, list[str]] = {
    "before": [r"chậm\s+nhất\s+(?:là\s+)?trước", r"trước"],
    "by": [
        r"(?:chậm|muộn)\s+nhất(?:\s+là)?(?:\s+(?:vào|đến\s+hết|đến|tới|hết|trong))?",
        r"(?:thời\s+)?hạn(?:\s+chót|\s+cuối)?(?:\s+hoàn\s+thành)?(?:\s+là)?(?:\s+(?:đến|tới))?",
        r"(?:cho\s+)?(?:đến|tới)(?:\s+hết)?",
        r"hết",
    ],
    "within": [
        r"trong(?:\s+vòng|\s+thời\s+hạn|\s+thời\s+gian|\s+khoảng|\s+suốt)?",
        r"ngay\s+trong",
        r"vào(?:\s+khoảng|\s+dịp)?",
    ],
    "from": [r"(?:kể|bắt\s+đầu|ngay)\s+từ", r"từ"],
    # Only for durations: "chậm nhất sau 3 tháng" is a deadline, "sau 30/6" is not.
    "after": [r"(?:chậm\s+nhất\s+)?sau"],
}
_CUE_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(f"(?P<{cat}>{'|'.join(p)})" for cat, p in _CUES.items()) + r")(?:\s*:\s*|\s+)$",
    re.IGNORECASE,
)
_ABSORBED = ("before", "by", "within", "after")
# "cuối tháng 6/2026", "đầu quý II": a part of a month (thirds) or of a quarter (its months).
_NARROW = re.compile(r"(?<!\w)(?P<w>đầu|giữa|cuối|thượng\s+tuần|trung\s+tuần|hạ\s+tuần)\s+$", re.IGNORECASE)
_NARROW_PART = {"đầu": 0, "thượng tuần": 0, "giữa": 1, "trung tuần": 1, "cuối": 2, "hạ tuần": 2}
_CONNECTOR = re.compile(r"\s*(?:(?:cho\s+)?(?:đến|tới)(?:\s+hết)?|[-–—])\s*", re.IGNORECASE)
_RANGE_KINDS = {"date", "month", "quarter", "part_of_year", "year", "semester", "school_year"}

# A document number just before a date ("366-QĐ/TW ngày 30/8/2025", "05-CT/TW năm 2016") makes it the
# document's date; so does a law's name before a year ("Luật Đất đai năm 2024").
_DOC_NUMBER_BEFORE = re.compile(
    r"\d+\s*[-/]\s*[A-ZĐ][\wĐđ]*(?:\s*[-/]\s*[\wĐđ]+)*(?:\s*(?:,|\(|ban\s+hành|của(?:\s+[\wĐđ]+){1,5}))*\s*$"
)
_LAW_BEFORE = re.compile(r"(?<!\w)(?:Bộ\s+luật|Luật|Hiến\s+pháp|Pháp\s+lệnh|Điều\s+lệ)\s[^.;:!?\n]{0,60}$")


@dataclass
class _Candidate:
    start: int
    end: int
    kind: str
    rule: str
    interval: Interval | None
    vague: bool = False


def find_time_expressions(
    text: str, *, reference_year: int | None = None, default_year: int | None = None
) -> list[TimeExpression]:
    """Time expressions of `text`, in text order, non-overlapping.

    `reference_year` is the review's year; `default_year` the year of expressions written without one
    (default: `reference_year + 1`, the year remedies are for).
    """
    if default_year is None and reference_year is not None:
        default_year = reference_year + 1
    atoms = _maximal([_narrow(text, a) for a in find_atoms(text)])
    concrete: list[_Candidate] = []
    for a, b in pairwise(atoms):
        cand = _range(text, a, b, reference_year, default_year)
        if cand is not None:
            concrete.append(cand)
    for atom in atoms:
        cand = _single(text, atom, reference_year, default_year)
        if cand is not None:
            concrete.append(cand)
    chosen = _select(concrete, [])
    vague = [
        _Candidate(m.start(), m.end(), "vague", rule.id, None, vague=True)
        for rule in vague_rules()
        for m in rule.pattern.finditer(text)
    ]
    chosen = _select(vague, chosen)
    return [
        TimeExpression(
            c.start,
            c.end,
            text[c.start : c.end],
            c.kind,
            c.interval[0] if c.interval else None,
            c.interval[1] if c.interval else None,
            c.rule,
            c.vague,
        )
        for c in sorted(chosen, key=lambda c: c.start)
    ]


def check_deadline(expr: TimeExpression, review_year: int | None, *, grace_months: int = 3) -> str:
    """Judge a time expression used as a remedy's deadline: "ok", "implausible" or "vague".

    A deadline is plausible when it ends no earlier than 1 January of the review year and no later than
    the end of the following year plus `grace_months` (a 2025 review may promise "quý I/2027" at most).
    Without a review year or a value there is nothing to compare: a concrete expression is "ok".
    """
    if expr.vague:
        return "vague"
    if review_year is None or expr.value_end is None:
        return "ok"
    earliest = date(review_year, 1, 1)
    latest = date(review_year + 1, 12, 31)
    if grace_months:
        latest = _add_months_end(latest, grace_months)
    return "ok" if earliest <= expr.value_end <= latest else "implausible"


def _add_months_end(day: date, n: int) -> date:
    total = day.month + n
    first_after = date(day.year + total // 12, total % 12 + 1, 1)
    return first_after - timedelta(days=1)


def _maximal(atoms: list[Atom]) -> list[Atom]:
    """Atoms not contained in a longer one ("năm 2026" inside "tháng 6 năm 2026"), in text order."""
    atoms = sorted(atoms, key=lambda a: (a.start, -(a.end - a.start)))
    kept: list[Atom] = []
    for a in atoms:
        if any(k.start <= a.start and a.end <= k.end and (k.end - k.start) > (a.end - a.start) for k in kept):
            continue
        if any(k.start == a.start and k.end == a.end for k in kept):
            continue
        kept.append(a)
    return kept


def _cue(text: str, start: int) -> tuple[str, int, str] | None:
    """The cue word right before `start`: (category, its start, its text)."""
    m = _CUE_RE.search(text, max(0, start - 40), start)
    if m is None:
        return None
    cat = next(c for c in _CUES if m.group(c))
    return cat, m.start(), m.group(cat)


def _year_for(atom: Atom, reference_year: int | None, default_year: int | None) -> int | None:
    if atom.anchor == "explicit":
        return atom.year
    if atom.anchor == "reference":
        return reference_year
    if atom.anchor == "next":
        return reference_year + 1 if reference_year is not None else None
    return default_year


def _is_citation(text: str, atom: Atom) -> bool:
    if atom.anchor != "explicit" or atom.kind not in ("date", "year"):
        return False
    before = text[max(0, atom.start - 120) : atom.start]
    if _DOC_NUMBER_BEFORE.search(before):
        return True
    return atom.rule == "year" and _LAW_BEFORE.search(before) is not None


def _single(text: str, atom: Atom, ref: int | None, default: int | None) -> _Candidate | None:
    cue = _cue(text, atom.start)
    cat = cue[0] if cue else None
    if atom.needs_within and not (cat in ("within", "after") or (cue and "trong" in cue[2].lower())):
        return None  # "chậm nhất trong 3 tháng" is a deadline; "từ 3 tháng đến 01 năm" a sentence length
    if cat == "after" and not atom.needs_within:
        cue = cat = None
    if atom.needs_cue and (cat is None or (cat == "within" and not atom.within_cue_ok)):
        return None
    if cat is None and _is_citation(text, atom):
        return None
    year = _year_for(atom, ref, default)
    if year is None and atom.rule == "next_year":
        return None  # "năm tới" of an unknown year: left to the vague rule
    start = cue[1] if cue and cat in _ABSORBED else atom.start
    interval = atom.build(year) if year is not None else None
    kind, rule = atom.kind, atom.rule
    if cat in ("before", "by") and atom.rule != "review_deadline":
        kind, rule = "deadline", f"{cat}+{atom.rule}"
        if interval is not None:
            interval = _deadline(interval, atom, cat)
    return _Candidate(start, atom.end, kind, rule, interval)


def _narrow(text: str, atom: Atom) -> Atom:
    if atom.kind not in ("month", "quarter"):
        return atom
    m = _NARROW.search(text, max(0, atom.start - 16), atom.start)
    if m is None:
        return atom
    word = " ".join(m["w"].lower().split())
    part = _NARROW_PART[word]
    if atom.kind == "quarter" and word not in ("đầu", "giữa", "cuối"):
        return atom
    build = atom.build

    def narrowed(year: int) -> Interval:
        first, last = build(year)
        if atom.kind == "quarter":
            month = first.month + part
            return months(first.year, month, month)
        start = first.replace(day=1 + 10 * part)
        return start, (last if part == 2 else start.replace(day=start.day + 9))

    rule = ("early+", "mid+", "late+")[part] + atom.rule
    return replace(atom, start=m.start(), build=narrowed, rule=rule, needs_cue=False, ends_period=part == 2)


def _deadline(interval: Interval, atom: Atom, cat: str) -> Interval:
    first, last = interval
    if cat == "before" and not (atom.point or atom.ends_period):
        last = first - timedelta(days=1)  # "trước tháng 6" = by the end of May
    return date(last.year, 1, 1), last


def _range(text: str, a: Atom, b: Atom, ref: int | None, default: int | None) -> _Candidate | None:
    """A range: "từ tháng 3 đến tháng 6/2026", "từ ngày 1/3 đến ngày 30/6/2026", "quý II - quý III/2026"."""
    if a.kind not in _RANGE_KINDS or b.kind not in _RANGE_KINDS:
        return None
    connector = _CONNECTOR.fullmatch(text, a.end, b.start)
    if connector is None:
        return None
    cue = _cue(text, a.start)
    has_from = cue is not None and cue[0] == "from"
    absorbs = cue is not None and cue[0] in ("from", "within")
    if not has_from and (a.needs_cue or a.kind != b.kind) and b.anchor != "explicit":
        return None
    if a.needs_cue and not has_from and b.needs_cue:
        return None
    year_b = _year_for(b, ref, default)
    # A year-less start takes the end's year: "từ tháng 3 đến tháng 6/2026".
    year_a = year_b if a.anchor == "default" and year_b is not None else _year_for(a, ref, default)
    start = cue[1] if absorbs and cue else a.start
    rule = f"range:{a.rule}~{b.rule}"
    if year_a is None or year_b is None:
        return _Candidate(start, b.end, "range", rule, None)
    first, last = a.build(year_a), b.build(year_b)
    if a.anchor == "default" and first[0] > last[1]:
        first = a.build(year_a - 1)  # "từ tháng 11 đến tháng 2/2026" starts in 2025
    if first[0] > last[1]:
        return None
    return _Candidate(start, b.end, "range", rule, (first[0], last[1]))


def _select(cands: list[_Candidate], chosen: list[_Candidate]) -> list[_Candidate]:
    """Add the longest candidates that overlap nothing chosen so far."""
    out = list(chosen)
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        if all(c.end <= o.start or o.end <= c.start for o in out):
            out.append(c)
    return out
