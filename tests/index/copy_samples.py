# ruff: noqa: E501 — the review lines are prose, kept one line each
"""The project's own review texts for copy tests, with the truth of which parts were copied.

A member's 2024 review; the 2025 review derived from it the way copiers do (years and numbers changed,
bullets reordered, about a fifth of the words edited or swapped for synonyms, one sentence deleted, one
inserted, a few genuinely new lines); another member's unrelated review on the same form. Each part is
one line: ("heading", …) is form text, ("copied", …) was derived from 2024, ("new", …) was not.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.text.document import Review, Section, Sentence

Part = tuple[str, str]

# Syllable-like strings for filler text of any length (no meaning, Vietnamese shape).
_ONSETS = [
    "",
    *[
        "b",
        "c",
        "ch",
        "d",
        "đ",
        "g",
        "h",
        "kh",
        "l",
        "m",
        "n",
        "ng",
        "nh",
        "ph",
        "qu",
        "s",
        "t",
        "th",
        "tr",
        "v",
        "x",
    ],
]
_RHYMES = [
    "a",
    "ai",
    "am",
    "an",
    "ang",
    "anh",
    "ao",
    "âm",
    "ân",
    "âu",
    "e",
    "em",
    "ên",
    "i",
    "in",
    "inh",
    "o",
    "oi",
    "ông",
    "ơi",
    "u",
    "ung",
    "ưa",
    "ương",
    "iêt",
    "uôc",
    "ach",
    "ơn",
]
SYLLABLES = [o + r for o in _ONSETS for r in _RHYMES]

H_TITLE_2024 = "BẢN KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2024"
H_TITLE_2025 = "BẢN KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2025"
H_I = "I. Ưu điểm, kết quả đạt được"
H_I1 = "1. Về tư tưởng chính trị, phẩm chất đạo đức, lối sống"
H_I2 = "2. Về thực hiện chức trách, nhiệm vụ được giao"
H_II = "II. Hạn chế, khuyết điểm và nguyên nhân"
H_II1 = "1. Hạn chế, khuyết điểm"
H_II2 = "2. Nguyên nhân của hạn chế, khuyết điểm"
H_III = "III. Kết quả khắc phục những hạn chế, khuyết điểm đã được chỉ ra ở các kỳ kiểm điểm trước"
H_IV = "IV. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm"
H_V = "V. Tự nhận mức xếp loại chất lượng"


def parse(block: str) -> list[Part]:
    """Lines "H| …" (form heading), "C| …" (copied from 2024), "N| …" (new) → parts."""
    kinds = {"H": "heading", "C": "copied", "N": "new"}
    return [(kinds[line[0]], line[3:]) for line in block.strip().splitlines()]


REVIEW_2024: list[Part] = parse(
    f"""
H| {H_TITLE_2024}
H| Họ và tên: Nguyễn Văn An. Chức vụ: chuyên viên. Chi bộ: Phòng Kế hoạch - Tài chính.
H| {H_I}
H| {H_I1}
C| - Luôn trung thành với lợi ích của Đảng, của dân tộc; kiên định chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh.
C| - Chấp hành nghiêm đường lối của Đảng, pháp luật của Nhà nước và quy định của cơ quan.
C| - Giữ gìn phẩm chất đạo đức, lối sống giản dị, trung thực; không có biểu hiện suy thoái về tư tưởng chính trị.
C| - Tích cực tham gia học tập, quán triệt các nghị quyết của Đảng và vận dụng vào công việc chuyên môn.
H| {H_I2}
C| - Trong năm 2024, bản thân tham mưu xây dựng 12 văn bản hướng dẫn về quản lý tài chính, hoàn thành đúng tiến độ.
C| - Phối hợp với các phòng chuyên môn thẩm định 35 hồ sơ dự toán, không để xảy ra sai sót.
C| - Tham gia tổ công tác rà soát thủ tục hành chính, đề xuất cắt giảm 4 thủ tục không cần thiết.
C| - Thường xuyên cập nhật kiến thức về quản lý ngân sách, ứng dụng phần mềm kế toán mới vào công việc.
H| {H_II}
H| {H_II1}
C| - Việc nghiên cứu các văn bản mới về tài chính công có lúc chưa kịp thời, chưa sâu.
C| - Tinh thần tự phê bình và phê bình trong sinh hoạt chi bộ còn chưa mạnh dạn, có lúc còn nể nang.
C| - Một số công việc còn chậm so với kế hoạch do chưa sắp xếp thời gian hợp lý.
H| {H_II2}
C| - Khối lượng công việc chuyên môn lớn, nhiều việc đột xuất phát sinh.
C| - Bản thân chưa chủ động dành thời gian tự học, tự nghiên cứu.
H| {H_III}
N| Những hạn chế nêu năm trước về kỹ năng sử dụng phần mềm đã được khắc phục cơ bản.
H| {H_IV}
C| - Tăng cường nghiên cứu, cập nhật các văn bản pháp luật mới về tài chính công, hoàn thành trong quý I năm 2025.
C| - Mạnh dạn đấu tranh tự phê bình và phê bình, khắc phục tình trạng nể nang trong sinh hoạt chi bộ.
C| - Xây dựng kế hoạch công việc hằng tuần, bảo đảm hoàn thành nhiệm vụ đúng tiến độ.
H| {H_V}
N| Hoàn thành tốt nhiệm vụ.
"""
)

# Derived from 2024: I.1 bullets reordered (c, a, d, b) and edited; I.2 numbers and year changed and the
# bullet on administrative procedures deleted; a sentence inserted in II.1; III new; IV reordered and edited.
REVIEW_2025: list[Part] = parse(
    f"""
H| {H_TITLE_2025}
H| Họ và tên: Nguyễn Văn An. Chức vụ: chuyên viên. Chi bộ: Phòng Kế hoạch - Tài chính.
H| {H_I}
H| {H_I1}
C| - Luôn giữ gìn phẩm chất đạo đức, lối sống giản dị, trung thực, khiêm tốn; không có biểu hiện suy thoái về tư tưởng chính trị, đạo đức.
C| - Tuyệt đối trung thành với lợi ích của Đảng, của dân tộc; kiên định chủ nghĩa Mác - Lênin và tư tưởng Hồ Chí Minh.
C| - Tích cực học tập, quán triệt các nghị quyết, chỉ thị của Đảng và vận dụng linh hoạt vào công tác chuyên môn.
C| - Chấp hành nghiêm chỉnh đường lối của Đảng, pháp luật của Nhà nước và nội quy của cơ quan.
H| {H_I2}
C| - Trong năm 2025, bản thân tham mưu xây dựng 15 văn bản hướng dẫn về quản lý tài chính, bảo đảm đúng tiến độ.
C| - Phối hợp với các phòng chuyên môn thẩm định 41 hồ sơ dự toán, không để xảy ra sai sót.
C| - Thường xuyên cập nhật kiến thức về quản lý ngân sách nhà nước, ứng dụng phần mềm kế toán mới vào công việc.
H| {H_II}
H| {H_II1}
C| - Việc nghiên cứu các văn bản mới về tài chính công đôi lúc chưa kịp thời, chưa chuyên sâu.
N| - Việc ứng dụng chuyển đổi số trong theo dõi hồ sơ còn lúng túng.
C| - Tinh thần tự phê bình và phê bình trong sinh hoạt chi bộ chưa thật mạnh dạn, có lúc còn nể nang.
C| - Một số công việc còn chậm so với kế hoạch do chưa bố trí thời gian hợp lý.
H| {H_II2}
C| - Khối lượng công việc chuyên môn lớn, nhiều nhiệm vụ đột xuất phát sinh.
C| - Bản thân chưa thật sự chủ động dành thời gian tự học, tự nghiên cứu.
H| {H_III}
N| Hạn chế về nghiên cứu văn bản đã khắc phục một phần: tham dự hai lớp bồi dưỡng về tài chính công vào tháng 5 và tháng 9; hạn chế về tự phê bình đang khắc phục.
H| {H_IV}
C| - Mạnh dạn đấu tranh tự phê bình và phê bình, kiên quyết khắc phục tình trạng nể nang, né tránh trong sinh hoạt chi bộ.
C| - Tăng cường nghiên cứu, cập nhật văn bản pháp luật mới về tài chính công, hoàn thành trong quý II năm 2026.
C| - Lập kế hoạch công việc hằng tuần, bảo đảm hoàn thành các nhiệm vụ đúng tiến độ.
H| {H_V}
N| Hoàn thành tốt nhiệm vụ.
"""
)

# Another member (a teacher) on the same form: shares the headings, none of the content.
UNRELATED_2025: list[Part] = parse(
    f"""
H| {H_TITLE_2025}
H| Họ và tên: Trần Thị Bình. Chức vụ: giáo viên. Chi bộ: Trường Tiểu học Hòa Bình.
H| {H_I}
H| {H_I1}
N| - Năm học vừa qua tôi đứng lớp 4A, giữ nề nếp lớp học ổn định, không có học sinh bỏ học giữa chừng.
N| - Tham gia đủ các buổi sinh hoạt chuyên đề của tổ khối, chia sẻ hai sáng kiến về dạy đọc hiểu.
H| {H_I2}
N| - Tổ chức cho học sinh lớp 4A tham gia cuộc thi kể chuyện cấp huyện, đạt một giải ba.
N| - Phụ đạo buổi chiều cho tám em đọc chậm; cuối năm bảy em đọc trôi chảy.
H| {H_II}
H| {H_II1}
N| - Sổ điểm điện tử đôi khi nhập trễ hạn vài ngày so với quy định của nhà trường.
N| - Ít trao đổi với phụ huynh qua điện thoại, chủ yếu gặp vào buổi họp cuối kỳ.
H| {H_II2}
N| - Lớp đông, giáo án soạn lại theo sách mới nên thời gian eo hẹp.
H| {H_III}
N| Việc chấm bài muộn nêu năm trước nay đã chấm trả đúng hạn hằng tuần.
H| {H_IV}
N| - Từ tháng 9 năm 2025 nhập điểm ngay trong tuần, tổ trưởng kiểm tra vào thứ sáu.
N| - Lập nhóm liên lạc với phụ huynh lớp, mỗi tháng gửi nhận xét một lần.
H| {H_V}
N| Hoàn thành nhiệm vụ.
"""
)


@dataclass
class Built:
    text: str
    spans: dict[str, list[tuple[int, int]]]  # kind -> line spans
    lines: list[tuple[str, int, int]]  # (kind, start, end) per line


def build(parts: list[Part]) -> Built:
    """Join the parts as lines and remember where each kind of line is."""
    pieces: list[str] = []
    spans: dict[str, list[tuple[int, int]]] = {}
    lines: list[tuple[str, int, int]] = []
    pos = 0
    for kind, line in parts:
        spans.setdefault(kind, []).append((pos, pos + len(line)))
        lines.append((kind, pos, pos + len(line)))
        pieces.append(line)
        pos += len(line) + 1
    return Built("\n".join(pieces), spans, lines)


def char_overlap(
    found: list[tuple[int, int]],
    truth: list[tuple[int, int]],
    text: str,
    ignore: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> tuple[float, float]:
    """(recall, precision) of `found` against `truth`, counting non-space characters outside `ignore`
    (form headings a passage may span but that never count as copied)."""
    ignored = {i for s, e in ignore for i in range(s, e)}

    def chars(spans: list[tuple[int, int]]) -> set[int]:
        return {i for s, e in spans for i in range(s, e) if not text[i].isspace() and i not in ignored}

    f, t = chars(found), chars(truth)
    if not t or not f:
        return (0.0 if t else 1.0), (0.0 if f else 1.0)
    inter = len(f & t)
    return inter / len(t), inter / len(f)


SECTION_OF = {
    H_I: "I",
    H_I1: "I.1",
    H_I2: "I.2",
    H_II: "II",
    H_II1: "II.1",
    H_II2: "II.2",
    H_III: "III",
    H_IV: "IV",
    H_V: "V",
}


def to_review(parts: list[Part], source: str, year: int | None = None) -> Review:
    """A Review as the text layer would give it: one sentence per line, heading lines marked, sections
    from the official headings (until tests switch to service.text.pipeline.build_review)."""
    built = build(parts)
    sentences: list[Sentence] = []
    opened: list[tuple[str, str, int, int]] = []  # (id, title, start, body_start)
    current: str | None = None
    for (kind, line), (_, start, end) in zip(parts, built.lines, strict=True):
        sid = SECTION_OF.get(line)
        if sid is not None:
            opened.append((sid, line, start, end + 1))
            current = sid
        sentences.append(Sentence(start, end, line, section_id=current, is_heading=kind == "heading"))
    sections: list[Section] = []
    for n, (sid, title, start, body) in enumerate(opened):
        # A section ends where the next one at its level or above begins.
        depth = sid.count(".")
        end = next((s for i2, _, s, _ in opened[n + 1 :] if i2.count(".") <= depth), len(built.text))
        sections.append(Section(id=sid, title=title, start=start, end=end, body_start=body, heading=title))
    return Review(text=built.text, source=source, year=year, sentences=sentences, sections=sections)
