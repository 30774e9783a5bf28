"""Copying: passages taken from the author's earlier reviews, a peer's review or a circulating template,
and shortcomings "inherited" from one year's section II to the next.

Form headings and instructions (sentences the text layer marks `is_heading`) and the document header
are masked in both texts: every review shares them and they never count as copying. Each flag carries
the passage in both texts, so an inspector sees the proof, not just a score.

`score` is the share of the review's own (non-heading) characters copied from its history; None when no
history was given, since it cannot be judged.

With `context.resources["copy_index"]` (a service.index.copyindex.CopyIndex whose payloads are
`Reference`s, see `build_copy_index`), the references it stores are searched too, and the context's
references that it stores are aligned only when the index retrieves them: the store/batch case. Without
one, every reference in the context is aligned directly: the CLI case.

The rules (corpus/rules/copying.yaml) are read by `service.detect.copying_rules`; inherited shortcomings
are found by `service.detect.copying_recurring`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from service.detect.base import Context, DetectorResult, Flag, Reference
from service.detect.copying_recurring import recurring
from service.detect.copying_rules import (
    CODE,
    DETECTOR,
    EDGE_MIN_CUT,
    EDGE_MIN_RUN,
    EXACT_MIN_SYLLABLES,
    EXCERPT,
    HINT,
    PARAMS,
    ROLE_RANK,
    RULES,
    RULES_VERSION,
    SEVERITY,
    SHARED_MIN_DOCS,
    SHARED_MIN_SHARE,
    SOURCE_TIE,
    UNIT_MIN_SIMILARITY,
    VERSION,
    degree,
    number,
)
from service.index.align import (
    Passage,
    Prepared,
    UnitMatch,
    align_prepared,
    match_units,
    prepare,
    trim_edges,
)
from service.index.copyindex import CopyIndex
from service.text.document import Review

_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")


def _describe(ref: Reference) -> str:
    year = f" năm {ref.year}" if ref.year else ""
    if ref.role == "history":
        what = f"bản kiểm điểm{year}" if ref.year else "bản kiểm điểm năm trước"
    elif ref.role == "peer":
        what = f"bản kiểm điểm{year} của đảng viên khác"
    else:
        what = "bài mẫu đang lưu hành"
    return f"{what} ({ref.named})"


HEADER_SECTION = "header"


def heading_mask(review: Review) -> list[tuple[int, int]]:
    """Spans that are never copying: the form's headings and instructions, and the document header
    (organisation, place and date, title, the member's name and post), which repeats by nature."""
    return [(s.start, s.end) for s in review.sentences if s.is_heading or s.section_id == HEADER_SECTION]


def build_copy_index(references: Iterable[Reference], index: CopyIndex | None = None) -> CopyIndex:
    """An index of references (headings masked) for `context.resources["copy_index"]`; keyed by source."""
    index = index if index is not None else CopyIndex()
    for ref in references:
        index.add(ref.source, ref.review.text, heading_mask(ref.review), payload=ref)
    return index


def _references(review: Review, context: Context, mask: Sequence[tuple[int, int]]) -> list[Reference]:
    refs = [*context.history, *context.peers, *context.templates]
    index = context.resources.get("copy_index")
    if not isinstance(index, CopyIndex):
        return refs
    hits = [key for key, _ in index.query(review.text, mask, exclude=review.source)]
    hit_set = set(hits)
    chosen = [r for r in refs if r.source not in index or r.source in hit_set]
    # The context says what a source is to this review; the index only adds sources it does not name.
    given = {r.source for r in refs}
    for key in hits:
        ref = index.payload(key)
        if isinstance(ref, Reference) and ref.source not in given:
            chosen.append(ref)
            given.add(ref.source)
    return chosen


def _attribute(
    found: list[tuple[Passage, Reference]],
    submission: Prepared,
    units: dict[str, dict[tuple[int, int], UnitMatch]],
) -> list[tuple[Passage, Reference]]:
    """Each clause inside some passage goes to the source whose own clause is most like it (then the
    author's history, latest first, then a peer, then a template); consecutive clauses of one source form
    a passage. A passage aligned to last year can hold lines copied from the year before; they are shown
    with the document they came from, and a passage shared by several documents is shown once.

    A run starts and ends on a clause found in its source, trimmed to the words that stand there: a
    sentence the passage was extended over (inserted, or the author's own line between two copied ones)
    ends the run; a fragment too short to be matched only bridges it."""
    runs: list[tuple[Passage, Reference, UnitMatch, UnitMatch]] = []
    open_run = False
    for u in submission.units:
        best: tuple[Any, ...] | None = None
        chosen: tuple[Passage, Reference] | None = None
        best_sim = 0.0
        for p, ref in found:
            if not (p.start <= u.start and u.end <= p.end):
                continue
            m = units[ref.source].get((u.start, u.end))
            sim = m.similarity if m else 0.0
            best_sim = max(best_sim, sim)
            rank = (round(sim / SOURCE_TIE), -ROLE_RANK[ref.role], ref.year or 0, p.similarity)
            if best is None or rank > best:
                best, chosen = rank, (p, ref)
        if chosen is None:
            open_run = False
            continue
        p, ref = chosen
        match = units[ref.source].get((u.start, u.end))
        if match is None or best_sim < UNIT_MIN_SIMILARITY:
            if u.n >= PARAMS.min_unit_syllables:
                open_run = False
            continue
        if open_run and runs[-1][1].source == ref.source and runs[-1][0] == p:
            runs[-1] = (p, ref, runs[-1][2], match)
        else:
            runs.append((p, ref, match, match))
        open_run = True
    out = []
    text = submission.text
    for p, ref, first, last in runs:
        src = ref.review.text
        start, _ = trim_edges(
            text, (first.start, first.end), src, (first.source_start, first.source_end),
            start=True, end=first is last, min_run=EDGE_MIN_RUN, min_cut=EDGE_MIN_CUT,
        )  # fmt: skip
        _, end = trim_edges(
            text, (last.start, last.end), src, (last.source_start, last.source_end),
            start=first is last, end=True, min_run=EDGE_MIN_RUN, min_cut=EDGE_MIN_CUT,
        )  # fmt: skip
        out.append((replace(p, start=start, end=end), ref))
    return out


def _tokens(text: str, mask: Sequence[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """Syllables (lower case, numbers masked) outside `mask`, with their offsets."""
    out = []
    cuts = sorted(mask)
    k = 0
    for m in _WORD.finditer(text):
        while k < len(cuts) and cuts[k][1] <= m.start():
            k += 1
        if k < len(cuts) and cuts[k][0] < m.end():
            continue
        out.append((_DIGITS.sub("0", m.group(0).lower()), m.start(), m.end()))
    return out


def exact_runs(
    mine: list[tuple[str, int, int]],
    theirs: list[tuple[str, int, int]],
    taken: list[bool],
    n_min: int = EXACT_MIN_SYLLABLES,
) -> list[Passage]:
    """Word-for-word runs of ≥ `n_min` syllables shared with a source, outside syllables already `taken`
    (marked as they are found): a phrase lifted into an otherwise rewritten sentence."""
    grams: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(theirs) - n_min + 1):
        grams.setdefault(tuple(t[0] for t in theirs[j : j + n_min]), []).append(j)
    out = []
    i = 0
    while i <= len(mine) - n_min:
        best, at = 0, -1
        if not any(taken[i : i + n_min]):
            for j in grams.get(tuple(t[0] for t in mine[i : i + n_min]), ()):
                n = n_min
                while (
                    i + n < len(mine)
                    and j + n < len(theirs)
                    and not taken[i + n]
                    and mine[i + n][0] == theirs[j + n][0]
                ):
                    n += 1
                if n > best:
                    best, at = n, j
        if not best:
            i += 1
            continue
        out.append(Passage(mine[i][1], mine[i + best - 1][2], theirs[at][1], theirs[at + best - 1][2], 1.0))
        for k in range(i, i + best):
            taken[k] = True
        i += best
    return out


def _split_at(p: Passage, cuts: Sequence[tuple[int, int]], text: str) -> list[Passage]:
    """The passage without the masked lines inside it: a form heading between two copied paragraphs is
    not part of the copy (alignment skips masked text, so a passage can span it). Pieces left too short
    to be a passage on their own ("Không có." under an empty heading) are dropped."""
    pieces: list[Passage] = []
    pos = p.start
    for s, e in [*cuts, (p.end, p.end)]:
        if e <= pos or s > p.end:
            continue
        end = min(s, p.end)
        while end > pos and text[end - 1].isspace():
            end -= 1
        start = pos
        while start < end and text[start].isspace():
            start += 1
        if len(_WORD.findall(text, start, end)) >= PARAMS.min_syllables or (start, end) == (p.start, p.end):
            pieces.append(replace(p, start=start, end=end))
        pos = max(pos, e)
    return pieces or [p]


def _copy_flag(p: Passage, ref: Reference) -> Flag:
    source_text = ref.review.text
    return Flag(
        code=CODE[ref.role],
        severity=SEVERITY[ref.role],
        start=p.start,
        end=p.end,
        message=f"Đoạn này {degree(p.similarity)} {_describe(ref)}, độ giống {number(p.similarity)}.",
        hint=HINT[ref.role],
        evidence={
            "source": ref.source,
            "source_year": ref.year,
            "source_start": p.source_start,
            "source_end": p.source_end,
            "similarity": round(p.similarity, 2),
            "source_role": ref.role,
            "source_excerpt": source_text[p.source_start : p.source_end][:EXCERPT],
            "detector": f"{DETECTOR}/{VERSION}",
            "rules": f"{RULES['id']}/{RULES_VERSION}",
        },
    )


def _line_key(text: str) -> str:
    return " ".join(_DIGITS.sub("0", w) for w in _WORD.findall(text.lower()))


def shared_lines(review: Review, references: Sequence[Reference]) -> list[tuple[int, int]]:
    """Sentences of `review` that stand (lower case, numbers masked) in most of the references."""
    if len(references) < SHARED_MIN_DOCS:
        return []
    need = max(SHARED_MIN_DOCS, math.ceil(SHARED_MIN_SHARE * len(references)))
    counts: Counter[str] = Counter()
    for ref in references:
        counts.update({_line_key(s.text) for s in ref.review.sentences})
    return [
        (s.start, s.end)
        for s in review.sentences
        if not s.is_heading and counts[_line_key(s.text)] >= need and _line_key(s.text)
    ]


def _own_chars(review: Review, mask: Sequence[tuple[int, int]]) -> list[bool]:
    """Per character of the text: True where it is the author's own non-space text (not a heading)."""
    own = [not c.isspace() for c in review.text]
    for s, e in mask:
        for i in range(s, min(e, len(own))):
            own[i] = False
    return own


def detect(review: Review, context: Context) -> DetectorResult:
    mask = heading_mask(review)
    references = _references(review, context, mask)
    shared = shared_lines(review, references)
    submission = prepare(review.text, [*mask, *shared], PARAMS)
    found: list[tuple[Passage, Reference]] = []
    compared: list[dict[str, Any]] = []
    units: dict[str, dict[tuple[int, int], UnitMatch]] = {}
    sources: list[tuple[Reference, list[tuple[int, int]]]] = []
    for ref in references:
        source_mask = heading_mask(ref.review)
        sources.append((ref, source_mask))
        source = prepare(ref.review.text, source_mask, PARAMS)
        passages = align_prepared(submission, source, PARAMS)
        if passages:
            units[ref.source] = {(m.start, m.end): m for m in match_units(submission, source, PARAMS)}
        compared.append({"source": ref.source, "role": ref.role, "year": ref.year, "passages": len(passages)})
        found.extend((p, ref) for p in passages)

    cuts = sorted([*mask, *shared])
    kept = [
        (q, ref) for p, ref in _attribute(found, submission, units) for q in _split_at(p, cuts, review.text)
    ]
    # Then phrases lifted word for word into rewritten sentences, from the likeliest source first.
    mine = _tokens(review.text, cuts)
    taken = [any(p.start <= t[1] < p.end for p, _ in kept) for t in mine]
    for ref, source_mask in sorted(sources, key=lambda rs: (ROLE_RANK[rs[0].role], -(rs[0].year or 0))):
        kept.extend(
            (p, ref)
            for p in exact_runs(mine, _tokens(ref.review.text, source_mask), taken, EXACT_MIN_SYLLABLES)
        )
    flags = [_copy_flag(p, ref) for p, ref in kept]
    flags.extend(recurring(review, [r for r in references if r.role == "history"]))
    flags.sort(key=lambda f: (f.start, f.end, f.code))

    score: float | None = None
    if context.history or any(ref.role == "history" for ref in references):
        own = _own_chars(review, mask)
        total = sum(own)
        copied = [False] * len(own)
        for f in flags:
            if f.code == "copied_from_history":
                for i in range(f.start, f.end):
                    copied[i] = own[i]
        score = round(sum(copied) / total, 4) if total else 0.0
    return DetectorResult(flags=flags, score=score, details={"compared": compared})
