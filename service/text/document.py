"""The one picture of a review every detector works on.

All offsets are character offsets into `Review.text`, the normalised text. `Review.offset_map` maps each
normalised character back to the original text so a display can point at what the author wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from spacy.tokens import Doc

Kind = Literal["individual", "collective"]


@dataclass(frozen=True)
class Token:
    """One underthesea word (possibly several syllables, e.g. "hoàn thành")."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    section_id: str | None = None
    # A heading line ("II. Hạn chế, khuyết điểm và nguyên nhân"): form text, never judged as content.
    is_heading: bool = False


@dataclass(frozen=True)
class Section:
    """A section of the form found in the review.

    `start`..`end` covers heading and body; `body_start` is where the author's own text begins.
    """

    id: str
    title: str
    start: int
    end: int
    body_start: int
    heading: str = ""


@dataclass(frozen=True)
class Points:
    """The 2025 scheme's self-assessed points; None where the author left them blank."""

    general: float | None = None  # …/30
    tasks: float | None = None  # …/70
    total: float | None = None  # …/100


@dataclass(frozen=True)
class GradeClaim:
    """The self-assessed rating level and where it is written."""

    level: str  # excellent | good | completed | not_completed
    start: int
    end: int
    text: str


@dataclass
class Review:
    text: str
    source: str
    original: str = ""
    offset_map: list[int] = field(default_factory=list)
    year: int | None = None
    kind: Kind | None = None
    form: str | None = None
    # id@version of the form definition the sections were parsed with (appears in evidence).
    form_definition: str | None = None
    sections: list[Section] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    grade: GradeClaim | None = None
    points: Points = field(default_factory=Points)
    # Lazily built spaCy Doc over `text` (tokens from underthesea); see service.text.segment.
    _doc: Doc | None = field(default=None, repr=False)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def section_at(self, offset: int) -> Section | None:
        """The innermost section containing `offset`."""
        best: Section | None = None
        for s in self.sections:
            if s.start <= offset < s.end and (best is None or s.start >= best.start):
                best = s
        return best

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text back to the original text.

        `offset_map` has len(text) + 1 entries: entry i is where normalised character i starts in the
        original, the last entry is len(original).
        """
        if not self.offset_map:
            return start, end
        return self.offset_map[start], self.offset_map[end]

    @property
    def doc(self) -> Doc:
        if self._doc is None:
            from service.text.segment import build_doc

            self._doc = build_doc(self.text, self.tokens)
        return self._doc
