"""Copy labels that are true of the text, not only of the generator's intent.

The generator labels what it copied on purpose (`Item.origin`). An inspector reading two documents side by
side sees more: a passage that stands, after lower-casing and masking numbers, word for word in a source
the review is compared with *is* copied text, whoever put it there. Two cases the intent misses:

- a same-year peer who copied this review: the peer's label says so, and so must this review's, since the
  two are peers of each other and the passage is shared (`reverse_peer_copies`);
- each copy also names the other referenced documents holding the same passage (`also_in`);
- a remaining identical run of ≥ `MIN_SYLLABLES` syllables in fresh content (`identical_runs`), e.g. a pool
  line every generator draw could not avoid.
"""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz.fuzz import partial_ratio, ratio

from service.corpusgen.model import Item, Rendered

# An inspector's definition of a word-for-word copy, the same as the detector's (corpus/rules/copying.yaml,
# exact_min_syllables): shorter identical runs are stock Party phrasing that unrelated real reviews share
# (among 170 pairs of unrelated real samples: 227 identical runs of 8 syllables, 43 of 10).
MIN_SYLLABLES = 10
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")
_TRIVIAL_GAP = re.compile(r"^[\s\-+*•–.;:,]*$")

Token = tuple[str, int, int]  # normalised syllable, start, end


def _tokens(text: str, start: int, end: int) -> list[Token]:
    return [
        (_DIGITS.sub("0", m.group(0).lower()), start + m.start(), start + m.end())
        for m in _WORD.finditer(text[start:end])
    ]


def _regions(r: Rendered, items: list[Item]) -> list[list[Token]]:
    """Token runs of consecutive items with only bullets and punctuation between them."""
    regions: list[list[Token]] = []
    last_end = -1
    for it in sorted(items, key=lambda it: it.start):
        toks = _tokens(r.text, it.start, it.end)
        if regions and last_end >= 0 and _TRIVIAL_GAP.match(r.text[last_end : it.start]):
            regions[-1].extend(toks)
        else:
            regions.append(toks)
        last_end = it.end
    return [reg for reg in regions if reg]


def _entry(r: Rendered, src: Rendered, role: str, s: int, e: int, ss: int, se: int) -> dict[str, Any]:
    text, original = r.text[s:e], src.text[ss:se]
    return {
        "start": s,
        "end": e,
        "text": text,
        "source_file": src.file,
        "source_year": src.year,
        "source_start": ss,
        "source_end": se,
        "role": role,
        "similarity": round(ratio(text, original) / 100, 3),
    }


def reverse_peer_copies(r: Rendered, peers: list[Rendered]) -> list[dict[str, Any]]:
    """This review's items that a peer copied: the shared passage, labelled from this side."""
    by_span = {(it.start, it.end): it for it in r.items if it.origin is None}
    out = []
    for peer in peers:
        for it in peer.items:
            o = it.origin
            if o is None or o.role != "peer" or o.source_file != r.file:
                continue
            mine = by_span.pop((o.source_start, o.source_end), None)
            if mine is not None:
                out.append(_entry(r, peer, "peer", mine.start, mine.end, it.start, it.end))
    return out


def identical_runs(
    r: Rendered, sources: list[tuple[Rendered, str]], taken: list[tuple[int, int]]
) -> list[dict[str, Any]]:
    """Runs of ≥ MIN_SYLLABLES syllables of the review's content outside `taken` that stand identically
    (lower case, numbers masked) in a source's content; each run labelled with the first source (in the
    order given) that has it."""

    def free(it: Item) -> bool:
        return it.origin is None and not any(s < it.end and it.start < e for s, e in taken)

    regions = _regions(r, [it for it in r.items if free(it)])
    claimed = [[False] * len(reg) for reg in regions]
    out: list[dict[str, Any]] = []
    for src, role in sources:
        grams: dict[tuple[str, ...], list[tuple[int, int]]] = {}
        src_regions = _regions(src, src.items)
        for ri, reg in enumerate(src_regions):
            for j in range(len(reg) - MIN_SYLLABLES + 1):
                key = tuple(t[0] for t in reg[j : j + MIN_SYLLABLES])
                grams.setdefault(key, []).append((ri, j))
        for qi, reg in enumerate(regions):
            i = 0
            while i <= len(reg) - MIN_SYLLABLES:
                if any(claimed[qi][i : i + MIN_SYLLABLES]):
                    i += 1
                    continue
                key = tuple(t[0] for t in reg[i : i + MIN_SYLLABLES])
                best = (0, -1, -1)
                for ri, j in grams.get(key, ()):
                    sreg, n = src_regions[ri], MIN_SYLLABLES
                    while (
                        i + n < len(reg)
                        and j + n < len(sreg)
                        and not claimed[qi][i + n]
                        and reg[i + n][0] == sreg[j + n][0]
                    ):
                        n += 1
                    if n > best[0]:
                        best = (n, ri, j)
                n, ri, j = best
                if n == 0:
                    i += 1
                    continue
                sreg = src_regions[ri]
                out.append(_entry(r, src, role, reg[i][1], reg[i + n - 1][2], sreg[j][1], sreg[j + n - 1][2]))
                for k in range(i, i + n):
                    claimed[qi][k] = True
                i += n
    return out


def true_copies(
    r: Rendered,
    intended: list[dict[str, Any]],
    *,
    history: list[Rendered],
    peers: list[Rendered],
    templates: list[Rendered],
) -> list[dict[str, Any]]:
    """The intended copies plus the shared passages the text shows, sorted by position."""
    reverse = reverse_peer_copies(r, peers)
    taken = [(c["start"], c["end"]) for c in (*intended, *reverse)]
    # The latest earlier review first: the copier's most likely source, as for intended copies.
    sources = [(h, "history") for h in reversed(history)]
    sources += [(p, "peer") for p in peers] + [(t, "template") for t in templates]
    found = identical_runs(r, sources, taken)
    copies = sorted([*intended, *reverse, *found], key=lambda c: (c["start"], c["end"]))
    for copy in copies:
        copy["also_in"] = also_in(r.text[copy["start"] : copy["end"]], copy["source_file"], sources)
    return copies


def also_in(passage: str, source_file: str, sources: list[tuple[Rendered, str]]) -> list[dict[str, str]]:
    """Other referenced documents that hold the same passage (a template pasted in two years is in both
    last year's review and the template): any of them is a correct attribution of the copy."""
    key = _DIGITS.sub("0", passage.lower())
    if len(_WORD.findall(key)) < 4:
        return []
    found = []
    for doc, role in sources:
        if doc.file == source_file:
            continue
        haystack = _DIGITS.sub("0", doc.text.lower())
        if key in haystack or partial_ratio(key, haystack, score_cutoff=90):
            found.append({"file": doc.file, "role": role})
    return found
