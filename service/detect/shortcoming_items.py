"""The model of an extraction (items, shortcomings, causes, remedies, claims) and the splitting of a
section's body into the author's items: one per bullet or numbered item, one per sentence in prose, and a
"…; …" list split at ";". Also a Review assembled from section bodies (`review_from_parts`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from service.detect.shortcoming_layout import recover_sections
from service.detect.shortcoming_rules import SYLLABLE, CauseKind, Rules, first_match, load_rules
from service.text.document import Review, Section

_ENUM = re.compile(r"(?:(?:[IVXLC]{1,5}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]|[-+•])\s*")
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)]*\s+")
# Top-level sections where a shortcoming is never taken from a cue alone (see service.detect.shortcomings).
NO_ELSEWHERE = frozenset({"I", "II", "III", "V", "VI", "B"})


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
        before = text[max(s, m.start() - 5) : m.start()].split()
        abbreviation = bool(before) and text[m.start()] == "." and _abbreviation(before[-1])
        if nxt < e and not abbreviation and (text[nxt].isalnum() or text[nxt] in '-*“"'):
            spans.append((cursor, nxt))
            cursor = nxt
    spans.append((cursor, e))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _abbreviation(word: str) -> bool:
    """ "TP", "ThS", "Q": capitals, or a syllable without a vowel. A short word is not one: "thứ Hai.",
    "xếp loại Khá." end sentences."""
    if not word[:1].isupper() or len(word) > 4:
        return False
    base = unicodedata.normalize("NFD", word.lower())
    return sum(c.isupper() for c in word) >= 2 or not any(c in "aeiouy" for c in base)


def _split_semicolons(text: str, s: int, e: int, rules: Rules) -> list[tuple[int, int]]:
    """ "A; B; C" → three parts, when each part is long enough to be an item of its own."""
    bounds = [s, *[m.start() for m in re.finditer(";", text[s:e])], e]
    if len(bounds) == 2:
        return [(s, e)]
    bounds[1:-1] = [s + b for b in bounds[1:-1]]
    parts = [(bounds[i] + (1 if i else 0), bounds[i + 1]) for i in range(len(bounds) - 1)]
    if any(len(SYLLABLE.findall(text[a:b])) < 3 for a, b in parts):
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
            if is_heading or e <= s or not SYLLABLE.search(text[s:e]):
                continue
            for a, b in [(s, e)] if marker else _sentences(text, s, e):
                # "Nguyên nhân. - Do …" / "Nguyên nhân của hạn chế. Chưa …": a sub-heading run into its text.
                label = _zone(text[a:b], rules, label)
                lab = rules.patterns["cause_label"].match(text[a:b])
                if lab:  # "Nguyên nhân khách quan: … Nguyên nhân chủ quan: …" in one paragraph
                    label = "subjective" if lab.group("kind").lower() == "chủ quan" else "objective"
                for c, d in _split_semicolons(text, a, b, rules):
                    c2, d2, _, heading = _strip(text, c, d, rules)
                    if any(cue.regex.search(text[c2:d2]) for cue in rules["instruction_cues"]):
                        continue  # the form's or a guide's instruction, not the author's text
                    if not heading and d2 > c2 and SYLLABLE.search(text[c2:d2]):
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
    """The items of a section, found also when the form parser missed its heading (see
    `recover_sections`)."""
    rules = rules or load_rules()
    review = recover_sections(review, rules)
    section = review.section(section_id)
    return section_items(review, section, rules) if section else []


def content_items(review: Review, rules: Rules, exclude: frozenset[str] = NO_ELSEWHERE) -> list[Item]:
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
