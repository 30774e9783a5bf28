"""Year, self-proposed grade and 2025 points as the author wrote them (texts written for these tests)."""

from __future__ import annotations

import pytest

from service.text.document import Points
from service.text.forms import parse_form
from service.text.meta import read_grade, read_points, read_year
from service.text.normalize import normalize


def _norm(raw: str) -> str:
    return normalize(raw).text


def _grade(raw: str) -> tuple[str | None, str | None]:
    text = _norm(raw)
    claim = read_grade(text, parse_form(text).sections)
    if claim is None:
        return None, None
    assert text[claim.start : claim.end] == claim.text
    return claim.level, claim.text


def _points(raw: str) -> Points:
    text = _norm(raw)
    return read_points(text, parse_form(text).sections)


# ---------------------------------------------------------------- year


@pytest.mark.parametrize(
    ("raw", "name", "year"),
    [
        ("BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN\nNăm 2025\nHọ và tên: Đỗ Văn Nam\n", None, 2025),
        ("BẢN KIỂM ĐIỂM CÁ NHÂN NĂM 2024\nHọ và tên: Đỗ Văn Nam\n", None, 2024),
        ("BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm: 2023\n", "kiem-diem-2025.docx", 2023),
        # The title year beats a different year in the body.
        ("BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm 2024\nI. Ưu điểm\nTrong năm 2025 sẽ tiếp tục học tập.\n", None, 2024),
        # A blank title year is unknown: the body's years are not a substitute ...
        ("BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm ….\nI. Ưu điểm\nTrong năm 2025, tôi hoàn thành 9 việc.\n", None, None),
        ("BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm: ……………\nHọ và tên: ……\n", None, None),
        # ... but a year the user put in the file name is.
        ("BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm ….\n", "ban-kiem-diem_2025.txt", 2025),
        # No title year: the body, skipping dates of cited documents.
        (
            "I. Ưu điểm\nTheo Nghị quyết 04-NQ/TW năm 2016 và Quy định 366-QĐ/TW năm 2025, trong năm 2024 "
            "tôi hoàn thành kế hoạch năm 2024.\n",
            None,
            2024,
        ),
        # The date of writing is not the reviewed year when the title says it ...
        ("Hà Nội, ngày 20 tháng 01 năm 2026\nBẢN KIỂM ĐIỂM CÁ NHÂN\nNăm 2025\n", None, 2025),
        # ... and only a last resort otherwise.
        ("Hà Nội, ngày 20 tháng 12 năm 2025\nBẢN KIỂM ĐIỂM CÁ NHÂN\nHọ và tên: Đỗ Văn Nam\n", None, 2025),
        ("Tôi hoàn thành nhiệm vụ.\n", "review-2019.md", 2019),
        ("Tôi hoàn thành nhiệm vụ.\n", "ban-kiem-diem.docx", None),
        ("Tôi hoàn thành nhiệm vụ năm 2099.\n", "scan-1998.pdf", None),
    ],
)
def test_read_year(raw: str, name: str | None, year: int | None) -> None:
    assert read_year(_norm(raw), name) == year


# ---------------------------------------------------------------- grade

B2 = "B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI\nI. Đánh giá theo các nhóm tiêu chí\nTổng điểm: 80/100\n"


@pytest.mark.parametrize(
    ("raw", "level", "written"),
    [
        (
            B2 + "II. Đề xuất xếp loại mức chất lượng\nHoàn thành tốt nhiệm vụ.\n",
            "good",
            "Hoàn thành tốt nhiệm vụ",
        ),
        (
            B2 + "II. Đề xuất xếp loại mức chất lượng: Hoàn thành nhiệm vụ\n",
            "completed",
            "Hoàn thành nhiệm vụ",
        ),
        (
            B2 + "II. Đề xuất xếp loại mức chất lượng\nKhông hoàn thành nhiệm vụ\n",
            "not_completed",
            "Không hoàn thành nhiệm vụ",
        ),
        # The form's list with one level ticked, the box before the level or a mark after it.
        (
            B2 + "II. Đề xuất xếp loại mức chất lượng\n☐ Hoàn thành xuất sắc nhiệm vụ\n"
            "☒ Hoàn thành tốt nhiệm vụ\n☐ Hoàn thành nhiệm vụ\n☐ Không hoàn thành nhiệm vụ\n",
            "good",
            "Hoàn thành tốt nhiệm vụ",
        ),
        (
            B2 + "II. Đề xuất xếp loại mức chất lượng\nHoàn thành xuất sắc nhiệm vụ (x)\n"
            "Hoàn thành tốt nhiệm vụ\nHoàn thành nhiệm vụ\nKhông hoàn thành nhiệm vụ\n",
            "excellent",
            "Hoàn thành xuất sắc nhiệm vụ",
        ),
        (
            B2 + "II. Đề xuất xếp loại mức chất lượng: [ ] Hoàn thành xuất sắc nhiệm vụ "
            "[x] Hoàn thành tốt nhiệm vụ [ ] Hoàn thành nhiệm vụ [ ] Không hoàn thành nhiệm vụ\n",
            "good",
            "Hoàn thành tốt nhiệm vụ",
        ),
        # A level written after the heading, then explained with another level.
        (
            B2 + "II. Đề xuất xếp loại mức chất lượng\nHoàn thành tốt nhiệm vụ (chưa đạt Hoàn thành xuất sắc "
            "nhiệm vụ vì còn 2 việc chậm).\n",
            "good",
            "Hoàn thành tốt nhiệm vụ",
        ),
        # Without the form's sections: a claim in a sentence.
        ("Bản thân tự nhận xếp loại: Hoàn thành tốt nhiệm vụ.\n", "good", "Hoàn thành tốt nhiệm vụ"),
        (
            "Tôi tự đánh giá, xếp loại ở mức hoàn thành xuất sắc nhiệm vụ.\n",
            "excellent",
            "hoàn thành xuất sắc nhiệm vụ",
        ),
        ("Đề xuất xếp loại chất lượng đảng viên: HTTNV\n", "good", "HTTNV"),
        # 2023/2019 section VII asks twice: the Party member's rating is the one taken.
        (
            "VII. Tự nhận mức xếp loại chất lượng\n"
            "- Xếp loại cán bộ, công chức, viên chức: Hoàn thành tốt nhiệm vụ\n"
            "- Xếp loại đảng viên: Hoàn thành xuất sắc nhiệm vụ\n",
            "excellent",
            "Hoàn thành xuất sắc nhiệm vụ",
        ),
    ],
)
def test_grade_claims_in_various_wordings(raw: str, level: str, written: str) -> None:
    assert _grade(raw) == (level, written)


@pytest.mark.parametrize(
    "raw",
    [
        # The printed list of the four levels, nothing chosen: not a claim.
        B2 + "II. Đề xuất xếp loại mức chất lượng: Hoàn thành xuất sắc nhiệm vụ Hoàn thành tốt nhiệm vụ "
        "Hoàn thành nhiệm vụ Không hoàn thành nhiệm vụ\n",
        B2
        + "II. Đề xuất xếp loại mức chất lượng\n- Hoàn thành xuất sắc nhiệm vụ\n- Hoàn thành tốt nhiệm vụ\n"
        "- Hoàn thành nhiệm vụ\n- Không hoàn thành nhiệm vụ\n",
        B2 + "II. Đề xuất xếp loại mức chất lượng: ……………\n",
        "Đề xuất xếp loại: ………\n",
        # Praise in the body is not a proposed rating.
        "I. Ưu điểm, kết quả đạt được\nLuôn hoàn thành tốt nhiệm vụ được giao.\n",
    ],
)
def test_no_grade_claim(raw: str) -> None:
    assert _grade(raw) == (None, None)


# ---------------------------------------------------------------- points


def test_points_as_written() -> None:
    raw = (
        "B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI\nI. Đánh giá theo các nhóm tiêu chí\n"
        "1. Nhóm tiêu chí chung: 27,5/30\n"
        "2. Nhóm tiêu chí về kết quả thực hiện nhiệm vụ: 61/70 điểm\nTổng điểm: 88,5/100\n"
        "II. Đề xuất xếp loại mức chất lượng\nHoàn thành tốt nhiệm vụ\n"
    )
    assert _points(raw) == Points(general=27.5, tasks=61.0, total=88.5)


def test_points_blank_and_partly_filled() -> None:
    assert _points(
        "Nhóm tiêu chí chung: …/30\nNhóm tiêu chí về kết quả thực hiện nhiệm vụ: …/70\nTổng điểm: …/100\n"
    ) == (Points(None, None, None))
    assert _points(
        "Nhóm tiêu chí chung: 25 điểm\nNhóm tiêu chí về kết quả thực hiện nhiệm vụ: ....../70\n"
    ) == Points(general=25.0, tasks=None, total=None)


def test_points_read_in_part_b_not_in_the_body() -> None:
    raw = (
        "I. Ưu điểm, kết quả đạt được\nNăm trước tổng điểm: 70/100, năm nay cố gắng hơn.\n"
        "B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI\nI. Đánh giá theo các nhóm tiêu chí\nTổng điểm: 84/100\n"
    )
    assert _points(raw).total == 84.0


def test_empty_text_has_no_metadata() -> None:
    assert read_year("") is None
    assert read_grade("", []) is None
    assert read_points("", []) == Points(None, None, None)
