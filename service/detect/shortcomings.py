"""Shortcomings of a review and what it says about them: causes and remedies (pure; the cues are data in
corpus/rules/remedies.yaml).

Section II.1 (a collective report's II) lists the shortcomings: one per bullet or numbered item, one per
sentence in prose, and a "…; …" list split at ";". Outside section II a shortcoming is taken only on a
strong cue ("còn hạn chế", "khuyết điểm là"), and never in I (praise), III (last year's), V (the
collective's) or VI (remedies). "Không có khuyết điểm gì" is a claim to check, not a shortcoming.
Causes come from II.2 and inline "do …"; remedies from VI, forward-looking items of III and inline
"biện pháp …"; both are linked to shortcomings by topic (`similarity`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

import yaml
from rapidfuzz import fuzz

from service.paths import CORPUS_DIR
from service.text.document import Review, Section

RULES_FILE = CORPUS_DIR / "rules" / "remedies.yaml"
CauseKind = Literal["subjective", "objective", "both"]

_ENUM = re.compile(r"(?:(?:[IVXLC]{1,5}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]|[-+•])\s*")
_SYLLABLE = re.compile(r"[^\W\d_]+|\d+")
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)]*\s+")
# Top-level sections where a shortcoming is never taken from a cue alone (see the module docstring).
_NO_ELSEWHERE = frozenset({"I", "II", "III", "V", "VI", "B"})
_I = re.IGNORECASE


# ---------------------------------------------------------------------------------------------- rules
@dataclass(frozen=True)
class Cue:
    id: str
    regex: re.Pattern[str]
    strong: bool = True
    inline: bool = False
    status: str | None = None


@dataclass(frozen=True)
class Rules:
    version: str
    data: dict[str, Any]  # the raw file: messages, rewrites, thresholds
    cues: dict[str, tuple[Cue, ...]]  # by group name: shortcoming_cues, cause_cues, …
    patterns: dict[str, re.Pattern[str]]  # single patterns: subheading, item_label, contrast, …
    stop_words: frozenset[str]
    topics: tuple[tuple[str, re.Pattern[str]], ...]

    def __getitem__(self, group: str) -> tuple[Cue, ...]:
        return self.cues[group]

    def data_pattern(self, name: str) -> re.Pattern[str]:
        return _pattern(self.data[name])


def _compile(entry: dict[str, Any]) -> re.Pattern[str]:
    if "phrase" in entry:
        words = [re.escape(w) for w in entry["phrase"].split()]
        return re.compile(r"(?<!\w)" + r"[\s,]+".join(words) + r"(?!\w)", _I)
    return re.compile(entry["pattern"], _I)


@lru_cache(maxsize=64)
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source, _I)


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> Rules:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    groups = {
        name: tuple(
            Cue(e["id"], _compile(e), e.get("strong", True), e.get("inline", False), e.get("status"))
            for e in entries
        )
        for name, entries in data.items()
        if name.endswith("_cues") or name.endswith("_exceptions")
    }
    single = (
        "intro",
        "topic_label",
        "subheading",
        "item_label",
        "no_split_after",
        "time_only_sentence",
        "cause_start",
        "cause_subject",
    )
    patterns = {name: re.compile(data[name], _I) for name in single}
    patterns["contrast"] = re.compile(data["contrast"]["pattern"], _I)
    patterns["cause_label"] = re.compile(data["cause_label"]["pattern"], _I)
    stop = frozenset(_SYLLABLE.findall(data["stop_words"].lower()))
    phrases = sorted(data["stop_phrases"], key=len, reverse=True)
    patterns["stop_phrases"] = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)", _I)
    topics = tuple(
        (t["id"], re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, t["phrases"])) + r")(?!\w)", _I))
        for t in data["topics"]
    )
    return Rules(str(data["version"]), data, groups, patterns, stop, topics)


def first_match(cues: tuple[Cue, ...], text: str, *, min_start: int = 0) -> tuple[int, Cue] | None:
    hits = [(m.start(), c) for c in cues for m in c.regex.finditer(text) if m.start() >= min_start]
    return min(hits, key=lambda h: h[0]) if hits else None


# ------------------------------------------------------------------------------------------ the model
@dataclass(frozen=True)
class Item:
    """One bullet, numbered item, prose sentence or ";"-part of a section body."""

    start: int
    end: int
    text: str
    section_id: str | None
    marker: str | None  # "1", "a", "-" … or None for a prose sentence
    label: str | None = None  # a II.2 label line above it: "subjective" / "objective"
    group: int = -1  # start of the bullet or sentence a ";"-part was split from


@dataclass
class Shortcoming:
    start: int
    end: int
    text: str
    section_id: str | None
    origin: str  # "section" (an item of II.1 / II) or "elsewhere" (a strong cue outside II)
    cue: str | None = None
    causes: list[int] = field(default_factory=list)  # indices into Extraction.causes
    remedies: list[int] = field(default_factory=list)  # indices into Extraction.remedies


@dataclass
class Cause:
    start: int
    end: int
    text: str
    section_id: str | None
    kind: CauseKind
    cues: tuple[str, ...]
    general: bool = False  # covers every shortcoming
    inline_of: int | None = None  # the shortcoming it is written inside
    group: int = -1  # see Item.group
    label: str | None = None  # the shortcoming it names ("hạn chế về công tác kiểm tra")


@dataclass
class Remedy:
    start: int
    end: int
    text: str
    section_id: str | None
    cues: tuple[str, ...]
    generic: bool = False  # "khắc phục những hạn chế đã nêu": names no shortcoming
    inline_of: int | None = None
    group: int = -1  # see Item.group
    label: str | None = None  # see Cause.label


@dataclass(frozen=True)
class Claim:
    """ "Không có khuyết điểm gì": a claim of no shortcoming, for a reviewer to check."""

    start: int
    end: int
    text: str
    section_id: str | None
    rule: str


@dataclass
class Extraction:
    shortcomings: list[Shortcoming]
    causes: list[Cause]
    remedies: list[Remedy]
    claims: list[Claim]
    has_section_ii: bool
    rules_version: str


# ---------------------------------------------------------------------------------------------- items
def top(section_id: str | None) -> str | None:
    return section_id.split(".")[0] if section_id else None


def _minus(start: int, end: int, holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces = [(start, end)]
    for hs, he in holes:
        pieces = [
            p
            for s, e in pieces
            for p in (((s, e),) if he <= s or hs >= e else ((s, max(s, hs)), (min(e, he), e)))
            if p[1] > p[0]
        ]
    return pieces


def _strip(text: str, s: int, e: int, rules: Rules) -> tuple[int, int, str | None, bool]:
    """Trim stars, enumerators and labels ("Hạn chế:") off a piece: (start, end, marker, is_subheading)."""
    marker: str | None = None
    changed = True
    while changed and s < e:
        changed = False
        while s < e and (text[s].isspace() or text[s] in "*_"):
            s, changed = s + 1, True
        m = _ENUM.match(text, s, e)
        if m and (text[m.start()] in "-+•" or text[m.end() - 1].isspace()):
            marker = marker or text[m.start() : m.end()].strip().rstrip(".)") or "-"
            s, changed = m.end(), True
        rest = text[s:e].strip(" *_")
        if rest and rules.patterns["subheading"].match(rest):
            return s, s, marker, True
        intro = rules.patterns["intro"].match(text[s:e])
        if intro and intro.end() >= len(text[s:e].rstrip()):
            return s, s, marker, True  # "Qua tự kiểm điểm, bản thân thấy còn những hạn chế sau:"
        if intro and ":" in intro.group(0):
            s, changed = s + intro.end(), True
        lead = rules.data_pattern("instruction_prefix").match(text[s:e])
        if lead and lead.end() < e - s:
            s, changed = s + lead.end(), True
        lab = rules.patterns["item_label"].match(text[s:e])
        if lab and lab.end() < e - s:
            s, changed = s + lab.end(), True
    while e > s and (text[e - 1].isspace() or text[e - 1] in "*_;,"):
        e -= 1
    return s, e, marker, False


def _sentences(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Prose split into sentences at a full stop and a space, unless the stop ends a short abbreviation
    ("TP. Huế", "ThS. Lan"); a sentence may start in lower case in hastily typed reviews."""
    spans, cursor = [], s
    for m in _SENTENCE_END.finditer(text, s, e):
        nxt = m.end()
        before = text[max(s, m.start() - 4) : m.start()].split()
        abbreviation = (
            bool(before) and len(before[-1]) <= 3 and before[-1][:1].isupper() and text[m.start()] == "."
        )
        if nxt < e and not abbreviation and (text[nxt].isalnum() or text[nxt] in '-*“"'):
            spans.append((cursor, nxt))
            cursor = nxt
    spans.append((cursor, e))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _split_semicolons(text: str, s: int, e: int, rules: Rules) -> list[tuple[int, int]]:
    """ "A; B; C" → three parts, when each part is long enough to be an item of its own."""
    bounds = [s, *[m.start() for m in re.finditer(";", text[s:e])], e]
    if len(bounds) == 2:
        return [(s, e)]
    bounds[1:-1] = [s + b for b in bounds[1:-1]]
    parts = [(bounds[i] + (1 if i else 0), bounds[i + 1]) for i in range(len(bounds) - 1)]
    if any(len(_SYLLABLE.findall(text[a:b])) < 3 for a, b in parts):
        return [(s, e)]
    merged = [parts[0]]
    for a, b in parts[1:]:
        inline = first_match(tuple(c for c in rules["remedy_cues"] if c.inline), text[a : min(b, a + 25)])
        if rules.patterns["no_split_after"].match(text[a:b]) or inline:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _zone(text: str, rules: Rules, current: str | None) -> str | None:
    """A sub-heading inside section II switches between shortcomings (None) and causes ("cause" or the
    kind its label names, "Nguyên nhân chủ quan:")."""
    body = text.strip(" *_-.:0123456789)")
    if not rules.patterns["subheading"].match(body) and not rules.patterns["cause_label"].match(text):
        return current
    lab = rules.patterns["cause_label"].match(body)
    if lab:
        return "subjective" if lab.group("kind").lower() == "chủ quan" else "objective"
    return "cause" if rules.patterns["cause_start"].match(body) else None


def section_items(review: Review, section: Section, rules: Rules | None = None) -> list[Item]:
    """The author's items in a section's body; its sub-sections and the form's own text left out.

    `Item.label` carries the zone a sub-heading opened: "cause", "subjective", "objective" or None."""
    rules = rules or load_rules()
    text = review.text
    holes = [(s.start, s.end) for s in review.sentences if s.is_heading]
    skip = [(c.start, c.end) for c in review.sections if c.id.startswith(section.id + ".")]
    items: list[Item] = []
    label: str | None = None
    pos = section.body_start
    for line in text[section.body_start : section.end].split("\n"):
        ls, le = pos, pos + len(line)
        pos = le + 1
        pieces = [(a, b, False) for a, b in _minus(ls, le, holes + skip)]
        pieces += [
            (max(hs, ls), min(he, le), True)
            for hs, he in holes
            if hs < le and he > ls and not any(ks <= hs < ke for ks, ke in skip)
        ]
        for ps, pe, is_form in sorted(pieces):
            label = _zone(text[ps:pe], rules, label)
            if is_form:
                continue
            s, e, marker, is_heading = _strip(text, ps, pe, rules)
            if is_heading or e <= s or not _SYLLABLE.search(text[s:e]):
                continue
            for a, b in [(s, e)] if marker else _sentences(text, s, e):
                lab = rules.patterns["cause_label"].match(text[a:b])
                if lab:  # "Nguyên nhân khách quan: … Nguyên nhân chủ quan: …" in one paragraph
                    label = "subjective" if lab.group("kind").lower() == "chủ quan" else "objective"
                for c, d in _split_semicolons(text, a, b, rules):
                    c2, d2, _, heading = _strip(text, c, d, rules)
                    if any(cue.regex.search(text[c2:d2]) for cue in rules["instruction_cues"]):
                        continue  # the form's or a guide's instruction, not the author's text
                    if not heading and d2 > c2 and _SYLLABLE.search(text[c2:d2]):
                        items.append(Item(c2, d2, text[c2:d2], section.id, marker, label, a))
    merged: list[Item] = []
    for it in items:  # "Thời gian hoàn thành: trước 30/6/2026." belongs to the item before it
        if merged and rules.patterns["time_only_sentence"].match(it.text) and len(it.text) < 80:
            prev = merged[-1]
            span = text[prev.start : it.end]
            merged[-1] = Item(prev.start, it.end, span, prev.section_id, prev.marker, prev.label, prev.group)
        else:
            merged.append(it)
    return merged


def items_of(review: Review, section_id: str, rules: Rules | None = None) -> list[Item]:
    section = review.section(section_id)
    return section_items(review, section, rules) if section else []


def content_items(review: Review, rules: Rules, exclude: frozenset[str] = _NO_ELSEWHERE) -> list[Item]:
    """Sentences of the author's text outside the sections in `exclude` (top-level ids)."""
    if not review.sections:
        whole = Section("", "", 0, len(review.text), 0)
        return [Item(i.start, i.end, i.text, None, i.marker) for i in section_items(review, whole, rules)]
    out = []
    for s in review.sentences:
        section = review.section_at(s.start)
        sid = section.id if section else None
        if not s.is_heading and top(sid) not in exclude:
            a, b, marker, heading = _strip(review.text, s.start, s.end, rules)
            if not heading and b > a:
                out.append(Item(a, b, review.text[a:b], sid, marker))
    return out


# ------------------------------------------------------------------------------------------ similarity
def _content(text: str, rules: Rules) -> list[str | None]:
    """The syllables of `text` in order, None where a stop word or phrase stood."""
    plain = rules.patterns["stop_phrases"].sub(" | ", text.lower())
    return [
        None if w == "|" or w in rules.stop_words or w.isdigit() else w
        for w in re.findall(r"[^\W\d_]+|\d+|\|", plain)
    ]


def units(text: str, rules: Rules) -> set[str]:
    """Content syllables (stop words out) plus one "§topic" unit per topic group that occurs."""
    found = {w for w in _content(text, rules) if w}
    return found | {"§" + tid for tid, rx in rules.topics if rx.search(text)}


def _bigrams(text: str, rules: Rules) -> set[tuple[str, str]]:
    seq = _content(text, rules)
    return {(a, b) for a, b in pairwise(seq) if a and b}


def similarity(a: str, b: str, rules: Rules) -> tuple[float, int]:
    """(token_set_ratio over content units, plus a bonus when a topic group is shared; weight of the
    shared units, a topic counting topic_weight)."""
    cfg = rules.data["similarity"]
    ua, ub = units(a, rules), units(b, rules)
    shared = ua & ub
    if not shared:
        return 0.0, 0
    topics = sum(u.startswith("§") for u in shared)
    weight = len(shared) - topics + cfg["topic_weight"] * topics
    ratio = fuzz.token_set_ratio(" ".join(sorted(ua)), " ".join(sorted(ub)))
    return min(100.0, ratio + (cfg["topic_bonus"] if topics else 0)), weight


def related(a: str, b: str, rules: Rules, *, strong: bool = False) -> bool:
    """Same topic: enough shared units with a high enough ratio, or a shared multi-syllable phrase
    ("sổ điểm điện tử" shares three syllable pairs however long the rest is)."""
    cfg = rules.data["similarity"]
    ratio, weight = similarity(a, b, rules)
    if weight < cfg["min_shared"] or not {u for u in units(a, rules) & units(b, rules) if u[0] != "§"}:
        return False
    if ratio >= cfg["strong_threshold" if strong else "threshold"]:
        return True
    pairs = len(_bigrams(a, rules) & _bigrams(b, rules))
    # A shared phrase plus another shared word ("kho lưu trữ … chứng từ" / "lưu trữ hồ sơ, chứng từ").
    return pairs >= cfg["strong_pairs" if strong else "pairs"] or (
        not strong and pairs and weight >= cfg["pair_weight"]
    )


def cause_kind(text: str, rules: Rules, label: str | None = None) -> tuple[CauseKind, tuple[str, ...]]:
    """Subjective (the member's own), objective (circumstances) or both, with the cue ids that decided."""
    obj_spans = [(m.start(), m.end(), c.id) for c in rules["objective_cues"] for m in c.regex.finditer(text)]
    obj = list(dict.fromkeys(i for _, _, i in obj_spans))
    # A subjective word inside an objective phrase ("ý thức … của người dân") is someone else's.
    subj = [
        c.id
        for c in rules["subjective_cues"]
        if any(not any(s <= m.start() < e for s, e, _ in obj_spans) for m in c.regex.finditer(text))
    ]
    if label:
        (subj if label == "subjective" else obj).append(rules.data["cause_label"]["id"])
    if subj and obj:
        return "both", (*subj, *obj)
    if obj:
        return "objective", tuple(obj)
    return ("subjective" if subj else rules.data["default_cause_type"]), tuple(subj)


# ------------------------------------------------------------------------------------------ extraction
def negation(text: str, rules: Rules, *, bare: bool) -> tuple[Cue, int] | None:
    """A "no shortcoming" claim in `text`, and where a shortcoming after "tuy nhiên" starts (or -1).
    `bare`: a lone "Không có." counts (only as an item of section II)."""
    for cue in rules["negation_cues"]:
        m = cue.regex.search(text)
        if m and (bare or not cue.regex.pattern.startswith("^")):
            c = rules.patterns["contrast"].search(text, m.end())
            return cue, (c.end() if c else -1)
    return None


def _is_shortcoming_elsewhere(text: str, rules: Rules) -> str | None:
    if any(c.regex.search(text) for c in rules["shortcoming_exceptions"]):
        return None
    hit = first_match(tuple(c for c in rules["shortcoming_cues"] if c.strong), text)
    return hit[1].id if hit else None


def _inline(text: str, rules: Rules) -> tuple[tuple[int, int, str] | None, tuple[int, str] | None]:
    """Where an inline cause (start, end, cue id) and an inline remedy (start, cue id) sit in a shortcoming.

    "Do tuổi cao nên …" opens with its cause; otherwise a cue counts only after the first words. A remedy
    starts at its clause ("…, thời gian tới sẽ động viên …" keeps "thời gian tới" with it)."""
    hit = first_match(tuple(c for c in rules["remedy_cues"] if c.inline), text, min_start=8)
    remedy = None
    if hit:
        clause = max(text.rfind(",", 0, hit[0]), text.rfind(";", 0, hit[0]))
        start = clause + 1 if clause > 8 else hit[0]
        remedy = (start + len(text[start:]) - len(text[start:].lstrip()), hit[1].id)
    head = text[: remedy[0]] if remedy else text
    lead = rules.patterns["cause_start"].match(head)
    so = re.search(r"\s(?:nên|dẫn đến|khiến)\s", head)
    if lead and so:
        return (0, so.start(), "ca.leading"), remedy
    blocked = [(m.start(), m.end()) for c in rules["cause_exceptions"] for m in c.regex.finditer(head)]
    hits = [
        (m.start(), c.id)
        for c in rules["cause_cues"]
        for m in c.regex.finditer(head)
        if m.start() >= 8 and not any(s <= m.start() < e for s, e in blocked)
    ]
    cause = min(hits) if hits else None
    return ((cause[0], len(head), cause[1]) if cause else None), remedy


def _add_inline(i: int, sc: Shortcoming, ex: Extraction, rules: Rules) -> None:
    cause, remedy = _inline(sc.text, rules)
    if cause:
        chunk = sc.text[cause[0] : cause[1]].rstrip(" ,;.")
        kind, cues = cause_kind(chunk, rules)
        start = sc.start + cause[0]
        ex.causes.append(
            Cause(start, start + len(chunk), chunk, sc.section_id, kind, (cause[2], *cues), inline_of=i)
        )
        sc.causes.append(len(ex.causes) - 1)
    if remedy:
        chunk = sc.text[remedy[0] :].rstrip(" ,;.")
        start = sc.start + remedy[0]
        ex.remedies.append(Remedy(start, start + len(chunk), chunk, sc.section_id, (remedy[1],), inline_of=i))
        sc.remedies.append(len(ex.remedies) - 1)


def extract(review: Review, rules: Rules | None = None) -> Extraction:
    """Shortcomings, causes, remedies and claims of a review, linked to each other."""
    rules = rules or load_rules()
    has_ii = any(top(s.id) == "II" for s in review.sections)
    ex = Extraction([], [], [], [], has_ii, rules.version)
    cause_items: list[Item] = items_of(review, "II.2", rules)
    explicit = review.section("II.1") is not None
    for it in items_of(review, "II.1", rules) if explicit else items_of(review, "II", rules):
        # In II.1 every item is a shortcoming ("Do tuổi cao nên …" included); in a II without
        # sub-sections an item opening with "Nguyên nhân"/"Do" is a cause.
        opens_cause = rules.patterns["cause_start"].match(it.text) and not re.search(r"\snên\s", it.text)
        if it.label or (opens_cause and not explicit):
            cause_items.append(it)
            continue
        if not first_match(rules["shortcoming_cues"], it.text) and rules.data_pattern("filler").search(
            it.text
        ):
            continue  # "Bản thân nhận thức rõ trách nhiệm …": a stock line, no shortcoming
        neg = negation(it.text, rules, bare=True)
        if neg:
            ex.claims.append(Claim(it.start, it.end, it.text, it.section_id, neg[0].id))
            if neg[1] < 0:
                continue
            rest = it.text[neg[1] :].lstrip(" ,")
            it = Item(it.end - len(rest), it.end, rest, it.section_id, it.marker)
        ex.shortcomings.append(Shortcoming(it.start, it.end, it.text, it.section_id, "section"))
    n_section = len(ex.shortcomings)
    remedy_items = items_of(review, "VI", rules)
    remedy_cues = rules["remedy_cues"]
    remedy_items += [i for i in items_of(review, "III", rules) if first_match(remedy_cues, i.text)]
    for it in content_items(review, rules, frozenset({"II", "B"})):
        neg = negation(it.text, rules, bare=False)
        if neg:
            ex.claims.append(Claim(it.start, it.end, it.text, it.section_id, neg[0].id))
    claimed = {(c.start, c.end) for c in ex.claims}
    for it in content_items(review, rules):
        if (it.start, it.end) in claimed:
            continue
        cue = _is_shortcoming_elsewhere(it.text, rules)
        if cue:
            ex.shortcomings.append(Shortcoming(it.start, it.end, it.text, it.section_id, "elsewhere", cue))
        elif not review.sections and rules.patterns["cause_start"].match(it.text):
            cause_items.append(it)
        elif first_match(tuple(c for c in remedy_cues if c.inline), it.text):
            remedy_items.append(it)
    for i, sc in enumerate(ex.shortcomings):
        _add_inline(i, sc, ex, rules)
    _link_causes(ex, cause_items, n_section, rules)
    _link_remedies(ex, remedy_items, rules)
    return ex


def _related_to(text: str, ex: Extraction, rules: Rules, *, strong: bool) -> list[int]:
    return [i for i, sc in enumerate(ex.shortcomings) if related(text, sc.text, rules, strong=strong)]


def closest_among(text: str, texts: list[str], candidates: list[int], rules: Rules) -> list[int]:
    """Of `candidates` (indices into `texts`), the one sharing most with `text` (and any sharing as much,
    with a ratio within `cause_margin`)."""
    scored = [(similarity(text, texts[i], rules), i) for i in candidates]
    if not scored:
        return []
    (best_ratio, best_weight), _ = max(scored, key=lambda s: (s[0][1], s[0][0]))
    margin = rules.data["similarity"]["cause_margin"]
    return [i for (r, w), i in scored if w >= best_weight and r >= best_ratio - margin]


def _closest(text: str, candidates: list[int], ex: Extraction, rules: Rules) -> list[int]:
    """A cause usually explains one shortcoming: keep the closest (see `closest_among`)."""
    return closest_among(text, [sc.text for sc in ex.shortcomings], candidates, rules)


def topics(text: str, rules: Rules) -> set[str]:
    return {tid for tid, rx in rules.topics if rx.search(text)}


def topic_label(text: str, rules: Rules) -> str | None:
    """The shortcoming a cause or remedy names: "Đối với hạn chế về X: …", "Về X: …", "hạn chế (về|trong)
    X …", "Việc X … do …". None when it names nothing ("một phần do …")."""
    text = rules.data_pattern("connective").sub("", text)
    m = rules.patterns["topic_label"].search(text)
    x = (m.group("a") or m.group("b") or m.group("c") or m.group("d")) if m else None
    if x is None:
        subject = rules.patterns["cause_subject"].match(text)
        x = subject.group("x") if subject else None
    return x if x and (len(units(x, rules)) >= 2 or topics(x, rules)) else None


def _by_label(label: str, ex: Extraction, rules: Rules) -> list[int]:
    """Shortcomings a label names: on its words or its topic, the closest ones."""
    candidates = [
        i
        for i, sc in enumerate(ex.shortcomings)
        if related(label, sc.text, rules) or topics(label, rules) & topics(sc.text, rules)
    ]
    return _closest(label, candidates, ex, rules)


def _same_label(a: str, b: str, rules: Rules) -> bool:
    ua, ub = units(a, rules), units(b, rules)
    return bool(ua and ub) and len(ua & ub) / len(ua | ub) >= 0.6


def _link_causes(ex: Extraction, items: list[Item], n_section: int, rules: Rules) -> None:
    """II.2 causes. A general cause ("Nguyên nhân chủ yếu là …") covers every shortcoming of II; a cause
    that names its shortcoming ("Việc chậm thanh toán … do …", "hạn chế về X là do …") goes to the one it
    names; a cause on a shortcoming's topic goes to it; else, when II.2 lists as many causes as II.1
    shortcomings, by order. A cause on no shortcoming's topic explains those left without a cause."""
    section = list(range(n_section))
    specific: list[int] = []
    for it in items:
        kind, cues = cause_kind(it.text, rules, it.label if it.label in ("subjective", "objective") else None)
        label = topic_label(it.text, rules)
        # "Nguyên nhân chủ yếu …", or "Nguyên nhân chủ quan: …" naming no shortcoming: for all of them.
        general = label is None and bool(
            first_match(rules["general_cause_cues"], it.text) or rules.patterns["cause_label"].match(it.text)
        )
        ex.causes.append(
            Cause(it.start, it.end, it.text, it.section_id, kind, cues, general, None, it.group, label)
        )
        if not general:
            specific.append(len(ex.causes) - 1)
    # Order is counted in lines (or sentences): "A; B" on one line is one cause of the list.
    groups = list(dict.fromkeys(ex.causes[ci].group for ci in specific))
    by_order = len(groups) == n_section >= 2
    orphans: list[int] = []
    for ci in specific:
        cause = ex.causes[ci]
        if cause.label:
            # Named: the one it names, or failing that the one its explanation is about.
            targets = _by_label(cause.label, ex, rules) or _closest(
                cause.text, _related_to(cause.text, ex, rules, strong=False), ex, rules
            )
        else:
            # Every close match; of the loose ones only the best (a cause usually explains one shortcoming).
            targets = _related_to(cause.text, ex, rules, strong=True)
            targets = targets or _closest(
                cause.text, _related_to(cause.text, ex, rules, strong=False), ex, rules
            )
            if not targets and by_order:
                targets = [section[groups.index(cause.group)]]
            # A cause of a kind ("nể nang" → speaking up) explains every shortcoming of that kind.
            shared = [
                i for i in section if topics(cause.text, rules) & topics(ex.shortcomings[i].text, rules)
            ]
            targets = sorted(set(targets) | set(shared))
            if not targets:
                orphans.append(ci)
        for i in targets:
            ex.shortcomings[i].causes.append(ci)
    for ci, cause in enumerate(ex.causes):
        if cause.general and cause.inline_of is None:
            for i in section:
                ex.shortcomings[i].causes.append(ci)
    for ci in list(orphans):  # the other half of "A; B" goes where its sibling went
        siblings = [
            i
            for i in section
            if any(ex.causes[c].group == ex.causes[ci].group for c in ex.shortcomings[i].causes)
        ]
        for i in siblings:
            ex.shortcomings[i].causes.append(ci)
        if siblings:
            orphans.remove(ci)
    # What no shortcoming claims explains those left without a cause, or all of them when every one has a
    # cause already (II.2 is often one general sentence).
    bare = [i for i in section if not ex.shortcomings[i].causes] or section
    for ci in orphans:
        ex.causes[ci].general = True
        for i in bare:
            ex.shortcomings[i].causes.append(ci)


def _link_remedies(ex: Extraction, items: list[Item], rules: Rules) -> None:
    """A remedy goes to every shortcoming on its topic, or on the topic of the shortcoming's own cause
    ("chưa kịp đề xuất chốt tuần tra" → "Đề xuất lập thêm 1 chốt tuần tra"); one that names its shortcoming
    ("Đối với hạn chế về tin học: …") to that one only. When the review has a single shortcoming and no
    remedy is on its topic, section VI is its remedy whatever the words. A generic line ("khắc phục những
    hạn chế đã nêu") names no measure and is linked only if `generic_remedy_counts`."""
    unclaimed: list[int] = []
    for it in items:
        cues = tuple(c.id for c in rules["remedy_cues"] if c.regex.search(it.text))
        label = topic_label(it.text, rules)
        if label:  # the one it names, or failing that the one its measure is about
            targets = _by_label(label, ex, rules) or _closest(
                it.text, _related_to(it.text, ex, rules, strong=False), ex, rules
            )
        else:
            targets = [
                i
                for i, sc in enumerate(ex.shortcomings)
                if related(it.text, sc.text, rules)
                or any(
                    not ex.causes[c].general and related(it.text, ex.causes[c].text, rules) for c in sc.causes
                )
            ]
        gen = None if targets or label else first_match(rules["generic_remedy_cues"], it.text)
        cues += (gen[1].id,) if gen else ()
        ex.remedies.append(
            Remedy(it.start, it.end, it.text, it.section_id, cues, gen is not None, None, it.group, label)
        )
        ri = len(ex.remedies) - 1
        if not targets and not gen and not label and it.section_id == "VI":
            unclaimed.append(ri)
        for i in targets:
            ex.shortcomings[i].remedies.append(ri)
    _share_labels(ex, rules)
    # The other half of "A; B" goes where its sibling went.
    for ri in unclaimed:
        sibling = ex.remedies[ri].group
        for sc in ex.shortcomings:
            if any(ex.remedies[r].group == sibling for r in sc.remedies):
                sc.remedies.append(ri)
    if len(ex.shortcomings) == 1 and not ex.shortcomings[0].remedies:
        ex.shortcomings[0].remedies.extend(unclaimed)
    if rules.data["generic_remedy_counts"]:
        generic = [ri for ri, r in enumerate(ex.remedies) if r.generic]
        for sc in ex.shortcomings:
            if not sc.remedies:
                sc.remedies.extend(generic)


def _share_labels(ex: Extraction, rules: Rules) -> None:
    """A cause and a remedy that name the same shortcoming ("hạn chế về công tác tư tưởng") belong to the
    same one: what one of them was linked to, the other gets."""
    named: list[tuple[str, set[int]]] = []
    for kind, items in (("causes", ex.causes), ("remedies", ex.remedies)):
        for k, item in enumerate(items):
            if item.label:
                owners = {i for i, sc in enumerate(ex.shortcomings) if k in getattr(sc, kind)}
                named.append((item.label, owners))
    for kind, items in (("causes", ex.causes), ("remedies", ex.remedies)):
        for k, item in enumerate(items):
            if not item.label or any(k in getattr(sc, kind) for sc in ex.shortcomings):
                continue
            for label, owners in named:
                if owners and _same_label(item.label, label, rules):
                    for i in owners:
                        getattr(ex.shortcomings[i], kind).append(k)
                    break


# ------------------------------------------------------------------------------- review from its parts
_TITLES = {
    "I": "I. Ưu điểm, kết quả đạt được",
    "II": "II. Hạn chế, khuyết điểm và nguyên nhân",
    "II.1": "1. Hạn chế, khuyết điểm",
    "II.2": "2. Nguyên nhân của hạn chế, khuyết điểm",
    "III": "III. Kết quả khắc phục những hạn chế, khuyết điểm đã được chỉ ra ở các kỳ kiểm điểm trước",
    "IV": "IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)",
    "V": "V. Làm rõ trách nhiệm của cá nhân đối với những hạn chế, khuyết điểm của tập thể (nếu có)",
    "VI": "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm",
}


def review_from_parts(parts: dict[str, str], *, year: int | None = None, source: str = "<parts>") -> Review:
    """A Review assembled from section bodies keyed by id ("II.1", "II.2", "VI", …) under the form's
    headings: how a labelled shortcoming is judged with its context without parsing a whole form."""
    from service.text.document import Sentence

    chunks: list[str] = []
    sections: list[Section] = []
    sentences: list[Sentence] = []
    pos = 0
    ids = [i for i in _TITLES if i in parts or (i == "II" and ("II.1" in parts or "II.2" in parts))]
    for sid in ids:
        title = _TITLES[sid]
        body = parts.get(sid, "").strip()
        head_end = pos + len(title)
        sentences.append(Sentence(pos, head_end, title, sid, is_heading=True))
        body_start = head_end + 1
        for ls, le in _lines(body, body_start):
            for a, b in _sentences(body_start * " " + body, ls, le) if body else []:
                sentences.append(Sentence(a, b, body[a - body_start : b - body_start], sid))
        chunk = title + "\n" + body if body else title
        sections.append(Section(sid, title, pos, pos + len(chunk), body_start if body else head_end, title))
        chunks.append(chunk)
        pos += len(chunk) + 1
    text = "\n".join(chunks)
    # II spans its sub-sections.
    sections = [
        Section(s.id, s.title, s.start, max(c.end for c in sections if top(c.id) == "II"), s.body_start)
        if s.id == "II"
        else s
        for s in sections
    ]
    return Review(text=text, source=source, year=year, sections=sections, sentences=sentences)


def _lines(body: str, offset: int) -> list[tuple[int, int]]:
    spans, pos = [], offset
    for line in body.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans
