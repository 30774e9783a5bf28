"""What a generated document is made of before and after it is written out.

A `Plan` is the content of one review independent of layout: items (one sentence each) grouped by topic,
the grade, the header. The writer lays a plan out on a form in a member's style and records where each
item landed (`Item.start`/`end`, offsets into the canonical text); labels are read off those positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]


@dataclass
class Origin:
    """Where a copied item comes from: the source file and the source item's core span in its text."""

    role: str  # history | peer | template
    source_file: str
    source_year: int | None
    source_start: int
    source_end: int
    source_index: int  # position of the item in the source's item list (to merge neighbours)


@dataclass
class Item:
    """One sentence of content. `text` is the core: no bullet, connector or final punctuation."""

    text: str
    topic: str
    boilerplate: bool
    kind: str = "plain"  # plain | shortcoming | cause | remedy | fix | blank
    sub: str | None = None  # I.1 sub-topic (politics, ethics, ...)
    key: str | None = None  # a shortcoming's key, unique within the document
    links: tuple[str, ...] = ()  # cause / remedy: the shortcoming keys it serves
    cause_type: str | None = None  # subjective | objective (cause items and inline causes)
    deadline: str | None = None  # none | vague | concrete (remedy items and inline remedies)
    spans: dict[str, Span] = field(default_factory=dict)  # relative: C cause, R remedy, D deadline
    blanks: list[Span] = field(default_factory=list)  # relative spans of unfilled blanks
    stopic: str | None = None  # shortcoming topic id, to spot the same shortcoming in later years
    # Topic ids the text names. Shortcoming: other topics a reader would file it under. Cause / remedy: the
    # shortcomings it speaks of; none means a general cause (covers all) or a catch-all line (no remedy).
    topics: tuple[str, ...] = ()
    status: str | None = None  # fix items: fixed | in_progress | not_fixed | stock
    prev_ref: tuple[str, int, int] | None = None  # fix items: the earlier shortcoming (file, start, end)
    origin: Origin | None = None
    ids: list[str] = field(default_factory=list)  # pool entries used (the split audit)
    # Set by the writer.
    start: int = -1  # core start
    end: int = -1  # core end
    sent_start: int = -1  # sentence start (connector included)
    sent_end: int = -1  # sentence end (final punctuation included)
    section: str | None = None


@dataclass
class GradeSpec:
    claimed: str | None  # excellent | good | completed | not_completed | None (left blank)
    cadre_claim: str | None = None  # pre-2025 forms: the claim as cadre / civil servant
    points: tuple[int, int, int] | None = None  # general, tasks, total (2025 individual forms)
    points_blank: bool = False
    claim_blank_style: str = "dots"  # dots | options (all four levels left unselected)
    criteria: dict[str, str] = field(default_factory=dict)  # section id -> level (2023 forms)
    misfit: str | None = None  # the intended inconsistency, if any


@dataclass
class Knobs:
    """Formalism drawn for one member-year (or chi bộ-year)."""

    level: float
    formalistic: bool
    boiler_share: float
    copy_history: float = 0.0
    copy_peer: float = 0.0
    template: float = 0.0
    edit_rate: float = 0.0
    n_short: int = 2
    short_stock_p: float = 0.3
    cause_mode: str = "specific"  # specific | generic | none
    cause_p: float = 0.9
    inline_p: float = 0.3
    remedy_p: float = 0.9
    concrete_deadline_p: float = 0.8
    vague_deadline_p: float = 0.15
    blanks: int = 0
    header_blank: bool = False
    grade_misfit: bool = False
    grade_blank: bool = False
    fix_mode: str = "specific"  # specific | stock | none
    drop_sections: tuple[str, ...] = ()
    empty_sections: tuple[str, ...] = ()
    wrong_form: bool = False
    markers: list[str] = field(default_factory=list)


@dataclass
class Plan:
    kind: str  # individual | collective
    year: int
    form: str
    items: dict[str, list[Item]]
    header: dict[str, str]
    grade: GradeSpec
    knobs: Knobs
    year_blank: bool = False
    header_blank: bool = False
    order_swap: tuple[str, str] | None = None  # two section topics written in each other's place


@dataclass
class Rendered:
    """A written document: canonical text, item positions and the structure labels are read from."""

    file: str
    year: int
    kind: str
    form: str
    text: str
    items: list[Item]
    sections: list[dict[str, Any]]
    form_text: list[dict[str, Any]]
    placeholders: list[Span]
    grade_spans: dict[str, Span]
    plan: Plan
    # File-only markup at canonical offsets: bold spans, bullet positions and their glyph, italic lines.
    decorations: dict[str, Any] = field(default_factory=dict)
