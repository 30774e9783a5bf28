"""What a review says about itself: the year it covers, the self-proposed rating, the 2025 points.

All functions read the normalised text. A blank left by the form ("Năm ….", "Tổng điểm: …/100", a rating list
with nothing ticked) gives None: unknown, never guessed.
"""

from __future__ import annotations

import re
from collections import Counter

from service.text.document import GradeClaim, Points, Section

_RE = re.IGNORECASE
YEAR_RANGE = (2015, 2035)
_BLANK = r"[.…_·][.…_· ]*"

# The title line ("BẢN KIỂM ĐIỂM ... NĂM 2025"), or a line of its own ("Năm 2025", "Năm: 2025", "Năm ….").
_TITLE_YEAR = re.compile(
    r"^(?:[^\n]*?\b(?:kiểm điểm|xếp loại|cá nhân|tập thể)\b[^\n]*?)?"
    rf"\bnăm[ \t]*:?[ \t]*(?:(?P<year>\d{{4}})\b|(?P<blank>{_BLANK}))",
    _RE | re.MULTILINE,
)
_BODY_YEAR = re.compile(r"\bnăm\s+(\d{4})\b(?!\s*[-–]\s*\d)", _RE)
_DATE_YEAR = re.compile(r"ngày\s*[\d.…_ ]{0,6}\s*tháng\s*[\d.…_ ]{0,6}\s*năm\s*(\d{4})", _RE)
# "Quy định 366-QĐ/TW năm 2025", "Nghị quyết 04-NQ/TW ... năm 2016": a document's date, not the review's year.
_CITATION = re.compile(
    r"(?:\d+\s*[-/]\s*[A-ZĐ]{1,5}(?:\s*/\s*[A-ZĐ]{1,5})*|quy định|nghị quyết|chỉ thị|hướng dẫn|kết luận|luật"
    r"|thông tư|nghị định|quyết định|điều lệ)[^.\n;]{0,25}$",
    _RE,
)
_FILE_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_HEADING_LINE = re.compile(r"^\s*(?:[IVX]{1,4}|[AB]|\d{1,2})[.)]\s", re.MULTILINE)


def _in_range(year: int) -> bool:
    return YEAR_RANGE[0] <= year <= YEAR_RANGE[1]


def read_year(text: str, source_name: str | None = None) -> int | None:
    """The year the review covers: the title/header first, the body only as a fallback, then the file name.

    A blank year in the title ("Năm ….") means the author did not fill it in: the body is not consulted then
    (its years are often citations), but a year in the file name still counts.
    """
    first = _HEADING_LINE.search(text)
    head = text[: min(first.start() if first else len(text), 1500)]
    blank = False
    for m in _TITLE_YEAR.finditer(head):
        at = head.lower().rfind("năm", m.start(), m.end())
        if "tháng" in head[max(0, at - 25) : at].lower():
            continue  # "…, ngày 12 tháng 12 năm 2025" is the date of writing, not the year reviewed
        if m.group("year") and _in_range(int(m.group("year"))):
            return int(m.group("year"))
        blank = blank or bool(m.group("blank"))
    if not blank:
        years = [
            int(m.group(1))
            for m in _BODY_YEAR.finditer(text)
            if _in_range(int(m.group(1))) and not _CITATION.search(text, max(0, m.start() - 45), m.start())
        ]
        if years:
            counts = Counter(years)
            return max(counts, key=lambda y: (counts[y], y))
        dated = [int(m.group(1)) for m in _DATE_YEAR.finditer(head) if _in_range(int(m.group(1)))]
        if dated:
            return dated[0]
    if source_name:
        named = [int(y) for y in _FILE_YEAR.findall(source_name) if _in_range(int(y))]
        if named:
            return named[-1]
    return None


# ---------------------------------------------------------------- grade

# The four rating levels shared by every form since 2018 (Quy định 132, 124, 366), longest first.
_LEVEL = re.compile(
    r"(?P<not_completed>không\s+hoàn\s+thành\s+nhiệm\s+vụ|\bKHTNV\b)"
    r"|(?P<excellent>hoàn\s+thành\s+xuất\s+sắc\s+nhiệm\s+vụ|\bHTXSNV\b)"
    r"|(?P<good>hoàn\s+thành\s+tốt\s+nhiệm\s+vụ|\bHTTNV\b)"
    r"|(?P<completed>hoàn\s+thành\s+nhiệm\s+vụ|\bHTNV\b)",
    _RE,
)
_PRINTED_LIST = re.compile(
    r"hoàn thành xuất sắc nhiệm vụ\W+hoàn thành tốt nhiệm vụ\W+hoàn thành nhiệm vụ\W+"
    r"không hoàn thành nhiệm vụ",
    _RE,
)
_TICK = "☒☑✓✔✗✘⊠■✅"
_UNTICK = "☐□"
_TICK_NEAR = re.compile(rf"[{_TICK}]|\[\s*[xX]\s*\]|\(\s*[xX]\s*\)|(?<!\w)[xX](?!\w)")
# "Tự nhận/Đề xuất (mức) xếp loại ...: <level>", "tự đánh giá, xếp loại ở mức <level>".
_CLAIM = re.compile(
    r"(?:tự\s+nhận|đề\s+xuất|tự\s+xếp\s+loại|tự\s+đánh\s+giá,?\s+xếp\s+loại|xếp\s+loại\s+đảng\s+viên)", _RE
)
_CLAIM_LINK = re.compile(r"(?::|\bở\s+mức\b|\bmức\b|\blà\b|\bđạt\b)[\s\"“]*", _RE)


def _claim(m: re.Match[str]) -> GradeClaim:
    return GradeClaim(level=_kind(m), start=m.start(), end=m.end(), text=m.group())


def _ticked(text: str, found: list[re.Match[str]]) -> list[re.Match[str]]:
    """The levels marked by a tick: boxes come before their label ("☒ Hoàn thành tốt nhiệm vụ"), a mark after
    it ("Hoàn thành tốt nhiệm vụ (x)") counts only when no level has a mark before it."""
    before, after = [], []
    for i, m in enumerate(found):
        lo = max(found[i - 1].end() if i else 0, m.start() - 4)
        hi = min(found[i + 1].start() if i + 1 < len(found) else len(text), m.end() + 6)
        if _TICK_NEAR.search(text[lo : m.start()].split("\n")[-1]):
            before.append(m)
        if _TICK_NEAR.match(text[m.end() : hi].split("\n")[0].lstrip(" :.-")):
            after.append(m)
    return before or after


def _kind(m: re.Match[str]) -> str:
    return next(k for k, v in m.groupdict().items() if v)


def _from_zone(text: str, start: int, end: int, body_start: int) -> GradeClaim | None:
    found = list(_LEVEL.finditer(text, start, end))
    if not found:
        return None
    ticked = _ticked(text, found)
    if len({_kind(m) for m in ticked}) == 1:
        return _claim(ticked[0])
    if _PRINTED_LIST.search(text, start, end) or ticked:
        return None  # the form's list of all four levels, nothing (or everything) chosen
    if len({_kind(m) for m in found}) == 1 or not text[body_start : found[0].start()].strip(" :-\n"):
        return _claim(found[0])  # one level written, or the level written right after the heading
    return None


def read_grade(text: str, sections: list[Section]) -> GradeClaim | None:
    """The self-proposed rating: in B.II (2025) or VII (2019/2023), else after "Tự nhận/Đề xuất xếp loại …:".

    When VII asks twice (as a cadre/civil servant, as a Party member) the Party member's rating is taken.
    """
    by_id = {s.id: s for s in sections}
    for sid in ("VII.2", "B.II", "VII", "VII.1"):
        s = by_id.get(sid)
        claim = _from_zone(text, s.start, s.end, s.body_start) if s is not None else None
        if claim is not None:
            return claim
    for m in _CLAIM.finditer(text):
        line_end = text.find("\n", m.end())
        for link in _CLAIM_LINK.finditer(
            text, m.end(), min(m.end() + 90, line_end if line_end >= 0 else len(text))
        ):
            level = _LEVEL.match(text, link.end())
            if level is not None and not _PRINTED_LIST.match(text, link.end()):
                return _claim(level)
    return None


# ---------------------------------------------------------------- points

_POINTS = {
    key: re.compile(
        label + r"\s*(?:\([^)\n]{0,40}\))?\s*:?\s*(?:đạt\s+|được\s+)?"
        r"(?:(?P<value>\d{1,3}(?:[.,]\d{1,2})?)|" + _BLANK + r")?\s*(?:điểm)?\s*(?P<max>/\s*" + top + r"\b)?",
        _RE,
    )
    for key, label, top in (
        ("general", r"nhóm\s+tiêu\s+chí\s+chung", "30"),
        ("tasks", r"nhóm\s+tiêu\s+chí\s+về\s+kết\s+quả\s+thực\s+hiện\s+nhiệm\s+vụ", "70"),
        ("total", r"tổng(?:\s+cộng)?(?:\s+số)?\s+điểm", "100"),
    )
}


def read_points(text: str, sections: list[Section]) -> Points:
    """The 2025 points "…/30", "…/70", "…/100" as written (in part B when it was found); blanks give None."""
    zone = next((s for s in sections if s.id == "B.I"), None) or next(
        (s for s in sections if s.id == "B"), None
    )
    start, end = (zone.start, zone.end) if zone else (0, len(text))
    values: dict[str, float | None] = {}
    for key, pattern in _POINTS.items():
        m = pattern.search(text, start, end) or (pattern.search(text) if zone else None)
        raw = m.group("value") if m else None
        values[key] = float(raw.replace(",", ".")) if raw else None
    return Points(general=values["general"], tasks=values["tasks"], total=values["total"])
