"""Alignment on the real circulating samples (read from ../shared/corpus, never copied here).

Known near-copies among them must be found with their spans; unrelated pairs must not yield long
passages once the text every sample shares (the form's own wording) is set aside. Spans are located by
line number (after the two header lines), so no sample text is written into the repository.
"""

from __future__ import annotations

import itertools
import unicodedata
from pathlib import Path

import pytest

from service.index.align import Passage, align, align_prepared, prepare
from service.paths import SHARED_CORPUS_DIR

pytestmark = pytest.mark.real
RAW = SHARED_CORPUS_DIR / "real" / "raw"
Span = tuple[int, int]


class Sample:
    def __init__(self, path: Path) -> None:
        body = path.read_text(encoding="utf-8").splitlines(keepends=True)[2:]  # SOURCE:, YEAR:
        self.text = unicodedata.normalize("NFC", "".join(body))
        self.lines: list[Span] = []
        pos = 0
        for line in self.text.splitlines(keepends=True):
            self.lines.append((pos, pos + len(line.rstrip("\n"))))
            pos += len(line)

    def span(self, first: int, last: int | None = None) -> Span:
        return self.lines[first][0], self.lines[last if last is not None else first][1]


@pytest.fixture(scope="module")
def samples() -> dict[int, Sample]:
    if not RAW.is_dir():
        pytest.skip(f"../shared/corpus not present: {RAW}")
    found = {int(p.name[:2]): Sample(p) for p in sorted(RAW.glob("[0-9][0-9]_*.txt"))}
    if len(found) < 14:
        pytest.skip(f"../shared/corpus incomplete: {len(found)} samples in {RAW}")
    return found


def coverage(spans: list[Span], target: Span, text: str) -> float:
    """Share of the non-space characters of `target` inside `spans`."""
    chars = [i for i in range(*target) if not text[i].isspace()]
    inside = sum(1 for i in chars if any(s <= i < e for s, e in spans))
    return inside / len(chars)


def within(p: Passage, target: Span) -> bool:
    return target[0] <= p.start and p.end <= target[1]


def test_04_and_06_share_the_section_I1_bullets(samples: dict[int, Sample]) -> None:
    s06, s04 = samples[6], samples[4]
    found = align(s06.text, s04.text)
    best = max(found, key=lambda p: p.end - p.start)
    assert best.similarity >= 0.9
    assert coverage([(best.start, best.end)], s06.span(1), s06.text) >= 0.9
    assert coverage([(best.source_start, best.source_end)], s04.span(1), s04.text) >= 0.9


def test_01_and_05_share_five_reworded_shortcomings(samples: dict[int, Sample]) -> None:
    s05, s01 = samples[5], samples[1]
    found = [p for p in align(s05.text, s01.text) if within(p, s05.span(3))]  # 05: line 3 is section II
    # 01: lines 24–28 are the five shortcomings of II.1.
    assert coverage([(p.source_start, p.source_end) for p in found], s01.span(24, 28), s01.text) >= 0.9
    assert max(p.similarity for p in found) >= 0.85


def test_04_and_08_share_the_remedy_bullets(samples: dict[int, Sample]) -> None:
    s04, s08 = samples[4], samples[8]
    found = [p for p in align(s04.text, s08.text) if within(p, s04.span(9))]  # 04: line 9 is section VI
    assert len(found) == 1 and found[0].similarity >= 0.9
    source = [(found[0].source_start, found[0].source_end)]
    assert coverage(source, s08.span(2), s08.text) >= 0.95  # 08: bullets 2 and 3
    assert coverage(source, s08.span(4), s08.text) >= 0.95
    assert coverage(source, s08.span(0), s08.text) == 0.0


def test_04_and_10_share_the_commitment_paragraph(samples: dict[int, Sample]) -> None:
    s04, s10 = samples[4], samples[10]
    found = [p for p in align(s04.text, s10.text) if within(p, s04.span(3))]  # 04: line 3 is I.3
    assert any(
        p.similarity >= 0.9 and coverage([(p.source_start, p.source_end)], s10.span(6), s10.text) >= 0.95
        for p in found
    )  # 10: line 6 is the second of its three example paragraphs


@pytest.fixture(scope="module")
def shared_hits(samples: dict[int, Sample]) -> dict[int, list[tuple[int, int, int]]]:
    """Per sample, (start, end, other sample) of every passage it shares (similarity ≥ 0.85)."""
    prepared = {k: prepare(s.text) for k, s in samples.items()}
    hits: dict[int, list[tuple[int, int, int]]] = {k: [] for k in samples}
    for a, b in itertools.permutations(samples, 2):
        hits[a].extend(
            (p.start, p.end, b) for p in align_prepared(prepared[a], prepared[b]) if p.similarity >= 0.85
        )
    return hits


def shared_text_mask(hits: list[tuple[int, int, int]], partner: int) -> list[Span]:
    """Spans that at least three samples other than `partner` also contain: the form's own headings and
    instructions, which the text layer masks in real use."""
    bounds = sorted({x for s, e, _ in hits for x in (s, e)})
    return [
        (lo, hi)
        for lo, hi in itertools.pairwise(bounds)
        if len({b for s, e, b in hits if s <= lo and hi <= e and b != partner}) >= 3
    ]


@pytest.mark.parametrize(("a", "b"), [(3, 12), (2, 14), (7, 1), (9, 4)])
def test_unrelated_samples_yield_no_long_passage(
    samples: dict[int, Sample], shared_hits: dict[int, list[tuple[int, int, int]]], a: int, b: int
) -> None:
    mask_a, mask_b = shared_text_mask(shared_hits[a], b), shared_text_mask(shared_hits[b], a)
    found = align(samples[a].text, samples[b].text, mask=mask_a, source_mask=mask_b)
    long = [p for p in found if len(samples[a].text[p.start : p.end].split()) >= 20]
    assert long == []
