"""The 14 real samples in ../shared/corpus/real/raw: form, section headings, year, grade and points.

Expected values come from reading each file (never copied here). Notes on that reading:
- 04, 05, 06 are listed as "Mẫu 2C" by their source page, but their printed text is Mẫu 2B's: item I.2 is
  the 2B wording ("Việc thực hiện nhiệm vụ, quyền hạn ...") and part B cites the frame "đối với cá nhân không
  giữ chức vụ lãnh đạo, quản lý ... Phụ lục 4". The parser reads the text, so they are 2B.
- 02-06 lost the headings of A, I, II, III, IV, B, B.I and B.II on the way to the web: the items I.1-I.3 and
  II.1-II.2 remain, so their parents are implied; III, IV, B.I and B.II are placed by the form's printed
  instructions that remain ("Kiểm điểm rõ từng hạn chế ...", "Trên cơ sở cụ thể hoá khung tiêu chí ...", the
  list of the four levels). VI has neither heading nor instruction there and is not found.
- 07-11 are single sections published as guides. None carries a heading of the form: 07 repeats the labels
  "Hạn chế khuyết điểm:" / "Nguyên nhân ...:" four times (list items of examples), 08 and 10 are bare
  examples, 09 labels examples by form name ("Mẫu 02A/02B/02C ...", all individual), 11 is a list of criteria.
  Their form is therefore None.
- 12-14 are Mẫu 01 (collective); 14 keeps only item I.1 (A and I implied).
Years: 01 leaves "Năm …." blank (None); 05, 06, 08, 09, 11 write no year; 13 writes "trong năm …" (blank).
No sample proposes a rating (the printed list of four levels is left as is) and every points line is blank.
"""

from __future__ import annotations

import re

import pytest

from service.paths import SHARED_CORPUS_DIR
from service.text.document import Points
from service.text.forms import load_definitions, parse_form
from service.text.meta import read_grade, read_points, read_year
from service.text.normalize import normalize


def _ids_of(names: str) -> list[str]:
    return names.split()


pytestmark = pytest.mark.real

RAW = SHARED_CORPUS_DIR / "real" / "raw"

FULL_2025 = _ids_of("A I I.1 I.2 I.3 II II.1 II.2 III IV V VI B B.I B.II")
FULL_01 = _ids_of("A I I.1 I.2 I.3 I.4 II II.1 II.2 III IV V VI B B.I B.II")
WEB_2B = _ids_of("I.1 I.2 I.3 II.1 II.2")
WEB_2B_INFERRED = _ids_of("header A I II III IV B B.I B.II")

# file number: (form, kind, ids found by their heading, ids implied or placed by an instruction, year)
EXPECTED: dict[str, tuple[str | None, str | None, list[str], list[str], int | None]] = {
    "01": ("2C", "individual", FULL_2025, ["header"], None),
    "02": ("2B", "individual", WEB_2B, WEB_2B_INFERRED, 2025),
    "03": ("2B", "individual", WEB_2B, WEB_2B_INFERRED, 2025),
    "04": ("2B", "individual", WEB_2B, WEB_2B_INFERRED, 2025),
    "05": ("2B", "individual", WEB_2B, WEB_2B_INFERRED, None),
    "06": ("2B", "individual", WEB_2B, WEB_2B_INFERRED, None),
    "07": (None, None, [], [], 2025),
    "08": (None, None, [], [], None),
    "09": (None, "individual", [], [], None),
    "10": (None, None, [], [], 2025),
    "11": (None, None, [], [], None),
    "12": ("01", "collective", FULL_01, ["header"], 2025),
    "13": ("01", "collective", FULL_01, [], None),
    "14": ("01", "collective", ["I.1"], ["A", "I"], 2025),
}


def _sample(number: str) -> tuple[str, str]:
    if not RAW.is_dir():
        pytest.skip(f"../shared/corpus not present: {RAW} (the real samples are read, never copied)")
    path = next(RAW.glob(f"{number}_*.txt"), None)
    if path is None:
        pytest.skip(f"../shared/corpus incomplete: no sample {number} in {RAW}")
    lines = path.read_text(encoding="utf-8").split("\n", 2)
    assert lines[0].startswith("SOURCE:") and lines[1].startswith("YEAR:")
    return path.name, normalize(lines[2]).text


def _words(s: str) -> list[str]:
    return re.findall(r"\w+", s.lower())


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_real_sample_form_sections_year(number: str) -> None:
    name, text = _sample(number)
    form, kind, headed, inferred, year = EXPECTED[number]
    found_year = read_year(text, name)
    assert found_year == year
    parsed = parse_form(text, year=found_year)
    assert (parsed.form, parsed.kind) == (form, kind)
    assert [s.id for s in parsed.sections if s.heading] == headed
    assert sorted(s.id for s in parsed.sections if not s.heading) == sorted(inferred)

    definition = next(d for d in load_definitions().values() if d.key == parsed.definition)
    for s in parsed.sections:
        assert 0 <= s.start <= s.body_start <= s.end <= len(text)
        if not s.heading:
            continue
        # The heading is where it claims to be, counts as form text, and reads as one of its variants.
        assert text[s.start : s.start + len(s.heading)] == s.heading
        assert any(a <= s.start and s.start + len(s.heading) <= b for a, b in parsed.form_text_spans)
        words = _words(re.sub(r"^[\W_]*(?:[IVX]+|\d+|[A-Za-z])[.)]", "", s.heading))
        variants = [h.words for h in definition.by_id[s.id].headings]
        assert any(words[: min(4, len(v))] == list(v[: min(4, len(v))]) for v in variants), s.heading
    # Nested sections lie inside their parent.
    by_id = {s.id: s for s in parsed.sections}
    for s in parsed.sections:
        parent = definition.by_id[s.id].parent if s.id in definition.by_id else None
        if parent:
            assert by_id[parent].start <= s.start and s.end <= by_id[parent].end


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_real_sample_grade_and_points_left_blank(number: str) -> None:
    name, text = _sample(number)
    parsed = parse_form(text, year=read_year(text, name))
    assert read_grade(text, parsed.sections) is None
    assert read_points(text, parsed.sections) == Points(None, None, None)


def test_sample_01_blank_year_is_form_text_not_content() -> None:
    _name, text = _sample("01")
    parsed = parse_form(text)
    assert read_year(text) is None
    year_label = text.index("Năm")
    assert any(a <= year_label < b for a, b in parsed.form_text_spans)
    # The printed list of the four levels follows B.II's heading: form text, not a choice.
    b2 = next(s for s in parsed.sections if s.id == "B.II")
    levels = text.index("Hoàn thành xuất sắc nhiệm vụ", b2.start)
    assert any(a <= levels < b for a, b in parsed.form_text_spans)


# Guide lines the circulating copies print between the headings (their opening words, as cues): each must be
# form text wherever it occurs, so that detectors never judge it as the author's content.
GUIDE_CUES = re.compile(
    r"(?:điền|cần ghi rõ) các thông tin cơ bản|có thể dựa trên các tiêu chí sau"
    r"|tự (?:xác định|tìm ra) nguyên nhân|phân tích các hạn chế, khuyết điểm dựa trên"
    r"|kiểm điểm rõ từng hạn chế|trên cơ sở cụ thể hóa khung tiêu chí|liên hệ các biểu hiện|\(tham khảo"
    r"|gợi ý viết|tùy theo chức năng|cá nhân đảng viên tự đánh giá, chấm điểm|chức vụ chính quyền, đoàn thể",
    re.IGNORECASE,
)


@pytest.mark.parametrize("number", ["01", "02", "03", "04", "05", "06", "12", "13"])
def test_real_sample_guide_lines_are_form_text(number: str) -> None:
    name, text = _sample(number)
    parsed = parse_form(text, year=read_year(text, name))
    cues = list(GUIDE_CUES.finditer(text))
    assert cues or number in ("01", "12"), "expected guide lines in this sample"
    for m in cues:
        assert any(a <= m.start() and m.end() <= b for a, b in parsed.form_text_spans), m.group()
    # The author's bulleted items stay content (a guide cue in front of one covers only the cue).
    for line in re.finditer(r"(?m)^[-+•] ?(?P<item>[^\n]{40,})$", text):
        a0, b0 = line.span("item")
        covered = sum(max(0, min(b0, b) - max(a0, a)) for a, b in parsed.form_text_spans)
        assert covered < 0.6 * (b0 - a0), line.group()
