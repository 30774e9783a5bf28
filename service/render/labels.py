"""Vietnamese names of flag codes, severities, scores and grades for people reading a screening."""

from __future__ import annotations

FLAG_NAMES: dict[str, str] = {
    "copied_from_history": "Sao chép bản kiểm điểm năm trước",
    "copied_from_peer": "Trùng với bản của đảng viên khác",
    "copied_from_template": "Chép từ mẫu viết sẵn",
    "recurring_shortcoming": "Khuyết điểm lặp lại từ năm trước",
    "boilerplate": "Câu chung chung, sáo rỗng",
    "shortcoming_without_cause": "Khuyết điểm chưa nêu nguyên nhân",
    "shortcoming_without_remedy": "Khuyết điểm chưa có biện pháp khắc phục",
    "remedy_without_deadline": "Biện pháp chưa có thời hạn",
    "vague_deadline": "Thời hạn chung chung",
    "implausible_deadline": "Thời hạn không hợp lý",
    "previous_shortcoming_unreported": "Chưa báo cáo khắc phục khuyết điểm năm trước",
    "objective_cause_only": "Chỉ nêu nguyên nhân khách quan",
    "missing_section": "Thiếu mục của mẫu",
    "thin_section": "Mục có nội dung sơ sài",
    "placeholder_left": "Còn chỗ trống của mẫu",
    "grade_inconsistent": "Tự xếp loại chưa khớp nội dung",
}

SEVERITY_NAMES = {"high": "cao", "medium": "trung bình", "low": "thấp"}

SCORE_NAMES = {
    "formalism": "Hình thức (tổng hợp)",
    "duplication": "Sao chép",
    "boilerplate": "Sáo rỗng",
    "remedies": "Khắc phục (thiếu nguyên nhân/biện pháp/thời hạn)",
    "coverage": "Thiếu mục, sơ sài",
}

GRADE_NAMES = {
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "completed": "Hoàn thành nhiệm vụ",
    "not_completed": "Không hoàn thành nhiệm vụ",
}

KIND_NAMES = {"individual": "cá nhân", "collective": "tập thể"}
