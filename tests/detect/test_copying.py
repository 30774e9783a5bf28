"""The copying detector: which passage came from which earlier review, peer or template, and the
shortcomings "inherited" from last year's section II."""

from __future__ import annotations

import dataclasses
import importlib.util
import itertools
import random
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from service.detect.base import Context, Reference
from service.detect.copying import build_copy_index, detect
from service.paths import SHARED_CORPUS_DIR
from service.text.document import Review, Sentence
from service.text.pipeline import build_review


def _samples() -> ModuleType:
    # The review texts live with the index tests; load them by path (tests are not a package).
    path = Path(__file__).resolve().parents[1] / "index" / "copy_samples.py"
    spec = importlib.util.spec_from_file_location("copy_samples", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("copy_samples", module)
    spec.loader.exec_module(module)
    return module


S = _samples()


@pytest.fixture
def r2024() -> Review:
    return S.to_review(S.REVIEW_2024, "hoso/an-2024.txt", 2024)


@pytest.fixture
def r2025() -> Review:
    return S.to_review(S.REVIEW_2025, "hoso/an-2025.txt", 2025)


@pytest.fixture
def other() -> Review:
    return S.to_review(S.UNRELATED_2025, "hoso/binh-2025.txt", 2025)


def history(review: Review) -> Reference:
    return Reference(review=review, role="history", source=review.source, year=review.year)


def own_chars(review: Review) -> list[int]:
    return [
        i
        for i, c in enumerate(review.text)
        if not c.isspace()
        and not any(
            (s.is_heading or s.section_id == "header") and s.start <= i < s.end for s in review.sentences
        )
    ]


def test_copy_from_last_year_is_flagged_with_its_source_span(r2025: Review, r2024: Review) -> None:
    result = detect(r2025, Context(history=[history(r2024)]))
    copies = [f for f in result.flags if f.code == "copied_from_history"]
    # One passage per stretch between form headings: a heading is never part of a copied passage.
    headings = [s for s in r2025.sentences if s.is_heading]
    assert len(copies) >= 2
    assert not any(f.start < h.start and h.end < f.end for f in copies for h in headings)
    for f in copies:
        assert f.severity == "high"
        ev = f.evidence
        assert (
            ev["source"] == "hoso/an-2024.txt"
            and ev["source_year"] == 2024
            and ev["source_role"] == "history"
        )
        assert 0.85 <= ev["similarity"] <= 1.0
        assert r2024.text[ev["source_start"] : ev["source_end"]].startswith(ev["source_excerpt"][:50])
        assert "năm 2024" in f.message and "hoso/an-2024.txt" in f.message and "độ giống 0," in f.message
        assert "đã khắc phục" in f.hint and "chưa khắc phục" in f.hint and "số liệu" in f.hint
    # The score is the share of the author's own characters inside those passages.
    own = own_chars(r2025)
    inside = sum(1 for i in own if any(f.start <= i < f.end for f in copies))
    assert result.score == pytest.approx(inside / len(own), abs=1e-3)
    assert 0.8 <= result.score < 1.0  # this year's new section III and inserted sentence are not copied


def test_recurring_shortcomings_point_at_last_years_section_II(r2025: Review, r2024: Review) -> None:
    result = detect(r2025, Context(history=[history(r2024)]))
    recurring = [f for f in result.flags if f.code == "recurring_shortcoming"]
    section = r2025.section("II.1")
    old = r2024.section("II.1")
    assert section and old
    assert len(recurring) == 3  # three shortcomings repeated; the inserted new one is not
    for f in recurring:
        assert section.body_start <= f.start < f.end <= section.end
        assert old.body_start <= f.evidence["source_start"] < f.evidence["source_end"] <= old.end
        assert f.evidence["source_year"] == 2024 and f.evidence["similarity"] >= 0.75
        assert "kế thừa" in f.message and "năm 2024" in f.message
        assert "đang khắc phục" in f.hint
    inserted = r2025.text.index("chuyển đổi số")
    assert not any(f.start <= inserted < f.end for f in recurring)


def test_peer_and_template_copies_have_their_own_codes(r2025: Review, r2024: Review) -> None:
    peer = Reference(review=r2024, role="peer", source="chibo/binh.docx", year=2025)
    template = Reference(review=r2024, role="template", source="mau/mau-2b.txt")
    from_peer = detect(r2025, Context(peers=[peer]))
    from_template = detect(r2025, Context(templates=[template]))
    codes = {f.code: f for f in [*from_peer.flags, *from_template.flags]}
    assert codes["copied_from_peer"].severity == "high"
    assert codes["copied_from_template"].severity == "medium"
    assert "bài mẫu" in codes["copied_from_template"].message
    assert "đảng viên khác" in codes["copied_from_peer"].message
    assert "recurring_shortcoming" not in codes  # only the author's own history makes one "inherited"
    assert from_peer.score is None  # no history given: duplication cannot be judged


def test_a_passage_shared_by_several_sources_is_shown_once(r2025: Review, r2024: Review) -> None:
    peer = Reference(review=r2024, role="peer", source="chibo/binh.docx", year=2025)
    template = Reference(review=r2024, role="template", source="mau/mau-2b.txt")
    flags = [
        f
        for f in detect(r2025, Context(peers=[peer], templates=[template])).flags
        if f.code != "recurring_shortcoming"
    ]
    assert flags and {f.code for f in flags} == {"copied_from_peer"}  # the likelier source of the two
    spans = sorted((f.start, f.end) for f in flags)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # no passage flagged twice


def test_unrelated_review_and_shared_headings_give_nothing(other: Review, r2024: Review) -> None:
    result = detect(other, Context(history=[history(r2024)], peers=[Reference(r2024, "peer", "x.txt", 2025)]))
    assert result.flags == []
    assert result.score == 0.0


def test_the_document_header_is_not_copying(r2025: Review, r2024: Review) -> None:
    # The text layer puts title, name, post and unit in a "header" section: the same every year.
    def with_header(review: Review) -> Review:
        header = (
            "Chi bộ Phòng Kế hoạch - Tài chính, Sở Tài chính tỉnh Thủy Nam, ngày 12 tháng 12 năm "
            f"{review.year}. Họ và tên: Nguyễn Văn An, chuyên viên chính."
        )
        shifted = [
            dataclasses.replace(s, start=s.start + len(header) + 1, end=s.end + len(header) + 1)
            for s in review.sentences
        ]
        first = Sentence(0, len(header), header, section_id="header")
        return Review(
            text=header + "\n" + review.text,
            source=review.source,
            year=review.year,
            sentences=[first, *shifted],
        )

    new, old = with_header(r2025), with_header(r2024)
    result = detect(new, Context(history=[history(old)]))
    assert result.flags and all(f.start > new.sentences[0].end for f in result.flags)


def test_strongest_source_kept_per_role(r2025: Review, r2024: Review) -> None:
    # The 2023 review said the same with more edits: each span is flagged once, from the closer source.
    rng = random.Random(3)
    words = sorted({w for _, line in S.UNRELATED_2025 for w in line.split() if w.isalpha()})
    parts = [
        (k, " ".join(rng.choice(words) if w.isalpha() and rng.random() < 0.25 else w for w in line.split()))
        if k == "copied"
        else (k, line)
        for k, line in S.REVIEW_2024
    ]
    r2023 = S.to_review(parts, "hoso/an-2023.txt", 2023)
    result = detect(r2025, Context(history=[history(r2023), history(r2024)]))
    copies = [f for f in result.flags if f.code == "copied_from_history"]
    assert {f.evidence["source_year"] for f in copies} == {2024}
    spans = sorted((f.start, f.end) for f in copies)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # each span flagged once
    compared = {d["source"]: d["passages"] for d in result.details["compared"]}
    assert compared["hoso/an-2023.txt"] >= 1  # it was found, and outranked


def test_prebuilt_index_retrieves_references_and_skips_the_rest(
    r2025: Review, r2024: Review, other: Review
) -> None:
    rng = random.Random(5)
    filler = [
        S.to_review(
            [("new", " ".join(rng.choice(S.SYLLABLES) for _ in range(20)) + ".") for _ in range(30)],
            f"kho/{i}.txt",
        )
        for i in range(40)
    ]
    stored = [history(r2024), Reference(other, "peer", other.source, 2025)]
    stored += [Reference(r, "template", r.source) for r in filler]
    index = build_copy_index(stored)
    # Store case: the context names no reference, the index supplies them.
    result = detect(r2025, Context(resources={"copy_index": index}))
    assert {f.code for f in result.flags} == {"copied_from_history", "recurring_shortcoming"}
    compared = [d["source"] for d in result.details["compared"]]
    assert compared == ["hoso/an-2024.txt"]  # only what the index retrieved was aligned
    assert result.score is not None and result.score > 0.8
    # A context reference the index does not hold is still aligned directly.
    extra = Reference(r2024, "peer", "chibo/khac.txt", 2025)
    result = detect(r2025, Context(peers=[extra], resources={"copy_index": index}))
    khac = [d for d in result.details["compared"] if d["source"] == "chibo/khac.txt"]
    # Aligned and found; the flag names the author's own history, the likelier of two identical sources.
    assert khac and khac[0]["passages"] > 0


def test_flags_are_deterministic(r2025: Review, r2024: Review) -> None:
    a = detect(r2025, Context(history=[history(r2024)]))
    b = detect(r2025, Context(history=[history(r2024)]))
    assert [f.to_dict() for f in a.flags] == [f.to_dict() for f in b.flags]


def test_context_role_wins_over_the_indexed_one(r2025: Review, r2024: Review) -> None:
    # The index holds last year's review as a history reference; this context names it as a peer's.
    index = build_copy_index([history(r2024)])
    peer = Reference(review=r2024, role="peer", source=r2024.source, year=2025)
    result = detect(r2025, Context(peers=[peer], resources={"copy_index": index}))
    assert [d["source"] for d in result.details["compared"]] == [r2024.source]
    assert {f.code for f in result.flags} == {"copied_from_peer"}


# -- real samples, through the text layer ----------------------------------------------------------

REAL_RAW = SHARED_CORPUS_DIR / "real" / "raw"


@pytest.fixture(scope="module")
def real() -> Callable[[int, int], Review]:
    if not REAL_RAW.is_dir():
        pytest.skip(f"../shared/corpus not present: {REAL_RAW}")
    cache: dict[tuple[int, int], Review] = {}

    def load(number: int, year: int = 2025) -> Review:
        if (number, year) not in cache:
            (path,) = REAL_RAW.glob(f"{number:02d}_*.txt")
            body = path.read_text(encoding="utf-8").split("\n", 2)[2]  # after SOURCE:, YEAR:
            cache[(number, year)] = build_review(body, path.name, year=year)
        return cache[(number, year)]

    return load


def own_share_inside(review: Review, spans: list[tuple[int, int]], start: int, end: int) -> float:
    own = [i for i in own_chars(review) if start <= i < end]
    return sum(1 for i in own if any(s <= i < e for s, e in spans)) / len(own)


@pytest.mark.real
def test_real_template_copy_covers_the_section(real: Callable[[int, int], Review]) -> None:
    r06, r04 = real(6), real(4)
    result = detect(r06, Context(templates=[Reference(r04, "template", r04.source)]))
    section = r06.section("I.1")
    assert section is not None
    spans = [(f.start, f.end) for f in result.flags if f.code == "copied_from_template"]
    assert own_share_inside(r06, spans, section.body_start, section.end) >= 0.9
    assert result.score is None


@pytest.mark.real
def test_real_shortcomings_recur_from_last_years_review(real: Callable[[int, int], Review]) -> None:
    # 05 read as this year's review of a member whose 2024 review was 01: the same five shortcomings.
    r05, r01 = real(5, 2025), real(1, 2024)
    result = detect(r05, Context(history=[Reference(r01, "history", r01.source, 2024)]))
    recurring = [f for f in result.flags if f.code == "recurring_shortcoming"]
    mine, theirs = r05.section("II.1"), r01.section("II.1")
    assert mine and theirs
    assert len(recurring) == 5
    assert all(mine.start <= f.start < f.end <= mine.end for f in recurring)
    assert all(theirs.start <= f.evidence["source_start"] < theirs.end for f in recurring)
    assert len({f.evidence["source_start"] for f in recurring}) == 5  # five different shortcomings


@pytest.mark.real
@pytest.mark.parametrize(("a", "b"), [(4, 8), (4, 10)])
def test_real_remedies_and_commitment_copies_are_found(
    real: Callable[[int, int], Review], a: int, b: int
) -> None:
    ra, rb = real(a), real(b)
    result = detect(ra, Context(templates=[Reference(rb, "template", rb.source)]))
    assert any(
        f.evidence["similarity"] >= 0.9 and len(ra.text[f.start : f.end].split()) >= 60 for f in result.flags
    )


@pytest.mark.real
@pytest.mark.parametrize(("a", "b"), [(3, 12), (2, 14), (7, 1), (9, 4)])
def test_real_unrelated_samples_are_not_flagged(real: Callable[[int, int], Review], a: int, b: int) -> None:
    ra, rb = real(a), real(b)
    result = detect(ra, Context(history=[Reference(rb, "history", rb.source, 2024)]))
    assert result.flags == []
    assert result.score == 0.0


def _bullets_review(lines: list[str], source: str, year: int) -> Review:
    body = "\n".join(f"- {line}" for line in lines)
    return build_review(f"I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC\n{body}\n", source=source, year=year)


def test_own_line_between_two_copied_lines_is_not_part_of_the_copy() -> None:
    copied_a = (
        "Chủ trì xây dựng quy trình tiếp nhận hồ sơ một cửa, rút ngắn thời gian xử lý còn ba ngày làm việc."
    )
    copied_b = "Hướng dẫn hai đồng nghiệp mới tiếp nhận công việc, kèm cặp đến khi độc lập xử lý nghiệp vụ."
    own = "Tham gia đoàn công tác khảo sát mô hình chuyển đổi số tại huyện miền núi phía Bắc trong tháng Sáu."
    old = _bullets_review(
        [copied_a, "Tổ chức hội nghị tổng kết công tác thi đua khen thưởng của đơn vị.", copied_b],
        "a-2024.txt",
        2024,
    )
    new = _bullets_review([copied_a, own, copied_b], "a-2025.txt", 2025)
    flags = [f for f in detect(new, Context(history=[history(old)])).flags if f.code == "copied_from_history"]
    at = new.text.index(own)
    assert flags, "the two copied lines must be found"
    assert not any(f.start < at + len(own) and at < f.end for f in flags)
    covered = {i for f in flags for i in range(f.start, f.end)}
    for line in (copied_a, copied_b):
        start = new.text.index(line)
        assert sum(i in covered for i in range(start, start + len(line))) >= 0.9 * len(line)
