"""Texts the API tests upload: short reviews written for them (no real person), and the project's example
pair (corpus/examples/tran-thi-lan-2024.txt, -2025.txt: the 2025 one copies much of 2024)."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "examples"


def example(year: int) -> bytes:
    return (EXAMPLES / f"tran-thi-lan-{year}.txt").read_bytes()


# Boilerplate from top to bottom, a shortcoming without cause, remedy or deadline.
AN_2025 = (
    "BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm 2025\nHọ và tên: Lê Văn An\n"
    "I. Ưu điểm, kết quả đạt được\n"
    "Luôn chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước.\n"
    "Hoàn thành tốt nhiệm vụ được giao.\n"
    "II. Hạn chế, khuyết điểm và nguyên nhân\n"
    "Đôi lúc còn chưa mạnh dạn trong phê bình và tự phê bình.\n"
    "III. Phương hướng, biện pháp khắc phục\n"
    "Tiếp tục phát huy ưu điểm, khắc phục hạn chế.\n"
)

# Concrete results, a shortcoming with its cause, a dated remedy.
BINH_2025 = (
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
)

# A unit's own report (collective: no member).
CHIBO_2025 = (
    "BÁO CÁO KIỂM ĐIỂM TẬP THỂ CHI BỘ\nNăm 2025\n"
    "I. Kết quả thực hiện nhiệm vụ\n"
    "Chi bộ duy trì sinh hoạt định kỳ 12/12 kỳ; kết nạp 1 đảng viên mới.\n"
    "II. Hạn chế, khuyết điểm và nguyên nhân\n"
    "Nội dung sinh hoạt chuyên đề còn ít, do cấp ủy chưa chuẩn bị chu đáo.\n"
    "III. Phương hướng, biện pháp khắc phục\n"
    "Tổ chức ít nhất 4 buổi sinh hoạt chuyên đề trong năm 2026, mỗi quý một buổi.\n"
)

# No year anywhere in the text (nor in the file name the tests give it).
NO_YEAR = AN_2025.replace("Năm 2025\n", "")
