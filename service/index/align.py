"""Text alignment: which passages of a submission were copied from a source, and from where.

Seed, extend, filter — the scheme of the best PAN text-alignment systems (Sanchez-Perez et al. 2014):

1. **Units.** Both texts are cut into clauses: at sentence ends, semicolons, colons, line breaks and
   bullet markers. Each unit is compared as its normalised syllables (lower case, numbers masked).
2. **Seeds.** A pair of units is a seed when rapidfuzz finds them alike (`ratio`/`token_sort_ratio`, or
   `token_set_ratio` when the two are of comparable length) or when they share enough syllable
   3-shingles (one clause absorbed into a longer sentence).
3. **Extension.** Seeds are clustered by proximity, alternately in the submission and in the source,
   until stable. Clustering by proximity in each text separately, not by order, is what keeps reordered
   bullets, dropped and inserted sentences inside one passage.
4. **Filter.** A cluster becomes a passage when both sides are long enough and the passage similarity
   (length-weighted seed similarity over every unit the two spans cover, so inserted or rewritten
   sentences lower it) reaches the threshold. Overlaps on the submission side are resolved in favour of
   the stronger passage.

Offsets are character offsets of the two input strings. Masked spans (form headings and instructions)
yield no units and do not count as gaps.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
from rapidfuzz import fuzz, process

from service.index.shingles import Span, Syllables, shingle_hashes, syllables


@dataclass(frozen=True)
class Passage:
    """A copied passage: `start`..`end` in the submission, `source_start`..`source_end` in the source."""

    start: int
    end: int
    source_start: int
    source_end: int
    similarity: float


@dataclass(frozen=True)
class AlignParams:
    min_syllables: int = 8  # shorter passages are trivial
    min_similarity: float = 0.7  # passage similarity, see module docstring
    # A passage resting on one pair of units is a shared sentence, often a stock phrase: ask more of it.
    single_min_similarity: float = 0.8
    single_min_syllables: int = 12
    min_unit_syllables: int = 6  # shorter units never seed (they still sit inside passages)
    seed_ratio: float = 0.72  # fuzz.ratio / token_sort_ratio, 0..1
    seed_set_ratio: float = 0.85  # token_set_ratio, when lengths are comparable
    set_length_ratio: float = 0.6
    shingle_k: int = 3
    shingle_min_shared: int = 3
    shingle_containment: float = 0.5
    max_gap: int = 25  # syllables between seeds still joined into one passage
    keep_within: float = 0.1  # per submission unit, keep seeds within this of its best
    # Numbers are masked in the syllables, so two lines of one sentence frame that differ only in their
    # figures ("tiết kiệm khoảng 12 triệu" / "khoảng 30 triệu") look identical. In a short clause each
    # number that differs (a year excepted: a copy with the year moved on is still a copy) lowers the
    # pair's similarity by this much; long clauses, whole copied sentences, are left alone.
    number_penalty: float = 0.0
    number_max_syllables: int = 30


# Clause boundaries: sentence ends, ; and : before a space, line breaks, table cells, "+"/"•" sub-bullets.
# A "-" bullet follows one of these (or starts a line), so it needs no rule: a dash inside a sentence
# ("Mác - Lênin", "Kế hoạch - Tài chính") must not cut it.
_BOUNDARY_RE = re.compile(r"[.!?…]+(?=[\s\"”')\]*_]|$)|[;:](?=\s)|\n|\||(?<=\s)[+•](?=\s)")
_NUMBER_RE = re.compile(r"(?<![\w])(?!(?:19|20)\d\d(?!\d))\d+(?:[.,]\d+)*")
_TRAILING = set(".;:!?…\"”')]*")


@dataclass
class _Unit:
    start: int
    end: int
    first: int  # index of its first syllable in the side's Syllables
    last: int  # inclusive
    norm: str
    shingles: np.ndarray
    numbers: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return self.last - self.first + 1


@dataclass
class Prepared:
    """One text cut into units, reusable across many comparisons."""

    text: str
    syl: Syllables
    units: list[_Unit]


def prepare(text: str, mask: Sequence[Span] = (), params: AlignParams | None = None) -> Prepared:
    p = params or AlignParams()
    syl = syllables(text, mask)
    bounds = [m.start() for m in _BOUNDARY_RE.finditer(text)]
    units: list[_Unit] = []
    cur: list[int] = []
    cur_key: tuple[int, int] | None = None

    def close() -> None:
        if not cur:
            return
        first, last = cur[0], cur[-1]
        end = syl.ends[last]
        while end < len(text) and text[end] in _TRAILING:
            end += 1
        toks = syl.tokens[first : last + 1]
        sub = Syllables(toks, syl.starts[first : last + 1], syl.ends[first : last + 1], [0] * len(toks))
        h, _ = shingle_hashes(sub, p.shingle_k)
        nums = tuple(sorted(m.group() for m in _NUMBER_RE.finditer(text, syl.starts[first], end)))
        units.append(_Unit(syl.starts[first], end, first, last, " ".join(toks), np.unique(h), nums))

    for i, s in enumerate(syl.starts):
        key = (bisect.bisect_right(bounds, s), syl.segment[i])
        if key != cur_key:
            close()
            cur = []
            cur_key = key
        cur.append(i)
    close()
    return Prepared(text, syl, units)


@dataclass
class _Scores:
    """Unit similarities of one comparison: the seeds, and the whole (units of a x units of b) matrix,
    which gives the units of a passage that did not seed their best partial similarity."""

    seeds: dict[tuple[int, int], float]
    matrix: np.ndarray  # 0..1


def _seeds(a: Prepared, b: Prepared, p: AlignParams) -> _Scores:
    """Score every pair of units; keep as seeds the pairs alike enough (see the module docstring)."""
    if not a.units or not b.units:
        return _Scores({}, np.zeros((len(a.units), len(b.units)), dtype=np.float32))
    na = [u.norm for u in a.units]
    nb = [u.norm for u in b.units]
    ratio = process.cdist(na, nb, scorer=fuzz.ratio, workers=1)
    np.maximum(ratio, process.cdist(na, nb, scorer=fuzz.token_sort_ratio, workers=1), out=ratio)
    tset = process.cdist(na, nb, scorer=fuzz.token_set_ratio, workers=1)
    len_a = np.array([u.n for u in a.units], dtype=np.float32)
    len_b = np.array([u.n for u in b.units], dtype=np.float32)
    comparable = np.minimum.outer(len_a, len_b) / np.maximum.outer(len_a, len_b) >= p.set_length_ratio
    score = ratio / 100.0
    seeded = score >= p.seed_ratio
    # token_set_ratio forgives words added to one side; alone it rates stock phrases sharing their key
    # words as equal, so it seeds but counts only half in the similarity.
    set_ok = comparable & (tset >= p.seed_set_ratio * 100.0)
    score = np.where(set_ok, np.maximum(score, (score + tset / 100.0) / 2.0), score)
    seeded |= set_ok
    # Short clauses are scored (they weigh in a passage's similarity) but never seed one.
    seeded &= np.logical_and.outer(len_a >= p.min_unit_syllables, len_b >= p.min_unit_syllables)

    # Shared 3-shingles: a clause copied into a longer sentence, or two sentences merged into one.
    posting: dict[int, list[int]] = defaultdict(list)
    for j, u in enumerate(b.units):
        if u.n >= p.min_unit_syllables:
            for h in u.shingles.tolist():
                posting[h].append(j)
    for i, u in enumerate(a.units):
        if u.n < p.min_unit_syllables:
            continue
        shared: dict[int, int] = defaultdict(int)
        for h in u.shingles.tolist():
            for j in posting.get(h, ()):
                shared[j] += 1
        for j, c in shared.items():
            size_a, size_b = len(u.shingles), len(b.units[j].shingles)
            if c >= p.shingle_min_shared and c / max(1, min(size_a, size_b)) >= p.shingle_containment:
                seeded[i, j] = True
                score[i, j] = max(score[i, j], 2.0 * c / (size_a + size_b))

    if p.number_penalty > 0:
        _penalise_numbers(score, a, b, p)
    score = np.minimum(score, 1.0).astype(np.float32)
    seeds: dict[tuple[int, int], float] = {}
    for i, j in zip(*np.nonzero(seeded), strict=True):
        # Per submission unit, only its best source units: a stock sentence matches many.
        if score[i, j] >= score[i][seeded[i]].max() - p.keep_within:
            seeds[(int(i), int(j))] = float(score[i, j])
    return _Scores(seeds, score)


def _penalise_numbers(score: np.ndarray, a: Prepared, b: Prepared, p: AlignParams) -> None:
    """Lower, in place, the similarity of short clause pairs whose (non-year) numbers differ."""
    b_num = [(j, u) for j, u in enumerate(b.units) if u.numbers and u.n <= p.number_max_syllables]
    if not b_num:
        return
    for i, ua in enumerate(a.units):
        if not ua.numbers or ua.n > p.number_max_syllables:
            continue
        for j, ub in b_num:
            if ua.numbers == ub.numbers or score[i, j] <= 0:
                continue
            rest = list(ub.numbers)
            diff = 0
            for x in ua.numbers:
                if x in rest:
                    rest.remove(x)
                else:
                    diff += 1
            diff = max(diff, len(rest))
            score[i, j] = max(0.0, score[i, j] - p.number_penalty * diff)


def _split(
    cluster: list[tuple[int, int]], side: int, units: list[_Unit], max_gap: int
) -> list[list[tuple[int, int]]]:
    order = sorted(cluster, key=lambda s: (units[s[side]].first, s))
    groups: list[list[tuple[int, int]]] = [[order[0]]]
    reach = units[order[0][side]].last
    for seed in order[1:]:
        u = units[seed[side]]
        if u.first - reach - 1 > max_gap:
            groups.append([seed])
            reach = u.last
        else:
            groups[-1].append(seed)
            reach = max(reach, u.last)
    return groups


def _cluster(
    seeds: list[tuple[int, int]], a: Prepared, b: Prepared, max_gap: int
) -> list[list[tuple[int, int]]]:
    clusters = [seeds] if seeds else []
    changed = True
    while changed:
        changed = False
        nxt: list[list[tuple[int, int]]] = []
        for c in clusters:
            for part in _split(c, 0, a.units, max_gap):
                pieces = _split(part, 1, b.units, max_gap)
                changed |= len(pieces) > 1 or len(part) < len(c)
                nxt.extend(pieces)
        clusters = nxt
    return clusters


@dataclass
class _Candidate:
    seeds: list[tuple[int, int]]
    a_units: tuple[int, int]  # unit index range, inclusive
    b_units: tuple[int, int]
    a_syll: int
    b_syll: int
    similarity: float

    @property
    def weight(self) -> float:
        return self.similarity * (self.a_syll + self.b_syll)


def _evaluate(seeds: list[tuple[int, int]], sc: _Scores, a: Prepared, b: Prepared) -> _Candidate:
    best_a: dict[int, float] = {}
    best_b: dict[int, float] = {}
    for i, j in seeds:
        s = sc.seeds[(i, j)]
        best_a[i] = max(best_a.get(i, 0.0), s)
        best_b[j] = max(best_b.get(j, 0.0), s)
    a_lo, a_hi = min(best_a), max(best_a)
    b_lo, b_hi = min(best_b), max(best_b)
    # Units inside the spans that did not seed (inserted, deleted or rewritten sentences) count with
    # their best similarity to any unit of the other span: a rewrite weighs in partly, an insertion ~0.
    window = sc.matrix[a_lo : a_hi + 1, b_lo : b_hi + 1]
    ma = ta = mb = tb = 0.0
    for k in range(a_lo, a_hi + 1):
        n = a.units[k].n
        ta += n
        ma += n * best_a.get(k, float(window[k - a_lo].max()))
    for k in range(b_lo, b_hi + 1):
        n = b.units[k].n
        tb += n
        mb += n * best_b.get(k, float(window[:, k - b_lo].max()))
    return _Candidate(seeds, (a_lo, a_hi), (b_lo, b_hi), int(ta), int(tb), (ma + mb) / max(1.0, ta + tb))


def align_prepared(a: Prepared, b: Prepared, params: AlignParams | None = None) -> list[Passage]:
    """Passages of `a` (the submission) copied from `b` (the source)."""
    p = params or AlignParams()
    sims = _seeds(a, b, p)
    clusters = _cluster(sorted(sims.seeds), a, b, p.max_gap)
    accepted: list[_Candidate] = []
    pending = [_evaluate(c, sims, a, b) for c in clusters]
    while pending:
        pending = [c for c in pending if _passes(c, p)]
        if not pending:
            break
        pending.sort(key=lambda c: (-c.weight, c.a_units, c.b_units))
        best = pending.pop(0)
        accepted.append(best)
        lo, hi = best.a_units
        # Seeds inside the accepted submission span are spent; what is left of a cluster may still stand.
        rest: list[_Candidate] = []
        for c in pending:
            if c.a_units[1] < lo or c.a_units[0] > hi:
                rest.append(c)
                continue
            # Cluster what lies before and after separately, so no later passage straddles this one.
            for left in ([s for s in c.seeds if s[0] < lo], [s for s in c.seeds if s[0] > hi]):
                rest.extend(_evaluate(part, sims, a, b) for part in _cluster(left, a, b, p.max_gap))
        pending = rest
    passages = [
        Passage(
            start=a.units[c.a_units[0]].start,
            end=a.units[c.a_units[1]].end,
            source_start=b.units[c.b_units[0]].start,
            source_end=b.units[c.b_units[1]].end,
            similarity=round(c.similarity, 4),
        )
        for c in accepted
    ]
    return sorted(passages, key=lambda x: (x.start, x.source_start))


def _passes(c: _Candidate, p: AlignParams) -> bool:
    if c.a_syll < p.min_syllables or c.b_syll < p.min_syllables:
        return False
    if len(set(c.seeds)) == 1:
        short = min(c.a_syll, c.b_syll) < p.single_min_syllables
        return not short and c.similarity >= p.single_min_similarity
    return c.similarity >= p.min_similarity


def align(
    text: str,
    source: str,
    *,
    mask: Sequence[Span] = (),
    source_mask: Sequence[Span] = (),
    params: AlignParams | None = None,
) -> list[Passage]:
    """Passages of `text` copied from `source`, in character offsets of the two strings."""
    p = params or AlignParams()
    return align_prepared(prepare(text, mask, p), prepare(source, source_mask, p), p)


@dataclass(frozen=True)
class UnitMatch:
    """A clause of the submission and its most similar clause of the source."""

    start: int
    end: int
    source_start: int
    source_end: int
    similarity: float


def match_units(a: Prepared, b: Prepared, params: AlignParams | None = None) -> list[UnitMatch]:
    """For each clause of `a` that seeds with a clause of `b`, its best match (the seed rules of
    `align`, without extension): sentence-level evidence such as a shortcoming repeated from last year."""
    p = params or AlignParams()
    best: dict[int, tuple[float, int]] = {}
    for (i, j), sim in _seeds(a, b, p).seeds.items():
        if i not in best or (sim, -j) > (best[i][0], -best[i][1]):
            best[i] = (sim, j)
    return [
        UnitMatch(a.units[i].start, a.units[i].end, b.units[j].start, b.units[j].end, round(sim, 4))
        for i, (sim, j) in sorted(best.items())
    ]


def trim_edges(
    text: str,
    span: Span,
    source: str,
    source_span: Span,
    *,
    start: bool,
    end: bool,
    min_run: int,
    min_cut: int,
) -> Span:
    """`span` of `text` without a comma-delimited stretch at its start and/or end that holds no run of at
    least `min_run` syllables standing in order in `source_span` of `source`, or such a stretch of at
    least `min_cut` syllables wherever it ends: a connective put before a copied sentence ("Bên cạnh
    đó, ..."), or the author's own clause after the copied part. An edge word or two swapped for a
    synonym is still part of the copy. Unchanged when nothing matches."""
    s0 = span[0]
    mine = syllables(text[s0 : span[1]])
    theirs = syllables(source[source_span[0] : source_span[1]])
    blocks = [
        b
        for b in SequenceMatcher(None, mine.tokens, theirs.tokens, autojunk=False).get_matching_blocks()
        if b.size >= min_run
    ]
    if not blocks:
        return span
    lo, hi = span
    if start:
        first = s0 + mine.starts[blocks[0].a]
        comma = text.rfind(",", lo, first)
        if blocks[0].a >= min_cut:
            lo = first
        elif comma >= 0:
            k = bisect.bisect_left(mine.starts, comma - s0)
            lo = s0 + mine.starts[k] if k < len(mine.starts) else lo
    if end:
        last_i = blocks[-1].a + blocks[-1].size - 1
        last = s0 + mine.ends[last_i]
        comma = text.find(",", last, hi)
        if len(mine.tokens) - 1 - last_i >= min_cut:
            hi = last
        elif comma >= 0:
            k = bisect.bisect_right(mine.ends, comma - s0) - 1
            hi = s0 + mine.ends[k] if k >= 0 else hi
    return (lo, hi) if lo < hi else span
