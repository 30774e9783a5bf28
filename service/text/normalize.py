"""Unicode, tone-mark, whitespace and bullet normalisation with a map back to the original offsets.

Reviews arrive in NFC and NFD, with old and new tone placement ("hoà" / "hòa", "thuỷ" / "thủy"), with
non-breaking spaces, Word bullets and markdown emphasis. Every detector works on one canonical text:
NFC, the tone placement underthesea's models were trained on ("hòa", "thủy", "khỏe"), "\n" line endings,
single spaces, "- " bullets, no markdown emphasis. `Normalized.offset_map[i]` is the offset in the
original text where normalised character i came from; its last entry is len(original).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters that carry no text: zero-width spaces and joiners, BOM, soft hyphen.
_DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
# Spaces of every width become one ordinary space.
_SPACES = frozenset(
    "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\x0b\x0c"
)
# Icelandic eth and its lower case look like Đ/đ and are typed for it by some keyboards.
_LOOKALIKE = {"\u00d0": "Đ", "\u00f0": "đ"}
# Bullet glyphs that Word and web pages put at the start of list items.
_BULLETS = frozenset("•●◦▪▫◆◇►▶➢➤⁃∙·*+–—\uf0b7\uf0a7\uf0d8\uf0fc\uf076")

# Tone marks as combining characters.
_TONES = frozenset("\u0300\u0301\u0309\u0303\u0323")
_VOWEL_BASES = "aăâeêioôơuưy"


@dataclass(frozen=True)
class Normalized:
    text: str
    offset_map: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.offset_map[start], self.offset_map[end]


def _split_tone(ch: str) -> tuple[str, str]:
    """Split a precomposed vowel into (vowel without tone, tone mark or '')."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = "".join(c for c in decomposed if c in _TONES)
    rest = "".join(c for c in decomposed if c not in _TONES)
    return unicodedata.normalize("NFC", rest), tone


def canonical_syllable(syllable: str) -> str:
    """Move a tone mark from the second to the first vowel of a final oa/oe/uy ("hoà" → "hòa").

    Length-preserving: one character in, one character out, so offsets are unaffected.
    """
    if len(syllable) < 2:
        return syllable
    first, second = syllable[-2], syllable[-1]
    second_base, tone = _split_tone(second)
    if not tone:
        return syllable
    pair = (first.lower(), second_base.lower())
    if pair not in {("o", "a"), ("o", "e"), ("u", "y")}:
        return syllable
    prefix = syllable[:-2]
    # "quý", "quỳnh": the u belongs to the consonant qu, the tone stays on y.
    if pair == ("u", "y") and prefix.lower().endswith("q"):
        return syllable
    # Only when nothing in the prefix is a vowel ("thuở" etc. are not this pattern; "ngoài" is handled
    # by the final-letter check: the pair must end the syllable).
    if any(_split_tone(c)[0].lower() in _VOWEL_BASES for c in prefix):
        return syllable
    first_toned = unicodedata.normalize("NFC", first + tone)
    return prefix + first_toned + second_base


_WORD = re.compile(r"[^\W\d_]+")


def canonical_tones(text: str) -> str:
    """Apply `canonical_syllable` to every letter run; the result has the same length as the input."""
    return _WORD.sub(lambda m: canonical_syllable(m.group(0)), text)


def _nfc_with_map(raw: str) -> tuple[list[str], list[int]]:
    """NFC per grapheme cluster (base + combining marks), each output char mapped to its cluster start."""
    chars: list[str] = []
    origin: list[int] = []
    if unicodedata.is_normalized("NFC", raw):
        return list(raw), list(range(len(raw)))
    i, n = 0, len(raw)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(raw[j]):
            j += 1
        for c in unicodedata.normalize("NFC", raw[i:j]):
            chars.append(c)
            origin.append(i)
        i = j
    return chars, origin


def normalize(raw: str) -> Normalized:
    """The canonical text every offset indexes into, with a map back to `raw`."""
    chars, origin = _nfc_with_map(raw)

    # Character-level cleaning: drop invisible characters, unify spaces and line breaks.
    cleaned: list[str] = []
    cleaned_origin: list[int] = []
    k = 0
    while k < len(chars):
        c = chars[k]
        if c in _DROP:
            k += 1
            continue
        if c == "\r":
            if k + 1 < len(chars) and chars[k + 1] == "\n":
                k += 1
                continue
            c = "\n"
        elif c in ("\u2028", "\u2029", "\x85"):
            c = "\n"
        elif c in _SPACES:
            c = " "
        else:
            c = _LOOKALIKE.get(c, c)
        cleaned.append(c)
        cleaned_origin.append(origin[k])
        k += 1

    text = "".join(cleaned)
    text = canonical_tones(text)  # same length: the map is unchanged

    out: list[str] = []
    out_origin: list[int] = []
    pos = 0
    lines = text.split("\n")
    blank_run = 0
    for line in lines:
        line_start = pos
        pos += len(line) + 1
        line_chars, line_origin = _normalize_line(line, line_start, cleaned_origin)
        if not line_chars:
            blank_run += 1
            continue
        if out:
            # Keep at most one blank line between paragraphs.
            newline_origin = cleaned_origin[line_start - 1] if line_start > 0 else 0
            out.append("\n")
            out_origin.append(newline_origin)
            if blank_run:
                out.append("\n")
                out_origin.append(newline_origin)
        blank_run = 0
        out.extend(line_chars)
        out_origin.extend(line_origin)
    out_origin.append(len(raw))
    return Normalized("".join(out), out_origin)


_HEADING_HASHES = re.compile(r"^\s*#{1,6}\s+")
_EMPHASIS = re.compile(r"\*\*|__")
_ITALIC_LINE = re.compile(r"^\s*(\*)(?![\s*])(.*\S)(\*)\s*$")


def _normalize_line(line: str, line_start: int, origin: list[int]) -> tuple[list[str], list[int]]:
    """Strip, collapse spaces, unify bullets and drop markdown emphasis within one line."""
    keep = [True] * len(line)
    chars = list(line)
    m = _HEADING_HASHES.match(line)
    if m:
        for i in range(m.start(), m.end()):
            keep[i] = False
    for m in _EMPHASIS.finditer(line):
        for i in range(m.start(), m.end()):
            keep[i] = False
    # A whole line in single-star italics ("*Ví dụ: …*"): drop the pair of stars.
    m = _ITALIC_LINE.match(line)
    if m:
        keep[m.start(1)] = False
        keep[m.start(3)] = False
    # Leading bullet glyph followed by a space (or a tab turned into one) becomes "- ".
    first = next((i for i, c in enumerate(chars) if keep[i] and c != " "), None)
    if first is not None and chars[first] in _BULLETS and first + 1 < len(chars) and chars[first + 1] == " ":
        chars[first] = "-"
    elif (
        first is not None and chars[first] in _BULLETS and first + 1 < len(chars) and chars[first] not in "*+"
    ):
        # "•Nội dung" with no space: insert nothing, just unify the glyph.
        chars[first] = "-"
    result: list[str] = []
    result_origin: list[int] = []
    prev_space = True  # drops leading spaces
    for i, c in enumerate(chars):
        if not keep[i]:
            continue
        if c == " ":
            if prev_space:
                continue
            prev_space = True
        else:
            prev_space = False
        result.append(c)
        result_origin.append(origin[line_start + i])
    while result and result[-1] == " ":
        result.pop()
        result_origin.pop()
    return result, result_origin
