from service.detect.base import Context
from service.detect.placeholders import detect
from service.text.pipeline import build_review

REVIEW = """BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN
Năm ….
Họ và tên:………………….. Ngày sinh: ……………
Chức vụ: Giáo viên
A. NỘI DUNG KIỂM ĐIỂM
I. Ưu điểm, kết quả đạt được
2. Việc thực hiện nhiệm vụ
Ví dụ: Đạt giải .... cuộc thi ....
Tổ chức [tên hoạt động] cho học sinh lớp xxx.
Tiến độ cải thiện…%, còn chậm.
...
Tham gia các hoạt động văn nghệ, thể thao… đều đầy đủ.
"""


def flagged(text: str) -> list[str]:
    review = build_review(text, source="t.txt", year=2025)
    result = detect(review, Context())
    for f in result.flags:
        assert review.text[f.start : f.end].strip() == review.text[f.start : f.end]
    return [review.text[f.start : f.end] for f in result.flags]


def test_every_kind_of_blank_is_flagged_with_its_exact_span() -> None:
    spans = flagged(REVIEW)
    assert "Năm …." in spans
    assert any(s.startswith("Họ và tên:…") for s in spans)
    assert any(s.startswith("Ngày sinh: …") for s in spans)
    assert any(s.startswith("Ví dụ: Đạt giải ....") for s in spans)
    assert "[tên hoạt động]" in spans and "xxx" in spans and "…%" in spans and "..." in spans


def test_an_ordinary_ellipsis_and_filled_fields_are_not_blanks() -> None:
    spans = flagged(REVIEW)
    assert not any("thể thao" in s for s in spans)
    assert flagged("Họ và tên: Nguyễn Văn An\nNăm 2025\nHoàn thành 12/12 chỉ tiêu, vượt 3 chỉ tiêu...") == []


def test_flags_carry_rule_ids_and_vietnamese_hints() -> None:
    review = build_review(REVIEW, source="t.txt", year=2025)
    result = detect(review, Context())
    assert all(f.evidence["rule"].startswith("ph.") for f in result.flags)
    assert all(f.code == "placeholder_left" and f.hint for f in result.flags)


def test_a_rule_can_be_switched_off() -> None:
    review = build_review(REVIEW, source="t.txt", year=2025)
    result = detect(review, Context(disabled_rules=frozenset({"ph.xxx"})))
    assert "xxx" not in [review.text[f.start : f.end] for f in result.flags]
