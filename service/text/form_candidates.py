"""Heading candidates of a review: where a form heading can stand, and which sections each could open.

`Text` locates the words of the normalised text and the places a heading may start: a line start (after
quote marks, markdown leftovers or a bullet) or mid-line after an enumerator. `options` matches them against
one form definition's heading variants and keeps the acceptable ones as `Opt`s, scored. Choosing the form
and the sections among these options is `service.text.forms`' work; the patterns it shares (`TAIL`, `STOP`,
`SPACE`, `SENTENCE_END`) are defined here.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass

from service.text.form_defs import _WORD, FormDefinition, SectionDef


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
class Opt:
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
SENTENCE_END = frozenset('.:;…!?)"”*|')
TAIL = re.compile(r"(?:\s*\(nếu có\.?\))?(?:[ *_\"”]*[.:;…]+)?[*_\"”]*", re.I)  # "(NẾU CÓ)" in capitals
STOP = re.compile(r":|\.(?=\s|$)")
SPACE = re.compile(r"\s*")


class Text:
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
            if not at_start and enum in ("digit", "lower", "paren") and before[-1:] not in SENTENCE_END:
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
            stop = STOP.search(text, k, c.line_end)
            cut = stop.start() if stop else c.line_end
            if len(_WORD.findall(text, k, cut)) <= (8 if full else 25):
                end = cut
        return self._tail(c, end, n)

    def _tail(self, c: _Cand, end: int, n: int, longer: bool = True) -> tuple[int, bool, bool]:
        """The heading's closing marks; `longer` False where the words past the variant are the form's own."""
        tail = TAIL.match(self.text, end, c.line_end)
        assert tail is not None  # every part of the pattern is optional
        return tail.end(), ":" in self.text[end : tail.end()], longer and end > self.ends[c.tok + n - 1]


def options(defn: FormDefinition, t: Text) -> list[Opt]:
    """Every acceptable heading of this definition, with the best-fitting section(s) at each position."""
    out: list[Opt] = []
    for c in t.cands:
        best: dict[str, tuple[int, bool, SectionDef, bool]] = {}
        for sd, h in defn.index.get(t.lows[c.tok], ()):
            n = t.match(h.words, c.tok, c.stop)
            full = n == len(h.words)
            if (full or n >= h.min_words) and (sd.id not in best or (n, full) > best[sd.id][:2]):
                best[sd.id] = (n, full, sd, h.to_line_end)
        here: list[Opt] = []
        for n, full, sd, to_end in best.values():
            end, label, longer = t.heading_end(c, n, full, to_end)
            only = not t.text[end : c.line_end].strip(" *_|")
            body = SPACE.match(t.text, end).end()  # type: ignore[union-attr]
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
            here.append(Opt(sd.id, c.start, end, body, score, strong, c.enum is not None, key))
        top = max((o.score for o in here), default=0.0)
        out += [o for o in here if o.score >= top - 1e-9]
    # The same unnumbered label written several times is a list item ("- Hạn chế: ..."), not a section.
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for o in out:
        seen[(o.sid, o.key)] += not o.numbered
    return [o for o in out if o.numbered or seen[(o.sid, o.key)] < 2]
