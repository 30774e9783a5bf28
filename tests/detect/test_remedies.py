"""Flags for shortcomings without cause, remedy or deadline, and for last year's shortcomings left out of
section III (texts written for these tests)."""

from __future__ import annotations

import pytest

from service.detect.base import Context, DetectorResult, Flag, Reference
from service.detect.remedies import detect, judge_excerpt
from service.detect.shortcomings import review_from_parts
from service.paths import SHARED_CORPUS_DIR
from service.text.document import Review

FULL = {
    "II.1": "- Chưa hoàn thành đúng hạn sổ điểm điện tử học kỳ I (chậm 1 tuần).",
    "II.2": "- Bản thân chưa chủ động sắp xếp thời gian cập nhật sổ điểm.",
    "VI": "- Cập nhật sổ điểm điện tử hằng tuần, hoàn thành sổ điểm học kỳ II trước 25/5/2026.",
}


def run(
    parts: dict[str, str], year: int | None = 2025, context: Context | None = None
) -> tuple[Review, DetectorResult]:
    review = review_from_parts(parts, year=year)
    return review, detect(review, context or Context())


def codes(result: DetectorResult) -> list[str]:
    return sorted(f.code for f in result.flags)


def only(result: DetectorResult, code: str) -> Flag:
    found = [f for f in result.flags if f.code == code]
    assert len(found) == 1, [f.code for f in result.flags]
    return found[0]


def test_a_shortcoming_with_cause_remedy_and_concrete_deadline_is_fully_covered() -> None:
    _, result = run(FULL)
    assert result.flags == []
    (row,) = result.details["shortcomings"]
    assert (row["cause"], row["remedy"], row["deadline"], row["covered"]) == (
        "subjective",
        True,
        "concrete",
        True,
    )
    assert row["time_expression"]["value"] == ["2026-01-01", "2026-05-25"]
    assert result.score == 0.0


def test_without_remedy_the_flag_sits_on_the_shortcoming_and_the_hint_quotes_it() -> None:
    review, result = run(
        {
            "II.1": "- Việc ứng dụng công nghệ thông tin trong soạn giảng còn hạn chế.",
            "II.2": "Bản thân ngại học cái mới.",
        }
    )
    flag = only(result, "shortcoming_without_remedy")
    assert (
        review.text[flag.start : flag.end]
        == "Việc ứng dụng công nghệ thông tin trong soạn giảng còn hạn chế."
    )
    assert flag.severity == "high"
    assert "“ứng dụng công nghệ thông tin trong soạn giảng còn hạn chế”" in flag.hint
    assert "Nâng cao chất lượng ứng dụng công nghệ thông tin trong soạn giảng" in flag.hint
    assert "trước 30/6/2026" in flag.hint
    assert result.details["shortcomings"][0]["remedy"] is False and result.score == 1.0


def test_without_cause_and_with_only_objective_causes() -> None:
    _, result = run(
        {
            "II.1": "- Nộp báo cáo tuần chậm 2 lần.",
            "VI": "- Nộp báo cáo tuần đúng hạn thứ Sáu, từ tháng 1/2026.",
        }
    )
    flag = only(result, "shortcoming_without_cause")
    assert flag.severity == "medium" and "Nguyên nhân chủ yếu là do bản thân" in flag.hint
    _, result = run(
        {**FULL, "II.2": "Khối lượng công việc cuối năm nhiều, điều kiện máy tính ở trường thiếu."}
    )
    flag = only(result, "objective_cause_only")
    assert flag.severity == "low" and "chủ quan" in flag.hint
    assert result.details["shortcomings"][0]["cause"] == "objective"
    # An objective cause still is a cause: the shortcoming counts as covered.
    assert result.score == 0.0


def test_remedy_without_deadline_sits_on_the_remedy_with_evidence_pointing_at_the_shortcoming() -> None:
    parts = {**FULL, "VI": "- Cập nhật sổ điểm điện tử sau mỗi bài kiểm tra."}
    review, result = run(parts)
    flag = only(result, "remedy_without_deadline")
    assert review.text[flag.start : flag.end] == "Cập nhật sổ điểm điện tử sau mỗi bài kiểm tra."
    sc = review.text[flag.evidence["shortcoming_start"] : flag.evidence["shortcoming_end"]]
    assert sc.startswith("Chưa hoàn thành đúng hạn sổ điểm")
    assert (flag.evidence["remedy_start"], flag.evidence["remedy_end"]) == (flag.start, flag.end)
    assert "trước 30/6/2026" in flag.hint and "Cập nhật sổ điểm điện tử" in flag.hint
    assert result.details["shortcomings"][0]["deadline"] == "none" and result.score == 1.0


def test_vague_deadline_names_the_expression_and_rewrites_the_members_sentence() -> None:
    parts = {**FULL, "VI": "- Cập nhật sổ điểm điện tử đúng hạn trong thời gian tới."}
    _, result = run(parts)
    flag = only(result, "vague_deadline")
    assert flag.severity == "low"
    assert flag.evidence["time_expression"]["text"] == "trong thời gian tới"
    assert flag.evidence["time_expression"]["rule"].startswith("vague.")
    assert "Cập nhật sổ điểm điện tử đúng hạn trước 30/6/2026" in flag.hint
    assert result.details["shortcomings"][0]["deadline"] == "vague"


def test_implausible_deadline_sits_on_the_time_expression() -> None:
    parts = {**FULL, "VI": "- Hoàn thành sổ điểm học kỳ II trước 25/5/2019."}
    review, result = run(parts)
    flag = only(result, "implausible_deadline")
    assert review.text[flag.start : flag.end].endswith("25/5/2019")
    assert "2025" in flag.message
    assert result.details["shortcomings"][0]["deadline"] == "implausible" and result.score == 1.0


def test_inline_remedy_with_deadline_covers_its_shortcoming_and_flags_sit_on_it() -> None:
    parts = {
        "II.1": "- Hồ sơ đảng viên còn thiếu 4 bộ, khắc phục bằng cách bổ sung đủ trước 31/3/2026.\n"
        "- Phiếu đảng viên chưa cập nhật, biện pháp là rà soát lại từng phiếu.",
        "II.2": "Nguyên nhân chủ yếu là do bản thân chưa sát sao.",
    }
    review, result = run(parts)
    rows = result.details["shortcomings"]
    assert [(r["remedy"], r["deadline"]) for r in rows] == [(True, "concrete"), (True, "none")]
    flag = only(result, "remedy_without_deadline")
    assert review.text[flag.start : flag.end].startswith("Phiếu đảng viên chưa cập nhật")
    assert (
        review.text[flag.evidence["remedy_start"] : flag.evidence["remedy_end"]]
        == "biện pháp là rà soát lại từng phiếu"
    )
    assert result.score == 0.5


def test_a_shared_remedy_and_a_catch_all_line_that_is_no_remedy() -> None:
    parts = {
        "II.1": "- Ít phát biểu trong sinh hoạt chi bộ.\n"
        "- Còn ngại góp ý, phê bình đồng chí trong sinh hoạt.\n"
        "- Chưa đọc hết tài liệu học tập nghị quyết.",
        "II.2": "Bản thân còn nể nang, ngại va chạm.",
        "VI": "- Mỗi kỳ sinh hoạt chi bộ phát biểu, góp ý ít nhất một lần, từ tháng 1/2026.\n"
        "- Tiếp tục khắc phục những hạn chế trong thời gian tới.",
    }
    review, result = run(parts)
    rows = result.details["shortcomings"]
    assert [(r["remedy"], r["deadline"]) for r in rows] == [
        (True, "concrete"),
        (True, "concrete"),
        (False, "none"),
    ]
    assert rows[0]["remedy_start"] == rows[1]["remedy_start"]
    flag = only(result, "shortcoming_without_remedy")
    assert review.text[flag.start : flag.end] == "Chưa đọc hết tài liệu học tập nghị quyết."
    start, end = flag.evidence["generic_remedy"]
    assert review.text[start:end] == "Tiếp tục khắc phục những hạn chế trong thời gian tới."
    assert "chung chung" in flag.message and "Đọc hết tài liệu học tập nghị quyết" in flag.hint
    assert result.score == pytest.approx(1 / 3)


def test_frequency_words_are_vague_deadlines_but_not_inside_a_purpose_clause() -> None:
    _, result = run({**FULL, "VI": "- Thường xuyên cập nhật sổ điểm điện tử."})
    assert result.details["shortcomings"][0]["deadline"] == "vague"
    _, result = run({**FULL, "VI": "- Cập nhật sổ điểm điện tử để kịp thời báo cáo nhà trường."})
    assert result.details["shortcomings"][0]["deadline"] == "none"


def test_the_closest_remedy_sets_the_deadline() -> None:
    # A stock "Thường xuyên …" line loosely on the topic does not lend its vague time to the shortcoming
    # whose own measure has none.
    parts = {
        "II.1": "- Trình độ ngoại ngữ chưa đạt bậc 3 theo yêu cầu.",
        "II.2": "Bản thân chưa dành thời gian học.",
        "VI": "- Đăng ký học lớp ngoại ngữ bậc 3 theo yêu cầu của trường.\n"
        "- Thường xuyên tự học nâng cao trình độ ngoại ngữ.",
    }
    review, result = run(parts)
    (row,) = result.details["shortcomings"]
    assert len(row["remedies"]) == 2 and row["deadline"] == "none"
    flag = only(result, "remedy_without_deadline")
    assert review.text[flag.start : flag.end] == "Đăng ký học lớp ngoại ngữ bậc 3 theo yêu cầu của trường."


def test_several_shortcomings_on_one_remedy_get_one_flag_each() -> None:
    parts = {
        "II.1": "- Chưa đọc báo Nhân Dân thường xuyên.\n- Chưa nghiên cứu kỹ nghị quyết của Đảng.",
        "II.2": "Bản thân chưa dành thời gian.",
        "VI": "- Dành thời gian đọc báo Nhân Dân, nghiên cứu nghị quyết của Đảng.",
    }
    _, result = run(parts)
    flags = [f for f in result.flags if f.code == "remedy_without_deadline"]
    assert len(flags) == 2 and len({f.evidence["shortcoming_start"] for f in flags}) == 2


def test_scores_when_there_is_nothing_to_judge() -> None:
    _, result = run({"I": "Hoàn thành tốt nhiệm vụ."})
    assert result.score is None and result.flags == []
    _, result = run({"II.1": "Không có khuyết điểm gì."})
    assert result.score == 0.0
    assert result.details["claims"][0]["code"] == "claim_no_shortcoming"


def test_a_flag_code_can_be_switched_off() -> None:
    _, result = run(
        {"II.1": "- Nộp báo cáo tuần chậm 2 lần."},
        context=Context(disabled_rules=frozenset({"shortcoming_without_cause"})),
    )
    assert codes(result) == ["shortcoming_without_remedy"]


def test_every_flag_speaks_vietnamese_and_carries_rule_versions() -> None:
    _, result = run(
        {"II.1": "- Nộp báo cáo tuần chậm 2 lần.", "VI": "- Nộp báo cáo đúng hạn trong thời gian tới."}
    )
    assert codes(result) == ["shortcoming_without_cause", "vague_deadline"]
    for f in result.flags:
        assert f.evidence["rules_version"].startswith("remedies@") and "ví dụ" in f.hint


PREVIOUS = {
    "II.1": "- Ứng dụng phần mềm quản lý học sinh còn lúng túng.\n- Tham gia sinh hoạt chi bộ chưa đầy đủ.\n"
    "- Chưa hoàn thành lớp bồi dưỡng lý luận chính trị.",
}


def history(parts: dict[str, str]) -> Context:
    old = review_from_parts(parts, year=2024, source="2024.txt")
    return Context(history=[Reference(review=old, role="history", source="2024.txt", year=2024)])


def test_last_years_shortcomings_not_reported_in_section_iii_are_flagged() -> None:
    parts = {
        **FULL,
        "III": "- Về ứng dụng phần mềm quản lý học sinh: đã khắc phục, sử dụng thành thạo từ tháng 3/2025.\n"
        "- Sinh hoạt chi bộ: đã tham gia đủ 12/12 buổi.\n- Đã từng bước khắc phục các hạn chế khác.",
    }
    review, result = run(parts, context=history(PREVIOUS))
    flags = [f for f in result.flags if f.code == "previous_shortcoming_unreported"]
    assert [f.evidence["source_start"] for f in flags] == [
        result.details["previous"][1]["start"],
        result.details["previous"][2]["start"],
    ]
    assert [p["status"] for p in result.details["previous"]] == ["fixed", None, None]
    flag = flags[1]
    assert "lớp bồi dưỡng lý luận chính trị" in flag.message and "2024" in flag.message
    assert flag.evidence["source"] == "2024.txt" and flag.evidence["source_year"] == 2024
    section = review.section("III")
    assert (flag.start, flag.end) == (section.start, section.end)


def test_previous_shortcomings_with_a_status_each_are_accounted_for() -> None:
    parts = {
        **FULL,
        "III": "1. Ứng dụng phần mềm quản lý học sinh: đã khắc phục.\n"
        "2. Tham gia sinh hoạt chi bộ: đang khắc phục, năm 2025 vắng 1 buổi.\n"
        "3. Lớp bồi dưỡng lý luận chính trị: chưa khắc phục do lớp của huyện chưa mở.",
    }
    _, result = run(parts, context=history(PREVIOUS))
    assert [p["status"] for p in result.details["previous"]] == ["fixed", "in_progress", "not_fixed"]
    assert "previous_shortcoming_unreported" not in codes(result)


@pytest.mark.real
def test_real_sample_01_every_shortcoming_is_flagged_for_its_missing_deadline() -> None:
    raw_dir = SHARED_CORPUS_DIR / "real" / "raw"
    files = sorted(raw_dir.glob("01_*.txt")) if raw_dir.is_dir() else []
    if not files:
        pytest.skip(f"../shared/corpus not present: {raw_dir}")
    from service.text.pipeline import build_review

    raw = files[0].read_text(encoding="utf-8").split("\n", 2)[2]  # SOURCE: and YEAR: header lines
    review = build_review(raw, source=files[0].name, year=2025)
    result = detect(review, Context())
    rows = result.details["shortcomings"]
    assert len(rows) == 5
    for row in rows:
        assert row["deadline"] == "none"
        mine = [f.code for f in result.flags if f.evidence.get("shortcoming_start") == row["start"]]
        assert {"remedy_without_deadline", "shortcoming_without_remedy"} & set(mine), row["text"]


def test_a_routine_is_no_deadline() -> None:
    _, result = run({**FULL, "VI": "- Cập nhật sổ điểm điện tử hằng tuần vào chiều thứ Sáu."})
    assert result.details["shortcomings"][0]["deadline"] == "none"


def test_judge_excerpt_places_a_labelled_shortcoming_in_its_form() -> None:
    item = {
        "review_year": 2025,
        "shortcoming": "Chưa nộp đủ 3 bài thu hoạch nghị quyết.",
        "context": {
            "II.2": "Bản thân chưa sắp xếp thời gian.",
            "VI": "Nộp đủ bài thu hoạch trước 15/1/2026.",
        },
    }
    row = judge_excerpt(item)
    assert row is not None and (row["cause"], row["remedy"], row["deadline"]) == (
        "subjective",
        True,
        "concrete",
    )
    assert (
        judge_excerpt({"review_year": 2025, "shortcoming": "Không có khuyết điểm gì.", "context": {}}) is None
    )


def test_kip_thoi_as_a_manner_is_no_deadline_but_closing_its_clause_it_is_a_vague_one() -> None:
    for manner in (
        "- Hoàn thiện kịp thời sổ điểm điện tử sau mỗi tiết kiểm tra.",
        "- Cập nhật sổ điểm điện tử đầy đủ, kịp thời.",
        "- Cập nhật sổ điểm điện tử kịp thời, đúng quy định.",
    ):
        _, result = run({**FULL, "VI": manner})
        assert result.details["shortcomings"][0]["deadline"] == "none", manner
    _, result = run({**FULL, "VI": "- Cập nhật sổ điểm điện tử sau mỗi tiết, kịp thời."})
    assert result.details["shortcomings"][0]["deadline"] == "vague"


def test_a_deadline_labelled_tien_do_after_a_semicolon_belongs_to_the_inline_remedy() -> None:
    parts = {
        "II.1": "- Hồ sơ năm 2024 chưa nộp lưu trữ, sẽ khắc phục bằng cách lập danh mục hồ sơ; "
        "tiến độ: trước 31/3/2026.",
        "II.2": "- Bản thân chưa lập danh mục hồ sơ từ đầu năm.",
    }
    _, result = run(parts)
    (row,) = result.details["shortcomings"]
    assert row["remedy"] and row["deadline"] == "concrete"
    assert row["time_expression"]["text"] == "trước 31/3/2026"
