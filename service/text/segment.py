"""Sentences and words of the normalised text, and a spaCy Doc built from underthesea's tokens.

underthesea is fed one paragraph (line) at a time: it is about twice as fast that way, and a line break
in a review is always a boundary (bullets, numbered items, headings). Its sentence splitter does not know
list enumerators ("1.", "I.", "a)"), so the enumerator is kept with its item. Every piece is located in the
normalised text by offset, so `text[start:end]` is always exactly what a sentence or token claims.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from service.text.document import Sentence, Token

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

# "I.", "II.", "1.", "1.2.", "2)", "a)", "b.", "-": an item marker at the start of a line.
ENUMERATOR = re.compile(r"^(?:(?:[IVXLC]{1,5}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]|-)\s+")


def _locate(text: str, piece: str, start: int) -> tuple[int, int] | None:
    """Find `piece` in `text` from `start`, tolerant to whitespace differences."""
    at = text.find(piece, start)
    if at >= 0:
        return at, at + len(piece)
    parts = piece.split()
    if not parts:
        return None
    pattern = r"\s*".join(re.escape(p) for p in parts)
    m = re.compile(pattern).search(text, start)
    return (m.start(), m.end()) if m else None


def lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def split_sentences(text: str) -> list[Sentence]:
    from underthesea import sent_tokenize

    sentences: list[Sentence] = []
    for line_start, line_end in lines(text):
        line = text[line_start:line_end]
        m = ENUMERATOR.match(line)
        body_offset = m.end() if m else 0
        body = line[body_offset:]
        pieces = sent_tokenize(body) if body.strip() else []
        cursor = line_start + body_offset
        found: list[tuple[int, int]] = []
        for piece in pieces:
            span = _locate(text[:line_end], piece.strip(), cursor)
            if span is None:
                continue
            found.append(span)
            cursor = span[1]
        if not found:
            found = [(line_start, line_end)]
        # The enumerator belongs to the first sentence of its item.
        _, first_end = found[0]
        found[0] = (line_start, first_end)
        # Anything between pieces that the splitter dropped joins the sentence before it.
        merged: list[tuple[int, int]] = []
        for i, (s, e) in enumerate(found):
            nxt = found[i + 1][0] if i + 1 < len(found) else line_end
            gap = text[e:nxt]
            if gap.strip():
                e = nxt
            merged.append((s, e))
        for s, e in merged:
            while e > s and text[e - 1].isspace():
                e -= 1
            sentences.append(Sentence(start=s, end=e, text=text[s:e]))
    return sentences


def tokenize(text: str) -> list[Token]:
    """underthesea words, one line at a time, located in `text`."""
    from underthesea import word_tokenize

    tokens: list[Token] = []
    for line_start, line_end in lines(text):
        cursor = line_start
        for word in word_tokenize(text[line_start:line_end]):
            span = _locate(text[:line_end], word, cursor)
            if span is None:
                # underthesea altered the word; fall back to its syllables one by one.
                for syllable in word.split():
                    sub = _locate(text[:line_end], syllable, cursor)
                    if sub is not None:
                        tokens.append(Token(sub[0], sub[1], text[sub[0] : sub[1]]))
                        cursor = sub[1]
                continue
            tokens.append(Token(span[0], span[1], text[span[0] : span[1]]))
            cursor = span[1]
    return tokens


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    """The blank Vietnamese vocabulary, loaded once per process (pyvi's tokenizer is not used)."""
    import spacy

    return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}}).vocab


def build_doc(text: str, tokens: list[Token]) -> Doc:
    """A spaCy Doc whose text is exactly `text`: underthesea tokens plus whitespace tokens between them."""
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    pos = 0

    def add_gap(gap: str) -> None:
        # A single space after a word is that word's trailing space; any other gap is a whitespace token.
        if not gap:
            return
        if gap == " " and words and not spaces[-1] and not words[-1].isspace():
            spaces[-1] = True
            return
        if words and not spaces[-1] and gap.startswith(" ") and not words[-1].isspace():
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)

    for tok in tokens:
        add_gap(text[pos : tok.start])
        words.append(tok.text)
        spaces.append(False)
        pos = tok.end
    add_gap(text[pos:])
    doc = Doc(vocab(), words=words, spaces=spaces)
    assert doc.text == text, "spaCy Doc text must equal the normalised text"
    return doc
