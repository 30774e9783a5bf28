"""Alignment on the project's own reviews: a 2025 review derived from 2024 the way copiers do it."""

from __future__ import annotations

import random
import unicodedata

import pytest
from copy_samples import (
    REVIEW_2024,
    REVIEW_2025,
    UNRELATED_2025,
    Built,
    Part,
    build,
    char_overlap,
)

from service.index.align import AlignParams, align, match_units, prepare, trim_edges


def passages_of(a: Built, b: Built, **kw: object) -> list:
    return align(a.text, b.text, mask=a.spans["heading"], source_mask=b.spans["heading"], **kw)  # type: ignore[arg-type]


def test_derived_review_is_found_with_its_spans() -> None:
    a, b = build(REVIEW_2025), build(REVIEW_2024)
    found = passages_of(a, b)
    recall, precision = char_overlap(
        [(p.start, p.end) for p in found], a.spans["copied"], a.text, a.spans["heading"]
    )
    assert recall >= 0.9 and precision >= 0.9
    # The source side points at what was copied in 2024, not at its new or heading lines.
    src_recall, src_precision = char_overlap(
        [(p.source_start, p.source_end) for p in found], b.spans["copied"], b.text, b.spans["heading"]
    )
    assert src_recall >= 0.9 and src_precision >= 0.9
    # Two copied blocks (I–II and IV, separated by this year's new section III): two passages, not ten.
    assert len(found) == 2
    assert all(p.similarity >= 0.85 for p in found)
    for p in found:
        assert not a.text[p.start].isspace() and not a.text[p.end - 1].isspace()


def test_reordered_bullets_form_one_passage() -> None:
    bullets = [line for kind, line in REVIEW_2024 if kind == "copied"][:4]
    original = "\n".join(bullets)
    shuffled = "\n".join([bullets[2], bullets[0], bullets[3], bullets[1]])
    found = align(shuffled, original)
    assert len(found) == 1
    p = found[0]
    assert (p.start, p.end) == (2, len(shuffled))  # after the leading "- " bullet marker
    assert (p.source_start, p.source_end) == (2, len(original))
    assert p.similarity == 1.0


def test_only_years_and_numbers_changed_is_an_exact_copy() -> None:
    old = (
        "Trong năm 2024, bản thân tham mưu xây dựng 12 văn bản hướng dẫn về quản lý tài chính, "
        "hoàn thành đúng tiến độ."
    )
    new = old.replace("2024", "2025").replace("12", "17")
    (p,) = align(new, old)
    assert p.similarity == 1.0 and (p.start, p.end) == (0, len(new))


@pytest.mark.parametrize("rate", [0.1, 0.2, 0.3])
def test_word_edits_up_to_thirty_percent(rate: float) -> None:
    b = build(REVIEW_2024)
    vocab = sorted({w for _, line in REVIEW_2024 + UNRELATED_2025 for w in line.split() if w.isalpha()})
    recalls = []
    for seed in range(8):
        rng = random.Random(seed)
        parts: list[Part] = [
            (
                k,
                " ".join(
                    rng.choice(vocab) if w.isalpha() and rng.random() < rate else w for w in line.split()
                ),
            )
            if k == "copied"
            else (k, line)
            for k, line in REVIEW_2024
        ]
        a = build(parts)
        found = passages_of(a, b)
        recall, precision = char_overlap(
            [(p.start, p.end) for p in found], a.spans["copied"], a.text, a.spans["heading"]
        )
        assert precision >= 0.9
        recalls.append(recall)
    assert min(recalls) >= (0.9 if rate <= 0.2 else 0.8)
    assert sum(recalls) / len(recalls) >= 0.9


def test_unrelated_reviews_share_nothing() -> None:
    u = build(UNRELATED_2025)
    assert passages_of(u, build(REVIEW_2024)) == []
    assert passages_of(u, build(REVIEW_2025)) == []


def test_shared_official_headings_alone_are_not_copying() -> None:
    u, b = build(UNRELATED_2025), build(REVIEW_2024)
    assert passages_of(u, b) == []
    # Unmasked, the same headings would be reported: the mask is what keeps form text out.
    assert align(u.text, b.text) != []


def test_decomposed_and_composed_sources_align_the_same() -> None:
    a, b = build(REVIEW_2025), build(REVIEW_2024)
    nfc = align(a.text, b.text)
    nfd_source = unicodedata.normalize("NFD", b.text)
    nfd = align(a.text, nfd_source)
    assert [(p.start, p.end, p.similarity) for p in nfd] == [(p.start, p.end, p.similarity) for p in nfc]
    # Offsets index the string as given.
    assert all(nfd_source[p.source_start : p.source_end].strip() for p in nfd)


def test_short_and_trivial_matches_are_dropped() -> None:
    rating = "Hoàn thành tốt nhiệm vụ."
    assert align(rating, rating) == []
    assert align(rating, rating, params=AlignParams(single_min_syllables=4)) == []  # < min_syllables
    # One shared clause of stock wording is not a copied passage unless it is long.
    stock = "Không có biểu hiện suy thoái về tư tưởng chính trị."
    assert align(stock, stock) == []
    assert align(stock, stock, params=AlignParams(single_min_syllables=10)) != []


def test_match_units_pairs_each_clause_with_its_best_source_clause() -> None:
    a, b = build(REVIEW_2025), build(REVIEW_2024)
    matches = match_units(prepare(a.text, a.spans["heading"]), prepare(b.text, b.spans["heading"]))
    inserted = next(s for k, s in REVIEW_2025 if "chuyển đổi số" in s)
    start = a.text.index(inserted)
    assert not any(start <= m.start < start + len(inserted) for m in matches)
    deadline = next(m for m in matches if "quý II năm 2026" in a.text[m.start : m.end])
    assert "quý I năm 2025" in b.text[deadline.source_start : deadline.source_end]


def test_empty_or_punctuation_only_texts_align_to_nothing() -> None:
    b = build(REVIEW_2024)
    assert align("", b.text) == []
    assert align(b.text, "") == []
    assert align("… ; - ( ) …", b.text) == []


def test_trim_edges_drops_a_connective_but_keeps_a_synonym_swapped_edge_word() -> None:
    source = "Chủ động phối hợp với các phòng, ban để giải quyết dứt điểm hồ sơ tồn đọng trong quý."
    text = "Bên cạnh đó, chủ động phối hợp với các phòng, ban để giải quyết dứt điểm hồ sơ tồn đọng."
    lo, hi = trim_edges(
        text, (0, len(text)), source, (0, len(source)), start=True, end=True, min_run=2, min_cut=5
    )
    assert text[lo:hi] == "chủ động phối hợp với các phòng, ban để giải quyết dứt điểm hồ sơ tồn đọng."
    swapped = "Tích cực phối hợp với các phòng, ban để giải quyết dứt điểm hồ sơ tồn đọng trong quý."
    lo, hi = trim_edges(
        swapped, (0, len(swapped)), source, (0, len(source)), start=True, end=True, min_run=2, min_cut=5
    )
    assert swapped[lo:hi].startswith("Tích cực phối hợp")


def test_trim_edges_drops_the_authors_own_clause_after_the_copied_part() -> None:
    source = "Tôi chịu trách nhiệm về việc chưa hoàn thành kế hoạch kiểm tra chuyên đề."
    text = "Tôi chịu trách nhiệm về việc chưa hoàn thành kế hoạch kiểm tra chuyên đề, do nhân lực thay đổi."
    lo, hi = trim_edges(
        text, (0, len(text)), source, (0, len(source)), start=True, end=True, min_run=2, min_cut=5
    )
    assert text[lo:hi] == "Tôi chịu trách nhiệm về việc chưa hoàn thành kế hoạch kiểm tra chuyên đề"
    unrelated = "Năm nay đơn vị tổ chức hội thao."
    assert trim_edges(
        unrelated, (0, len(unrelated)), source, (0, len(source)), start=True, end=True, min_run=2, min_cut=5
    ) == (0, len(unrelated))


def test_number_penalty_lowers_frames_but_not_year_changes() -> None:
    from service.index.align import _seeds

    p = AlignParams(number_penalty=0.2, number_max_syllables=30)
    a = prepare("Đề xuất giải pháp mới cho đơn vị, tiết kiệm khoảng 12 triệu đồng mỗi năm.", params=p)
    b = prepare("Đề xuất giải pháp mới cho đơn vị, tiết kiệm khoảng 35 triệu đồng mỗi năm.", params=p)
    assert _seeds(a, b, p).matrix[0, 0] <= 0.8
    y = prepare("Hoàn thành báo cáo tổng kết công tác năm 2025 của đơn vị đúng hạn.", params=p)
    z = prepare("Hoàn thành báo cáo tổng kết công tác năm 2024 của đơn vị đúng hạn.", params=p)
    assert _seeds(y, z, p).matrix[0, 0] == 1.0
