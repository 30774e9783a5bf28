"""The official review forms as data: their definitions, read from YAML.

Definitions are YAML files in corpus/forms/ (one per form; `extends` shares a base: entries with the same
id are replaced field by field, `remove: true` drops one). Section ids are semantic slots shared by every form
and year ("VI" is always the remedies), so reviews written on different layouts line up.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from service.paths import FORMS_DIR
from service.text.document import Kind
from service.text.normalize import canonical_tones

_RE = re.IGNORECASE | re.MULTILINE
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when libyaml is there: 5x faster
_WORD = re.compile(r"\w+")
COMMON = "_common"  # corpus/forms/_common.yaml: instructions shared by every form, not a form itself


def _canon(s: str) -> str:
    """Data is matched against normalised text: NFC, underthesea tone placement, single spaces."""
    return " ".join(canonical_tones(unicodedata.normalize("NFC", s)).split())


def _words(s: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(_canon(s)))


@dataclass(frozen=True)
class Heading:
    words: tuple[str, ...]
    min_words: int  # leading words that must agree when the written heading diverges from this variant
    # A leading part of a long official heading: the written heading runs on to the end of its line.
    to_line_end: bool = False


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    required: bool
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class SectionDef:
    id: str
    title: str  # the official title
    parent: str | None
    level: int
    enum: str  # the enumerator the form prints: upper | roman | digit | lower
    numbers: tuple[str, ...]
    required: bool
    headings: tuple[Heading, ...]
    topics: tuple[Topic, ...] = ()


@dataclass(frozen=True)
class Cue:
    id: str
    weight: float
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Instruction:
    id: str
    section: str | None
    anchor: bool  # places its section when the heading is missing
    pattern: re.Pattern[str] | None
    words: tuple[str, ...]
    # Reworded copies of a guide line ("Tự tìm ra nguyên nhân ..." for "Tự xác định nguyên nhân ..."): matched
    # by token-set similarity, starting where a sentence can start with the variant's first word.
    similar: tuple[tuple[str, ...], ...] = ()
    threshold: float = 0.8
    lead: bool = False  # only where a sentence can start: a guide phrase, not words inside the author's text
    to_line_end: bool = False  # a header label covers its filled-in value ("Đơn vị công tác: Phòng ...")
    zone: str | None = None  # "header": only before the first section (a letterhead line is content later)


@dataclass(frozen=True)
class FormDefinition:
    id: str
    version: str
    form: str
    name: str
    regulation: str
    years: tuple[int, int]
    kind: Kind
    family: str
    default: bool
    family_cues: tuple[Cue, ...]
    cues: tuple[Cue, ...]
    header_cues: re.Pattern[str] | None
    sections: tuple[SectionDef, ...]
    instructions: tuple[Instruction, ...]

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    @cached_property
    def by_id(self) -> dict[str, SectionDef]:
        return {s.id: s for s in self.sections}

    @cached_property
    def order(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.sections)}

    @cached_property
    def index(self) -> dict[str, list[tuple[SectionDef, Heading]]]:
        """Heading variants by their first word: only these are tried at a candidate position."""
        out: dict[str, list[tuple[SectionDef, Heading]]] = defaultdict(list)
        for s in self.sections:
            for h in s.headings:
                out[h.words[0]].append((s, h))
        return dict(out)

    def ancestors(self, sid: str) -> list[str]:
        chain, parent = [], self.by_id[sid].parent if sid in self.by_id else None
        while parent:
            chain.append(parent)
            parent = self.by_id[parent].parent
        return chain


# ---------------------------------------------------------------- loading


def _merge(base: list[dict[str, Any]], child: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = [dict(e) for e in base]
    for entry in child:
        at = next((i for i, e in enumerate(out) if e["id"] == entry["id"]), None)
        if entry.get("remove"):
            out = [e for e in out if e["id"] != entry["id"]]
        elif at is not None:
            out[at] = {**out[at], **entry}
        else:
            after = next((i + 1 for i, e in enumerate(out) if e["id"] == entry.get("after")), len(out))
            out.insert(after, dict(entry))
    return out


def _resolve(raw: dict[str, dict[str, Any]], name: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    data, base_id = raw[name], raw[name].get("extends")
    if not base_id:  # a base definition starts from the instructions every form shares (_common.yaml)
        common = (raw.get(COMMON) or {}).get("instructions") or []
        return {**data, "instructions": _merge(common, data.get("instructions") or [])}
    if base_id in seen or base_id not in raw:
        raise ValueError(f"corpus/forms: {name} extends an unknown or circular {base_id!r}")
    base = _resolve(raw, base_id, (*seen, name))
    out = {**base, **{k: v for k, v in data.items() if k not in ("detect", "sections", "instructions")}}
    bd, cd = base.get("detect") or {}, data.get("detect") or {}
    out["detect"] = {k: _merge(bd.get(k) or [], cd.get(k) or []) for k in ("family_cues", "cues")}
    for key in ("sections", "instructions"):
        out[key] = _merge(base.get(key) or [], data.get(key) or [])
    return out


def _compile(d: dict[str, Any]) -> FormDefinition:
    parents = {s["id"]: s.get("parent") for s in d["sections"]}

    def level(sid: str) -> int:
        return 1 + level(parents[sid]) if parents.get(sid) else 0

    def heading(h: str | dict[str, Any]) -> Heading:
        text, low = (h, None) if isinstance(h, str) else (h["text"], h.get("min"))
        words = _words(text)
        return Heading(words, min(len(words), low or 5), isinstance(h, dict) and bool(h.get("to_line_end")))

    def cues(key: str) -> tuple[Cue, ...]:
        found = (d.get("detect") or {}).get(key) or []
        return tuple(Cue(c["id"], float(c["weight"]), re.compile(_canon(c["pattern"]), _RE)) for c in found)

    sections = tuple(
        SectionDef(
            s["id"], _canon(s["title"]), s.get("parent"), level(s["id"]), s.get("enum", "digit"),
            tuple(str(n) for n in s.get("numbers") or ()), bool(s.get("required", True)),
            tuple(heading(h) for h in s.get("headings") or ()),
            tuple(
                Topic(t["id"], t["label"], bool(t.get("required", True)), tuple(map(_canon, t["keywords"])))
                for t in s.get("topics") or ()
            ),
        )
        for s in d["sections"]
    )  # fmt: skip
    instructions = tuple(
        Instruction(
            i["id"], i.get("section"), bool(i.get("anchor")),
            re.compile(_canon(i["pattern"]), _RE) if i.get("pattern") else None, _words(i.get("text", "")),
            tuple(w for w in map(_words, i.get("similar") or ()) if w), float(i.get("threshold", 0.8)),
            bool(i.get("lead")), bool(i.get("to_line_end")), i.get("zone"),
        )
        for i in d.get("instructions") or ()
    )  # fmt: skip
    header = re.compile(_canon(d["header_cues"]), _RE) if d.get("header_cues") else None
    return FormDefinition(
        d["id"], str(d["version"]), d["form"], d["name"], d["regulation"], tuple(d["years"]), d["kind"],
        d.get("family", d["id"]), bool(d.get("default")), cues("family_cues"), cues("cues"), header, sections,
        instructions,
    )  # fmt: skip


@lru_cache(maxsize=4)
def _load(directory: str) -> dict[str, FormDefinition]:
    raw = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
        raw[COMMON if path.stem == COMMON else data["id"]] = data
    return {name: _compile(_resolve(raw, name)) for name in raw if name != COMMON}


def load_definitions() -> dict[str, FormDefinition]:
    """All form definitions by id, read once per process from corpus/forms/*.yaml."""
    return _load(str(FORMS_DIR))


# ---------------------------------------------------------------- matching helpers for printed instructions

_OPENERS = ' \t*_-–+•>"“('
_ENDERS = frozenset("\n.:;!?…)]|")


def can_lead(text: str, pos: int) -> bool:
    """Whether a sentence can start at `pos`: a capital, a line start (after bullets) or after a stop.

    Guide phrases are printed as their own sentences; the same words inside the author's sentence are not.
    """
    if pos < len(text) and text[pos].isupper():
        return True
    before = text[max(0, pos - 60) : pos].rstrip(_OPENERS)
    return not before or before[-1] in _ENDERS


def place(text: str, ins: Instruction, start: int, end: int) -> tuple[Instruction, int, int]:
    """An instruction's span as it counts: none (start == end) where a `lead` one cannot start a sentence;
    to the line's end for a header label (its value is filled in, not written)."""
    if ins.lead and not can_lead(text, start):
        return ins, start, start
    if ins.to_line_end:
        end = max(end, text.find("\n", end) % (len(text) + 1))
    return ins, start, end


def similar_spans(
    text: str, words: tuple[list[int], list[int], list[str]], ins: Instruction
) -> list[tuple[int, int]]:
    """Where a reworded copy of one of the instruction's `similar` variants starts a sentence: from a word
    equal to the variant's first word, the run of the line's next words whose token set agrees best with the
    variant's, kept when the agreement (shared words / the larger of the two sets, so words the author added
    count against it) reaches the instruction's threshold."""
    return [span for variant in ins.similar for span in _similar(text, words, variant, ins.threshold)]


def _similar(
    text: str, words: tuple[list[int], list[int], list[str]], variant: tuple[str, ...], threshold: float
) -> list[tuple[int, int]]:
    starts, ends, lows = words
    want, out = set(variant), []
    for i in (i for i, w in enumerate(lows) if w == variant[0] and can_lead(text, starts[i])):
        line_end = text.find("\n", starts[i]) % (len(text) + 1)
        seen: set[str] = set()
        best, stop = 0.0, i
        for k in range(i, min(len(lows), i + len(variant) + 4)):
            if starts[k] >= line_end:
                break
            seen.add(lows[k])
            score = len(seen & want) / max(len(want), len(seen))
            if lows[k] in want and score > best:
                best, stop = score, k
        if best >= threshold:
            out.append((starts[i], ends[stop]))
    return out


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(x for x in spans if x[1] > x[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
