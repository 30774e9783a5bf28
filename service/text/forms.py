"""Tell which official review form a review follows, and split it into the form's sections.

The definitions (corpus/forms/*.yaml) are loaded by service.text.form_defs, whose names are re-exported here.
Heading candidates and the sections each could open are found by service.text.form_candidates.

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
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from service.text import form_defs as fd
from service.text.document import Kind, Section
from service.text.form_candidates import SENTENCE_END, SPACE, STOP, TAIL, Opt, Text, options
from service.text.form_defs import _WORD, Cue, FormDefinition, Instruction, load_definitions
from service.text.form_defs import Heading as Heading  # re-exported: importable from here as before
from service.text.form_defs import SectionDef as SectionDef
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


# ---------------------------------------------------------------- which form


def _detect(t: Text, year: int | None, kind: Kind | None) -> tuple[Any, ...]:
    """(definition or None, kind, assumed, evidence, options by definition id).

    A family (a layout: 2025 individual, 2023 collective, ...) is chosen on its wording, the headings found
    and the year; within it the variant (2A/2B/2C, 02A/02B) on its own cues, else the family's default.
    """
    defs = [d for d in load_definitions().values() if kind is None or d.kind == kind]
    opts = {d.id: options(d, t) for d in defs}
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


def _spans(defn: FormDefinition, chosen: dict[str, Opt], n: int) -> list[_Span]:
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


def _in_order(defn: FormDefinition, best: dict[str, Opt]) -> set[str]:
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


def _select(defn: FormDefinition, opts: list[Opt], n: int) -> dict[str, Opt]:
    """Level by level from the top: the best heading of each section that fits where its parent is."""
    by_sid: dict[str, list[Opt]] = defaultdict(list)
    for o in opts:
        by_sid[o.sid].append(o)
    chosen: dict[str, Opt] = {}
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
            pick: Opt | None = best[sid]
            if sid not in keep and not best[sid].strong:  # take an occurrence between its neighbours, if any
                lo = max((best[k].start for k in keep if defn.order[k] < defn.order[sid]), default=-1)
                hi = min((best[k].start for k in keep if defn.order[k] > defn.order[sid]), default=n)
                pick = next((o for o in found if lo < o.start < hi), None)
            rival = next((o for o in chosen.values() if pick and o.start == pick.start), None)
            if pick is not None and (rival is None or rival.score < pick.score):
                chosen = {k: v for k, v in chosen.items() if v is not rival}
                chosen[sid] = pick
    return chosen


def _instructions(defn: FormDefinition, t: Text) -> list[tuple[Instruction, int, int]]:
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
                stop = STOP.search(t.text, end, line_end)
                if k < len(ins.words) and stop and len(_WORD.findall(t.text, end, stop.start())) <= 15:
                    end = stop.end()
                found.append((ins, t.starts[i], TAIL.match(t.text, end, line_end).end()))  # type: ignore[union-attr]
    return [(ins, s, e) for ins, s, e in (fd.place(t.text, *f) for f in found) if e > s]


def parse_form(text: str, *, year: int | None = None, kind: Kind | None = None) -> FormParse:
    """Detect the form of a normalised review and split it into sections with stable ids.

    When the form cannot be told (no heading of any form, too little of any form's wording), `form` is None
    and the sections are those the newest form of the kind places by its printed instructions (usually none).
    """
    t = Text(text)
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
            and (before in ("", "\n") or before in SENTENCE_END)
            and _fits(defn, ins.section, start, _spans(defn, chosen, len(text)))  # type: ignore[arg-type]
        ):
            chosen[ins.section] = Opt(
                ins.section, start, start, SPACE.match(text, end).end(), source="anchor"
            )  # type: ignore[union-attr]
    missing = True
    while missing:  # a found item implies its parent, even when the parent's heading is missing
        missing = False
        for sid in [s for s in chosen if defn.by_id[s].parent not in (None, *chosen)]:
            parent = defn.by_id[sid].parent
            if parent not in chosen:
                start = min(o.start for k, o in chosen.items() if defn.by_id[k].parent == parent)
                chosen[parent] = Opt(parent, start, start, start, source="implied")  # type: ignore[arg-type]
                missing = True
    first = min((o.start for o in chosen.values()), default=0)
    if first > 0 and defn.header_cues is not None and defn.header_cues.search(text, 0, first):
        chosen["header"] = Opt("header", 0, 0, 0, source="implied")
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
