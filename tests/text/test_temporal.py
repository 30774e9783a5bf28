"""The temporal tagger: normalisation table, false dates, offsets and deadline plausibility."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.paths import SHARED_CORPUS_DIR
from service.text.temporal import (
    TimeExpression,
    check_deadline,
    find_time_expressions,
    ruleset_version,
    vague_rules,
)

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class Row:
    sentence: str
    reference_year: int | None
    text: str
    start: str  # ISO date, "VAGUE" or "NONE"
    end: str


def _rows() -> list[Row]:
    rows = []
    lines = (DATA / "temporal_expressions.tsv").read_text(encoding="utf-8").splitlines()
    body = [line for line in lines if line.strip() and not line.startswith("#")]
    assert body[0].startswith("sentence\treference_year")
    for line in body[1:]:
        sentence, ref, text, start, end = line.split("\t")
        rows.append(Row(sentence, int(ref) if ref else None, text, start, end))
    return rows


def _negatives() -> list[str]:
    lines = (DATA / "temporal_negatives.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _matches(row: Row, found: list[TimeExpression]) -> bool:
    for e in found:
        if e.text != row.text:
            continue
        if row.start == "VAGUE":
            return e.vague and e.value_start is None and e.value_end is None
        if row.start == "NONE":
            return not e.vague and e.value_start is None
        return not e.vague and (str(e.value_start), str(e.value_end)) == (row.start, row.end)
    return False


def test_table_is_normalised_exactly() -> None:
    rows = _rows()
    assert len(rows) >= 300
    failures = []
    for row in rows:
        found = find_time_expressions(row.sentence, reference_year=row.reference_year)
        if not _matches(row, found):
            got = [(e.text, str(e.value_start), str(e.value_end), e.rule) for e in found]
            want = f"{row.text!r} {row.start}..{row.end}"
            failures.append(f"{row.sentence!r} ({row.reference_year}): want {want}, got {got}")
    share = 1 - len(failures) / len(rows)
    print(f"\nexact normalisation: {len(rows) - len(failures)}/{len(rows)} = {share:.3f}")
    for f in failures:
        print("  FAIL", f)
    assert share >= 0.97


def test_negatives_have_no_concrete_expression() -> None:
    sentences = _negatives()
    assert len(sentences) >= 100
    false_dates = {
        s: [(e.text, e.rule) for e in find_time_expressions(s, reference_year=2025) if not e.vague]
        for s in sentences
    }
    false_dates = {s: found for s, found in false_dates.items() if found}
    assert not false_dates, false_dates


def test_offsets_index_the_input() -> None:
    texts = [r.sentence for r in _rows()] + _negatives()
    for text in texts:
        found = find_time_expressions(text, reference_year=2025)
        for e in found:
            assert text[e.start : e.end] == e.text
        for a, b in pairwise(found):
            assert a.end <= b.start, (text, a, b)  # sorted, non-overlapping


# Pieces of time expressions, to be shuffled into fragments the rules were not written for.
_PIECES = [
    "trước",
    "ngày",
    "30/6",
    "2026",
    "năm",
    "tháng",
    "quý",
    "II",
    "đến",
    "hết",
    "12/12",
    "từ",
    "/",
    "-",
    "trong",
    "thời gian tới",
    "6",
    "năm học",
    "2025-2026",
    "thứ",
    ",",
    ".",
    "Năm",
    "vòng",
    "kiểm điểm",
    "cuối",
    "đầu",
    "nửa",
    "31",
    "hoàn thành",
    "tới",
    "sau",
    "học kỳ",
    "I",
    "nay",
    "vừa qua",
    "giai đoạn",
    "2030",
    "29/2",
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), max_size=14),
    st.one_of(st.none(), st.integers(2018, 2030)),
)
def test_any_text_gives_consistent_expressions(words: list[str], year: int | None) -> None:
    text = " ".join(words)
    for e in find_time_expressions(text, reference_year=year):
        assert text[e.start : e.end] == e.text
        assert e.vague == (e.kind == "vague")
        if e.vague:
            assert e.value_start is None and e.value_end is None
        if e.value_start is not None:
            assert e.value_end is not None and e.value_start <= e.value_end


def _one(text: str, **kwargs: int | None) -> TimeExpression:
    found = find_time_expressions(text, **kwargs)
    assert len(found) == 1, found
    return found[0]


def test_bare_date_belongs_to_the_year_after_the_review() -> None:
    e = _one("Hoàn thành trước 30/6.", reference_year=2025)
    assert (e.value_start, e.value_end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert e.rule == "before+date_dm" and e.kind == "deadline"
    same_year = _one("Hoàn thành trước 30/6.", reference_year=2025, default_year=2025)
    assert same_year.value_end == date(2025, 6, 30)
    unknown = _one("Hoàn thành trước 30/6.")
    assert not unknown.vague and unknown.value_end is None


def test_next_year_is_concrete_only_with_a_reference_year() -> None:
    known = _one("Khắc phục trong năm tới.", reference_year=2025)
    assert not known.vague and known.value_end == date(2026, 12, 31)
    unknown = _one("Khắc phục trong năm tới.")
    assert unknown.vague and unknown.rule == "vague.nam_toi"


def test_document_dates_are_not_time_expressions() -> None:
    text = "Thực hiện Quy định 366-QĐ/TW ngày 30/8/2025 và Chỉ thị 05-CT/TW năm 2016, Luật Đất đai năm 2024."
    assert find_time_expressions(text, reference_year=2025) == []
    # The same date with a deadline cue is a deadline even after a citation.
    e = _one("Học tập Quy định 366-QĐ/TW trước 31/1/2026.", reference_year=2025)
    assert e.text == "trước 31/1/2026"


def test_check_deadline() -> None:
    def first(text: str) -> TimeExpression:
        return find_time_expressions(text, reference_year=2025)[0]

    assert check_deadline(first("Khắc phục trước 30/6/2026."), 2025) == "ok"
    assert check_deadline(first("Khắc phục trong quý I/2027."), 2025) == "ok"  # within the grace
    assert check_deadline(first("Khắc phục trong quý II/2027."), 2025) == "implausible"
    assert check_deadline(first("Khắc phục trước 30/6/2019."), 2025) == "implausible"
    assert check_deadline(first("Hoàn thành trong năm 2030."), 2025) == "implausible"
    assert check_deadline(first("Thực hiện trong nhiệm kỳ 2025-2030."), 2025) == "implausible"
    assert check_deadline(first("Phấn đấu trong 10 năm tới đạt trình độ tiến sĩ."), 2025) == "implausible"
    assert check_deadline(first("Phấn đấu trong 3 tháng tới hoàn thành."), 2025) == "ok"
    assert check_deadline(first("Đã khắc phục trong tháng 3/2025."), 2025) == "ok"
    assert check_deadline(first("Đã khắc phục trong tháng 12/2024."), 2025) == "implausible"
    assert check_deadline(first("Khắc phục trong thời gian tới."), 2025) == "vague"
    assert check_deadline(first("Khắc phục trước 30/6/2019."), None) == "ok"  # nothing to compare with
    assert check_deadline(first("Khắc phục trong quý I/2027."), 2025, grace_months=0) == "implausible"


def test_vague_rules_are_complete_data() -> None:
    rules = vague_rules()
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids)) and all(i.startswith("vague.") for i in ids)
    categories = {"unspecified", "immediate", "continuous", "periodic", "open_ended"}
    for r in rules:
        assert r.category in categories
        assert r.message.strip() and r.hint.strip()
    found = {e.rule for e in find_time_expressions("Khắc phục ngay, thường xuyên, trong thời gian tới.")}
    assert found == {"vague.ngay", "vague.thuong_xuyen", "vague.thoi_gian_toi"}
    assert find_time_expressions("Bản thân luôn ngay thẳng, thật thà.") == []
    assert ruleset_version() == "temporal.rules@1+temporal.vague@1"


@pytest.mark.real
def test_real_samples_have_no_false_dates() -> None:
    raw = SHARED_CORPUS_DIR / "real" / "raw"
    if not raw.is_dir():
        pytest.skip(f"../shared/corpus not present: {raw}")
    for path in sorted(raw.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for e in find_time_expressions(text, reference_year=2025):
            assert text[e.start : e.end] == e.text
            if e.vague:
                continue
            # The 2025 samples speak of 2025 and the year ahead; any other year is a citation or a ratio
            # misread as a date ("Chỉ thị 05-CT/TW năm 2016", "12/12 tháng").
            assert e.value_start is not None and e.value_end is not None
            assert date(2025, 1, 1) <= e.value_start and e.value_end <= date(2026, 12, 31), (path.name, e)
