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


def _canon(s: str) -> str:
    """Data is matched against normalised text: NFC, underthesea tone placement, single spaces."""
    return " ".join(canonical_tones(unicodedata.normalize("NFC", s)).split())


def _words(s: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(_canon(s)))


@dataclass(frozen=True)
class Heading:
    words: tuple[str, ...]
    min_words: int  # leading words that must agree when the written heading diverges from this variant


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
    if not base_id:
        return data
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
        return Heading(words, min(len(words), low or 5))

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
        raw[data["id"]] = data
    return {name: _compile(_resolve(raw, name)) for name in raw}


def load_definitions() -> dict[str, FormDefinition]:
    """All form definitions by id, read once per process from corpus/forms/*.yaml."""
    return _load(str(FORMS_DIR))
