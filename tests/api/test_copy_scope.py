"""Copying across chi bộ: every upload is compared with the reviews of the uploader's whole scope that the
persisted copy index finds (service.api.review_index), never with a review outside that scope."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from service_samples import AN_2025, BINH_2025, World, upload
from sqlalchemy import Engine, select

from service.api.app import create_app
from service.api.review_index import index_after_commit, open_index
from service.cli import main
from service.store import repository as repo
from service.store.db import session_scope
from service.store.models import Unit
from service.text.pipeline import build_review

COPY = BINH_2025.replace("Phạm Thị Bình", "Đỗ Văn Cường")


def _sources(response_json: dict, code: str = "copied_from_peer") -> set[str]:
    return {f["evidence"]["source"] for f in response_json["screening"]["flags"] if f["code"] == code}


@pytest.fixture
def cb2(world: World, engine: Engine) -> World:
    """A second chi bộ under `t/xa`, with a secretary who sees only it."""
    with session_scope(engine) as session:
        xa = session.scalars(select(Unit).where(Unit.code == "t/xa")).one()
        cb2 = repo.unit(session, "t/xa/cb2", "Chi bộ thôn Tân Lập", "chibo", parent=xa)
        _, token = repo.add_user(session, name="Bí thư CB2", role="secretary", unit=cb2)
    world.tokens["secretary_cb2"] = token
    return world


def test_a_copy_from_another_chibo_in_scope_is_found_and_out_of_scope_is_not(
    client: TestClient, cb2: World, engine: Engine
) -> None:
    a = upload(
        client,
        cb2,
        "secretary_cb1",
        "binh.txt",
        BINH_2025,
        unit="t/xa/cb1",
        member="binh",
        member_name="Phạm Thị Bình",
    )
    assert a.status_code == 201, a.text
    a_source = f"review:{a.json()['review_id']}"
    # The committee of the grassroots organisation sees both chi bộ: the copy names A's review.
    b = upload(
        client,
        cb2,
        "committee_xa",
        "cuong.txt",
        COPY,
        unit="t/xa/cb2",
        member="cuong",
        member_name="Đỗ Văn Cường",
    )
    assert b.status_code == 201, b.text
    assert _sources(b.json()) == {a_source}
    flag = next(f for f in b.json()["screening"]["flags"] if f["code"] == "copied_from_peer")
    assert "(Phạm Thị Bình, Chi bộ thôn Đồng Tâm)" in flag["message"]
    # The secretary of chi bộ B cannot see chi bộ A: the same copy is not compared with A's review
    # (only with B's own reviews of the year, as before).
    c = upload(
        client,
        cb2,
        "secretary_cb2",
        "dung.txt",
        COPY,
        unit="t/xa/cb2",
        member="dung",
        member_name="Vũ Văn Dũng",
    )
    assert c.status_code == 201, c.text
    assert a_source not in _sources(c.json())
    assert _sources(c.json()) == {f"review:{b.json()['review_id']}"}
    # Another grassroots organisation's secretary sees neither.
    d = upload(
        client,
        cb2,
        "secretary_phuong",
        "em.txt",
        COPY,
        unit="t/phuong/cb1",
        member="em",
        member_name="Ngô Thị Em",
    )
    assert d.status_code == 201, d.text
    assert not _sources(d.json())
    # A new app (a new process) on the same database finds A's review through the persisted index: a
    # review of another year is neither history nor a same-year peer, so only the index can name it.
    # (Where most sources share a line, the detector takes it for stock text: hence a narrow scope.)
    with TestClient(create_app(engine)) as fresh:
        e = upload(
            fresh,
            cb2,
            "secretary_cb1",
            "giang.txt",
            COPY,
            unit="t/xa/cb1",
            member="giang",
            member_name="Lý Văn Giang",
            year=2026,
        )
        assert e.status_code == 201, e.text
        assert a_source in _sources(e.json())


def test_replacing_a_review_reindexes_it(client: TestClient, world: World, engine: Engine) -> None:
    a = upload(
        client,
        world,
        "admin",
        "binh.txt",
        BINH_2025,
        unit="t/xa/cb1",
        member="binh",
        member_name="Phạm Thị Bình",
    )
    a_source = f"review:{a.json()['review_id']}"
    replaced = upload(
        client, world, "admin", "binh-2.txt", AN_2025, unit="t/xa/cb1", member="binh", replace=True
    )
    assert replaced.status_code == 201 and replaced.json()["review_id"] == a.json()["review_id"]
    # The old text is gone from the index, the new one is there under the same key.
    copy_of_old = upload(
        client, world, "admin", "cuong.txt", COPY, unit="t/phuong/cb1", member="cuong", member_name="C"
    )
    assert a_source not in _sources(copy_of_old.json())
    copy_of_new = AN_2025.replace("Lê Văn An", "Đinh Văn Hải")
    found = upload(
        client,
        world,
        "admin",
        "hai.txt",
        copy_of_new,
        unit="t/phuong/cb1",
        member="hai",
        member_name="H",
        year=2025,
    )
    assert a_source in _sources(found.json())
    index = open_index(engine)
    assert a_source in index and len(index) == 3


def test_a_review_is_indexed_only_once_its_transaction_commits(world: World, engine: Engine) -> None:
    index = open_index(engine)
    review = build_review(BINH_2025, source="binh.txt", year=2025)
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        index_after_commit(session, index, 99, review)
        raise RuntimeError("the upload failed before its commit")
    assert "review:99" not in index
    with session_scope(engine) as session:
        index_after_commit(session, index, 98, review)
        assert "review:98" not in index
    assert "review:98" in index


def test_index_rebuild_indexes_every_stored_review(
    capsys: pytest.CaptureFixture[str], client: TestClient, world: World, engine: Engine, db_url: str
) -> None:
    ids = [
        upload(client, world, "admin", f"{m}.txt", text, unit="t/xa/cb1", member=m, member_name=m).json()[
            "review_id"
        ]
        for m, text in (("binh", BINH_2025), ("an", AN_2025))
    ]
    index = open_index(engine)
    index.remove(f"review:{ids[0]}")
    index.add("review:12345", BINH_2025)  # a review the store no longer holds
    assert main(["index", "rebuild", "--url", db_url]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.count("\n") == 1
    assert out.endswith(": đã lập chỉ mục sao chép cho 2 bản kiểm điểm\n") and "password" not in out
    assert index.keys("review:") == {f"review:{i}" for i in ids}
    assert main(["index", "rebuild", "--url", "sqlite:////khong/co/thu-muc/nay.db"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("kiemdiem: ") and err.count("\n") == 1
