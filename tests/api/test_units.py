"""GET /api/v1/units/{code}/screenings (the committee's ranked list) and /copies (the inspector's audit)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from service_samples import AN_2025, BINH_2025, CHIBO_2025, World, assert_error, example, upload


def _stock(client: TestClient, world: World) -> dict[str, int]:
    """Reviews in both grassroots organisations; returns review ids by name."""
    ids = {}
    for name, unit, member, content, year in (
        ("lan-2024", "t/xa/cb1", "lan", example(2024), None),
        ("lan-2025", "t/xa/cb1", "lan", example(2025), None),
        ("an-2025", "t/xa/cb1", "an", AN_2025, None),
        ("binh-2025", "t/xa/cb1", "binh", BINH_2025, None),
        ("cuong-2025", "t/phuong/cb1", "cuong", AN_2025.replace("Lê Văn An", "Đỗ Văn Cường"), None),
        ("bc-2025", "t/xa/cb1", None, CHIBO_2025, None),
    ):
        response = upload(
            client,
            world,
            "admin",
            f"{name}.txt",
            content,
            unit=unit,
            member=member,
            member_name=member.title() if member else None,
            kind="collective" if member is None else None,
            year=year,
        )
        assert response.status_code == 201, response.text
        ids[name] = response.json()["review_id"]
    return ids


def test_the_ranked_list_is_by_formalism_with_flag_counts_and_units_below(
    client: TestClient, world: World
) -> None:
    ids = _stock(client, world)
    response = client.get(
        "/api/v1/units/t/xa/screenings", params={"year": 2025}, headers=world.auth("committee_xa")
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["unit"] == {"code": "t/xa", "name": "Đảng bộ xã Hòa Bình"} and body["year"] == 2025
    rows = body["reviews"]
    # The chi bộ below t/xa is included; the other grassroots organisation and 2024 are not.
    assert {r["review_id"] for r in rows} == {
        ids["lan-2025"],
        ids["an-2025"],
        ids["binh-2025"],
        ids["bc-2025"],
    }
    scores = [r["scores"]["formalism"] for r in rows]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)
    by_id = {r["review_id"]: r for r in rows}
    assert by_id[ids["an-2025"]]["scores"]["formalism"] > by_id[ids["binh-2025"]]["scores"]["formalism"]
    lan = by_id[ids["lan-2025"]]
    assert (lan["member_name"], lan["unit_name"], lan["year"]) == ("Lan", "Chi bộ thôn Đồng Tâm", 2025)
    detail = client.get(f"/api/v1/reviews/{lan['review_id']}", headers=world.auth("admin")).json()
    expected: dict[str, int] = {}
    for flag in detail["screening"]["flags"]:
        expected[flag["code"]] = expected.get(flag["code"], 0) + 1
    assert lan["flags"] == expected and lan["flags"]["copied_from_history"] >= 1
    assert by_id[ids["bc-2025"]]["member_name"] is None
    # The whole province for the inspector and the admin; limit keeps the top of the list.
    everyone = client.get("/api/v1/units/t/screenings?year=2025", headers=world.auth("inspector")).json()
    assert len(everyone["reviews"]) == 5
    top = client.get("/api/v1/units/t/screenings?year=2025&limit=2", headers=world.auth("admin")).json()
    assert [r["review_id"] for r in top["reviews"]] == [r["review_id"] for r in everyone["reviews"][:2]]
    earlier = client.get("/api/v1/units/t/screenings?year=2024", headers=world.auth("admin")).json()
    assert [r["review_id"] for r in earlier["reviews"]] == [ids["lan-2024"]]


def test_the_ranked_list_refuses_secretaries_other_subtrees_and_bad_parameters(
    client: TestClient, world: World
) -> None:
    _stock(client, world)
    assert "bí thư" in assert_error(
        client.get("/api/v1/units/t/xa/cb1/screenings?year=2025", headers=world.auth("secretary_cb1")),
        403,
        "forbidden",
    )
    for code in ("t/phuong", "t", "t/phuong/cb1", "khong-co"):
        response = client.get(
            f"/api/v1/units/{code}/screenings?year=2025", headers=world.auth("committee_xa")
        )
        assert assert_error(response, 404, "not_found") == f"không tìm thấy đơn vị mã '{code}'"
    missing = client.get("/api/v1/units/t/screenings", headers=world.auth("admin"))
    assert assert_error(missing, 422, "invalid") == "tham số 'year': bị thiếu"
    assert "'limit'" in assert_error(
        client.get("/api/v1/units/t/screenings?year=2025&limit=0", headers=world.auth("admin")), 422
    )


def test_the_copy_audit_lists_every_copy_flag_with_its_span_and_source(
    client: TestClient, world: World
) -> None:
    ids = _stock(client, world)
    response = client.get("/api/v1/units/t/copies", params={"year": 2025}, headers=world.auth("inspector"))
    assert response.status_code == 200, response.text
    copies = response.json()["copies"]
    lan = [c for c in copies if c["review_id"] == ids["lan-2025"]]
    assert {c["code"] for c in lan} >= {"copied_from_history", "recurring_shortcoming"}
    detail = client.get(f"/api/v1/reviews/{ids['lan-2025']}", headers=world.auth("admin")).json()
    text = detail["screening"]["text"]
    for row in lan:
        assert row["text"] == text[row["start"] : row["end"]] and row["text"]
        assert row["source"] == f"review:{ids['lan-2024']}" and row["source_review_id"] == ids["lan-2024"]
        assert row["source_year"] == 2024 and 0 < row["similarity"] <= 1
        assert (row["member_code"], row["member_name"], row["year"]) == ("lan", "Lan", 2025)
    # Cường (another grassroots organisation) wrote the same text as An after her: the index found her
    # review for the admin who uploaded his, who sees both; An's, uploaded first, names nobody.
    assert not [c for c in copies if c["review_id"] == ids["an-2025"]]
    cuong = [c for c in copies if c["review_id"] == ids["cuong-2025"]]
    an_source = f"review:{ids['an-2025']}"
    assert cuong and {(c["code"], c["source"]) for c in cuong} == {("copied_from_peer", an_source)}
    assert all(
        c["code"]
        in {"copied_from_history", "copied_from_peer", "copied_from_template", "recurring_shortcoming"}
        for c in copies
    )
    # The committee of the other grassroots organisation sees none of it; a secretary may not audit.
    assert_error(
        client.get("/api/v1/units/t/xa/copies", headers=world.auth("secretary_cb1")), 403, "forbidden"
    )
    assert_error(client.get("/api/v1/units/t/phuong/copies", headers=world.auth("committee_xa")), 404)
    mine = client.get("/api/v1/units/t/xa/copies", headers=world.auth("committee_xa")).json()["copies"]
    assert {c["review_id"] for c in mine} == {ids["lan-2025"]}


def test_only_the_latest_screening_counts_in_the_audit(client: TestClient, world: World) -> None:
    ids = _stock(client, world)
    audit = client.get("/api/v1/units/t/copies?year=2025", headers=world.auth("admin")).json()["copies"]
    assert "copied_from_history" in {c["code"] for c in audit if c["review_id"] == ids["lan-2025"]}
    # Lan's 2025 review replaced by her own new text: its copy flags disappear from the audit.
    replaced = upload(
        client,
        world,
        "admin",
        "lan-2025.txt",
        BINH_2025.replace("Phạm Thị Bình", "Trần Thị Lan"),
        unit="t/xa/cb1",
        member="lan",
        replace=True,
    )
    assert replaced.status_code == 201
    copies = client.get("/api/v1/units/t/copies?year=2025", headers=world.auth("admin")).json()["copies"]
    lan = [c for c in copies if c["review_id"] == ids["lan-2025"]]
    # What remains is what the new text shares with Bình's review of the same chi bộ and year.
    assert lan and {c["code"] for c in lan} == {"copied_from_peer"}
    assert {c["source_review_id"] for c in lan} == {ids["binh-2025"]}
