"""The writing pools (YAML data under corpus/generator/) and the small template language of their entries.

Every pool entry is a mapping with `id` and `split` (train | heldout | both). A generator built for one
split only ever sees entries of that split or `both`: `Pools` drops the others at load time, at any depth,
so the held-out corpus is written from text the training corpus never uses. `both` is reserved for form
text (official headings) and slot vocabularies (subjects, place names are split like sentences).

Entry text syntax:
  {a|b|c}      one alternative at random (an empty alternative makes the part optional)
  {name}       a slot filled by the caller's `SlotFiller` ({year}, {n:3-12}, {doc}, {subject}, ...)
  <<....>>     an unfilled blank: the expander strips the markers and reports the span as a placeholder
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from service.corpusgen.canon import canon_fragment

SPLITS = ("train", "heldout")
_BRACES = re.compile(r"\{[^{}]*\}")
_MARKS = re.compile(r"<<|>>")
_SLOT = re.compile(r"^[A-Za-z_]+(?::[^{}|]*)?$")
_CLEAN_SPACE = re.compile(r" {2,}")
_SPACE_BEFORE_PUNCT = re.compile(r" +([,;:)?!]|\.(?![.…]))")

try:  # libyaml makes loading the pools ~10x faster; the pure loader gives the same result
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

SlotFiller = Callable[[str, str | None], str]


class PoolError(ValueError):
    """A pool file is malformed (missing id/split, duplicate id, unknown slot)."""


@dataclass
class Trace:
    """Pool entry ids used while writing one document (checked by the split tests)."""

    ids: set[str] = field(default_factory=set)

    def use(self, entry: dict[str, Any]) -> None:
        self.ids.add(entry["id"])


@dataclass(frozen=True)
class Expanded:
    text: str
    placeholders: tuple[tuple[int, int], ...] = ()


def _filter(node: Any, split: str, seen: dict[str, str], path: str) -> Any:
    """Drop entries of the other split, recursively; validate ids on the way."""
    if isinstance(node, list):
        out = []
        for i, item in enumerate(node):
            if isinstance(item, dict) and "split" in item and item["split"] not in (split, "both"):
                _register(item, seen, f"{path}[{i}]")
                _filter(item, split, {}, f"{path}[{i}]")  # validate, discard
                continue
            out.append(_filter(item, split, seen, f"{path}[{i}]"))
        return out
    if isinstance(node, dict):
        if "split" in node or "id" in node:
            _register(node, seen, path)
        return {k: _filter(v, split, seen, f"{path}.{k}") for k, v in node.items()}
    if isinstance(node, str):
        return canon_fragment(node)
    return node


def _register(entry: dict[str, Any], seen: dict[str, str], path: str) -> None:
    if "id" not in entry or "split" not in entry:
        raise PoolError(f"{path}: pool entry without id or split")
    if entry["split"] not in (*SPLITS, "both"):
        raise PoolError(f"{path}: unknown split {entry['split']!r}")
    if entry["id"] in seen and seen[entry["id"]] != path:
        raise PoolError(f"{path}: duplicate id {entry['id']!r} (also at {seen[entry['id']]})")
    seen[entry["id"]] = path


def load_raw(data_dir: Path) -> dict[str, Any]:
    """All pool files, unfiltered, keyed by file stem."""
    out: dict[str, Any] = {}
    for path in sorted(data_dir.glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            out[path.stem] = yaml.load(fh, Loader=_Loader)
    return out


def all_entries(node: Any) -> Iterable[dict[str, Any]]:
    """Every mapping with an id, at any depth (for tests and the split audit)."""
    if isinstance(node, list):
        for item in node:
            yield from all_entries(item)
    elif isinstance(node, dict):
        if "id" in node and "split" in node:
            yield node
        for v in node.values():
            yield from all_entries(v)


class Pools:
    """The pools of one split. `data[file][pool]` is the filtered YAML structure."""

    def __init__(self, data_dir: Path, split: str) -> None:
        if split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
        self.split = split
        raw = load_raw(data_dir)
        seen: dict[str, str] = {}
        self.data: dict[str, Any] = {
            stem: _filter(content, split, seen, stem) for stem, content in raw.items()
        }
        self.versions = {stem: content.get("version") for stem, content in raw.items()}
        self._index: dict[str, dict[str, Any]] = {e["id"]: e for e in all_entries(self.data)}

    def pool(self, file: str, name: str) -> list[dict[str, Any]]:
        try:
            entries = self.data[file]["pools"][name]
        except KeyError as exc:
            raise PoolError(f"no pool {file}:{name}") from exc
        if not entries:
            raise PoolError(f"pool {file}:{name} is empty for split {self.split}")
        return entries

    def has(self, file: str, name: str) -> bool:
        return bool(self.data.get(file, {}).get("pools", {}).get(name))

    def entry(self, entry_id: str) -> dict[str, Any] | None:
        return self._index.get(entry_id)

    def pick(self, file: str, name: str, rng: random.Random, trace: Trace) -> dict[str, Any]:
        entry = rng.choice(self.pool(file, name))
        trace.use(entry)
        return entry

    def sample(self, file: str, name: str, k: int, rng: random.Random, trace: Trace) -> list[dict[str, Any]]:
        entries = self.pool(file, name)
        chosen = rng.sample(entries, min(k, len(entries)))
        for e in chosen:
            trace.use(e)
        return chosen


def _resolve_braces(text: str, rng: random.Random, fill: SlotFiller) -> str:
    """Alternatives and slots, innermost first, so "{từ ngày {date}|}" works."""
    while True:
        m = _BRACES.search(text)
        if m is None:
            return text
        body = m.group(0)[1:-1]
        if "|" in body:
            piece = rng.choice(body.split("|"))
        elif _SLOT.match(body):
            name, _, arg = body.partition(":")
            piece = fill(name, arg or None)
        else:
            raise PoolError(f"bad token {m.group(0)!r} in {text!r}")
        text = text[: m.start()] + piece + text[m.end() :]


def expand(text: str, rng: random.Random, fill: SlotFiller) -> Expanded:
    """Expand alternatives, slots and blank markers; report blank spans in the cleaned result."""
    text = _resolve_braces(text, rng, fill)
    if "<<" not in text:
        return Expanded(_clean(text))
    out: list[str] = []
    marks: list[tuple[int, int]] = []
    open_at: int | None = None
    pos = 0
    length = 0
    for m in _MARKS.finditer(text):
        chunk = text[pos : m.start()]
        out.append(chunk)
        length += len(chunk)
        if m.group(0) == "<<":
            open_at = length
        else:
            if open_at is None:
                raise PoolError(f"unbalanced >> in {text!r}")
            marks.append((open_at, length))
            open_at = None
        pos = m.end()
    out.append(text[pos:])
    return _clean_tracked("".join(out), marks)


def _clean(text: str) -> str:
    text = _CLEAN_SPACE.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    return text.strip()


def _clean_tracked(raw: str, marks: list[tuple[int, int]]) -> Expanded:
    """`_clean` with a character map, so blank spans survive the whitespace clean-up."""
    keep: list[int] = []  # indices of raw kept in the output
    n = len(raw)
    for i, ch in enumerate(raw):
        if ch == " ":
            nxt = raw[i + 1] if i + 1 < n else ""
            ellipsis = nxt == "." and i + 2 < n and raw[i + 2] in ".…"
            if not keep or nxt == "" or (nxt in " ,.;:)?!" and not ellipsis):
                continue
        keep.append(i)
    new_of_old = [0] * (n + 1)
    j = 0
    for i in range(n + 1):
        while j < len(keep) and keep[j] < i:
            j += 1
        new_of_old[i] = j
    text = "".join(raw[i] for i in keep)
    spans = tuple((new_of_old[s], new_of_old[e]) for s, e in marks if new_of_old[e] > new_of_old[s])
    return Expanded(text, spans)


def capitalize_first(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
        if ch not in "\"“'(":
            return text
    return text
