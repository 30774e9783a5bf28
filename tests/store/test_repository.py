"""Reviews and screenings stored and read back: round trips, rankings, duplicates, replacement."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from store_samples import TEXTS, screened, unscored

from service.screening import Screening
from service.store import repository as repo
from service.store.db import session_scope
from service.store.models import Flag, Member, Review, Unit
from service.store.models import Screening as ScreeningRow


@dataclass
class Tree:
    province: Unit
    xa: Unit
    phuong: Unit
    cb_xa: Unit
    cb_phuong: Unit


def _tree(session: Session) -> Tree:
    province = repo.unit(session, "t", "Đảng bộ tỉnh Thử Nghiệm", "province")
    xa = repo.unit(session, "t/xa", "Đảng bộ xã Hòa Bình", "grassroots", parent=province)
    phuong = repo.unit(session, "t/phuong", "Đảng bộ phường Bến Đá", "grassroots", parent=province)
    return Tree(
        province=province,
        xa=xa,
        phuong=phuong,
        cb_xa=repo.unit(session, "t/xa/cb1", "Chi bộ thôn Đồng Tâm", "chibo", parent=xa),
        cb_phuong=repo.unit(session, "t/phuong/cb1", "Chi bộ khu phố 3", "chibo", parent=phuong),
    )


def _store(
    session: Session, unit: Unit, member: Member | None, screening: Screening, *, year: int = 2025
) -> Review:
    review = repo.add_review(
        session,
        unit=unit,
        member=member,
        year=year,
        kind="individual" if member else "collective",
        source=screening.review.source,
        text=screening.review.text,
        form=screening.review.form,
    )
    repo.save_screening(session, review, screening)
    return review


def test_a_screening_round_trips_with_scores_flags_and_the_contract_object(engine: Engine) -> None:
    screening = screened("lan-2025")
    assert screening.flags and screening.scores["formalism"] is not None
    with session_scope(engine) as session:
        tree = _tree(session)
        lan = repo.member(session, "t/xa/cb1/lan", "Trần Thị Lan", tree.cb_xa)
        review_id = _store(session, tree.cb_xa, lan, screening).id
    with session_scope(engine) as session:
        review = session.get(Review, review_id)
        assert review is not None and review.member is not None
        assert (review.member.name, review.unit.name, review.year, review.kind, review.form) == (
            "Trần Thị Lan",
            "Chi bộ thôn Đồng Tâm",
            2025,
            "individual",
            screening.review.form,
        )
        assert review.text == screening.review.text and len(review.sha256) == 64
        (row,) = review.screenings
        assert row.schema == "kiemdiem.screen/1" and row.pipeline_version
        for name in ("formalism", "duplication", "boilerplate", "remedies", "coverage"):
            assert getattr(row, name) == pytest.approx(screening.scores[name])
        assert row.result == json.loads(json.dumps(screening.to_dict(), ensure_ascii=False))
        flags = repo.flags_of(session, row.id)
        assert [(f.code, f.severity, f.start, f.end, f.message, f.hint) for f in flags] == [
            (f.code, f.severity, f.start, f.end, f.message, f.hint) for f in screening.flags
        ]
        # Offsets still point at the flagged text of the stored review; evidence is kept whole.
        for stored, original in zip(flags, screening.flags, strict=True):
            assert (
                review.text[stored.start : stored.end] == screening.review.text[original.start : original.end]
            )
            assert stored.evidence == json.loads(json.dumps(original.evidence, ensure_ascii=False))
        copied = [f for f in flags if f.code == "copied_from_history"]
        assert copied and all(f.evidence["source_year"] == 2024 for f in copied)
        # Flags are found by code across screenings (the column is indexed for this).
        assert session.scalars(select(Flag.screening_id).where(Flag.code == "copied_from_history")).all()


def test_a_screening_of_another_text_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="không thuộc văn bản"), session_scope(engine) as session:
        tree = _tree(session)
        an = repo.member(session, "t/an", "Lê Văn An", tree.cb_xa)
        review = _store(session, tree.cb_xa, an, screened("an-2025"))
        repo.save_screening(session, review, screened("binh-2025"))


def test_ranked_orders_by_formalism_and_filters_by_unit_and_year(engine: Engine) -> None:
    an, binh, lan = screened("an-2025"), screened("binh-2025"), screened("lan-2025")
    collective = screened("chibo-2025")
    with session_scope(engine) as session:
        tree = _tree(session)
        members = {
            code: repo.member(session, f"t/{code}", name, unit)
            for code, name, unit in (
                ("an", "Lê Văn An", tree.cb_xa),
                ("binh", "Phạm Thị Bình", tree.cb_xa),
                ("lan", "Trần Thị Lan", tree.cb_phuong),
                ("cuong", "Đỗ Văn Cường", tree.cb_phuong),
            )
        }
        _store(session, tree.cb_xa, members["an"], an)
        _store(session, tree.cb_xa, members["binh"], binh)
        _store(session, tree.cb_phuong, members["lan"], lan)
        _store(session, tree.cb_xa, None, collective)
        # A review nothing could score ranks after every scored one.
        _store(session, tree.cb_phuong, members["cuong"], unscored(screened("an-2025")))
        # An earlier year's review is not in 2025's ranking.
        _store(session, tree.cb_xa, members["binh"], screened("binh-2025", year=2024), year=2024)
        # Screened again: only the latest screening of a review counts.
        rescreened = _store(session, tree.cb_phuong, None, collective)
        repo.save_screening(session, rescreened, unscored(collective))
    expected = sorted(
        [("Lê Văn An", an), ("Phạm Thị Bình", binh), ("Trần Thị Lan", lan), (None, collective)],
        key=lambda pair: -(pair[1].scores["formalism"] or 0),
    )
    assert len({s.scores["formalism"] for _, s in expected}) == 4, "distinct scores make the order testable"
    with session_scope(engine) as session:
        everyone = repo.ranked(session, year=2025)
        assert [r.member_name for r in everyone] == [name for name, _ in expected] + ["Đỗ Văn Cường", None]
        assert [r.formalism for r in everyone[:4]] == [
            pytest.approx(s.scores["formalism"]) for _, s in expected
        ]
        assert everyone[-1].unit_name == "Chi bộ khu phố 3" and everyone[-1].formalism is None
        assert everyone[-2].formalism is None and all(r.year == 2025 for r in everyone)
        # A chi bộ, or a grassroots organisation with everything below it.
        assert {r.member_code for r in repo.ranked(session, year=2025, unit_code="t/xa/cb1")} == {
            "t/an",
            "t/binh",
            None,
        }
        assert [r.member_code for r in repo.ranked(session, year=2025, unit_code="t/phuong")] == [
            "t/lan",
            "t/cuong",
            None,
        ]
        assert len(repo.ranked(session, year=2025, unit_code="t")) == 6
        assert repo.ranked(session, year=2025, unit_code="khong-co") == []
        assert [r.member_code for r in repo.ranked(session, year=2024)] == ["t/binh"]
        assert [r.review_id for r in repo.ranked(session, year=2025, limit=2)] == [
            r.review_id for r in everyone[:2]
        ]


def test_a_duplicate_review_is_refused_and_the_stored_one_is_untouched(engine: Engine) -> None:
    first, second = screened("an-2025"), screened("binh-2025")
    with session_scope(engine) as session:
        tree = _tree(session)
        an = repo.member(session, "t/an", "Lê Văn An", tree.cb_xa)
        review_id = _store(session, tree.cb_xa, an, first).id
    with pytest.raises(repo.DuplicateReview) as caught, session_scope(engine) as session:
        tree = _tree(session)
        an = repo.member(session, "t/an", "Lê Văn An", tree.cb_xa)
        _store(session, tree.cb_xa, an, second)
    message = str(caught.value)
    assert "Lê Văn An" in message and "2025" in message and "Chi bộ thôn Đồng Tâm" in message
    with session_scope(engine) as session:
        (review,) = session.scalars(select(Review)).all()
        assert (review.id, review.text, review.source) == (review_id, first.review.text, "an-2025.txt")
        (row,) = review.screenings
        assert row.result["text"] == first.review.text and len(row.flags) == len(first.flags)


def test_replace_puts_the_new_text_in_place_and_drops_the_old_screenings(engine: Engine) -> None:
    first, second = screened("an-2025"), screened("binh-2025")
    with session_scope(engine) as session:
        tree = _tree(session)
        an = repo.member(session, "t/an", "Lê Văn An", tree.cb_xa)
        old = _store(session, tree.cb_xa, an, first)
        old_id, old_screening = old.id, old.screenings[0].id
    with session_scope(engine) as session:
        tree = _tree(session)
        an = repo.member(session, "t/an", "Lê Văn An", tree.cb_xa)
        new = repo.add_review(
            session,
            unit=tree.cb_xa,
            member=an,
            year=2025,
            kind="individual",
            source="an-2025-sua.txt",
            text=second.review.text,
            form=second.review.form,
            replace=True,
        )
        assert new.id == old_id and new.screenings == []
        assert repo.save_screening(session, new, second).id != old_screening  # ids are never reused
    with session_scope(engine) as session:
        (review,) = session.scalars(select(Review)).all()
        assert (review.source, review.text) == ("an-2025-sua.txt", second.review.text)
        assert [s.result["text"] for s in review.screenings] == [second.review.text]
        # The old screening's flags went with it.
        assert repo.flags_of(session, old_screening) == []
        assert repo.count(session, Flag) == len(second.flags)


def test_collective_reviews_are_unique_per_unit_year_and_kind(engine: Engine) -> None:
    report = TEXTS["chibo-2025"]
    with session_scope(engine) as session:
        tree = _tree(session)
        for unit in (tree.cb_xa, tree.cb_phuong):
            repo.add_review(
                session,
                unit=unit,
                member=None,
                year=2025,
                kind="collective",
                source="bc.txt",
                text=report,
                form=None,
            )
        repo.add_review(
            session,
            unit=tree.cb_xa,
            member=None,
            year=2024,
            kind="collective",
            source="bc.txt",
            text=report,
            form=None,
        )
    with (
        pytest.raises(
            repo.DuplicateReview, match="báo cáo kiểm điểm tập thể năm 2025 của Chi bộ thôn Đồng Tâm"
        ),
        session_scope(engine) as session,
    ):
        repo.add_review(
            session,
            unit=_tree(session).cb_xa,
            member=None,
            year=2025,
            kind="collective",
            source="bc2.txt",
            text=report + "Bổ sung.",
            form=None,
        )
    # The database itself refuses the second one, whatever code writes it (NULL member ids).
    with session_scope(engine) as session:
        unit_id = _tree(session).cb_xa.id
    row = {"unit_id": unit_id, "member_id": None, "year": 2025, "kind": "collective", "form": None}
    row |= {"source": "bc3.txt", "text": report, "sha256": "0" * 64}
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(Review).values(**row))
    with session_scope(engine) as session:
        assert repo.count(session, Review) == 3


def test_subjects_must_match_the_kind_of_review(engine: Engine) -> None:
    with session_scope(engine) as session:
        tree = _tree(session)
        an = repo.member(session, "t/an", "Lê Văn An", tree.cb_xa)
        common = {"year": 2025, "source": "x.txt", "text": TEXTS["an-2025"], "form": None}
        with pytest.raises(ValueError, match="phải có đảng viên"):
            repo.add_review(session, unit=tree.cb_xa, member=None, kind="individual", **common)
        with pytest.raises(ValueError, match="phải có đảng viên"):
            repo.add_review(session, unit=tree.cb_xa, member=an, kind="collective", **common)
        with pytest.raises(ValueError, match="loại bản kiểm điểm"):
            repo.add_review(session, unit=tree.cb_xa, member=an, kind="ca-nhan", **common)


def test_units_and_members_are_got_or_created(engine: Engine) -> None:
    with session_scope(engine) as session:
        tree = _tree(session)
        again = _tree(session)
        assert again.cb_xa.id == tree.cb_xa.id and repo.count(session, Unit) == 5
        renamed = repo.unit(session, "t/xa", "Đảng bộ xã Hòa Bình Mới", "grassroots", parent=tree.province)
        assert renamed.id == tree.xa.id and renamed.name == "Đảng bộ xã Hòa Bình Mới"
        with pytest.raises(ValueError, match="khác loại hoặc khác cấp trên"):
            repo.unit(session, "t/xa/cb1", "Chi bộ thôn Đồng Tâm", "chibo", parent=tree.phuong)
        with pytest.raises(ValueError, match="loại đơn vị"):
            repo.unit(session, "t/x", "X", "tinh")
        an = repo.member(session, "t/an", "Lê Văn An", tree.cb_xa)
        moved = repo.member(session, "t/an", "Lê Văn An", tree.cb_phuong)
        assert moved.id == an.id and moved.unit_id == tree.cb_phuong.id and repo.count(session, Member) == 1


def test_removing_a_unit_removes_everything_under_it(engine: Engine) -> None:
    with session_scope(engine) as session:
        tree = _tree(session)
        an = repo.member(session, "t/an", "Lê Văn An", tree.cb_xa)
        lan = repo.member(session, "t/lan", "Trần Thị Lan", tree.cb_phuong)
        _store(session, tree.cb_xa, an, screened("an-2025"))
        _store(session, tree.cb_phuong, lan, screened("lan-2025"))
    with session_scope(engine) as session:
        assert repo.remove_unit(session, "t/xa") and not repo.remove_unit(session, "t/xa")
    with session_scope(engine) as session:
        assert session.scalars(select(Unit.code).order_by(Unit.code)).all() == [
            "t",
            "t/phuong",
            "t/phuong/cb1",
        ]
        assert session.scalars(select(Member.code)).all() == ["t/lan"]
        assert [r.source for r in session.scalars(select(Review))] == ["tran-thi-lan-2025.txt"]
        assert repo.count(session, ScreeningRow) == 1
        assert repo.count(session, Flag) == len(screened("lan-2025").flags)
