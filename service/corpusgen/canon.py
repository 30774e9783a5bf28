"""The canonical text every label offset indexes, and the file-level perturbations applied after labelling.

Canonical = NFC, underthesea tone placement ("hòa", "thủy", "khỏe", "ủy"), "\\n" line endings, single
spaces, no trailing spaces, no blank lines. The generator builds canonical text first, computes all spans
on it, and only then perturbs the bytes written to disk (NFD, old tone placement "hoà"/"thuỷ", CRLF,
trailing spaces); `restore_canonical` undoes exactly those perturbations, standing in for
`service.text.normalize` in tests.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Tone marks carried by the first vowel of "oa"/"oe"/"uy" in the canonical (new) placement, and the same
# tone on the second vowel in the old placement. Only open syllables move: "hoàn", "khuỷu" keep theirs.
_NEW_OLD_PAIRS: dict[str, str] = {}
for _tones_first, _second, _tones_second in (
    ("òóỏõọ", "a", "àáảãạ"),
    ("òóỏõọ", "e", "èéẻẽẹ"),
    ("ùúủũụ", "y", "ỳýỷỹỵ"),
):
    _plain_first = "o" if _second in "ae" else "u"
    for _t1, _t2 in zip(_tones_first, _tones_second, strict=True):
        for _upper1 in (False, True):
            for _upper2 in (False, True):
                a = _t1.upper() if _upper1 else _t1
                b = _second.upper() if _upper2 else _second
                c = _plain_first.upper() if _upper1 else _plain_first
                d = _t2.upper() if _upper2 else _t2
                _NEW_OLD_PAIRS[a + b] = c + d
_OLD_NEW_PAIRS = {old: new for new, old in _NEW_OLD_PAIRS.items()}

# A Vietnamese letter: anything alphabetic (the pairs above are NFC precomposed characters).
_NOT_LETTER_AFTER = r"(?![^\W\d_])"
_NEW_RE = re.compile(r"(?<![qQ])(" + "|".join(map(re.escape, _NEW_OLD_PAIRS)) + ")" + _NOT_LETTER_AFTER)
_OLD_RE = re.compile(r"(?<![qQ])(" + "|".join(map(re.escape, _OLD_NEW_PAIRS)) + ")" + _NOT_LETTER_AFTER)
_SPACES = re.compile(r"[ \t\u00a0]+")


def to_new_tone(text: str) -> str:
    """Old tone placement → underthesea's ("hoà" → "hòa", "thuỷ" → "thủy"); length is unchanged."""
    return _OLD_RE.sub(lambda m: _OLD_NEW_PAIRS[m.group(1)], text)


def to_old_tone(text: str) -> str:
    """underthesea's placement → the old one ("hòa" → "hoà"); length is unchanged."""
    return _NEW_RE.sub(lambda m: _NEW_OLD_PAIRS[m.group(1)], text)


def canon_fragment(text: str) -> str:
    """A pool string in canonical characters (NFC, new tone); spacing is the expander's business."""
    return to_new_tone(unicodedata.normalize("NFC", text))


def canonical_problems(text: str) -> list[str]:
    """Why `text` is not canonical (empty when it is); the generator refuses to write such text."""
    problems: list[str] = []
    if unicodedata.normalize("NFC", text) != text:
        problems.append("not NFC")
    if to_new_tone(text) != text:
        problems.append("old tone placement")
    if "\r" in text or "\t" in text or "\u00a0" in text:
        problems.append("CR, tab or no-break space")
    if "  " in text:
        problems.append("double space")
    if re.search(r" \n|\n |^ | $", text):
        problems.append("space at a line edge")
    if "\n\n" in text:
        problems.append("blank line")
    if "**" in text or re.search(r"(?m)^[•–+*]", text):
        problems.append("markup or a bullet glyph other than '- ' (those belong to the file only)")
    return problems


def perturb_file_text(text: str, *, nfd: bool, old_tone: bool, crlf: bool, trailing: bool) -> str:
    """What goes into the file: canonical text with perturbations `restore_canonical` undoes."""
    if old_tone:
        text = to_old_tone(text)
    if trailing:
        # A trailing space on every third line, as editors leave them.
        lines = text.split("\n")
        text = "\n".join(line + " " if i % 3 == 1 and line else line for i, line in enumerate(lines))
    if nfd:
        text = unicodedata.normalize("NFD", text)
    if crlf:
        text = text.replace("\n", "\r\n")
    return text


def decorate(text: str, decorations: dict[str, Any]) -> str:
    """Put file-only markup into canonical text: "**" around bold spans, the member's bullet glyph for
    the canonical "- ", "*" around italic lines. Normalisation removes all of it again."""
    if not decorations:
        return text
    glyph = (decorations.get("glyph") or "- ").strip() or "-"
    inserts: dict[int, list[tuple[int, str]]] = {}
    for s, e in decorations.get("bold", ()):
        inserts.setdefault(s, []).append((1, "**"))
        inserts.setdefault(e, []).append((0, "**"))
    italic_starts = set()
    for s, e in decorations.get("italic", ()):
        inserts.setdefault(s, []).append((0, "*"))
        inserts.setdefault(e, []).append((2, "*"))
        italic_starts.add(s)
    glyph_at = set(decorations.get("glyphs", ()))
    out: list[str] = []
    for i in range(len(text) + 1):
        for _, mark in sorted(inserts.get(i, ())):
            out.append(mark)
        if i == len(text):
            break
        if i in glyph_at and text[i] == "-":
            # "** text" would read as bold markers: an italic line keeps the plain dash.
            out.append("-" if glyph == "*" and i in italic_starts else glyph)
        else:
            out.append(text[i])
    return "".join(out)


_ITALIC_LINE = re.compile(r"^\*(?![\s*])(.*\S)\*$")
_GLYPH = re.compile(r"^[•–+*] ")


def restore_canonical(raw: str) -> str:
    """The canonical text of a file written by the generator: undoes exactly the generator's file-level
    perturbations and decorations (a stand-in for `service.text.normalize` where that is unavailable)."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = to_new_tone(text)
    lines = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line.replace("**", "")).strip()
        m = _ITALIC_LINE.match(line)
        if m:
            line = m.group(1)
        line = _GLYPH.sub("- ", line)
        if line:
            lines.append(line)
    return "\n".join(lines)
