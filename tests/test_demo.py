import json

import pytest

from service.demo import DemoSummary, format_summary, run_demo


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    return run_demo(tmp_path_factory.mktemp("demo"), n_units=2, members_per_unit=3)


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
