"""What the API and web tests share: the stored world's users, and the texts they upload (short reviews
written for them, no real person, and the project's example pair corpus/examples/tran-thi-lan-2024.txt,
-2025.txt: the 2025 one copies much of 2024)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

EXAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "examples"


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


@dataclass
class World:
    """The stored hierarchy: province `t` → grassroots `t/xa`, `t/phuong` → chi bộ `t/xa/cb1`,
    `t/phuong/cb1`; and a token per user."""

    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


USERS = {
    # who: (role, unit)
    "admin": ("admin", "t"),
    "committee_xa": ("committee", "t/xa"),
    "secretary_cb1": ("secretary", "t/xa/cb1"),
    "secretary_phuong": ("secretary", "t/phuong/cb1"),
    "inspector": ("inspector", "t"),
}


def upload(
    client: TestClient,
    world: World,
    who: str,
    name: str,
    content: bytes | str,
    *,
    replace: bool | None = None,
    **fields: Any,
) -> Response:
    """POST /api/v1/reviews with one file and form fields (None fields are left out)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    form = {k: str(v) for k, v in fields.items() if v is not None}
    params = {"replace": "true"} if replace else None
    return client.post(
        "/api/v1/reviews",
        headers=world.auth(who),
        data=form,
        files={"file": (name, data, "application/octet-stream")},
        params=params,
    )


def assert_error(response: Response, status: int, code: str | None = None) -> str:
    """The response is the API's error shape with `status`; returns its message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    message = body["error"]["message"]
    assert isinstance(message, str) and message and "\n" not in message
    if code is not None:
        assert body["error"]["code"] == code
    return message
