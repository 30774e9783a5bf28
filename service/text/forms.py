"""Tell which official review form a review follows, and split it into the form's sections.

The definitions (corpus/forms/*.yaml) are loaded by service.text.form_defs, whose names are re-exported here.

A heading is looked for where one can stand: at a line start (after quote marks, markdown leftovers or a
bullet) or mid-line after an enumerator ("... 2. Việc thực hiện ..." in texts whose line breaks were lost).
Its words must agree with a listed variant, word for word, case and punctuation ignored. A body sentence that
merely mentions "hạn chế" is no heading: an unnumbered candidate must fill its line, end in a colon (a label),
be in capitals or be a whole variant run into a bullet ("... khuyết điểm. - ..."); a label repeated word for
word is a list item; a child lies inside its parent; a section out of the form's order survives only as a
clearly numbered heading. A section whose heading was dropped but whose printed instruction remains is placed
at the instruction; a missing parent is implied by its children.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from service.text import form_defs as fd
from service.text.document import Kind, Section
from service.text.form_defs import _WORD, Cue, FormDefinition, Instruction, SectionDef, load_definitions
from service.text.form_defs import Heading as Heading  # re-exported: importable from here as before
from service.text.form_defs import Topic as Topic

HEADER_TITLE = "Phần mở đầu (tiêu đề, họ và tên, ngày sinh, chức vụ, đơn vị, chi bộ)"


@dataclass(frozen=True)
class FormParse:
    form: str | None
    kind: Kind | None
    sections: list[Section]
    form_text_spans: list[tuple[int, int]]
    definition: str
    # Beyond the agreed fields: True when the text did not say which variant of its family it is (a default
    # was taken), and the cues that decided, for evidence.
    assumed: bool = False
    evidence: tuple[str, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------- heading candidates


@dataclass(frozen=True)
class _Cand:
    start: int  # first character of the heading as written (bullet or enumerator included)
    tok: int  # index of its first word
    stop: int  # index of the first word beyond its line
    line_end: int
    enum: str | None  # roman | digit | upper | lower | paren | None
    number: str | None
    line_start: bool
    caps: bool


@dataclass
class _Opt:
    sid: str
    start: int
    head_end: int
    body_start: int
    score: float = 0.0
    strong: bool = False  # numbered, at a line start, filling it or matching a whole variant
    numbered: bool = True
    key: str = ""  # the heading's words, to spot labels repeated as list items
    source: str = "heading"  # heading | anchor | implied


_LEAD = re.compile(r"[ >*_#|\"“]*(?:[-+–]\s*)?[*_]*\s*")
_PART = r"(?:(?:[Pp]hần|PHẦN|[Mm]ục|MỤC)\s+)?"
_ENUM = re.compile(
    _PART + r"(?:(?P<roman>[IVX]{1,4})|(?P<digit>\d{1,2}(?:\.\d{1,2})*)|(?P<letter>[A-Za-zĐđ]))\s*[.):]"
    r"|\((?P<paren>\d{1,2}|[ivxIVX]{1,4}|[a-zđ])\)"
)
_MID = re.compile(r"(?<=\s)[*_]*" + _PART + r"(?:[IVX]{1,4}|\d{1,2}(?:\.\d{1,2})*|[A-ZĐa-zđ])[.)]\s")
_SENTENCE_END = frozenset('.:;…!?)"”*|')
_TAIL = re.compile(r"(?:\s*\(nếu có\.?\))?(?:[ *_\"”]*[.:;…]+)?[*_\"”]*", re.I)  # "(NẾU CÓ)" in capitals
_STOP = re.compile(r":|\.(?=\s|$)")
_SPACE = re.compile(r"\s*")


class _Text:
    """The normalised text with its words and heading candidates located, shared by every definition."""

    def __init__(self, text: str) -> None:
        self.text = text
        found = list(_WORD.finditer(text))
        self.starts = [m.start() for m in found]
        self.ends = [m.end() for m in found]
        self.lows = [m.group().lower() for m in found]
        self.cands: list[_Cand] = []
        pos = 0
        for line in text.split("\n"):
            self._scan(line, pos)
            pos += len(line) + 1

    def tok_at(self, pos: int) -> int:
        return bisect_left(self.starts, pos)

    def match(self, words: tuple[str, ...], i: int, stop: int) -> int:
        n = 0
        while n < len(words) and i + n < stop and self.lows[i + n] == words[n]:
            n += 1
        return n

    def _scan(self, line: str, pos: int) -> None:
        lead = _LEAD.match(line)
        spots = [(lead.end() if lead else 0, True)]
        spots += [(m.start(), False) for m in _MID.finditer(line) if m.start() > spots[0][0]]
        line_end = pos + len(line)
        for off, at_start in spots:
            while off < len(line) and line[off] in "*_":
                off += 1
            m, enum, number, head = _ENUM.match(line, off), None, None, off
            if m:
                group = next(k for k in ("roman", "digit", "letter", "paren") if m.group(k))
                number = m.group(group)
                enum = ("upper" if number.isupper() else "lower") if group == "letter" else group
                head = m.end()
                while head < len(line) and line[head] in ' *_"“':
                    head += 1
            elif not at_start:
                continue
            before = line[:off].rstrip(" *_")
            if not at_start and enum in ("digit", "lower", "paren") and before[-1:] not in _SENTENCE_END:
                continue  # "giảm 2. Hạn chế": a number in a sentence, not an item
            i = self.tok_at(pos + head)
            if i >= len(self.starts) or self.starts[i] >= line_end or self.starts[i] - (pos + head) > 2:
                continue
            letters = [c for c in line[head : head + 80] if c.isalpha()]
            caps = len(letters) >= 6 and all(c.isupper() for c in letters)
            stop = self.tok_at(line_end)
            self.cands.append(
                _Cand(pos + off if not at_start else pos, i, stop, line_end, enum, number, at_start, caps)
            )

    def heading_end(self, c: _Cand, n: int, full: bool, to_line_end: bool = False) -> tuple[int, bool, bool]:
        """Where the written heading ends; whether in a colon (a label run into its text); whether it goes on
        past the variant's words. A `to_line_end` variant (the leading part of a long official heading) covers
        the rest of its line, then the usual tail."""
        text = self.text
        end = k = self.ends[c.tok + n - 1]
        if to_line_end and full:  # up to a colon, where the author's text may run on
            stop = text.find(":", end, c.line_end)
            rest = text[end : stop if stop >= 0 else c.line_end]
            words = list(_WORD.finditer(rest))
            return self._tail(c, end + words[-1].end() if words else end, n, longer=False)
        while k < c.line_end and text[k] in " ,;":
            k += 1
        if k < c.line_end and text[k].isalpha() and (text[k].islower() or c.caps):
            # The author's wording goes on (lower case) to a colon or full stop: still the heading if short.
            stop = _STOP.search(text, k, c.line_end)
            cut = stop.start() if stop else c.line_end
            if len(_WORD.findall(text, k, cut)) <= (8 if full else 25):
                end = cut
        return self._tail(c, end, n)

    def _tail(self, c: _Cand, end: int, n: int, longer: bool = True) -> tuple[int, bool, bool]:
        """The heading's closing marks; `longer` False where the words past the variant are the form's own."""
        tail = _TAIL.match(self.text, end, c.line_end)
        assert tail is not None  # every part of the pattern is optional
        return tail.end(), ":" in self.text[end : tail.end()], longer and end > self.ends[c.tok + n - 1]


def _options(defn: FormDefinition, t: _Text) -> list[_Opt]:
    """Every acceptable heading of this definition, with the best-fitting section(s) at each position."""
    out: list[_Opt] = []
    for c in t.cands:
        best: dict[str, tuple[int, bool, SectionDef, bool]] = {}
        for sd, h in defn.index.get(t.lows[c.tok], ()):
            n = t.match(h.words, c.tok, c.stop)
            full = n == len(h.words)
            if (full or n >= h.min_words) and (sd.id not in best or (n, full) > best[sd.id][:2]):
                best[sd.id] = (n, full, sd, h.to_line_end)
        here: list[_Opt] = []
        for n, full, sd, to_end in best.values():
            end, label, longer = t.heading_end(c, n, full, to_end)
            only = not t.text[end : c.line_end].strip(" *_|")
            body = _SPACE.match(t.text, end).end()  # type: ignore[union-attr]
            # A whole variant closed by a full stop and followed by a bullet is run into its first item.
            bullet = t.text[body : body + 1] in ("-", "+", "•") and "." in t.text[end - 2 : end]
            runin = full and n >= 3 and not longer and bullet
            # Unnumbered, a line is a heading only as the variant itself ("Tác phong làm việc tốt." is not).
            if c.enum is None and not (n >= 2 and ((only and not longer) or label or c.caps or runin)):
                continue
            if c.enum is not None and not (c.line_start or (full and n >= 3) or n >= 5):
                continue
            score = n + 1.5 * (c.enum == sd.enum) + (c.number in sd.numbers) + full + only + 2 * c.caps
            key = " ".join(_WORD.findall(t.text[c.start : end].lower()))
            strong = c.enum is not None and c.line_start and (only or full)
            here.append(_Opt(sd.id, c.start, end, body, score, strong, c.enum is not None, key))
        top = max((o.score for o in here), default=0.0)
        out += [o for o in here if o.score >= top - 1e-9]
    # The same unnumbered label written several times is a list item ("- Hạn chế: ..."), not a section.
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for o in out:
        seen[(o.sid, o.key)] += not o.numbered
    return [o for o in out if o.numbered or seen[(o.sid, o.key)] < 2]


# ---------------------------------------------------------------- which form


def _detect(t: _Text, year: int | None, kind: Kind | None) -> tuple[Any, ...]:
    """(definition or None, kind, assumed, evidence, options by definition id).

    A family (a layout: 2025 individual, 2023 collective, ...) is chosen on its wording, the headings found
    and the year; within it the variant (2A/2B/2C, 02A/02B) on its own cues, else the family's default.
    """
    defs = [d for d in load_definitions().values() if kind is None or d.kind == kind]
    opts = {d.id: _options(d, t) for d in defs}
    found: dict[re.Pattern[str], bool] = {}  # definitions share most cues: search each pattern once

    def hit(c: Cue) -> bool:
        if c.pattern not in found:
            found[c.pattern] = c.pattern.search(t.text) is not None
        return found[c.pattern]

    fam_hits = {d.id: [c for c in d.family_cues if hit(c)] for d in defs}
    own_hits = {d.id: [c for c in d.cues if hit(c)] for d in defs}
    structure = {d.id: len({o.sid for o in opts[d.id]}) for d in defs}
    weight = {
        d.id: (sum(c.weight for c in fam_hits[d.id]), sum(c.weight for c in own_hits[d.id])) for d in defs
    }
    families: dict[str, list[FormDefinition]] = defaultdict(list)
    for d in defs:
        families[d.family].append(d)

    def fam_score(members: list[FormDefinition]) -> tuple[float, int]:
        prior = (
            0.0 if year is None else max(6.0 if d.years[0] <= year <= d.years[1] else -6.0 for d in members)
        )
        best = max(weight[d.id][0] + structure[d.id] for d in members)
        return best + prior, members[0].years[0]

    # Evidence of a form at all: a heading of it, or a text that opens with the form's title and has more of
    # its wording (articles about the rules cite the same regulations and titles further down).
    def titled(d: FormDefinition) -> bool:
        return weight[d.id][0] >= 6 and any(
            c.id == "title" and c.pattern.search(t.text, 0, 400) for c in d.family_cues
        )

    viable = [m for m in families.values() if any(structure[d.id] or titled(d) for d in m)]
    if not viable:
        by_kind: dict[str, float] = defaultdict(float)
        for d in defs:
            by_kind[d.kind] = max(by_kind[d.kind], sum(weight[d.id]))
        ranked = [*sorted(by_kind.items(), key=lambda kv: -kv[1]), ("", 0.0)]
        clear = ranked[0][1] >= 4 and ranked[1][1] < ranked[0][1]
        return None, kind or (ranked[0][0] if clear else None), False, (), opts
    members = max(viable, key=fam_score)
    ranked_members = sorted(
        members, key=lambda d: (weight[d.id][1], structure[d.id], d.default), reverse=True
    )
    chosen = ranked_members[0]
    own, runner = weight[chosen.id][1], max((weight[d.id][1] for d in ranked_members[1:]), default=0.0)
    assumed = (len(members) > 1 and (own == 0 or runner >= 0.6 * own)) or weight[chosen.id][0] == 0
    evidence = (
        *(f"family:{c.id}" for c in fam_hits[chosen.id]),
        *(f"form:{c.id}" for c in own_hits[chosen.id]),
        f"sections:{structure[chosen.id]}",
        *([f"year:{year}"] if year is not None else []),
    )
    return chosen, chosen.kind, assumed, evidence, opts


# ---------------------------------------------------------------- which sections

_Span = tuple[int, int, int, str]  # start, end, level, id


def _spans(defn: FormDefinition, chosen: dict[str, _Opt], n: int) -> list[_Span]:
    """A section ends where the next one of the same or a higher level begins (nested ones lie inside)."""
    level = {sid: defn.by_id[sid].level if sid in defn.by_id else 0 for sid in chosen}
    ordered = sorted(chosen.values(), key=lambda o: (o.start, level[o.sid]))
    out = []
    for i, o in enumerate(ordered):
        end = next(
            (p.start for p in ordered[i + 1 :] if p.start > o.start and level[p.sid] <= level[o.sid]), n
        )
        out.append((o.start, end, level[o.sid], o.sid))
    return out


def _fits(defn: FormDefinition, sid: str, pos: int, spans: list[_Span]) -> bool:
    """Inside its nearest found ancestor, and inside no other section of a higher level."""
    ancestors, found = defn.ancestors(sid), {s[3]: s for s in spans}
    near = next((found[a] for a in ancestors if a in found), None)
    if near is not None and not near[0] <= pos < near[1]:
        return False
    outer = [s for s in spans if s[0] <= pos < s[1] and s[2] < defn.by_id[sid].level]
    return not outer or max(outer, key=lambda s: s[0])[3] in ancestors


def _in_order(defn: FormDefinition, best: dict[str, _Opt]) -> set[str]:
    """The heaviest set of headings that follow the form's order; the others were moved, or are false."""
    items = sorted(best, key=lambda s: best[s].start)
    total, prev = [best[s].score for s in items], [-1] * len(items)
    for i, s in enumerate(items):
        for j in range(i):
            if defn.order[items[j]] < defn.order[s] and total[j] + best[s].score > total[i]:
                total[i], prev[i] = total[j] + best[s].score, j
    keep, i = set(), max(range(len(items)), key=lambda k: total[k], default=-1)
    while i >= 0:
        keep.add(items[i])
        i = prev[i]
    return keep


def _select(defn: FormDefinition, opts: list[_Opt], n: int) -> dict[str, _Opt]:
    """Level by level from the top: the best heading of each section that fits where its parent is."""
    by_sid: dict[str, list[_Opt]] = defaultdict(list)
    for o in opts:
        by_sid[o.sid].append(o)
    chosen: dict[str, _Opt] = {}
    for level in sorted({s.level for s in defn.sections}):
        spans, used = _spans(defn, chosen, n), {o.start for o in chosen.values()}
        picks = {}
        for sd in (s for s in defn.sections if s.level == level and s.id in by_sid):
            ok = [o for o in by_sid[sd.id] if o.start not in used and _fits(defn, sd.id, o.start, spans)]
            if ok:
                picks[sd.id] = sorted(ok, key=lambda o: (-o.score, o.start))
        best = {sid: found[0] for sid, found in picks.items()}
        keep = _in_order(defn, best)
        for sid, found in picks.items():
            pick: _Opt | None = best[sid]
            if sid not in keep and not best[sid].strong:  # take an occurrence between its neighbours, if any
                lo = max((best[k].start for k in keep if defn.order[k] < defn.order[sid]), default=-1)
                hi = min((best[k].start for k in keep if defn.order[k] > defn.order[sid]), default=n)
                pick = next((o for o in found if lo < o.start < hi), None)
            rival = next((o for o in chosen.values() if pick and o.start == pick.start), None)
            if pick is not None and (rival is None or rival.score < pick.score):
                chosen = {k: v for k, v in chosen.items() if v is not rival}
                chosen[sid] = pick
    return chosen


def _instructions(defn: FormDefinition, t: _Text) -> list[tuple[Instruction, int, int]]:
    """Where the form's printed instructions occur (word-by-word ones may be cut short or end reworded, those
    with `similar` variants reworded throughout); `lead` ones only where a sentence starts."""
    found = []
    for ins in defn.instructions:
        if ins.pattern is not None:
            found += [(ins, m.start(), m.end()) for m in ins.pattern.finditer(t.text) if m.end() > m.start()]
        found += [(ins, s, e) for s, e in fd.similar_spans(t.text, (t.starts, t.ends, t.lows), ins)]
        for i in (i for i, w in enumerate(t.lows) if ins.words and w == ins.words[0]):
            line_end = t.text.find("\n", t.starts[i]) % (len(t.text) + 1)
            k = t.match(ins.words, i, t.tok_at(line_end))
            if k == len(ins.words) or k >= 8:
                end = t.ends[i + k - 1]
                stop = _STOP.search(t.text, end, line_end)
                if k < len(ins.words) and stop and len(_WORD.findall(t.text, end, stop.start())) <= 15:
                    end = stop.end()
                found.append((ins, t.starts[i], _TAIL.match(t.text, end, line_end).end()))  # type: ignore[union-attr]
    return [(ins, s, e) for ins, s, e in (fd.place(t.text, *f) for f in found) if e > s]


def parse_form(text: str, *, year: int | None = None, kind: Kind | None = None) -> FormParse:
    """Detect the form of a normalised review and split it into sections with stable ids.

    When the form cannot be told (no heading of any form, too little of any form's wording), `form` is None
    and the sections are those the newest form of the kind places by its printed instructions (usually none).
    """
    t = _Text(text)
    found, found_kind, assumed, evidence, opts = _detect(t, year, kind)
    if found is None:  # the newest default definition of the kind places what its instructions can
        pool = [
            d for d in load_definitions().values() if d.default and d.kind == (found_kind or "individual")
        ]
        defn, chosen = max(pool, key=lambda d: d.years[0]), {}
    else:
        defn, chosen = found, _select(found, opts[found.id], len(text))
    instructions = _instructions(defn, t)
    for ins, start, end in instructions:  # a section whose heading was dropped, placed by its instruction
        before = text[:start].rstrip(" *_")[-1:]
        if (
            ins.anchor
            and ins.section not in (None, *chosen)
            and (before in ("", "\n") or before in _SENTENCE_END)
            and _fits(defn, ins.section, start, _spans(defn, chosen, len(text)))  # type: ignore[arg-type]
        ):
            chosen[ins.section] = _Opt(
                ins.section, start, start, _SPACE.match(text, end).end(), source="anchor"
            )  # type: ignore[union-attr]
    missing = True
    while missing:  # a found item implies its parent, even when the parent's heading is missing
        missing = False
        for sid in [s for s in chosen if defn.by_id[s].parent not in (None, *chosen)]:
            parent = defn.by_id[sid].parent
            if parent not in chosen:
                start = min(o.start for k, o in chosen.items() if defn.by_id[k].parent == parent)
                chosen[parent] = _Opt(parent, start, start, start, source="implied")  # type: ignore[arg-type]
                missing = True
    first = min((o.start for o in chosen.values()), default=0)
    if first > 0 and defn.header_cues is not None and defn.header_cues.search(text, 0, first):
        chosen["header"] = _Opt("header", 0, 0, 0, source="implied")
    sections = []
    for start, end, _level, sid in _spans(defn, chosen, len(text)):
        o, title = chosen[sid], defn.by_id[sid].title if sid in defn.by_id else HEADER_TITLE
        heading = text[o.start : o.head_end] if o.source == "heading" else ""
        sections.append(Section(sid, title, start, end, min(max(o.body_start, o.head_end), end), heading))
    spans = [(o.start, o.head_end) for o in chosen.values() if o.source == "heading"]
    # Letterhead and header labels count only before the first section: later, "Chi bộ ..." is the author's.
    body = min((o.start for k, o in chosen.items() if k != "header"), default=0)
    spans += [(s, e) for ins, s, e in instructions if ins.zone != "header" or s < body]
    form = found.form if found is not None else None
    return FormParse(form, found_kind, sections, fd.merge_spans(spans), defn.key, assumed, evidence)
