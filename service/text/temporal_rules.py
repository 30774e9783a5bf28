"""The concrete time-expression rules of the temporal tagger: regexes that find "atoms".

An atom is one self-contained time expression ("30/6/2026", "tháng 6", "quý II năm 2026", "năm học
2025-2026") together with how to turn it into an inclusive date interval once its year is known.
Combining atoms (ranges "từ … đến …", cue words "trước", "chậm nhất", "trong") and choosing the year of
a year-less atom happen in `service.text.temporal`; this module only recognises atoms.

Rules are regexes rather than data because each needs its own normalisation code; their ids
("date_dmy", "quarter", …) appear in evidence. Matching is case-insensitive; "quí"/"quý" and
"kì"/"kỳ" are both accepted.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

RULES_VERSION = "1"

Interval = tuple[date, date]

# A year the tagger believes: wide enough for old documents and far promises ("năm 2030").
_YEAR = r"(?:19[4-9]\d|20\d\d)"
_FLAGS = re.IGNORECASE

_WORDS = ["một", "hai", "ba", "bốn|tư", "năm", "sáu", "bảy|bẩy", "tám", "chín", "mười"]
NUMBER_WORDS: dict[str, int] = {w: i for i, ws in enumerate(_WORDS, 1) for w in ws.split("|")}
NUMBER_WORDS |= {"mười một": 11, "mười hai": 12}
_WORDS_RE = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)).replace(" ", r"\s+")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# "Giêng" and "Chạp" are lunar month names that people also use for January/December; they are
# approximated by the solar month and get their own rule id so a reviewer can see it.
_LUNAR_MONTHS = {"giêng": 1, "chạp": 12}


def _num(token: str) -> int:
    """A numeral written as digits, a Roman numeral (quarters, semesters) or a Vietnamese word."""
    t = " ".join(token.lower().split())
    if t.isdigit():
        return int(t)
    if t in _ROMAN:
        return _ROMAN[t]
    return NUMBER_WORDS[t]


def months(year: int, first: int, last: int) -> Interval:
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def span(first: int, last: int) -> Callable[[int], Interval]:
    """Months first..last of whatever year the expression turns out to belong to."""
    return lambda year: months(year, first, last)


def on_day(month: int, day: int) -> Callable[[int], Interval]:
    return lambda year: _day(year, month, day)


def add_months(start: date, n: int) -> date:
    """The day before `start` + n months: the inclusive end of an n-month period starting at `start`."""
    total = start.month - 1 + n
    return date(start.year + total // 12, total % 12 + 1, 1) - timedelta(days=1)


@dataclass
class Atom:
    start: int
    end: int
    rule: str
    kind: str
    build: Callable[[int], Interval]  # year -> interval; the year is ignored by fully explicit atoms
    year: int | None = None  # the year written in the expression
    # How to find the year when none is written: "default" (the remedy year), "reference" ("năm nay",
    # "vừa qua"), "next" ("năm tới"), "explicit" (year written or not needed).
    anchor: str = "default"
    needs_cue: bool = False  # a cue word must precede it ("12/12" alone is a ratio, not a date)
    needs_within: bool = False  # only "trong"/"trong vòng" qualify ("trong 3 tháng")
    # A bare "3/3" after "vào"/"trong" is a count ("góp ý vào 3/3 dự thảo"); deadline cues still qualify.
    within_cue_ok: bool = True
    point: bool = False  # a single day: "trước 30/6" ends on 30/6, "trước tháng 6" ends on 31/5
    ends_period: bool = False  # "trước cuối năm" means by the end of the year, not before it starts


# Year written after a month or quarter: "6/2026", "6-2026", "6 năm 2026", plus relative qualifiers.
_YEAR_SUFFIX = (
    rf"(?:(?:\s*[/\-–.]\s*|\s*,?\s+năm\s+)(?P<y>{_YEAR})(?![\d/])"
    r"|\s+(?P<qual>năm\s+nay|năm\s+tới|năm\s+sau|năm\s+kế\s+tiếp|vừa\s+qua|vừa\s+rồi))?"
)
# Year written after a phrase that already ends in "năm": "đầu năm 2026", "cuối năm nay".
_NAM_SUFFIX = rf"(?:\s+(?P<y>{_YEAR})(?![\d/])|\s+(?P<qual>nay|tới|sau|kế\s+tiếp)(?!\w))?"
_QUALIFIERS = {"nay": "reference", "vừa qua": "reference", "vừa rồi": "reference"}


def _anchor(m: re.Match[str]) -> tuple[int | None, str]:
    if m.group("y"):
        return int(m.group("y")), "explicit"
    qual = m.group("qual")
    if qual:
        q = " ".join(qual.lower().split()).removeprefix("năm ").strip()
        return None, _QUALIFIERS.get(q, "next")
    return None, "default"


Builder = Callable[[re.Match[str]], "Atom | None"]
_RULES: list[tuple[re.Pattern[str], Builder]] = []


def _rule(pattern: str) -> Callable[[Builder], Builder]:
    def register(fn: Builder) -> Builder:
        _RULES.append((re.compile(pattern, _FLAGS), fn))
        return fn

    return register


def _atom(
    m: re.Match[str], rule: str, kind: str, build: Callable[[int], Interval], *args: Any, **kw: Any
) -> Atom:
    return Atom(m.start(), m.end(), rule, kind, build, *args, **kw)


def _valid(y: int, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]


def _day(y: int, mo: int, d: int) -> Interval:
    day = date(y, mo, min(d, calendar.monthrange(y, mo)[1]))  # 29/2 in a common year: its last day
    return day, day


@_rule(
    rf"(?:(?<!\w)ngày\s+)?(?<![\w/.\-,])(?P<d>\d{{1,2}})(?P<s>[/\-.])(?P<m>\d{{1,2}})(?P=s)(?P<y>{_YEAR})"
    r"(?![\w/]|[.,\-]\d)"
)
def _date_dmy(m: re.Match[str]) -> Atom | None:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not _valid(y, mo, d):
        return None
    return _atom(m, "date_dmy", "date", on_day(mo, d), y, "explicit", point=True)


@_rule(
    rf"(?:(?<!\w)(?P<ngay>ngày)\s+)?(?<![\w/.])(?P<d>\d{{1,2}})\s+tháng\s+(?P<m>\d{{1,2}})(?!\d)"
    rf"(?:\s*,?\s*năm\s+(?P<y>{_YEAR})(?!\d))?"
)
def _date_words(m: re.Match[str]) -> Atom | None:
    mo, d = int(m["m"]), int(m["d"])
    y = int(m["y"]) if m["y"] else 2000  # 2000: a leap year accepts 29/2 when the year is unknown
    if not _valid(y, mo, d):
        return None
    if m["y"]:
        return _atom(m, "date_words", "date", on_day(mo, d), y, "explicit", point=True)
    # "trước 30 tháng 6" needs its deadline cue; "trong 3 tháng 6 …" would not be a date.
    bare = not m["ngay"]
    return _atom(m, "date_words", "date", on_day(mo, d), point=True, needs_cue=bare, within_cue_ok=not bare)


_RATIO_AFTER = re.compile(
    r"\s*(?:số|tổng|chỉ\s+tiêu|nhiệm\s+vụ|tháng|đảng\s+viên|đồng\s+chí|người|lượt|lần|buổi|cuộc|chi\s+bộ|"
    r"học\s+sinh|hộ|phần|lên|trở\s+lên|trở\s+xuống|xuống|kế\s+hoạch|nội\s+dung|tiêu\s+chí|đơn\s+vị|"
    r"thành\s+viên|ý\s+kiến|phiếu|dự\s+thảo|văn\s+bản|bài|điểm|em|tiết|%)(?!\w)",
    _FLAGS,
)


@_rule(
    rf"(?:(?<!\w)(?P<ngay>ngày)\s+)?(?<![\w/.\-,])(?P<d>\d{{1,2}})(?P<s>[/\-.])(?P<m>\d{{1,2}})"
    rf"(?:\s+năm\s+(?P<y>{_YEAR})|\s+(?P<qual>năm\s+nay|năm\s+tới|năm\s+sau))?(?![\w/%]|[.,\-]\d|\s*%)"
)
def _date_dm(m: re.Match[str]) -> Atom | None:
    mo, d = int(m["m"]), int(m["d"])
    year, anchor = _anchor(m)
    if not _valid(year or 2000, mo, d) or (m["s"] != "/" and not m["ngay"]):
        return None  # "3-5 lần", "2.5 triệu": only "/" is a date separator without "ngày"
    # Without "ngày" or a year a bare d/m is more often a ratio ("12/12 chỉ tiêu", "đạt 3/5"): it needs
    # a cue, and must not be followed by what is counted ("trước 2/3 số đảng viên").
    bare = not m["ngay"] and anchor == "default"
    if bare and _RATIO_AFTER.match(m.string, m.end()):
        return None
    flags = {"point": True, "needs_cue": bare, "within_cue_ok": not bare}
    return _atom(m, "date_dm", "date", on_day(mo, d), year, anchor, **flags)


@_rule(r"(?<!\w)tháng\s+(?P<m>0?[1-9]|1[0-2])(?!\d)" + _YEAR_SUFFIX)
def _month_numeric(m: re.Match[str]) -> Atom | None:
    mo = int(m["m"])
    year, anchor = _anchor(m)
    if anchor == "default" and re.match(r"\s*[/\-–.]\s*\d", m.string[m.end() : m.end() + 4]):
        return None  # "tháng 3-6/2026" is a span (month_span); "tháng 3/5" is not a month
    return _atom(m, "month_numeric", "month", span(mo, mo), year, anchor, needs_cue=anchor == "default")


_MONTH_NAMES = r"mười\s+một|mười\s+hai|giêng|chạp|một|hai|ba|tư|bốn|năm|sáu|bảy|bẩy|tám|chín|mười"


@_rule(rf"(?<!\w)tháng\s+(?P<name>{_MONTH_NAMES})(?!\w)" + _YEAR_SUFFIX)
def _month_name(m: re.Match[str]) -> Atom | None:
    name = " ".join(m["name"].lower().split())
    mo = _LUNAR_MONTHS.get(name) or _num(name)
    rule = "month_name_lunar" if name in _LUNAR_MONTHS else "month_name"
    year, anchor = _anchor(m)
    if anchor == "default" and name in ("năm", "một") and not m["name"][0].isupper():
        # "tháng năm" ("những tháng năm công tác") and "tháng một" are ordinary words unless a year
        # follows or the author capitalised the month name ("trong tháng Năm").
        return None
    return _atom(m, rule, "month", span(mo, mo), year, anchor, needs_cue=anchor == "default")


@_rule(
    rf"(?<!\w)tháng\s+(?P<m1>0?[1-9]|1[0-2])\s*[-–—]\s*(?P<m2>0?[1-9]|1[0-2])(?:\s*/\s*|\s+năm\s+)"
    rf"(?P<y>{_YEAR})(?![\d/])"
)
def _month_span(m: re.Match[str]) -> Atom | None:
    m1, m2, y = int(m["m1"]), int(m["m2"]), int(m["y"])
    if m1 >= m2:
        return None
    return _atom(m, "month_span", "range", span(m1, m2), y, "explicit")


@_rule(
    r"(?<!\w)(?:qu[ýí]\s+|q)(?P<q>iv|iii|ii|i|[1-4]|một|hai|ba|bốn|tư)(?!\w)(?!\s+(?:lần|buổi|đợt|lượt|cuộc|bài))"
    + _YEAR_SUFFIX
)
def _quarter(m: re.Match[str]) -> Atom | None:
    if m.group(0)[:2].lower() != "qu" and not m["y"]:
        return None  # "Q2" alone is too terse to trust; "Q2/2026" is fine
    if _COUNTED.search(m.string, max(0, m.start() - 10), m.start()):
        return None  # "mỗi quý 1 lần", "hằng quý": a frequency, not a quarter
    q = _num(m["q"])
    return _atom(m, "quarter", "quarter", span(3 * q - 2, 3 * q), *_anchor(m))


# A quantifier before "quý"/"năm" makes it a count or a frequency ("mỗi quý", "các năm tới", "10 năm tới").
_COUNTED = re.compile(rf"(?<!\w)(?:các|những|mấy|mỗi|từng|hằng|hàng|\d+|{_WORDS_RE})\s+$", _FLAGS)


_COUNT = r"\d{1,2}|mười\s+một|một|hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín|mười"


@_rule(rf"(?<![\w/])(?P<n>{_COUNT})\s+tháng\s+(?P<side>đầu|cuối)\s+năm(?!\s+học)" + _NAM_SUFFIX)
def _months_of_year(m: re.Match[str]) -> Atom | None:
    n = _num(m["n"])
    if not 1 <= n <= 11:
        return None
    first, last = (1, n) if m["side"].lower() == "đầu" else (13 - n, 12)
    return _atom(m, "months_of_year", "part_of_year", span(first, last), *_anchor(m), ends_period=first > 1)


@_rule(r"(?<!\w)nửa\s+(?:(?P<side>đầu|cuối|sau)\s+năm|năm\s+(?P<side2>đầu|cuối))(?!\s+học)" + _NAM_SUFFIX)
def _half_year(m: re.Match[str]) -> Atom | None:
    first, last = (1, 6) if (m["side"] or m["side2"]).lower() == "đầu" else (7, 12)
    return _atom(m, "half_year", "part_of_year", span(first, last), *_anchor(m), ends_period=first > 1)


# "đầu năm" = Jan–Mar and "cuối năm" = Oct–Dec (the first and last quarter); "giữa năm" takes the
# two quarters between, so the three words partition the year.
_PARTS = {"đầu": (1, 3), "giữa": (4, 9), "cuối": (10, 12)}


@_rule(r"(?<!\w)(?P<part>đầu|giữa|cuối)\s+năm(?!\s+(?:học|tài\s+chính)\b)" + _NAM_SUFFIX)
def _part_of_year(m: re.Match[str]) -> Atom | None:
    first, last = _PARTS[m["part"].lower()]
    year, anchor = _anchor(m)
    build, cue = (
        span(first, last),
        anchor == "default",
    )  # "kiểm điểm cuối năm" names an event; "đến cuối năm" is a time
    return _atom(
        m, "part_of_year", "part_of_year", build, year, anchor, needs_cue=cue, ends_period=first == 10
    )


@_rule(rf"(?<!\w)năm\s+(?P<y>{_YEAR})(?![\d/]|\s*[-–—]\s*\d)")
def _year(m: re.Match[str]) -> Atom | None:
    y = int(m["y"])
    return _atom(m, "year", "year", span(1, 12), y, "explicit")


_UNITS = (
    r"đồng|người|hộ|lượt|triệu|nghìn|ngàn|tỷ|km|m2|ha|tấn|kg|cây|con|học\s+sinh|đảng\s+viên|bài|"
    r"giờ|phút|điểm|văn\s+bản|hồ\s+sơ|trường\s+hợp"
)


@_rule(rf"(?<![\w/.\-,])(?P<y>{_YEAR})(?![\w/%]|[.,]\d|\s*[-–—]\s*\d|\s+(?:{_UNITS})(?!\w))")
def _year_bare(m: re.Match[str]) -> Atom | None:
    y = int(m["y"])  # "2026" alone only after a cue ("đến 2026"): otherwise a count or a code
    return _atom(m, "year_bare", "year", span(1, 12), y, "explicit", needs_cue=True)


def _full_year(text: str, first: int) -> int:
    return int(text) if len(text) == 4 else first // 100 * 100 + int(text)


@_rule(
    rf"(?<!\w)(?:giai\s+đoạn|nhiệm\s+k[ỳì]|thời\s+k[ỳì]|năm)\s+(?P<y1>{_YEAR})\s*[-–—]\s*(?P<y2>\d{{4}}|\d{{2}})(?!\d)"
)
def _year_range(m: re.Match[str]) -> Atom | None:
    y1, y2 = int(m["y1"]), _full_year(m["y2"], int(m["y1"]))
    if not y1 < y2 <= y1 + 10:
        return None
    return _atom(m, "year_range", "range", lambda _: (date(y1, 1, 1), date(y2, 12, 31)), y1, "explicit")


def school_interval(first_year: int, semester: int | None) -> Interval:
    """A Vietnamese school year runs from September to the end of May; semester I Sep–Jan, II Feb–May."""
    if semester == 1:
        return date(first_year, 9, 1), date(first_year + 1, 1, 31)
    if semester == 2:
        return date(first_year + 1, 2, 1), date(first_year + 1, 5, 31)
    return date(first_year, 9, 1), date(first_year + 1, 5, 31)


_SEMESTER = r"học\s+k[ỳì]\s+(?P<s>ii|i|1|2|một|hai)(?!\w)"


@_rule(
    rf"(?<!\w)(?:{_SEMESTER}\s*,?\s*(?:của\s+)?)?năm\s+học\s+(?P<y1>{_YEAR})\s*[-–—/]\s*"
    r"(?P<y2>\d{4}|\d{2})(?!\d)"
)
def _school_year(m: re.Match[str]) -> Atom | None:
    y1, y2 = int(m["y1"]), _full_year(m["y2"], int(m["y1"]))
    if y2 != y1 + 1:
        return None
    sem = _num(m["s"]) if m["s"] else None
    kind = "semester" if sem else "school_year"
    return _atom(m, kind, kind, lambda _: school_interval(y1, sem), y1, "explicit")


@_rule(rf"(?<!\w){_SEMESTER}(?!\s*,?\s*(?:của\s+)?năm\s+học\s+\d)")
def _semester_bare(m: re.Match[str]) -> Atom | None:
    # Without a school year: the semester of the school year that ends in the remedy year.
    sem = _num(m["s"])
    return _atom(m, "semester", "semester", lambda yy: school_interval(yy - 1, sem))


_REL_UNITS = {"ngày": (1, 0), "tuần": (7, 0), "tháng": (0, 1), "quý": (0, 3), "quí": (0, 3), "năm": (0, 12)}


@_rule(
    rf"(?<![\w/])(?P<n>{_COUNT})\s+(?P<u>ngày|tuần|tháng|qu[ýí]|năm)"
    r"(?P<tail>\s+(?:tới|sắp\s+tới|tiếp\s+theo|kế\s+tiếp))?"
    r"(?!\w|\s+(?:đầu|cuối|qua|vừa|liên|liền|gần|trước|nay|công\s+tác|\d))"
)
def _relative(m: re.Match[str]) -> Atom | None:
    n = _num(m["n"])
    days, month_count = _REL_UNITS[m["u"].lower()]
    if n == 0 or n * (days or 31 * month_count) > 20 * 372:  # up to twenty years
        return None

    # Durations count from the end of the review year, i.e. from 1 January of the remedy year (the year
    # passed to build): the review's own date is not known, and reviews are held at the year's end.
    def build(yy: int) -> Interval:
        start = date(yy, 1, 1)
        return start, (start + timedelta(days=n * days - 1) if days else add_months(start, n * month_count))

    return _atom(m, "relative", "relative", build, needs_within=not m["tail"])


@_rule(r"(?<![\w.])năm\s+(?P<w>tới|sau|kế\s+tiếp|tiếp\s+theo)(?!\s+(?:nữa|học)|\w)")
def _next_year(m: re.Match[str]) -> Atom | None:
    if _COUNTED.search(m.string, max(0, m.start() - 12), m.start()):
        return None  # "các năm tới" is open-ended (a vague rule), "10 năm tới" a duration
    # "năm sau" is also a comparative ("năm sau cao hơn năm trước"): only "năm tới" stands alone.
    loose = m["w"].lower() != "tới"
    return _atom(m, "next_year", "year", span(1, 12), None, "next", needs_cue=loose)


@_rule(
    r"(?<!\w)trước\s+(?P<what>(?:kỳ|kì|đợt|buổi|hội\s+nghị|khi)\s+)?(?:kiểm\s+điểm|đánh\s+giá(?:,?\s+xếp\s+loại)?"
    r"|tổng\s+kết)(?:\s+(?:đảng\s+viên|cá\s+nhân|tập\s+thể|chất\s+lượng))?"
    rf"(?P<q>\s+(?:cuối\s+năm(?:\s+(?P<y1>{_YEAR}))?|năm\s+(?P<y2>{_YEAR})|cuối\s+năm\s+(?:tới|sau)"
    r"|năm\s+(?:tới|sau)|lần\s+(?:tới|sau)|tới|sắp\s+tới))?(?![\d\w])"
)
def _review_deadline(m: re.Match[str]) -> Atom | None:
    # "trước kỳ kiểm điểm năm 2026" = by the end of 2026 (that review is held at the year's end);
    # "trước kỳ kiểm điểm cuối năm" / "… tới" = by the end of the remedy year.
    if not (m["q"] or (m["what"] and m["what"].strip().lower() != "khi")):
        return None  # "trước khi kiểm điểm, …" narrates the past
    y = m["y1"] or m["y2"]
    year, anchor = (int(y), "explicit") if y else (None, "default")
    return _atom(m, "review_deadline", "deadline", span(1, 12), year, anchor)


@_rule(r"(?<!\w)từ\s+đầu\s+năm\s+(?:đến|tới)\s+nay(?!\w)")
def _since_start(m: re.Match[str]) -> Atom | None:
    # Narrates the review year so far; approximated by the whole review year.
    return _atom(m, "since_start_of_year", "period", span(1, 12), None, "reference")


def find_atoms(text: str) -> list[Atom]:
    """Every atom any rule finds, overlapping ones included (the caller chooses)."""
    found = (build(m) for pattern, build in _RULES for m in pattern.finditer(text))
    return [a for a in found if a is not None]
