"""The self-proposed grade against the points and the content, and the unit quota (own texts)."""

from service.detect.base import Context, Flag
from service.detect.grade import check_grade, grade_summary, unit_quota
from service.text.document import Review
from service.text.pipeline import build_review

HEAD = (
    "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN\nNăm 2025\n(Cá nhân không giữ chức vụ lãnh đạo, quản lý)\n"
    "Họ và tên: Đỗ Thị Mai\nA. NỘI DUNG KIỂM ĐIỂM\nI. Ưu điểm, kết quả đạt được\n"
    "1. Về phẩm chất chính trị, đạo đức, lối sống; tinh thần đoàn kết, thống nhất trong nội bộ; ý thức tổ "
    "chức kỷ "
    "luật, trách nhiệm nêu gương, việc thực hiện những điều đảng viên không được làm; tác phong, lề lối "
    "làm việc.\n"
    "- Dự 12/12 buổi sinh hoạt chi bộ năm 2025, viết 2 bài thu hoạch nghị quyết.\n"
    "2. Việc thực hiện nhiệm vụ, quyền hạn và kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao trong "
    "năm, gắn "
    "với hiệu quả, tiến độ, chất lượng công việc.\n"
)
PRODUCTS = (
    "- Hoàn thành 11/11 nhiệm vụ năm 2025, 4 nhiệm vụ vượt tiến độ 3 tuần.\n"
    "- Xây dựng phần mềm theo dõi 1.250 hồ sơ một cửa, đưa vào dùng từ tháng 5/2025.\n"
)
STOCK = "- Luôn hoàn thành tốt mọi nhiệm vụ được giao với chất lượng cao.\n"
MIDDLE = (
    "II. Hạn chế, khuyết điểm và nguyên nhân\n- Nộp chậm 1 báo cáo quý II 2 ngày do chưa lập lịch nhắc "
    "việc.\n"
    "III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được chỉ ra "
    "ở các kỳ "
    "kiểm điểm trước\n{iii}\n"
    "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm\n- Lập lịch nhắc hạn báo cáo trước "
    "15/01/2026.\n"
)
III_FIXED = "- Hạn chế năm 2024 về lưu trữ hồ sơ: đã khắc phục, số hóa 120 hồ sơ trong tháng 6/2025."
III_OPEN = "- Hạn chế năm 2024 về lưu trữ hồ sơ: đang khắc phục, mới số hóa 40/120 hồ sơ."
PART_B = (
    "B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI\nI. Đánh giá theo các nhóm tiêu chí\n1. Nhóm tiêu chí chung: {g}/30\n"
    "2. Nhóm tiêu chí về kết quả thực hiện nhiệm vụ: {t}/70\nTổng điểm: {total}/100\n"
    "II. Đề xuất xếp loại mức chất lượng: {level}\n"
)


def review(
    g: str = "28", t: str = "65", total: str = "93", level: str = "Hoàn thành xuất sắc nhiệm vụ",
    results: str = PRODUCTS, iii: str = III_FIXED,
) -> Review:  # fmt: skip
    text = HEAD + results + MIDDLE.format(iii=iii) + PART_B.format(g=g, t=t, total=total, level=level)
    return build_review(text, "t.txt")


def check(r: Review, flags: list[Flag] | None = None, remedies: dict | None = None) -> list[Flag]:
    out = check_grade(r, Context(), flags or [], remedies)
    for f in out:
        assert f.code == "grade_inconsistent" and f.evidence["rule"].startswith("grade.")
        assert r.text[f.start : f.end].strip() == r.text[f.start : f.end] and f.end > f.start
        assert f.message and f.hint
    return out


def rules(flags: list[Flag]) -> list[str]:
    return [f.evidence["rule"] for f in flags]


def test_consistent_excellent_with_products_and_fixed_shortcomings_passes() -> None:
    r = review()
    assert r.grade is not None and r.grade.level == "excellent" and r.points.total == 93
    assert check(r) == []
    summary = grade_summary(r)
    assert summary["scheme"] == "points" and summary["band_from_points"] == "excellent"
    assert summary["points_complete"] is True


def test_points_that_do_not_add_up() -> None:
    r = review(g="28", t="60", total="93")
    [flag] = check(r)
    assert flag.evidence["rule"] == "grade.points-sum" and flag.severity == "high"
    assert r.text[flag.start : flag.end].startswith("Tổng điểm")
    assert "88" in flag.message


def test_points_above_the_maximum() -> None:
    found = check(review(g="32", t="61", total="93"))
    assert rules(found) == ["grade.points-max"]
    assert found[0].evidence["points_part"] == "general"


def test_total_outside_the_claimed_band() -> None:
    r = review(g="25", t="60", total="85")
    [flag] = check(r)
    assert flag.evidence["rule"] == "grade.points-band"
    assert flag.evidence["band_level"] == "good" and flag.evidence["claimed_level"] == "excellent"
    assert r.text[flag.start : flag.end] == "Hoàn thành xuất sắc nhiệm vụ"
    # 70 is the lowest "good", 90 the lowest "excellent"; 69 is "completed".
    assert check(review(g="20", t="50", total="70", level="Hoàn thành tốt nhiệm vụ")) == []
    assert check(review(g="27", t="63", total="90")) == []
    assert rules(check(review(g="20", t="49", total="69", level="Hoàn thành tốt nhiệm vụ"))) == [
        "grade.points-band"
    ]


def test_excellent_without_concrete_products() -> None:
    [flag] = check(review(results=STOCK))
    assert flag.evidence["rule"] == "grade.excellent-no-products" and flag.severity == "medium"
    assert flag.evidence["found"] == 0
    # The same stock results with a "good" claim are not a grade problem (coverage judges the content).
    assert check(review(results=STOCK, g="25", t="60", total="85", level="Hoàn thành tốt nhiệm vụ")) == []


def test_excellent_with_shortcomings_still_open() -> None:
    # Without the remedies details, an admission in section III counts.
    [flag] = check(review(iii=III_OPEN))
    assert flag.evidence["rule"] == "grade.excellent-open-shortcomings" and flag.severity == "high"
    assert flag.evidence["count"] == 1
    # With them: last year's shortcomings not reported fixed. This year's own shortcomings, with or
    # without a remedy, do not count against the grade (the rules ask that earlier ones be fixed).
    details = {
        "previous": [
            {"text": "Lưu trữ hồ sơ còn thất lạc", "status": "in_progress"},
            {"text": "Ít phát biểu trong sinh hoạt", "status": "unreported"},
        ],
        "shortcomings": [
            {"text": "Nộp chậm 1 báo cáo", "remedy": True},
            {"text": "Ít phát biểu", "remedy": False},
        ],
    }
    [flag] = check(review(), remedies=details)
    assert flag.evidence["count"] == 2
    fixed = {"previous": [{"text": "x", "status": "fixed"}], "shortcomings": [{"text": "y", "remedy": False}]}
    assert check(review(), remedies=fixed) == []


def test_excellent_on_a_largely_copied_review() -> None:
    r = review()
    start = r.section("I").start  # type: ignore[union-attr]
    copied = Flag("copied_from_history", "high", start, start + (len(r.text) - start) // 2, "m", "h", {})
    [flag] = check(r, [copied])
    assert flag.evidence["rule"] == "grade.claim-copied" and flag.evidence["copied_share"] >= 0.3
    small = Flag("copied_from_history", "high", start, start + 40, "m", "h", {})
    assert check(r, [small]) == []
    # A recurring shortcoming means an earlier one was not fixed.
    recurring = Flag("recurring_shortcoming", "medium", start, start + 10, "m", "h", {})
    assert rules(check(r, [recurring])) == ["grade.excellent-open-shortcomings"]
    # Restated this year and left unreported in III, it is still one open shortcoming.
    text = r.text[start : start + 10]
    details = {"previous": [{"text": text, "status": "unreported"}], "shortcomings": []}
    [flag] = check(r, [recurring], remedies=details)
    assert flag.evidence["count"] == 1


def test_points_left_blank_give_no_flag_and_unknown_band() -> None:
    r = review(g="…", t="…", total="…")
    assert r.points.total is None and r.grade is not None
    assert check(r) == []
    summary = grade_summary(r)
    assert summary["band_from_points"] == "unknown" and summary["points_complete"] is False


def test_grade_left_blank_is_unknown_not_inconsistent() -> None:
    blank = (
        "Hoàn thành xuất sắc nhiệm vụ ☐ Hoàn thành tốt nhiệm vụ ☐ Hoàn thành nhiệm vụ ☐ "
        "Không hoàn thành nhiệm vụ ☐"
    )
    r = review(g="25", t="60", total="85", level=blank)
    assert r.grade is None
    assert check(r) == []
    assert grade_summary(r)["claimed"] == "unknown"


OLD_FORM_2025 = (
    "BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm 2025\n(Cá nhân không giữ chức vụ lãnh đạo, quản lý)\nHọ và tên: Phạm Thu Hà\n"
    "I. Ưu điểm, kết quả đạt được\n"
    "1. Về phẩm chất chính trị; phẩm chất đạo đức, lối sống; ý thức tổ chức kỷ luật; tác phong, lề lối làm "
    "việc\n"
    "- Dự 12/12 buổi sinh hoạt chi bộ năm 2025.\n"
    "Tự đánh giá về cấp độ thực hiện: Xuất sắc ☒ Tốt ☐ Trung bình ☐ Kém ☐\n"
    "2. Về thực hiện chức trách, nhiệm vụ được giao\n- Luôn hoàn thành tốt nhiệm vụ được giao.\n"
    "II. Hạn chế, khuyết điểm và nguyên nhân\n- Nộp chậm 1 báo cáo quý II 2 ngày.\n"
    "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm\n- Lập lịch nhắc hạn trước 15/01/2026.\n"
    "VII. Tự nhận mức xếp loại chất lượng\n2. Xếp loại đảng viên: Hoàn thành xuất sắc nhiệm vụ\n"
)


def test_a_2023_form_reviewed_in_2025_is_judged_without_points_and_does_not_crash() -> None:
    r = build_review(OLD_FORM_2025, "t.txt")
    assert r.form == "02A" and r.year == 2025 and r.grade is not None
    found = check(r)
    assert rules(found) == ["grade.excellent-no-products"] and found[0].severity == "medium"
    assert found[0].evidence["scheme"] == "levels"
    assert grade_summary(r)["scheme"] == "levels"


def test_unit_quota() -> None:
    ok = unit_quota(["excellent"] * 2 + ["good"] * 8)
    assert (ok.base, ok.limit, ok.exceeded) == (10, 2, False) and ok.hint == ""
    over = unit_quota(["excellent"] * 3 + ["good"] * 7 + ["completed", None, "?"])  # type: ignore[list-item]
    assert over.exceeded and over.limit == 2 and over.over_by == 1
    assert over.rated == 11 and over.unknown == 2
    assert "3" in over.message and over.hint
    # An outstanding unit may have 25%.
    assert unit_quota(["excellent"] * 3 + ["good"] * 9).exceeded
    assert not unit_quota(["excellent"] * 3 + ["good"] * 9, outstanding_unit=True).exceeded
    assert not unit_quota([]).exceeded
    assert unit_quota(["excellent"]).exceeded  # one excellent alone is above 20% of 1
