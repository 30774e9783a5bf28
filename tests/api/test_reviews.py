"""POST /api/v1/reviews, GET /api/v1/reviews/{id} and /fixes: screening, storing, scope and refusals."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from service_samples import AN_2025, BINH_2025, CHIBO_2025, NO_YEAR, World, assert_error, example, upload
from sqlalchemy import Engine, select

from service.api.app import create_app
from service.api.settings import Settings
from service.store import repository as repo
from service.store.db import session_scope
from service.store.models import Flag, Member, Review, Screening

COPY_CODES = {"copied_from_history", "copied_from_peer", "copied_from_template", "recurring_shortcoming"}


def _counts(engine: Engine) -> tuple[int, ...]:
    with session_scope(engine) as session:
        return tuple(repo.count(session, model) for model in (Review, Screening, Flag, Member))


def test_an_upload_is_screened_and_stored_with_offsets_into_the_text(
    client: TestClient, world: World, engine: Engine
) -> None:
    response = upload(
        client,
        world,
        "secretary_cb1",
        "an.txt",
        AN_2025,
        unit="t/xa/cb1",
        member="an",
        member_name="Lê Văn An",
    )
    assert response.status_code == 201, response.text
    body = response.json()
    screening = body["screening"]
    assert screening["schema"] == "kiemdiem.screen/1" and screening["year"] == 2025
    assert screening["kind"] == "individual" and screening["flags"]
    text = screening["text"]
    for flag in screening["flags"]:
        assert 0 <= flag["start"] < flag["end"] <= len(text)
        assert text[flag["start"] : flag["end"]].strip() == text[flag["start"] : flag["end"]]
    assert "boilerplate" in {f["code"] for f in screening["flags"]}
    with session_scope(engine) as session:
        review = session.get(Review, body["review_id"])
        assert review is not None and review.text == text and review.source == "an.txt"
        assert review.member is not None and (review.member.code, review.member.name) == ("an", "Lê Văn An")
        (row,) = review.screenings
        assert row.id == body["screening_id"] and row.result == screening
        assert len(row.flags) == len(screening["flags"])
    # GET returns the same screening with the review's metadata.
    got = client.get(f"/api/v1/reviews/{body['review_id']}", headers=world.auth("secretary_cb1"))
    assert got.status_code == 200
    detail = got.json()
    assert detail["screening"] == screening and detail["screening_id"] == body["screening_id"]
    meta = detail["review"]
    assert (meta["id"], meta["year"], meta["kind"], meta["unit"]["code"]) == (
        body["review_id"],
        2025,
        "individual",
        "t/xa/cb1",
    )
    assert meta["member"] == {"code": "an", "name": "Lê Văn An"} and len(meta["sha256"]) == 64


def test_next_years_upload_names_the_stored_review_it_was_copied_from(
    client: TestClient, world: World
) -> None:
    first = upload(
        client,
        world,
        "secretary_cb1",
        "lan-2024.txt",
        example(2024),
        unit="t/xa/cb1",
        member="lan",
        member_name="Trần Thị Lan",
    )
    assert first.status_code == 201 and first.json()["screening"]["year"] == 2024
    earlier = first.json()["review_id"]
    # The member exists now: no name needed.
    second = upload(
        client, world, "secretary_cb1", "lan-2025.txt", example(2025), unit="t/xa/cb1", member="lan"
    )
    assert second.status_code == 201, second.text
    screening = second.json()["screening"]
    copied = [f for f in screening["flags"] if f["code"] == "copied_from_history"]
    assert copied, "the 2025 example copies from 2024"
    for flag in copied:
        assert flag["evidence"]["source"] == f"review:{earlier}"
        assert flag["evidence"]["source_year"] == 2024
        assert "/tmp" not in flag["message"] and ".txt" not in flag["evidence"]["source"]
        # Read by a person: the source is named by its author and unit, not by the store's id.
        assert "(Trần Thị Lan, Chi bộ thôn Đồng Tâm)" in flag["message"] and "review:" not in flag["message"]
    assert screening["scores"]["duplication"] > 0.3
    # A reviewer of another unit did not contribute: the earlier year is the only history source.
    sources = {f["evidence"].get("source") for f in screening["flags"] if f["code"] in COPY_CODES}
    assert sources == {f"review:{earlier}"}


def test_peers_of_the_same_unit_and_year_are_compared(client: TestClient, world: World) -> None:
    first = upload(
        client, world, "admin", "binh.txt", BINH_2025, unit="t/xa/cb1", member="binh", member_name="B"
    )
    copy = BINH_2025.replace("Phạm Thị Bình", "Đỗ Văn Cường")
    second = upload(
        client, world, "admin", "cuong.txt", copy, unit="t/xa/cb1", member="cuong", member_name="C"
    )
    assert second.status_code == 201
    peers = [f for f in second.json()["screening"]["flags"] if f["code"] == "copied_from_peer"]
    assert peers and {f["evidence"]["source"] for f in peers} == {f"review:{first.json()['review_id']}"}
    # The same text in another unit, uploaded by someone who cannot see the first unit, is not compared
    # with it (cross-unit copying within a scope: tests/api/test_copy_scope.py).
    third = upload(
        client,
        world,
        "secretary_phuong",
        "dung.txt",
        copy,
        unit="t/phuong/cb1",
        member="dung",
        member_name="D",
    )
    assert not [f for f in third.json()["screening"]["flags"] if f["code"] == "copied_from_peer"]


def test_the_fix_list_is_what_a_secretary_works_from(client: TestClient, world: World) -> None:
    created = upload(
        client, world, "secretary_cb1", "an.txt", AN_2025, unit="t/xa/cb1", member="an", member_name="An"
    )
    review_id = created.json()["review_id"]
    response = client.get(f"/api/v1/reviews/{review_id}/fixes", headers=world.auth("secretary_cb1"))
    assert response.status_code == 200
    body = response.json()
    assert body["fixes"] == created.json()["screening"]["fixes"] and body["fixes"]
    assert body["review_id"] == review_id and body["member"]["code"] == "an"
    for fix in body["fixes"]:
        assert fix["what"] and fix["hint"] and 0 <= fix["start"] <= fix["end"] <= len(body["text"])


def test_collective_reports_have_no_member(client: TestClient, world: World) -> None:
    created = upload(client, world, "committee_xa", "bc.txt", CHIBO_2025, unit="t/xa/cb1", kind="collective")
    assert created.status_code == 201 and created.json()["screening"]["kind"] == "collective"
    detail = client.get(f"/api/v1/reviews/{created.json()['review_id']}", headers=world.auth("admin")).json()
    assert detail["review"]["member"] is None and detail["review"]["kind"] == "collective"
    refused = upload(
        client, world, "committee_xa", "bc.txt", CHIBO_2025, unit="t/xa/cb1", kind="collective", member="x"
    )
    assert "tập thể" in assert_error(refused, 422)
    assert "'member'" in assert_error(
        upload(client, world, "committee_xa", "a.txt", AN_2025, unit="t/xa/cb1"), 422
    )
    wrong = upload(client, world, "committee_xa", "bc.txt", CHIBO_2025, unit="t/xa/cb1", kind="tap-the")
    assert assert_error(wrong, 422, "invalid") == (
        "biểu mẫu 'kind': giá trị không hợp lệ (phải là individual hoặc collective)"
    )


def test_out_of_scope_units_and_reviews_are_404_as_if_they_did_not_exist(
    client: TestClient, world: World, engine: Engine
) -> None:
    created = upload(
        client, world, "admin", "an.txt", AN_2025, unit="t/phuong/cb1", member="an", member_name="An"
    )
    review_id = created.json()["review_id"]
    before = _counts(engine)
    outside = upload(
        client, world, "secretary_cb1", "b.txt", BINH_2025, unit="t/phuong/cb1", member="b", member_name="B"
    )
    unknown = upload(
        client, world, "secretary_cb1", "b.txt", BINH_2025, unit="khong-co", member="b", member_name="B"
    )
    assert assert_error(outside, 404, "not_found").startswith("không tìm thấy đơn vị")
    assert assert_error(unknown, 404, "not_found").startswith("không tìm thấy đơn vị")
    # The same member code, known elsewhere, is neither revealed nor moved into the secretary's unit.
    moved = upload(client, world, "secretary_cb1", "an.txt", BINH_2025, unit="t/xa/cb1", member="an")
    assert assert_error(moved, 404).startswith("không tìm thấy đảng viên")
    assert _counts(engine) == before
    for path in (f"/api/v1/reviews/{review_id}", f"/api/v1/reviews/{review_id}/fixes"):
        hidden = client.get(path, headers=world.auth("secretary_cb1"))
        missing = client.get(path.replace(str(review_id), "99999"), headers=world.auth("secretary_cb1"))
        assert assert_error(hidden, 404, "not_found") == f"không tìm thấy bản kiểm điểm số {review_id}"
        assert_error(missing, 404, "not_found")
        assert client.get(path, headers=world.auth("secretary_phuong")).status_code == 200
        assert client.get(path, headers=world.auth("inspector")).status_code == 200


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer sai-ma", "Basic dXNlcjpwYXNz"])
def test_no_or_bad_token_is_401(client: TestClient, world: World, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    for response in (
        client.get("/api/v1/reviews/1", headers=headers),
        client.get("/api/v1/units/t/screenings?year=2025", headers=headers),
        client.post("/api/v1/reviews", headers=headers, data={"unit": "t"}, files={"file": ("a.txt", b"x")}),
    ):
        assert_error(response, 401, "unauthenticated")
        assert response.headers["www-authenticate"] == "Bearer"


def test_an_inspector_cannot_upload(client: TestClient, world: World, engine: Engine) -> None:
    response = upload(
        client, world, "inspector", "an.txt", AN_2025, unit="t/xa/cb1", member="an", member_name="An"
    )
    assert "kiểm tra" in assert_error(response, 403, "forbidden")
    assert _counts(engine) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("name", "content", "status", "expected"),
    [
        # "Bản kiểm điểm năm 2025" as a TCVN3 (ABC) file: not UTF-8.
        ("an.txt", b"B\xb6n ki\xd3m \xae i\xd3m n\xaam 2025", 422, "không phải mã UTF-8"),
        ("an.txt", b"", 422, "tệp rỗng"),
        ("an.txt", b"   \n\n  ", 422, "tệp rỗng"),
        ("an.docx", b"PK\x03\x04 hong", 422, ".docx bị hỏng"),
        ("an.exe", b"MZ\x90\x00", 415, "không được hỗ trợ"),
        ("an.txt", NO_YEAR.encode(), 422, "năm kiểm điểm"),
    ],
)
def test_a_bad_file_is_refused_with_the_readers_line_and_nothing_is_stored(
    client: TestClient, world: World, engine: Engine, name: str, content: bytes, status: int, expected: str
) -> None:
    upload(client, world, "admin", "binh.txt", BINH_2025, unit="t/xa/cb1", member="binh", member_name="B")
    before = _counts(engine)
    # A new member: even the member the upload would have created is not kept.
    response = upload(client, world, "admin", name, content, unit="t/xa/cb1", member="moi", member_name="Mới")
    message = assert_error(response, status)
    assert expected in message and name in message
    assert _counts(engine) == before


def test_a_file_over_the_size_limit_is_413(engine: Engine, world: World) -> None:
    app = create_app(engine, Settings(database_url=str(engine.url), max_upload_bytes=1000))
    with TestClient(app) as small:
        response = upload(
            small, world, "admin", "an.txt", AN_2025 * 3, unit="t/xa/cb1", member="an", member_name="A"
        )
        assert "quá lớn" in assert_error(response, 413, "too_large")
        assert (
            upload(
                small, world, "admin", "an.txt", AN_2025, unit="t/xa/cb1", member="an", member_name="A"
            ).status_code
            == 201
        )


def test_the_year_field_wins_and_is_checked(client: TestClient, world: World) -> None:
    given = upload(
        client, world, "admin", "an.txt", NO_YEAR, unit="t/xa/cb1", member="an", member_name="A", year=2024
    )
    assert given.status_code == 201 and given.json()["screening"]["year"] == 2024
    assert "năm 1200" in assert_error(
        upload(client, world, "admin", "an.txt", AN_2025, unit="t/xa/cb1", member="an", year=1200), 422
    )
    assert "'year'" in assert_error(
        upload(client, world, "admin", "an.txt", AN_2025, unit="t/xa/cb1", member="an", year="hai"),
        422,
        "invalid",
    )


def test_a_duplicate_is_409_and_leaves_the_stored_one_replace_puts_the_new_one_in(
    client: TestClient, world: World, engine: Engine
) -> None:
    first = upload(
        client, world, "secretary_cb1", "an.txt", AN_2025, unit="t/xa/cb1", member="an", member_name="An"
    )
    review_id = first.json()["review_id"]
    before = _counts(engine)
    again = upload(client, world, "secretary_cb1", "an-sua.txt", BINH_2025, unit="t/xa/cb1", member="an")
    message = assert_error(again, 409, "duplicate_review")
    assert message.startswith("Đã có bản kiểm điểm cá nhân năm 2025") and "thay thế" in message
    assert _counts(engine) == before
    with session_scope(engine) as session:
        (review,) = session.scalars(select(Review)).all()
        assert (review.id, review.source) == (review_id, "an.txt")
        assert review.screenings[0].result == first.json()["screening"]
    replaced = upload(
        client, world, "secretary_cb1", "an-sua.txt", BINH_2025, unit="t/xa/cb1", member="an", replace=True
    )
    assert replaced.status_code == 201, replaced.text
    assert replaced.json()["review_id"] == review_id
    assert replaced.json()["screening_id"] != first.json()["screening_id"]
    detail = client.get(f"/api/v1/reviews/{review_id}", headers=world.auth("admin")).json()
    assert detail["review"]["source"] == "an-sua.txt"
    assert (
        detail["screening"] == replaced.json()["screening"] and "Phạm Thị Bình" in detail["screening"]["text"]
    )
    with session_scope(engine) as session:
        assert repo.count(session, Review) == 1 and repo.count(session, Screening) == 1
