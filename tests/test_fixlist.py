import pytest

from service.detect.base import Flag
from service.fixlist import build_fixes
from service.text.document import Review, Section

# The project's own text: a short review with sections placed by hand (the fix-list needs spans only).
TEXT = (
    "BẢN KIỂM ĐIỂM CÁ NHÂN\n"
    "I. Ưu điểm, kết quả đạt được\n"
    "Luôn gương mẫu, chấp hành tốt mọi chủ trương.\n"
    "Luôn hoàn thành tốt nhiệm vụ được giao.\n"
    "II. Hạn chế, khuyết điểm và nguyên nhân\n"
    "Nộp 3 báo cáo tháng chậm hạn.\n"
    "VI. Phương hướng, biện pháp khắc phục\n"
    "Sẽ cố gắng nộp báo cáo đúng hạn trong thời gian tới.\n"
)


def span(piece: str) -> tuple[int, int]:
    at = TEXT.index(piece)
    return at, at + len(piece)


def section(id_: str, heading: str, until: str | None) -> Section:
    start = TEXT.index(heading)
    end = TEXT.index(until) if until else len(TEXT)
    return Section(
        id=id_, title=heading.split(". ", 1)[1], start=start, end=end, body_start=start + len(heading)
    )


REVIEW = Review(
    text=TEXT,
    source="t.txt",
    year=2025,
    form="2B",
    sections=[
        section("I", "I. Ưu điểm, kết quả đạt được", "II."),
        section("II", "II. Hạn chế, khuyết điểm và nguyên nhân", "VI."),
        section("VI", "VI. Phương hướng, biện pháp khắc phục", None),
    ],
)


def make(code: str, severity: str, piece: str, **evidence: object) -> Flag:
    s, e = span(piece)
    return Flag(code, severity, s, e, "thông điệp", f"gợi ý {code}", dict(evidence))  # type: ignore[arg-type]


def test_most_important_first_grouped_by_section_with_spans() -> None:
    title_line = "BẢN KIỂM ĐIỂM CÁ NHÂN"
    flags = [
        make("boilerplate", "medium", "Luôn gương mẫu, chấp hành tốt mọi chủ trương."),
        make("remedy_without_deadline", "high", "Sẽ cố gắng nộp báo cáo đúng hạn trong thời gian tới."),
        make("vague_deadline", "medium", "trong thời gian tới"),
        make("shortcoming_without_cause", "medium", "Nộp 3 báo cáo tháng chậm hạn."),
        make(
            "missing_section",
            "high",
            "VI. Phương hướng, biện pháp khắc phục",
            rule="cov.missing-section",
            expected_section="III",
            title="Kết quả khắc phục những hạn chế, khuyết điểm",
        ),
        make("placeholder_left", "high", title_line),
    ]
    fixes = build_fixes(REVIEW, flags)
    assert len(fixes) == len(flags)
    # Highest severity and priority first: the missing section heads the list, under its own section.
    assert fixes[0].code == "missing_section" and fixes[0].section_id == "III"
    assert fixes[0].what == "Bổ sung mục III “Kết quả khắc phục những hạn chế, khuyết điểm”"
    assert fixes[0].rule == "cov.missing-section"
    # Items of one section stay together, most important first.
    vi = [f for f in fixes if f.section_id == "VI"]
    assert [f.code for f in vi] == ["remedy_without_deadline", "vague_deadline"]
    positions = [i for i, f in enumerate(fixes) if f.section_id == "VI"]
    assert positions == list(range(positions[0], positions[0] + 2))
    deadline = vi[0]
    assert deadline.what.startswith("Bổ sung thời hạn khắc phục cho biện pháp “Sẽ cố gắng")
    assert TEXT[deadline.start : deadline.end] == "Sẽ cố gắng nộp báo cáo đúng hạn trong thời gian tới."
    assert deadline.hint == "gợi ý remedy_without_deadline"
    # The header blank sits outside every section: it is grouped under the general part.
    header = next(f for f in fixes if f.code == "placeholder_left")
    assert header.section_id is None and header.section_title
    # The lower-severity group (I: one medium boilerplate) comes after all groups holding a high item.
    assert fixes[-1].section_id in {"I", "II"}
    assert all(f.what and f.hint for f in fixes)


def test_many_boilerplate_sentences_of_a_section_fold_into_one_item() -> None:
    flags = [
        make("boilerplate", "medium", "Luôn gương mẫu, chấp hành tốt mọi chủ trương."),
        make("boilerplate", "low", "Luôn hoàn thành tốt nhiệm vụ được giao."),
    ]
    fixes = build_fixes(REVIEW, flags)
    assert len(fixes) == 1
    fix = fixes[0]
    assert fix.count == 2 and len(fix.spans) == 2 and fix.severity == "medium"
    assert "2 câu" in fix.what and "Ưu điểm, kết quả đạt được" in fix.what
    assert fix.to_dict()["spans"][0] == list(span("Luôn gương mẫu, chấp hành tốt mọi chủ trương."))


def test_same_flag_twice_gives_one_item_and_no_flags_gives_empty_list() -> None:
    f = make("shortcoming_without_remedy", "high", "Nộp 3 báo cáo tháng chậm hạn.")
    fixes = build_fixes(REVIEW, [f, f])
    assert len(fixes) == 1
    assert fixes[0].what == "Bổ sung biện pháp khắc phục cho khuyết điểm “Nộp 3 báo cáo tháng chậm hạn.”"
    assert build_fixes(REVIEW, []) == []


def test_copy_without_year_uses_the_alternative_wording_and_long_text_is_shortened() -> None:
    long_piece = "Sẽ cố gắng nộp báo cáo đúng hạn trong thời gian tới."
    fixes = build_fixes(REVIEW, [make("copied_from_history", "high", long_piece, source="a.txt")])
    assert fixes[0].what.startswith("Viết lại đoạn chép từ bản kiểm điểm năm trước")
    fixes = build_fixes(REVIEW, [make("copied_from_history", "high", long_piece, source_year=2024)])
    assert "năm 2024" in fixes[0].what
    unknown = build_fixes(REVIEW, [make("some_new_code", "low", long_piece)])
    assert unknown[0].what.startswith("Sửa nội dung “Sẽ cố gắng")


def test_rule_wording_list_evidence_and_shared_spans() -> None:
    heading = "I. Ưu điểm, kết quả đạt được"
    flags = [
        make("thin_section", "low", heading, rule="cov.optional-empty", section="I"),
        make(
            "thin_section",
            "medium",
            "II. Hạn chế, khuyết điểm và nguyên nhân",
            rule="cov.thin-section",
            section="II",
            missing_topic_labels=["Lối sống", "Tác phong"],
        ),
        # One remedy shared by two shortcomings: two flags, one fix.
        Flag("vague_deadline", "low", *span("trong thời gian tới"), "về khuyết điểm A", "h", {}),
        Flag("vague_deadline", "low", *span("trong thời gian tới"), "về khuyết điểm B", "h", {}),
        # One flag per earlier shortcoming, all on the same span: one item that counts them.
        Flag("previous_shortcoming_unreported", "medium", *span("Nộp 3 báo cáo"), "năm trước: A", "h", {}),
        Flag("previous_shortcoming_unreported", "medium", *span("Nộp 3 báo cáo"), "năm trước: B", "h", {}),
    ]
    fixes = build_fixes(REVIEW, flags)
    whats = {f.code + ":" + (f.section_id or ""): f for f in fixes}
    assert whats["thin_section:I"].what == "Trả lời mục I “Ưu điểm, kết quả đạt được” hoặc ghi rõ “Không có”"
    assert whats["thin_section:II"].what.endswith("bổ sung: Lối sống, Tác phong")
    assert sum(f.code == "vague_deadline" for f in fixes) == 1
    previous = whats["previous_shortcoming_unreported:II"]
    assert previous.count == 2 and "2 khuyết điểm" in previous.what


def test_an_end_to_end_fix_list_from_coverage_flags() -> None:
    from service.detect.base import Context
    from service.detect.coverage import detect
    from service.text.pipeline import build_review

    text = (
        "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN\nNăm 2025\nA. NỘI DUNG KIỂM ĐIỂM\n"
        "I. Ưu điểm, kết quả đạt được\n- Luôn giữ vững lập trường chính trị, có đạo đức, lối sống tốt.\n"
        "II. Hạn chế, khuyết điểm và nguyên nhân\n- Nộp chậm 2 báo cáo quý III từ 3 đến 5 ngày.\n"
    )
    review = build_review(text, "t.txt")
    fixes = build_fixes(review, detect(review, Context()).flags)
    assert fixes and fixes[0].severity == "high" and fixes[0].code == "missing_section"
    assert any(f.what.startswith("Bổ sung mục VI “Phương hướng") for f in fixes)
    assert all(review.text[f.start : f.end] for f in fixes)
    assert [f.severity for f in fixes if f.section_id == fixes[0].section_id] == sorted(
        (f.severity for f in fixes if f.section_id == fixes[0].section_id),
        key=["high", "medium", "low"].index,
    )


@pytest.mark.real
def test_real_sample_01_blanks_and_thin_sections_are_in_its_fix_list() -> None:
    from service.detect import coverage, placeholders
    from service.detect.base import Context
    from service.paths import SHARED_CORPUS_DIR
    from service.text.pipeline import build_review

    files = (
        sorted((SHARED_CORPUS_DIR / "real" / "raw").glob("01_*.txt")) if SHARED_CORPUS_DIR.exists() else []
    )
    if not files:
        pytest.skip(f"../shared/corpus not present: {SHARED_CORPUS_DIR / 'real' / 'raw'}")
    raw = files[0].read_text(encoding="utf-8").split("\n", 2)[2]  # skip the SOURCE:/YEAR: header lines
    review = build_review(raw, files[0].name, year=2025)
    flags = placeholders.detect(review, Context()).flags + coverage.detect(review, Context()).flags
    fixes = build_fixes(review, flags)
    assert fixes[0].code == "placeholder_left" and fixes[0].section_id == "header" and fixes[0].count >= 3
    by_section = {(f.section_id, f.code) for f in fixes}
    assert {("I.1", "thin_section"), ("IV", "thin_section"), ("V", "thin_section")} <= by_section
    assert ("III", "placeholder_left") in by_section  # the template's "Ví dụ: Đạt giải .... cuộc thi"
