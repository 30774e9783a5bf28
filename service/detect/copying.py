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
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from service.detect.base import Context, DetectorResult, Flag, Reference, SourceRole
from service.index.align import AlignParams, Passage, Prepared, align_prepared, match_units, prepare
from service.index.copyindex import CopyIndex
from service.text.document import Review, Sentence

DETECTOR = "copying"
VERSION = 1
PARAMS = AlignParams()
# Similarity of two section-II clauses above which the shortcoming counts as repeated.
RECURRING_MIN_SIMILARITY = 0.75
RECURRING_MIN_SYLLABLES = 6
SHORTCOMING_SECTIONS = ("II.1", "II")
CAUSE_SECTION = "II.2"
_EXCERPT = 300

CODE: dict[SourceRole, str] = {
    "history": "copied_from_history",
    "peer": "copied_from_peer",
    "template": "copied_from_template",
}
SEVERITY: dict[SourceRole, Any] = {"history": "high", "peer": "high", "template": "medium"}

HINT: dict[SourceRole, str] = {
    "history": (
        "Viết kết quả cụ thể của năm nay (sản phẩm, số liệu, thời gian hoàn thành) thay cho nội dung năm "
        "trước; với từng hạn chế đã nêu năm trước, ghi rõ tình trạng: đã khắc phục, đang khắc phục (mức "
        "độ) hay chưa khắc phục, và vì sao."
    ),
    "peer": (
        "Mỗi đảng viên tự kiểm điểm phần việc của mình: nêu nhiệm vụ, sản phẩm, số liệu và thời gian của "
        "chính mình trong năm, cùng hạn chế thật của bản thân, không dùng lại bài của đồng chí khác."
    ),
    "template": (
        "Bài mẫu chỉ để tham khảo cách trình bày: thay bằng kết quả cụ thể của bản thân (sản phẩm, số "
        "liệu, thời gian) và hạn chế thật của mình kèm nguyên nhân, biện pháp và thời hạn khắc phục."
    ),
}
RECURRING_HINT = (
    "Nói rõ hạn chế này đã được khắc phục đến đâu trong năm (đã khắc phục / đang khắc phục, mức độ / chưa "
    "khắc phục), vì sao chưa khắc phục được, và biện pháp, thời hạn cụ thể cho năm tới."
)


def _number(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def _degree(similarity: float) -> str:
    if similarity >= 0.9:
        return "gần như trùng với"
    if similarity >= 0.8:
        return "rất giống"
    return "giống"


def _describe(ref: Reference) -> str:
    year = f" năm {ref.year}" if ref.year else ""
    if ref.role == "history":
        what = f"bản kiểm điểm{year}" if ref.year else "bản kiểm điểm năm trước"
    elif ref.role == "peer":
        what = f"bản kiểm điểm{year} của đảng viên khác"
    else:
        what = "bài mẫu đang lưu hành"
    return f"{what} (tệp {ref.source})"


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


def _strongest(found: list[tuple[Passage, Reference]]) -> list[tuple[Passage, Reference]]:
    """Per role, where passages from several sources overlap, keep the strongest (then the latest)."""
    ranked = sorted(
        found,
        key=lambda pr: (
            -round(pr[0].similarity, 2),
            -(pr[1].year or 0),
            -(pr[0].end - pr[0].start),
            pr[1].source,
        ),
    )
    kept: list[tuple[Passage, Reference]] = []
    for p, ref in ranked:
        overlap = max(
            (min(p.end, q.end) - max(p.start, q.start) for q, r in kept if r.role == ref.role), default=0
        )
        if overlap < 0.5 * (p.end - p.start):
            kept.append((p, ref))
    return sorted(kept, key=lambda pr: (pr[0].start, pr[1].role, pr[1].source))


def _copy_flag(p: Passage, ref: Reference) -> Flag:
    source_text = ref.review.text
    return Flag(
        code=CODE[ref.role],
        severity=SEVERITY[ref.role],
        start=p.start,
        end=p.end,
        message=f"Đoạn này {_degree(p.similarity)} {_describe(ref)}, độ giống {_number(p.similarity)}.",
        hint=HINT[ref.role],
        evidence={
            "source": ref.source,
            "source_year": ref.year,
            "source_start": p.source_start,
            "source_end": p.source_end,
            "similarity": round(p.similarity, 2),
            "source_role": ref.role,
            "source_excerpt": source_text[p.source_start : p.source_end][:_EXCERPT],
            "detector": f"{DETECTOR}/{VERSION}",
        },
    )


def _section_sentences(review: Review) -> list[Sentence]:
    """The review's own sentences stating shortcomings: section II.1, or II without its causes (II.2)."""
    own = [s for s in review.sentences if not s.is_heading]
    tagged = [s for s in own if s.section_id in SHORTCOMING_SECTIONS]
    if tagged:
        return tagged
    section = next((review.section(sid) for sid in SHORTCOMING_SECTIONS if review.section(sid)), None)
    if section is None:
        return []
    causes = review.section(CAUSE_SECTION)
    return [
        s
        for s in own
        if section.body_start <= s.start < section.end
        and not (causes and causes.start <= s.start < causes.end)
    ]


def _only(review: Review, sentences: list[Sentence]) -> Prepared:
    """The review prepared for alignment with everything but `sentences` masked."""
    mask: list[tuple[int, int]] = []
    pos = 0
    for s in sorted(sentences, key=lambda s: s.start):
        if s.start > pos:
            mask.append((pos, s.start))
        pos = max(pos, s.end)
    mask.append((pos, len(review.text)))
    return prepare(review.text, mask, PARAMS)


def _recurring(review: Review, history: list[Reference]) -> list[Flag]:
    mine = _section_sentences(review)
    if not mine:
        return []
    prepared = _only(review, mine)
    best: dict[tuple[int, int], tuple[float, int, Any, Reference]] = {}
    for ref in history:
        theirs = _section_sentences(ref.review)
        if not theirs:
            continue
        for m in match_units(prepared, _only(ref.review, theirs), PARAMS):
            words = len(review.text[m.start : m.end].split())
            if m.similarity < RECURRING_MIN_SIMILARITY or words < RECURRING_MIN_SYLLABLES:
                continue
            key = (m.start, m.end)
            rank = (m.similarity, ref.year or 0)
            if key not in best or rank > best[key][:2]:
                best[key] = (m.similarity, ref.year or 0, m, ref)
    flags = []
    for (start, end), (sim, _, m, ref) in sorted(best.items()):
        year = f"năm {ref.year}" if ref.year else "năm trước"
        flags.append(
            Flag(
                code="recurring_shortcoming",
                severity="medium",
                start=start,
                end=end,
                message=(
                    f"Hạn chế này {_degree(sim)} hạn chế đã nêu trong bản kiểm điểm {year} (tệp "
                    f'{ref.source}), độ giống {_number(sim)}: hạn chế được "kế thừa" qua các năm.'
                ),
                hint=RECURRING_HINT,
                evidence={
                    "source": ref.source,
                    "source_year": ref.year,
                    "source_start": m.source_start,
                    "source_end": m.source_end,
                    "similarity": round(sim, 2),
                    "source_role": "history",
                    "source_excerpt": ref.review.text[m.source_start : m.source_end][:_EXCERPT],
                    "detector": f"{DETECTOR}/{VERSION}",
                },
            )
        )
    return flags


def _own_chars(review: Review, mask: Sequence[tuple[int, int]]) -> list[bool]:
    """Per character of the text: True where it is the author's own non-space text (not a heading)."""
    own = [not c.isspace() for c in review.text]
    for s, e in mask:
        for i in range(s, min(e, len(own))):
            own[i] = False
    return own


def detect(review: Review, context: Context) -> DetectorResult:
    mask = heading_mask(review)
    submission = prepare(review.text, mask, PARAMS)
    found: list[tuple[Passage, Reference]] = []
    compared: list[dict[str, Any]] = []
    references = _references(review, context, mask)
    for ref in references:
        source = prepare(ref.review.text, heading_mask(ref.review), PARAMS)
        passages = align_prepared(submission, source, PARAMS)
        compared.append({"source": ref.source, "role": ref.role, "year": ref.year, "passages": len(passages)})
        found.extend((p, ref) for p in passages)

    flags = [_copy_flag(p, ref) for p, ref in _strongest(found)]
    flags.extend(_recurring(review, [r for r in references if r.role == "history"]))
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
