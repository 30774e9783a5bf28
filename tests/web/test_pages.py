"""The unit pages (ranking, secretary's list, copy audit) and the review pages, with scope and roles."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from markupsafe import escape
from service_samples import AN_2025, BINH_2025, World, example, upload
from web_helpers import cells

from service.web.sources import HIDDEN_TEXT, OUT_OF_SCOPE

Browser = Callable[[str], TestClient]


def _stored(api: TestClient, world: World, who: str, name: str, content: bytes | str, **fields: str) -> int:
    response = upload(api, world, who, name, content, **fields)
    assert response.status_code == 201, response.text
    return int(response.json()["review_id"])


def _two_members(api: TestClient, world: World) -> tuple[int, int]:
    an = _stored(
        api, world, "secretary_cb1", "an.txt", AN_2025, unit="t/xa/cb1", member="an", member_name="Lê Văn An"
    )
    binh = _stored(
        api,
        world,
        "secretary_cb1",
        "binh.txt",
        BINH_2025,
        unit="t/xa/cb1",
        member="binh",
        member_name="Phạm Thị Bình",
    )
    return an, binh


def test_the_ranking_lists_the_most_formalistic_first_with_scores_and_problems(
    api: TestClient, world: World, browser: Browser
) -> None:
    an, binh = _two_members(api, world)
    page = browser("committee_xa").get("/don-vi/t/xa?nam=2025")
    assert page.status_code == 200
    text = page.text
    assert "Lê Văn An" in text and "Phạm Thị Bình" in text
    assert text.index("Lê Văn An") < text.index("Phạm Thị Bình")  # boilerplate from top to bottom ranks first
    assert text.index(f'href="/ban-kiem-diem/{an}"') < text.index(f'href="/ban-kiem-diem/{binh}"')
    assert 'class="kd-bar"' in text and "Sáo rỗng" in text and "Chi bộ thôn Đồng Tâm" in text
    # The API's ranking agrees, and An's boilerplate count is on An's row.
    ranked = api.get("/api/v1/units/t/xa/screenings?year=2025", headers=world.auth("committee_xa")).json()
    assert [r["review_id"] for r in ranked["reviews"]] == [an, binh]
    an_row = text[text.index("Lê Văn An") : text.index("Phạm Thị Bình")]
    counts = re.findall(r'<td class="kd-count[^"]*">(\d+)</td>', an_row)
    assert int(counts[1]) == ranked["reviews"][0]["flags"]["boilerplate"] > 0
    # A year selector, and the sub-unit linked.
    assert '<option value="2025" selected>' in text and 'href="/don-vi/t/xa/cb1?nam=2025"' in text
    assert "Chưa có bản kiểm điểm" in browser("committee_xa").get("/don-vi/t/xa?nam=2019").text


def test_scope_and_roles_answer_with_vietnamese_pages(
    api: TestClient, world: World, browser: Browser
) -> None:
    an, _ = _two_members(api, world)
    other = browser("secretary_phuong")
    for path in (
        f"/ban-kiem-diem/{an}",
        f"/ban-kiem-diem/{an}/viec-can-sua",
        "/don-vi/t/xa/cb1/ban-kiem-diem",
    ):
        page = other.get(path)
        assert page.status_code == 404 and "Không tìm thấy" in page.text, path
    secretary = browser("secretary_cb1")
    for path in ("/don-vi/t/xa/cb1?nam=2025", "/don-vi/t/xa/cb1/sao-chep"):
        page = secretary.get(path)
        assert page.status_code == 403 and "Không có quyền" in page.text and "bí thư chi bộ" in page.text
    assert browser("committee_xa").get("/don-vi/t/phuong").status_code == 404
    assert browser("inspector").get("/tai-len").status_code == 403


def test_the_secretarys_home_lists_reviews_with_their_number_of_fixes(
    api: TestClient, world: World, browser: Browser
) -> None:
    an, binh = _two_members(api, world)
    client = browser("secretary_cb1")
    home = client.get(client.get("/").headers["location"])
    assert home.status_code == 200
    fixes = api.get(f"/api/v1/reviews/{an}/fixes", headers=world.auth("secretary_cb1")).json()["fixes"]
    row = home.text[home.text.index("Lê Văn An") :]
    assert f'kd-some">{len(fixes)}</td>' in row[: row.index("</tr>")]
    assert f'href="/ban-kiem-diem/{an}/viec-can-sua"' in home.text
    assert f'href="/ban-kiem-diem/{binh}/viec-can-sua"' in home.text
    # The printable fix-list: grouped by section, every item with its hint and line number.
    page = client.get(f"/ban-kiem-diem/{an}/viec-can-sua")
    assert page.status_code == 200
    assert page.text.count("Gợi ý:") == len(fixes) and "dòng " in page.text
    for fix in fixes:
        assert str(escape(fix["what"])) in page.text
        if fix["section_id"]:
            assert f"Mục {fix['section_id']}" in page.text


def test_the_review_page_highlights_flags_and_names_the_copied_source(
    api: TestClient, world: World, browser: Browser
) -> None:
    fields = {"unit": "t/xa/cb1", "member": "lan", "member_name": "Trần Thị Lan"}
    first = _stored(api, world, "secretary_cb1", "lan-2024.txt", example(2024), **fields)
    second = _stored(api, world, "secretary_cb1", "lan-2025.txt", example(2025), **fields)
    page = browser("committee_xa").get(f"/ban-kiem-diem/{second}")
    assert page.status_code == 200
    text = page.text
    assert '<mark class="sev-' in text and "Việc cần sửa (" in text and "Đối chiếu sao chép" in text
    assert text.index("Việc cần sửa (") < text.index("Các vấn đề (")
    assert "Trần Thị Lan — Chi bộ thôn Đồng Tâm — năm 2024" in text and f"review:{first}" not in text
    sources = cells(page, "source")
    assert sources and all(s.strip() and s != HIDDEN_TEXT for s in sources)
    assert 'href="/tinh/web.css"' in text and "/viec-can-sua" in text


def test_a_copied_source_outside_the_readers_scope_shows_no_text(
    api: TestClient, world: World, browser: Browser
) -> None:
    # The member wrote 2024 in the phường's chi bộ, then moved; the admin uploads both years.
    old = _stored(
        api,
        world,
        "admin",
        "lan-2024.txt",
        example(2024),
        unit="t/phuong/cb1",
        member="lan",
        member_name="Trần Thị Lan",
    )
    new = _stored(api, world, "admin", "lan-2025.txt", example(2025), unit="t/xa/cb1", member="lan")
    admin_page = browser("admin").get(f"/ban-kiem-diem/{new}")
    assert "Trần Thị Lan — Chi bộ khu phố 3 — năm 2024" in admin_page.text
    page = browser("committee_xa").get(f"/ban-kiem-diem/{new}")
    assert page.status_code == 200
    assert OUT_OF_SCOPE in page.text and f"review:{old}" not in page.text
    assert "Chi bộ khu phố 3" not in page.text and "bản kiểm điểm năm 2024:" not in page.text
    sources = cells(page, "source")
    assert sources and set(sources) == {HIDDEN_TEXT}
    audit = browser("committee_xa").get("/don-vi/t/xa/sao-chep?nam=2025")
    assert OUT_OF_SCOPE in audit.text and f'href="/ban-kiem-diem/{old}"' not in audit.text
    assert set(cells(audit, "kd-passage kd-source")) == {HIDDEN_TEXT}


def test_the_copy_audit_groups_a_copied_pair_side_by_side(
    api: TestClient, world: World, browser: Browser
) -> None:
    fields = {"unit": "t/xa/cb1", "member": "lan", "member_name": "Trần Thị Lan"}
    first = _stored(api, world, "secretary_cb1", "lan-2024.txt", example(2024), **fields)
    second = _stored(api, world, "secretary_cb1", "lan-2025.txt", example(2025), **fields)
    _stored(
        api, world, "secretary_cb1", "binh.txt", BINH_2025, unit="t/xa/cb1", member="binh", member_name="Bình"
    )
    page = browser("inspector").get("/don-vi/t/sao-chep?nam=2025")
    assert page.status_code == 200
    assert page.text.count("Cụm ") == 1 and "Cụm 1: 2 bản kiểm điểm" in page.text
    assert f'href="/ban-kiem-diem/{first}"' in page.text and f'href="/ban-kiem-diem/{second}"' in page.text
    assert "Bình" not in page.text
    passages = cells(page, "kd-passage")
    sources = cells(page, "kd-passage kd-source")
    assert passages and len(passages) == len(sources)
    copies = api.get("/api/v1/units/t/copies?year=2025", headers=world.auth("inspector")).json()["copies"]
    assert len(sources) == len(copies) and all(s.strip() for s in sources)
    assert "Không phát hiện" in browser("inspector").get("/don-vi/t/sao-chep?nam=2024").text


def test_what_a_member_wrote_is_shown_as_text_never_as_markup(
    api: TestClient, world: World, browser: Browser
) -> None:
    hostile = AN_2025.replace("Hoàn thành tốt nhiệm vụ được giao.", '<script>alert("x")</script> <b>đậm</b>')
    review = _stored(
        api,
        world,
        "secretary_cb1",
        "an.txt",
        hostile,
        unit="t/xa/cb1",
        member="an",
        member_name='<img src=x onerror="alert(1)">',
    )
    client = browser("committee_xa")
    for url in (f"/ban-kiem-diem/{review}", f"/ban-kiem-diem/{review}/viec-can-sua", "/don-vi/t/xa?nam=2025"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert (
            "<script>alert" not in page.text and "<img src=x" not in page.text and "<b>đậm" not in page.text
        )
    assert escape('<img src=x onerror="alert(1)">') in client.get("/don-vi/t/xa?nam=2025").text
