"""Reviews the store tests save: short texts written for them (no real person) and the project's example."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

from service.context import context_from_files
from service.screening import Screening, screen
from service.text.pipeline import build_review

EXAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "examples"

TEXTS: dict[str, str] = {
    "an-2025": (
        "BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm 2025\nHọ và tên: Lê Văn An\n"
        "I. Ưu điểm, kết quả đạt được\n"
        "Luôn chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước.\n"
        "Hoàn thành tốt nhiệm vụ được giao.\n"
        "II. Hạn chế, khuyết điểm và nguyên nhân\n"
        "Đôi lúc còn chưa mạnh dạn trong phê bình và tự phê bình.\n"
        "III. Phương hướng, biện pháp khắc phục\n"
        "Tiếp tục phát huy ưu điểm, khắc phục hạn chế.\n"
    ),
    "binh-2025": (
        "BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm 2025\nHọ và tên: Phạm Thị Bình\n"
        "I. Ưu điểm, kết quả đạt được\n"
        "Trong năm đã chủ trì rà soát 214 hồ sơ thủ tục hành chính của xã, rút thời gian giải quyết "
        "trung bình từ 7 ngày xuống 4 ngày; hướng dẫn 3 tổ dân phố lập sổ theo dõi ý kiến cử tri.\n"
        "II. Hạn chế, khuyết điểm và nguyên nhân\n"
        "Việc cập nhật hồ sơ đảng viên lên phần mềm còn chậm 2 tháng so với kế hoạch, do tôi chưa bố trí "
        "thời gian hợp lý giữa công tác chuyên môn và công tác đảng.\n"
        "III. Phương hướng, biện pháp khắc phục\n"
        "Hoàn thành cập nhật toàn bộ hồ sơ trước ngày 31/3/2026; mỗi thứ Sáu dành một buổi chiều cho "
        "công tác đảng.\n"
    ),
    "chibo-2025": (
        "BÁO CÁO KIỂM ĐIỂM TẬP THỂ CHI BỘ\nNăm 2025\n"
        "I. Kết quả thực hiện nhiệm vụ\n"
        "Chi bộ duy trì sinh hoạt định kỳ 12/12 kỳ; kết nạp 1 đảng viên mới.\n"
        "II. Hạn chế, khuyết điểm và nguyên nhân\n"
        "Nội dung sinh hoạt chuyên đề còn ít, do cấp ủy chưa chuẩn bị chu đáo.\n"
        "III. Phương hướng, biện pháp khắc phục\n"
        "Tổ chức ít nhất 4 buổi sinh hoạt chuyên đề trong năm 2026, mỗi quý một buổi.\n"
    ),
}


@cache
def screened(name: str, year: int = 2025) -> Screening:
    """A screening of one of TEXTS, or of the project's example review (`lan-2025`) with its 2024 history."""
    if name == "lan-2025":
        review = build_review(
            (EXAMPLES / "tran-thi-lan-2025.txt").read_text(encoding="utf-8"), source="tran-thi-lan-2025.txt"
        )
        return screen(review, context_from_files([str(EXAMPLES / "tran-thi-lan-2024.txt")], [], []))
    kind = "collective" if name.startswith("chibo") else "individual"
    return screen(build_review(TEXTS[name], source=f"{name}.txt", year=year, kind=kind))


def unscored(screening: Screening) -> Screening:
    """The same screening with no formalism score (as when no detector could judge the review)."""
    return replace(screening, scores={**screening.scores, "formalism": None})
