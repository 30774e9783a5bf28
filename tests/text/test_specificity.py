"""Specificity: what in a sentence lets a reader check that it happened."""

from __future__ import annotations

import sys

import pytest

from service.text.specificity import specificity

CONCRETE = (
    "Hoàn thành 12/12 chỉ tiêu được giao, trong đó 3 chỉ tiêu vượt trên 10%; chủ trì xây dựng Kế hoạch "
    "số 45-KH/CB về chuyển đổi số, hoàn thành trước 30/6/2025"
)


def kinds(text: str) -> list[str]:
    return [s.kind for s in specificity(text).spans]


def test_the_concrete_sentence_is_specific_with_every_kind_of_evidence() -> None:
    s = specificity(CONCRETE)
    assert s.strong
    assert s.score > 0.3
    assert s.quantities == 2 and s.percentages == 1 and s.documents == 1 and s.dates == 1
    assert {"quantity", "percent", "document", "date"} <= set(kinds(CONCRETE))
    for span in s.spans:
        assert CONCRETE[span.start : span.end] == span.text


def test_a_stock_sentence_has_no_specific_token() -> None:
    s = specificity("Có lập trường tư tưởng chính trị vững vàng; luôn trung thành với chủ nghĩa Mác-Lênin.")
    assert not s.strong
    assert s.score == 0.0 and s.spans == ()


@pytest.mark.parametrize(
    "text",
    [
        "Trong năm 2025, bản thân luôn hoàn thành tốt nhiệm vụ được giao.",  # the review year alone
        "Chấp hành nghiêm Quy định số 37-QĐ/TW về những điều đảng viên không được làm.",  # the rule all obey
        "Thực hiện tốt 12 điều y đức, không vi phạm 19 điều đảng viên không được làm.",  # numbers in names
        "Hoàn thành 100% nhiệm vụ được giao.",  # a share of an unnamed whole
        "Luôn học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",  # a generic name
    ],
)
def test_formulas_that_look_specific_are_not(text: str) -> None:
    assert not specificity(text).strong, kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Tham mưu ban hành Quyết định số 123/QĐ-UBND về thu phí.", "document"),
        ("Trả lời theo Công văn 56/CV-UBND của huyện.", "document"),
        ("Xây dựng Kế hoạch 45-KH/ĐU về tuyên truyền.", "document"),
        ("Tỷ lệ hồ sơ trực tuyến đạt 85,5%.", "percent"),
        ("Hòa giải thành ba vụ việc tranh chấp ranh giới.", "quantity"),
        ("Kiểm tra 100% kế hoạch, gồm 36 cuộc kiểm tra tại các chi bộ.", "quantity"),
        ("Nộp chậm báo cáo quý II/2025.", "date"),
        ("Tham gia tổ hòa giải ở thôn Đông.", "place"),
        ("Đã trả lời đơn của ông Nguyễn Văn Tám trong buổi tiếp dân.", "entity"),
        ("Hoàn thành đề tài “Ứng dụng bản đồ tư duy trong dạy Lịch sử”, xếp loại Tốt.", "named"),
    ],
)
def test_instances_are_found(text: str, kind: str) -> None:
    s = specificity(text)
    assert kind in kinds(text)
    assert s.strong


def test_a_central_resolution_counts_as_a_document_but_proves_little() -> None:
    s = specificity("Học tập Nghị quyết số 12-NQ/TW của Trung ương.")
    assert s.documents == 1 and kinds("Học tập Nghị quyết số 12-NQ/TW của Trung ương.") == [
        "document_central"
    ]
    assert not s.strong


def test_score_is_the_weighted_share_of_specific_syllables() -> None:
    s = specificity("Dự 12/12 buổi sinh hoạt chi bộ.")
    # "12 12 buổi" are 3 of the 8 syllables, each weight 1.
    assert s.tokens == 8
    assert s.specific_tokens == 3.0
    assert s.score == pytest.approx(3 / 8, abs=1e-3)
    features = s.features()
    assert features["strong"] == 1.0 and all(isinstance(v, float) for v in features.values())


def test_dates_are_found_without_the_temporal_tagger(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "service.text.temporal", None)  # import fails → fallback regex
    s = specificity("Hoàn thành trước 30/6/2025, báo cáo vào tháng 7/2025.")
    assert s.dates == 2 and s.strong


def test_ner_is_skipped_when_no_name_cue_is_present(monkeypatch: pytest.MonkeyPatch) -> None:
    import service.text.specificity as module

    def boom(text: str) -> tuple:
        raise AssertionError("NER called on a sentence without a capitalised name")

    monkeypatch.setattr(module, "_ner", boom)
    assert not specificity("luôn giữ gìn đoàn kết nội bộ, thực hiện nghiêm quy định của Đảng.").strong
