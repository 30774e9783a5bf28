"""The boilerplate lexicon: formulaic phrases as data (corpus/lexicon/*.yaml), matched over syllables.

Vietnamese words are written as space-separated syllables and underthesea may join them into words in
different ways ("có_lúc" or "có lúc"); matching over syllables makes the lexicon independent of word
segmentation. Each syllable is put in one canonical form (NFC, underthesea tone placement, lower case)
both in the patterns and in the text, so "hoà"/"hòa" and NFD input match alike. Punctuation is not a
syllable, so "có lúc, có việc" and "có lúc có việc" are the same phrase.

Pattern syntax (a string, or a list of strings meaning alternatives):
  - plain syllables: ``có lúc có việc``;
  - ``{hạn chế|chưa cao}``: one of several phrases; ``(được)`` or ``(công việc|công tác)``: optional;
  - ``~N``: a gap of 0..N syllables.
Groups are expanded into phrases; phrases without a gap go to a spaCy PhraseMatcher, those with a gap to
a spaCy Matcher token pattern (a wildcard token with the quantifier ``{0,N}``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from service.paths import LEXICON_DIR

if TYPE_CHECKING:
    from spacy.matcher import Matcher, PhraseMatcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

SEVERITIES = ("high", "medium", "low")
# A syllable: letters (with combining marks when the input is NFD) or a run of digits.
_SYLLABLE = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+|\d+")
_REQUIRED = ("id", "pattern", "message", "hint", "severity")


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class LexiconEntry:
    id: str
    category: str
    pattern: tuple[str, ...]
    message: str  # Vietnamese: why the phrase is vague
    hint: str  # Vietnamese: how to rewrite it, with a concrete example
    severity: str
    version: str
    source: str = ""


@dataclass(frozen=True)
class LexiconMatch:
    start: int
    end: int
    entry: LexiconEntry
    text: str = ""


@dataclass(frozen=True)
class Syllables:
    """The syllables of a text: canonical forms and their character spans in the text."""

    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]


def _canon_tones(s: str) -> str:
    try:
        from service.text.normalize import canonical_syllable
    except ImportError:  # the text layer is not there: use underthesea's own table
        from underthesea.pipeline.text_normalize import token_normalize

        return token_normalize(s)
    return canonical_syllable(s)


@lru_cache(maxsize=65536)
def canon(syllable: str) -> str:
    """The canonical form of one syllable: NFC, underthesea tone placement ("hòa", "thủy"), lower case."""
    s = unicodedata.normalize("NFC", syllable)
    return _canon_tones(s).lower()


@lru_cache(maxsize=8192)
def syllables(text: str) -> Syllables:
    """Split `text` into canonical syllables with their character spans (punctuation dropped)."""
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _SYLLABLE.finditer(text):
        words.append(canon(m.group(0)))
        spans.append((m.start(), m.end()))
    return Syllables(tuple(words), tuple(spans))


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    """The blank Vietnamese vocabulary, shared with the text layer when it is there."""
    try:
        from service.text.segment import vocab as text_vocab
    except ImportError:
        import spacy

        return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}}).vocab
    return text_vocab()


def syllable_doc(words: Iterable[str]) -> Doc:
    from spacy.tokens import Doc

    words = list(words)
    return Doc(vocab(), words=words, spaces=[True] * len(words))


_PATTERN_PART = re.compile(r"~\d+|\([^()]*\)|\{[^{}]*\}|[^\s(){}~]+|\S")
_GAP = "~"


def expand_pattern(pattern: str) -> list[tuple[str, ...]]:
    """Expand the group syntax into sequences of canonical syllables; a gap is the item ``"~N"``."""
    options: list[list[tuple[str, ...]]] = []
    for part in _PATTERN_PART.findall(pattern):
        if re.fullmatch(r"~\d+", part):
            options.append([(part,)])
        elif part[0] in "({":
            if part[-1] != {"(": ")", "{": "}"}[part[0]]:
                raise ValueError(f"unbalanced group {part!r}")
            alts = [syllables(a).words for a in part[1:-1].split("|")]
            if any(not a for a in alts):
                raise ValueError(f"empty alternative in {part!r}")
            options.append(alts + ([()] if part[0] == "(" else []))
        elif "|" in part or part in "(){}~":
            raise ValueError(f"{part!r}: write alternatives in braces, e.g. {{chưa|còn}}")
        else:
            options.append([syllables(part).words])
    sequences: list[tuple[str, ...]] = [()]
    for alts in options:
        sequences = [seq + alt for seq in sequences for alt in alts]
    out = []
    for seq in sequences:
        if not seq or seq[0].startswith(_GAP) or seq[-1].startswith(_GAP):
            raise ValueError(f"pattern {pattern!r} must start and end with a syllable")
        if seq not in out:
            out.append(seq)
    return out


def _token_pattern(sequence: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"OP": "{0," + w[1:] + "}"} if w.startswith(_GAP) else {"LOWER": w} for w in sequence]


def _read_entries(directory: Path) -> list[LexiconEntry]:
    entries: list[LexiconEntry] = []
    seen: dict[str, str] = {}
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise LexiconError(f"{directory}: no lexicon files (*.yaml)")
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        category = data.get("category")
        version = str(data.get("version", ""))
        if not category or not version:
            raise LexiconError(f"{path.name}: the file needs 'category' and 'version'")
        for i, raw in enumerate(data.get("entries") or []):
            where = f"{path.name} entry {i} ({raw.get('id', '?')})"
            missing = [k for k in _REQUIRED if not raw.get(k)]
            if missing:
                raise LexiconError(f"{where}: missing {', '.join(missing)}")
            if raw["severity"] not in SEVERITIES:
                raise LexiconError(f"{where}: severity must be one of {SEVERITIES}")
            entry_category = raw.get("category", category)
            if not raw["id"].startswith(f"bp.{entry_category}."):
                raise LexiconError(f"{where}: id must start with 'bp.{entry_category}.'")
            if raw["id"] in seen:
                raise LexiconError(f"{where}: id already used in {seen[raw['id']]}")
            seen[raw["id"]] = path.name
            pattern = raw["pattern"]
            patterns = tuple(pattern) if isinstance(pattern, list) else (pattern,)
            entries.append(
                LexiconEntry(
                    id=raw["id"],
                    category=entry_category,
                    pattern=tuple(str(p) for p in patterns),
                    message=raw["message"].strip(),
                    hint=raw["hint"].strip(),
                    severity=raw["severity"],
                    version=str(raw.get("version", version)),
                    source=path.name,
                )
            )
    return entries


@dataclass(eq=False)  # hashed by identity: one per lexicon directory, cached
class _Compiled:
    """The matchers built once per lexicon directory and shared by every filtered view."""

    entries: dict[str, LexiconEntry]
    phrase_matcher: PhraseMatcher
    token_matcher: Matcher
    version: str


@lru_cache(maxsize=4)
def _compile(directory: str) -> _Compiled:
    from spacy.matcher import Matcher, PhraseMatcher

    path = Path(directory)
    entries = _read_entries(path)
    phrase = PhraseMatcher(vocab(), attr="LOWER")
    token = Matcher(vocab())
    for e in entries:
        try:
            sequences = [seq for p in e.pattern for seq in expand_pattern(p)]
        except ValueError as exc:
            raise LexiconError(f"{e.source} ({e.id}): {exc}") from exc
        plain = [syllable_doc(seq) for seq in sequences if not any(w.startswith(_GAP) for w in seq)]
        gapped = [_token_pattern(seq) for seq in sequences if any(w.startswith(_GAP) for w in seq)]
        if plain:
            phrase.add(e.id, plain)
        if gapped:
            token.add(e.id, gapped, greedy="LONGEST")
    digest = hashlib.sha256()
    for f in sorted(path.glob("*.yaml")):
        digest.update(f.read_bytes())
    return _Compiled({e.id: e for e in entries}, phrase, token, digest.hexdigest()[:12])


@lru_cache(maxsize=8192)
def _raw_matches(compiled: _Compiled, words: tuple[str, ...]) -> frozenset[tuple[int, int, str]]:
    """Every rule's syllable spans in `words`, before filtering: cached, since the detector and the
    model's features match the same sentences (the gap patterns make spaCy's Matcher the costly part)."""
    doc = syllable_doc(words)
    strings = vocab().strings
    found: set[tuple[int, int, str]] = set()
    for matcher in (compiled.phrase_matcher, compiled.token_matcher):
        for key, s, e in matcher(doc):
            found.add((s, e, strings[key]))
    return frozenset(found)


@lru_cache(maxsize=32)
def _allow_matcher(phrases: frozenset[str]) -> PhraseMatcher | None:
    from spacy.matcher import PhraseMatcher

    docs = [syllable_doc(syllables(p).words) for p in sorted(phrases)]
    docs = [d for d in docs if len(d)]
    if not docs:
        return None
    matcher = PhraseMatcher(vocab(), attr="LOWER")
    matcher.add("allow", docs)
    return matcher


@dataclass(frozen=True)
class Lexicon:
    """A view of the compiled lexicon with some rules switched off and a unit's allow-list."""

    _compiled: _Compiled = field(repr=False)
    disabled: frozenset[str] = frozenset()
    allow_phrases: frozenset[str] = frozenset()

    @classmethod
    def load(
        cls,
        dir: Path = LEXICON_DIR,
        disabled: Iterable[str] = frozenset(),
        allow_phrases: Iterable[str] = frozenset(),
    ) -> Lexicon:
        """Load (once per process and directory) and filter: `disabled` holds rule ids, categories
        ("hedge") or id prefixes ("bp.hedge"); phrases in `allow_phrases` are never flagged."""
        return cls(_compile(str(Path(dir).resolve())), frozenset(disabled), frozenset(allow_phrases))

    @property
    def version(self) -> str:
        """A digest of the lexicon files: changes whenever any entry changes."""
        return self._compiled.version

    @property
    def entries(self) -> list[LexiconEntry]:
        return [e for e in self._compiled.entries.values() if self.is_enabled(e)]

    def entry(self, entry_id: str) -> LexiconEntry:
        return self._compiled.entries[entry_id]

    def is_enabled(self, entry: LexiconEntry) -> bool:
        if not self.disabled:
            return True
        if entry.id in self.disabled or entry.category in self.disabled:
            return False
        return not any(entry.id.startswith(d.rstrip(".") + ".") for d in self.disabled)

    def allowed_spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of `text` covered by the allow-list's phrases."""
        allow = _allow_matcher(self.allow_phrases) if self.allow_phrases else None
        syl = syllables(text)
        if allow is None or not syl.words:
            return []
        return [(syl.spans[s][0], syl.spans[e - 1][1]) for _, s, e in allow(syllable_doc(syl.words))]

    def match(self, text: str) -> list[LexiconMatch]:
        """Formulaic phrases in `text`, as character spans of `text`, in text order.

        A match lying inside a longer match is dropped (the longer, more specific rule explains it), and
        so is any match overlapping a phrase of the allow-list.
        """
        syl = syllables(text)
        if not syl.words:
            return []
        found = _raw_matches(self._compiled, syl.words)
        allowed: list[tuple[int, int]] = []
        allow = _allow_matcher(self.allow_phrases) if self.allow_phrases else None
        if allow is not None:
            allowed = [(s, e) for _, s, e in allow(syllable_doc(syl.words))]
        kept: list[tuple[int, int, str]] = []
        for s, e, rule in found:
            entry = self._compiled.entries[rule]
            if not self.is_enabled(entry):
                continue
            if any(s < ae and as_ < e for as_, ae in allowed):
                continue
            kept.append((s, e, rule))
        out: list[LexiconMatch] = []
        for s, e, rule in kept:
            inside = any(
                (s2 <= s and e <= e2) and (e2 - s2 > e - s)
                for s2, e2, r2 in kept
                if (s2, e2, r2) != (s, e, rule)
            )
            if inside:
                continue
            start, end = syl.spans[s][0], syl.spans[e - 1][1]
            out.append(LexiconMatch(start, end, self._compiled.entries[rule], text[start:end]))
        out.sort(key=lambda m: (m.start, -m.end, SEVERITIES.index(m.entry.severity), m.entry.id))
        # Two rules on the very same span: keep one (the most severe), the evidence names it.
        dedup: list[LexiconMatch] = []
        for m in out:
            if dedup and (dedup[-1].start, dedup[-1].end) == (m.start, m.end):
                continue
            dedup.append(m)
        return dedup
