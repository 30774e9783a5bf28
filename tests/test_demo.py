import json
import sqlite3
from collections.abc import Iterator

import pytest

from service.api.review_index import open_index
from service.demo import DemoSummary, format_summary, run_demo, save_to_store
from service.store.db import ENV_URL, make_engine


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSummary]:
    with pytest.MonkeyPatch.context() as patch:
        # The demo writes to its own SQLite file here, never to a database a developer has configured.
        patch.delenv(ENV_URL, raising=False)
        yield run_demo(tmp_path_factory.mktemp("demo"), n_units=2, members_per_unit=3)


def _stored(summary: DemoSummary) -> dict[str, int]:
    with sqlite3.connect(summary.out_dir / "kiemdiem.db") as db:
        return {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("units", "members", "reviews", "screenings", "flags")
        }


def _indexed(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return open_index(engine).keys("review:")
    finally:
        engine.dispose()


def _review_keys(summary: DemoSummary) -> set[str]:
    with sqlite3.connect(summary.out_dir / "kiemdiem.db") as db:
        return {f"review:{row[0]}" for row in db.execute("SELECT id FROM reviews")}


def test_demo_screens_a_generated_province_and_writes_reports(summary: DemoSummary) -> None:
    tmp_path = summary.out_dir
    text = format_summary(summary)
    assert summary.results and all(r.entry.year == 2025 for r in summary.results)
    for heading in ("Hình thức nhất", "Sao chép bản kiểm điểm năm trước", "Câu sáo rỗng", "Xếp hạng chi bộ"):
        assert heading in text
    # Each unit's line is followed by its quota of excellent ratings.
    assert text.count("xuất sắc") >= len({r.entry.unit for r in summary.results})
    for result in summary.results:
        page = summary.reports[result.entry.file]
        assert page.is_file() and "<!doctype html>" in page.read_text(encoding="utf-8")
        # Every review of 2025 has at least one earlier year as history in the generated province.
        assert result.screening.context.history
    data = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert len(data["reviews"]) == len(summary.results)
    assert all(0 <= r["scores"]["formalism"] <= 1 for r in data["reviews"])


def test_demo_ranks_the_copier_above_the_honest_writer(summary: DemoSummary) -> None:
    individual = sorted(
        (r for r in summary.results if r.entry.kind == "individual"),
        key=lambda r: r.screening.scores["duplication"],
    )
    least, most = individual[0].screening.scores, individual[-1].screening.scores
    assert most["duplication"] >= 0.5 > least["duplication"]
    assert most["formalism"] > least["formalism"]


def test_demo_stores_every_screened_review_in_its_sqlite_database(summary: DemoSummary) -> None:
    data = json.loads((summary.out_dir / "summary.json").read_text(encoding="utf-8"))
    assert data["database"] == f"sqlite:///{summary.out_dir / 'kiemdiem.db'}"
    stored = _stored(summary)
    assert stored["screenings"] == stored["reviews"] == len(data["reviews"]) == len(summary.results)
    assert stored["flags"] == sum(r["flags"] for r in data["reviews"])
    manifest = summary.manifest
    # The province, its grassroots organisations and chi bộ; every member of the generated province.
    assert stored["units"] == 1 + len(manifest["province"]["dangbo"]) + len(manifest["units"])
    assert stored["members"] == len(manifest["members"])
    line = format_summary(summary).splitlines()[-1]
    assert line == (
        f"Cơ sở dữ liệu: {summary.out_dir / 'kiemdiem.db'} (SQLite) — đang lưu {len(summary.results)} "
        f"bản kiểm điểm và {len(summary.results)} kết quả rà soát"
    )
    # Every stored review is in the copy index, so the service's uploads are compared with them.
    assert _indexed(data["database"]) == _review_keys(summary)
    # A second run replaces the first one's rows: nothing fails, nothing is duplicated.
    save_to_store(summary, data["database"])
    assert _stored(summary) == stored
    assert _indexed(data["database"]) == _review_keys(summary)
    assert (summary.stored_reviews, summary.stored_screenings) == (len(summary.results), len(summary.results))
