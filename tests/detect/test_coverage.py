"""Coverage of the form: missing_section / thin_section, on the project's own review texts."""

from pathlib import Path

import pytest

from service.detect.base import Context, Reference
from service.detect.coverage import detect
from service.detect.coverage_content import is_substantive, short_title
from service.paths import SHARED_CORPUS_DIR
from service.text.document import Review
from service.text.pipeline import build_review

HEADER = {
    "2B": "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN\nNăm {year}\n(Cá nhân không giữ chức vụ lãnh đạo, "
    "quản lý)\n"
    "Họ và tên: Lê Văn Bình. Ngày sinh: 14/3/1986\nChức vụ: {post}\n",
    "2A": "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN\nNăm {year}\n(Cá nhân giữ chức vụ lãnh đạo, quản "
    "lý)\n"
    "Họ và tên: Trần Minh Hải. Ngày sinh: 02/9/1975\nChức vụ: {post}\n",
}
I1_HEADING = (
    "1. Về phẩm chất chính trị, đạo đức, lối sống; tinh thần đoàn kết, thống nhất trong nội bộ; ý thức tổ "
    "chức kỷ "
    "luật, trách nhiệm nêu gương, việc thực hiện những điều đảng viên không được làm; tác phong, lề lối "
    "làm việc. "
    'Liên hệ các biểu hiện về suy thoái, "tự diễn biến", "tự chuyển hoá".'
)
I1_GOOD = (
    "- Về chính trị: viết 2 bài thu hoạch Nghị quyết Trung ương 10 trong tháng 4/2025, đạt loại khá.\n"
    "- Đạo đức, lối sống: năm 2025 không nhận quà của 46 hộ đến làm thủ tục; gia đình chấp hành quy ước "
    "thôn Đông Hòa.\n"
    "- Đoàn kết nội bộ, kỷ luật: dự 12/12 buổi sinh hoạt chi bộ, chấp hành phân công theo dõi 3 dự án từ "
    "tháng 7/2025.\n"
    "- Nêu gương, tác phong: đúng giờ 248/250 ngày làm việc, trả lời 100% đơn thư đúng hạn.\n"
    '- Không vi phạm những điều đảng viên không được làm; không có biểu hiện suy thoái, "tự diễn biến", '
    '"tự chuyển hóa" (chi bộ nhận xét ngày 15/12/2025).'
)
I1_STOCK = (
    "- Luôn có lập trường tư tưởng chính trị vững vàng, tuyệt đối trung thành với Đảng.\n"
    "- Có phẩm chất đạo đức tốt, lối sống giản dị, lành mạnh.\n"
    "- Luôn giữ gìn đoàn kết nội bộ, chấp hành nghiêm kỷ luật của Đảng."
)
PARTS = {
    "A": "A. NỘI DUNG KIỂM ĐIỂM",
    "I": "I. Ưu điểm, kết quả đạt được",
    "I.1": I1_HEADING + "\n" + I1_GOOD,
    "I.2": "2. Việc thực hiện nhiệm vụ, quyền hạn và kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao "
    "trong năm, "
    "gắn với hiệu quả, tiến độ, chất lượng công việc.\n"
    "- Hoàn thành 9/9 nhiệm vụ trong kế hoạch năm 2025, trong đó 3 nhiệm vụ xong trước hạn 2 tuần.\n"
    "- Thẩm định 37 hồ sơ thanh toán vốn đầu tư, không hồ sơ nào bị Kho bạc trả lại.",
    "I.L": "3. Kết quả công tác lãnh đạo, chỉ đạo, quản lý, điều hành; thực hiện chức trách, nhiệm vụ; mức "
    "độ hoàn "
    "thành nhiệm vụ của các cấp uỷ, tổ chức đảng trực thuộc, địa phương, tổ chức, cơ quan, đơn vị thuộc "
    "quyền quản "
    "lý; khả năng quy tụ, xây dựng đoàn kết nội bộ.\n"
    "- Phòng hoàn thành 14/15 chỉ tiêu năm 2025; giải ngân 92% vốn đầu tư công được giao.\n"
    "4. Trách nhiệm trong công việc; tinh thần năng động, đổi mới sáng tạo, dám nghĩ, dám nói, dám làm, "
    "nói đi đôi "
    "với làm, dám chịu trách nhiệm, dám đương đầu với khó khăn, thử thách, dám hành động, dám hy sinh lợi "
    "ích cá "
    "nhân vì lợi ích chung; xử lý những vấn đề khó, phức tạp, nhạy cảm trong thực hiện nhiệm vụ.\n"
    "- Chủ trì giải quyết dứt điểm 4 vụ tranh chấp đất đai tồn đọng từ năm 2022.\n"
    "5. Trách nhiệm nêu gương của bản thân và gia đình; việc đấu tranh phòng, chống tham nhũng, lãng phí, "
    "tiêu cực; "
    "sự tín nhiệm của cán bộ, đảng viên; việc xây dựng phong cách lãnh đạo đổi mới, gần dân, sát dân, "
    "trọng dân.\n"
    "- Kê khai tài sản đúng hạn ngày 20/12/2025; tiếp 26 lượt công dân theo lịch.",
    "I.3": "6. Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu của cá nhân theo quy định.\n"
    "- Thực hiện đủ 4/4 nội dung cam kết đầu năm 2025, hoàn thành lớp bồi dưỡng kế toán công tháng 9/2025.",
    "II": "II. Hạn chế, khuyết điểm và nguyên nhân\n1. Hạn chế, khuyết điểm\n"
    "- Nộp chậm 2 báo cáo quý (quý I và quý III) từ 3 đến 5 ngày.\n"
    "2. Nguyên nhân của hạn chế, khuyết điểm\n- Bản thân chưa lập lịch theo dõi hạn nộp báo cáo.",
    "III": "III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được "
    "chỉ ra ở "
    "các kỳ kiểm điểm trước\n"
    "- Hạn chế năm 2024 về lưu trữ hồ sơ: đã khắc phục, đã số hóa 120 hồ sơ lên phần mềm trong tháng 6/2025.",
    "IV": "IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)\nKhông có vấn đề được gợi ý kiểm điểm.",
    "V": "V. Làm rõ trách nhiệm của cá nhân đối với những hạn chế, khuyết điểm của tập thể (nếu có)\nKhông "
    "có.",
    "VI": "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm\n"
    "- Lập lịch nhắc hạn báo cáo trên phần mềm quản lý văn bản, hoàn thành trước 15/01/2026.",
    "B": "B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI\nI. Đánh giá theo các nhóm tiêu chí\n1. Nhóm tiêu chí chung: "
    "27/30\n"
    "2. Nhóm tiêu chí về kết quả thực hiện nhiệm vụ: 60/70\nTổng điểm: 87/100\n"
    "II. Đề xuất xếp loại mức chất lượng: Hoàn thành tốt nhiệm vụ",
}
ORDER = ["A", "I", "I.1", "I.2", "I.L", "I.3", "II", "III", "IV", "V", "VI", "B"]


def compose(
    form: str = "2B", year: int = 2025, post: str = "Chuyên viên Phòng Tài chính", **parts: str | None
) -> str:
    """A review of our own: the full text, with parts replaced (a string) or dropped (None)."""
    chosen = {**PARTS, **{k.replace("_", "."): v for k, v in parts.items()}}
    if form != "2A" and "I_L" not in parts:
        chosen["I.L"] = None
    body = [chosen[k] for k in ORDER if chosen.get(k)]
    return HEADER[form].format(year=year, post=post) + "\n".join(body) + "\n"


def screen(text: str, context: Context | None = None, year: int | None = None) -> tuple[Review, list]:
    review = build_review(text, "t.txt", year=year)
    result = detect(review, context or Context())
    for f in result.flags:
        assert f.start <= f.end and review.text[f.start : f.end].strip() == review.text[f.start : f.end]
        assert f.evidence["rule"].startswith("cov.") and f.message and f.hint
    return review, result


def by_rule(result, rule: str) -> list:
    return [f for f in result.flags if f.evidence["rule"] == rule]


def test_a_complete_specific_review_has_no_coverage_flags() -> None:
    review, result = screen(compose())
    assert review.form == "2B"
    assert result.flags == []
    assert result.score == 0.0


def test_a_missing_section_is_flagged_on_the_heading_before_it() -> None:
    review, result = screen(compose(VI=None))
    [flag] = [f for f in result.flags if f.code == "missing_section"]
    assert flag.severity == "high" and flag.evidence["expected_section"] == "VI"
    assert flag.evidence["anchor"] == {"kind": "after_section", "section": "V"}
    assert review.text[flag.start : flag.end].startswith("V. Làm rõ trách nhiệm")
    assert "VI" in flag.message and "Phương hướng" in flag.message
    assert 0 < result.score <= 1


def test_only_the_highest_missing_part_is_reported() -> None:
    _, result = screen(compose(II=None))
    missing = [f.evidence["expected_section"] for f in result.flags if f.code == "missing_section"]
    assert missing == ["II"]


def test_a_part_written_as_one_block_is_judged_as_a_whole() -> None:
    # Section II without its sub-headings: no "missing II.1/II.2", and its content is specific enough.
    _, result = screen(
        compose(II="II. Hạn chế, khuyết điểm và nguyên nhân\n- Nộp chậm 2 báo cáo quý III từ 3 đến 5 ngày.")
    )
    assert result.flags == []


def test_stock_praise_in_i1_is_thin_and_names_the_missing_topics() -> None:
    review, result = screen(compose(I_1=I1_HEADING + "\n" + I1_STOCK))
    [flag] = by_rule(result, "cov.thin-section")
    assert flag.code == "thin_section" and flag.evidence["section"] == "I.1"
    assert review.text[flag.start : flag.end].startswith("1. Về phẩm chất chính trị")
    assert {"exemplary", "prohibitions", "work-style", "degradation"} <= set(flag.evidence["missing_topics"])
    assert "political" not in flag.evidence["missing_topics"]
    assert by_rule(result, "cov.i1-topics") == []  # one flag, not two


def test_specific_i1_that_skips_required_topics_gets_one_low_flag() -> None:
    partial = (
        I1_HEADING + "\n- Về chính trị: viết 2 bài thu hoạch Nghị quyết Trung ương 10 trong tháng 4/2025."
    )
    _, result = screen(compose(I_1=partial))
    [flag] = by_rule(result, "cov.i1-topics")
    assert flag.severity == "low" and flag.code == "thin_section"
    assert (
        "lifestyle" in flag.evidence["missing_topics"] and "political" not in flag.evidence["missing_topics"]
    )
    assert "Lối sống" in flag.message


def test_a_section_with_only_its_heading_is_empty() -> None:
    _, result = screen(compose(VI="VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm"))
    [flag] = by_rule(result, "cov.empty-section")
    assert flag.evidence["section"] == "VI" and flag.severity == "medium"


LAST_YEAR = (
    "BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm 2024\nI. Ưu điểm, kết quả đạt được\n- Hoàn thành 8/9 nhiệm vụ năm 2024.\n"
    "II. Hạn chế, khuyết điểm và nguyên nhân\n- Lưu trữ hồ sơ giấy còn thất lạc 5 bộ hồ sơ.\n"
    "- Chưa tham gia sinh hoạt tổ dân phố nơi cư trú.\n"
    "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm\n- Số hóa hồ sơ trước 30/6/2025.\n"
)


def history() -> Context:
    old = build_review(LAST_YEAR, "2024.txt", year=2024)
    return Context(history=[Reference(review=old, role="history", source="2024.txt", year=2024)])


III_EMPTY = (
    "III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được chỉ ra ở "
    "các kỳ kiểm điểm trước\nKhông có."
)


def test_iii_empty_when_last_year_listed_shortcomings_is_high() -> None:
    _, result = screen(compose(III=III_EMPTY), history())
    [flag] = by_rule(result, "cov.iii-history")
    assert flag.code == "thin_section" and flag.severity == "high"
    assert flag.evidence["count"] == 2 and flag.evidence["source_year"] == 2024
    assert result.details["history_shortcomings"] == 2


def test_iii_empty_without_history_is_only_low() -> None:
    _, result = screen(compose(III=III_EMPTY))
    [flag] = [f for f in result.flags if f.evidence.get("section") == "III"]
    assert flag.severity == "low" and flag.evidence["rule"] == "cov.thin-section"


def test_iii_absent_when_last_year_listed_shortcomings_is_high() -> None:
    _, result = screen(compose(III=None), history())
    [flag] = by_rule(result, "cov.iii-history")
    assert (
        flag.code == "missing_section"
        and flag.severity == "high"
        and flag.evidence["expected_section"] == "III"
    )


def test_iii_reporting_results_satisfies_the_history_check() -> None:
    _, result = screen(compose(), history())
    assert by_rule(result, "cov.iii-history") == []


def test_if_any_sections_on_a_non_leader_form() -> None:
    # Absent: nothing to say (they apply only "nếu có"); heading left unanswered: low.
    _, result = screen(compose(IV=None, V=None))
    assert result.flags == []
    _, result = screen(compose(IV="IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)"))
    [flag] = by_rule(result, "cov.optional-empty")
    assert flag.severity == "low" and flag.evidence["section"] == "IV"


def test_leader_form_requires_v_and_the_leadership_items() -> None:
    review, result = screen(compose(form="2A", post="Trưởng phòng Tài chính", V=None))
    assert review.form == "2A"
    [v] = by_rule(result, "cov.v-required")
    assert v.code == "missing_section" and v.severity == "medium" and v.evidence["expected_section"] == "V"
    assert by_rule(result, "cov.optional-absent") == []
    _, result = screen(compose(form="2A", post="Trưởng phòng Tài chính"))
    [v] = by_rule(result, "cov.v-required")  # "Không có." is no account of the collective's shortcomings
    assert v.code == "thin_section" and v.severity == "medium"
    _, result = screen(compose(form="2A", post="Trưởng phòng Tài chính", IV=None))
    [iv] = by_rule(result, "cov.optional-absent")
    assert iv.severity == "low" and iv.evidence["expected_section"] == "IV"


def test_leader_form_without_a_leadership_item_is_flagged() -> None:
    only_two = PARTS["I.L"].split("\n5. ")[0]
    review, result = screen(compose(form="2A", post="Trưởng phòng Tài chính", I_L=only_two))
    assert review.form == "2A"
    [flag] = by_rule(result, "cov.missing-leader-part")
    assert flag.evidence["expected_section"] == "I.L3" and flag.severity == "high"


def test_v_is_required_when_the_collective_review_lists_shortcomings() -> None:
    collective = build_review(
        "BÁO CÁO KIỂM ĐIỂM TẬP THỂ CHI BỘ\nNăm 2025\nII. Hạn chế, khuyết điểm và nguyên nhân\n"
        "- Chi bộ chậm triển khai 2 nghị quyết chuyên đề so với kế hoạch.\n",
        "chibo.txt",
        year=2025,
        kind="collective",
    )
    context = Context(peers=[Reference(review=collective, role="peer", source="chibo.txt", year=2025)])
    _, result = screen(compose(), context)
    [flag] = by_rule(result, "cov.v-required")
    assert flag.severity == "medium" and result.details["collective_shortcomings"] is True


def test_a_leader_writing_on_the_non_leader_form() -> None:
    _, result = screen(compose(post="Trưởng phòng Tài chính – Kế hoạch"))
    [flag] = by_rule(result, "cov.leader-form")
    assert flag.severity == "low" and flag.evidence["expected_section"] == "I.L1"


OLD_FORM = (
    "BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm 2025\n(Cá nhân không giữ chức vụ lãnh đạo, quản lý)\nHọ và tên: Phạm Thu Hà\n"
    "I. Ưu điểm, kết quả đạt được\n"
    "1. Về phẩm chất chính trị; phẩm chất đạo đức, lối sống; ý thức tổ chức kỷ luật; tác phong, lề lối làm "
    "việc\n" + I1_GOOD + "\nTự đánh giá về cấp độ thực hiện: Xuất sắc ☐ Tốt ☒ Trung bình ☐ Kém ☐\n"
    "2. Về thực hiện chức trách, nhiệm vụ được giao\n- Hoàn thành 9/9 nhiệm vụ năm 2025, 3 nhiệm vụ xong "
    "trước hạn.\n"
    "3. Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu hằng năm\n- Thực hiện đủ 4/4 nội dung cam kết "
    "năm 2025.\n"
    "II. Hạn chế, khuyết điểm và nguyên nhân\n- Nộp chậm 2 báo cáo quý III từ 3 đến 5 ngày.\n"
    + PARTS["III"]
    + "\n"
    + PARTS["VI"]
    + "\nVII. Tự nhận mức xếp loại chất lượng\n1. Xếp loại cán bộ, công chức, viên chức: Hoàn thành tốt "
    "nhiệm vụ\n"
    "2. Xếp loại đảng viên: Hoàn thành tốt nhiệm vụ\n"
)


def test_a_2025_review_on_the_2023_form_gets_an_outdated_form_flag() -> None:
    review, result = screen(OLD_FORM)
    assert review.form == "02A" and review.year == 2025
    [flag] = by_rule(result, "cov.outdated-form")
    assert flag.code == "missing_section" and flag.severity == "medium"
    assert review.text[flag.start : flag.end] == "BẢN KIỂM ĐIỂM CÁ NHÂN"
    assert (
        set(flag.evidence["expected_forms"]) >= {"2A", "2B", "2C"}
        and flag.evidence["expected_section"] == "B"
    )
    # The same text as a 2024 review is on the right form.
    _, result = screen(OLD_FORM.replace("Năm 2025", "Năm 2024"), year=2024)
    assert by_rule(result, "cov.outdated-form") == []


def test_score_grows_with_what_is_missing_or_thin() -> None:
    scores = [
        screen(text)[1].score
        for text in (
            compose(),
            compose(I_1=I1_HEADING + "\n" + I1_STOCK),
            compose(I_1=I1_HEADING + "\n" + I1_STOCK, VI=None),
            compose(I_1=None, I_2=None, I_3=None, II=None, III=None, VI=None),
        )
    ]
    assert scores == sorted(scores) and len(set(scores)) == 4
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_rules_can_be_switched_off() -> None:
    _, result = screen(compose(VI=None), None)
    assert result.flags
    review = build_review(compose(VI=None), "t.txt")
    off = detect(review, Context(disabled_rules=frozenset({"cov.missing-section"})))
    assert not [f for f in off.flags if f.evidence["rule"] == "cov.missing-section"]
    assert detect(review, Context(disabled_rules=frozenset({"coverage"}))).flags == []


def test_substance_means_a_checkable_instance() -> None:
    assert is_substantive("- Dự 12/12 buổi sinh hoạt chi bộ năm 2025.")
    assert is_substantive("2. Thẩm định 37 hồ sơ thanh toán vốn đầu tư.")
    assert not is_substantive(
        "1. Luôn chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước."
    )
    assert not is_substantive("Không có.")
    assert short_title(I1_HEADING[3:]).endswith("…") and len(short_title(I1_HEADING[3:])) <= 61


@pytest.mark.real
def test_real_sample_01_gets_thin_i1_and_unanswered_iv_v() -> None:
    files = (
        sorted((SHARED_CORPUS_DIR / "real" / "raw").glob("01_*.txt")) if SHARED_CORPUS_DIR.exists() else []
    )
    if not files:
        pytest.skip(f"../shared/corpus not present: {SHARED_CORPUS_DIR / 'real' / 'raw' / '01_*.txt'}")
    raw = Path(files[0]).read_text(encoding="utf-8").split("\n", 2)[2]  # skip SOURCE:/YEAR: header lines
    _, result = screen(raw, year=2025)
    thin = {f.evidence.get("section"): f for f in result.flags if f.code == "thin_section"}
    assert "I.1" in thin and thin["I.1"].severity in ("medium", "high")
    assert thin["I.1"].evidence.get("missing_topics")
    assert thin["IV"].evidence["rule"] == "cov.optional-empty"
    assert thin["V"].evidence["rule"] == "cov.optional-empty"
    assert result.score is not None and result.score > 0.3
