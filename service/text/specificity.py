"""How specific a sentence is: numbers, percentages, dates, counted products, named documents, names.

In the spirit of Hope et al.'s specificity measure (specific tokens / tokens): each syllable that lies in
a specific span counts, weighted by how much the span proves ("Kế hoạch số 45-KH/CB" or "30/6/2025" prove
more than the bare year of the review or a citation of a central regulation every template quotes).
underthesea's NER is used only when the sentence has a capitalised word that is not one of the genre's
generic names (Đảng, Nhà nước, Hồ Chí Minh…): elsewhere it cannot find anything and would only cost time.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

from service.detect.lexicon import canon, syllables

_DOC_TYPES = (
    r"nghị quyết|kế hoạch|quyết định|công văn|chỉ thị|quy định|hướng dẫn|thông báo|kết luận|báo cáo|"
    r"tờ trình|thông tư|nghị định|luật|chương trình|đề án|quy chế|thông tri|biên bản"
)
# A document code: "45-KH/CB", "123/QĐ-UBND", "05-CT/TW", "168/2024/NĐ-CP", "56/CV-SGD".
_DOC_CODE = r"\d{1,4}(?:/\d{4})?[-/][A-ZĐ][A-ZĐa-zđ]{0,9}(?:[-/][A-ZĐ0-9][A-ZĐa-zđ0-9]{0,11})*"
_DOCUMENT = re.compile(
    rf"(?i:\b(?:{_DOC_TYPES}))\s+(?:(?:(?i:số)\s+)?(?:{_DOC_CODE}|\d{{1,4}}/\d{{4}}\b)|(?i:số)\s+\d{{1,4}}\b)"
    rf"(?:\s+(?i:ngày)\s+\d{{1,2}}/\d{{1,2}}/\d{{4}}|\s+(?i:năm)\s+\d{{4}})?|\b{_DOC_CODE}"
)
# Codes of the Party centre that every template cites: a citation, not a product of the author.
_CENTRAL = re.compile(r"/(?:TW|BTCTW|BCT|BBT|UBKTTW|HNTW)\b")
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s?%|\d+(?:[.,]\d+)?\s+phần trăm", re.IGNORECASE)
_RATIO = re.compile(r"\b\d{1,4}/\d{1,4}\b(?!/)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_COUNT = re.compile(r"\d+(?:[.,/]\d+)*")
# Fallback date patterns, used beside the temporal tagger for what it leaves without a year.
_DATE = re.compile(
    r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b(?:ngày)\s+\d{1,2}(?:\s+tháng\s+\d{1,2})?(?:\s+năm\s+\d{4})?"
    r"|\btháng\s+\d{1,2}(?:\s*/\s*\d{4}|\s+năm\s+\d{4})?|\bquý\s+(?:I{1,3}|IV|[1-4])\b(?:\s*/\s*\d{4})?"
    r"|\b(?:19|20)\d{2}\b",
    re.IGNORECASE,
)
_COUNTERS = (
    "bài|bài viết|bài thu hoạch|chuyên đề|sáng kiến|đề tài|hồ sơ|lớp|buổi|lần|lượt|cuộc|hội nghị|hộ|người|"
    "học sinh|sinh viên|đảng viên|đoàn viên|hội viên|chỉ tiêu|nhiệm vụ|văn bản|báo cáo|tờ trình|kế hoạch|"
    "công trình|dự án|mô hình|phần mềm|giờ|ngày|tuần|tháng|năm|quý|tiết|giải|bằng khen|giấy khen|triệu|tỷ|"
    "nghìn|ngàn|đồng|km|ha|m|tấn|thôn|xã|tổ|trường|phòng|đơn|vụ|vụ việc|trường hợp|sản phẩm|máy|học phần|"
    "tín chỉ|chứng chỉ|phiếu|đợt|cuộc thi|đầu việc|hạng mục|suất|phần quà|cây|con|chi bộ|chi hội|đơn vị|"
    "cơ sở|bài giảng|ca|ca trực|lượt bệnh nhân|bệnh nhân|hội viên|thành viên|gia đình|cán bộ|công chức|phút"
)
# Longest first, so that "vụ việc" wins over "vụ".
_COUNTER = re.compile(
    r"\s*(?:" + "|".join(sorted(_COUNTERS.split("|"), key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_NUMBER_WORDS = re.compile(r"\b(?:hai|ba|bốn|sáu|bảy|tám|chín|mười|mươi|trăm)\b", re.IGNORECASE)
# Numbers that are part of a name or a formula, not an instance: "19 điều đảng viên không được làm",
# "27 biểu hiện", "12 điều y đức", "100% nhiệm vụ được giao" (a share of an unnamed whole).
_FORMULA = re.compile(
    r"\b\d+\s+(?:điều|biểu hiện|tiêu chí|chuẩn mực|nguyên tắc|nhiệm vụ trọng tâm|nội dung)\b"
    r"|\b100\s?%\s+(?:các\s+|mọi\s+|tổng\s+)?(?:nhiệm vụ|công việc|chỉ tiêu|kế hoạch|khối lượng|yêu cầu)"
    r"|\b(?:trung ương|hội nghị|nghị quyết)\s+\d+\b(?:\s+khóa\s+[IVXL]+\b)?|\bkhóa\s+[IVXL]+\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[“\"«]([^”\"»]{3,80})[”\"»]")
# Upper-case letters of Vietnamese (the Unicode block mixes cases, so no range will do).
UPPER = "A-Z" + "".join(chr(c) for c in range(0xC0, 0x1EFA) if chr(c).isupper())
_PLACE = re.compile(
    r"\b(?:xã|phường|thị trấn|thôn|ấp|bản|tổ dân phố|khu phố|tổ|huyện|quận|tỉnh|thành phố|trường|lớp|"
    r"khoa|phòng|ban|trạm|bệnh viện|công ty|chi nhánh|cụm|khu)\s+"
    rf"(?:\d+[A-Za-z]?\b|[{UPPER}]\w*(?:\s+[{UPPER}]\w*){{0,3}})"
)
# Capitalised names the genre uses everywhere: not evidence of a concrete instance. Matched as whole
# phrases, so that a person called Minh or Nam is still a name.
_GENERIC_NAMES = (
    "đảng",
    "nhà nước",
    "chính phủ",
    "quốc hội",
    "tổ quốc",
    "nhân dân",
    "việt nam",
    "hồ chí minh",
    "bác hồ",
    "bác",
    "mác lênin",
    "mác lê nin",
    "mác",
    "lênin",
    "lê nin",
    "trung ương",
    "bộ chính trị",
    "ban bí thư",
    "chi bộ",
    "đảng bộ",
    "đảng ủy",
    "chi ủy",
    "ủy ban",
    "ủy ban nhân dân",
    "hội đồng nhân dân",
    "mặt trận",
    "đoàn",
    "công đoàn",
    "hội",
    "cựu chiến binh",
    "phụ nữ",
    "thanh niên",
    "cộng sản",
    "nghị quyết",
    "quy định",
    "chỉ thị",
    "kế hoạch",
    "hướng dẫn",
    "điều lệ",
    "cương lĩnh",
    "hiến pháp",
    "luật",
    "nhà trường",
    "cơ quan",
    "đơn vị",
    "lãnh đạo",
    "thủ trưởng",
    "ban giám hiệu",
    "bộ",
    "ngành",
    "tỉnh ủy",
    "huyện ủy",
    "thành ủy",
    "tự diễn biến",
    "tự chuyển hóa",
    "dân vận khéo",
    "xã hội chủ nghĩa",
    "chủ nghĩa",
    "tư tưởng",
    "đại hội",
    "chủ tịch",
    "bí thư",
    "nhà giáo",
    "thầy cô",
    "người",
)
GENERIC_PHRASES = tuple(tuple(canon(w) for w in phrase.split()) for phrase in _GENERIC_NAMES)
_GENERIC_MAX = max(len(p) for p in GENERIC_PHRASES)
_GENERIC_SET = frozenset(GENERIC_PHRASES)
# A span's weight: how much of a concrete instance it proves.
WEIGHTS = {
    "document": 1.0,
    "document_central": 0.4,
    "date": 1.0,
    "year": 0.4,
    "percent": 1.0,
    "ratio": 1.0,
    "quantity": 1.0,
    "number": 0.8,
    "entity": 1.0,
    "place": 1.0,
    "named": 0.8,
    "formula": 0.0,
}
# Kinds that by themselves show a checkable instance (what a reviewer could verify).
STRONG_KINDS = frozenset(
    {"document", "date", "percent", "ratio", "quantity", "number", "entity", "place", "named"}
)


@dataclass(frozen=True)
class SpecificSpan:
    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Specificity:
    tokens: int  # syllables (digit runs count as one)
    specific_tokens: float  # weighted syllables inside specific spans
    numbers: int
    percentages: int
    dates: int
    quantities: int
    documents: int
    entities: int
    named: int
    score: float  # specific_tokens / tokens, in 0..1
    spans: tuple[SpecificSpan, ...] = ()

    @property
    def strong(self) -> bool:
        """The sentence gives at least one checkable instance (a date, a count, a local document…)."""
        return any(s.kind in STRONG_KINDS for s in self.spans)

    def features(self) -> dict[str, float]:
        d = asdict(self)
        d.pop("spans")
        d["strong"] = float(self.strong)
        return {k: float(v) for k, v in d.items()}


def _time_spans(text: str) -> list[SpecificSpan]:
    spans: list[SpecificSpan] = []
    try:
        from service.text.temporal import find_time_expressions
    except ImportError:
        found = []
    else:
        try:
            found = [e for e in find_time_expressions(text) if not e.vague]
        except Exception:  # the tagger is another module's work: a failure must not stop screening
            found = []
    for e in found:
        if e.kind == "year":
            # "trong năm 2025": only the year itself is specific, and only a little.
            m = re.search(r"\d{4}", text[e.start : e.end])
            if m:
                spans.append(SpecificSpan("year", e.start + m.start(), e.start + m.end(), m.group(0)))
            continue
        spans.append(SpecificSpan("date", e.start, e.end, text[e.start : e.end]))
    for m in _DATE.finditer(text):
        kind = "year" if re.fullmatch(r"(?:19|20)\d{2}", m.group(0)) else "date"
        spans.append(SpecificSpan(kind, m.start(), m.end(), m.group(0)))
    return spans


def _quantities(text: str) -> list[SpecificSpan]:
    spans = []
    for rx in (_COUNT, _NUMBER_WORDS):
        for m in rx.finditer(text):
            tail = _COUNTER.match(text, m.end())
            if tail:
                spans.append(SpecificSpan("quantity", m.start(), tail.end(), text[m.start() : tail.end()]))
    return spans


def _generic_mask(words: tuple[str, ...]) -> list[bool]:
    """Which syllables belong to a generic name (longest phrase first)."""
    mask = [False] * len(words)
    i = 0
    while i < len(words):
        for n in range(min(_GENERIC_MAX, len(words) - i), 0, -1):
            if words[i : i + n] in _GENERIC_SET:
                mask[i : i + n] = [True] * n
                i += n
                break
        else:
            i += 1
    return mask


def _capitalised_names(text: str, skip_first: bool = False) -> bool:
    """A capitalised syllable (not all caps) outside every generic name of the genre."""
    syl = syllables(text)
    mask = _generic_mask(syl.words)
    for i, ((s, e), generic) in enumerate(zip(syl.spans, mask, strict=True)):
        if (skip_first and i == 0) or generic or syl.words[i].isdigit():
            continue
        if text[s].isupper() and not text[s:e].isupper():
            return True
    return False


def _has_name_cue(text: str) -> bool:
    """Worth running NER: a capitalised word after the first one that is not a generic name."""
    return _capitalised_names(text, skip_first=True)


@lru_cache(maxsize=2048)
def _ner(text: str) -> tuple[tuple[int, int, str], ...]:
    from underthesea import ner

    out: list[tuple[int, int, str]] = []
    cursor = 0
    current: list[int] | None = None
    for word, _pos, _chunk, tag in ner(text):
        at = text.find(word, cursor)
        if at < 0:
            continue
        cursor = at + len(word)
        if tag.startswith("B-"):
            if current:
                out.append((current[0], current[1], "entity"))
            current = [at, cursor]
        elif tag.startswith("I-") and current:
            current[1] = cursor
        else:
            if current:
                out.append((current[0], current[1], "entity"))
            current = None
    if current:
        out.append((current[0], current[1], "entity"))
    return tuple(out)


def _is_generic(text: str) -> bool:
    syl = syllables(text)
    mask = _generic_mask(syl.words)
    return all(g or w.isdigit() for g, w in zip(mask, syl.words, strict=True))


def _names_something(text: str) -> bool:
    """An NER span names something when it holds a capitalised syllable outside the generic names
    (NER also tags "năm 2025" or "tư tưởng Hồ Chí Minh", which prove nothing)."""
    return _capitalised_names(text)


@lru_cache(maxsize=8192)
def specificity(text: str, *, use_ner: bool | None = None) -> Specificity:
    """Measure `text` (a sentence or clause). `use_ner`: None = only where a name cue is present.

    Cached: several detectors (boilerplate, coverage, grade) ask about the same sentences, and the result
    is immutable.
    """
    spans: list[SpecificSpan] = [
        SpecificSpan("formula", m.start(), m.end(), m.group(0)) for m in _FORMULA.finditer(text)
    ]
    for m in _DOCUMENT.finditer(text):
        kind = "document_central" if _CENTRAL.search(m.group(0)) else "document"
        spans.append(SpecificSpan(kind, m.start(), m.end(), m.group(0)))
    spans += [SpecificSpan("percent", m.start(), m.end(), m.group(0)) for m in _PERCENT.finditer(text)]
    spans += _time_spans(text)
    spans += [SpecificSpan("ratio", m.start(), m.end(), m.group(0)) for m in _RATIO.finditer(text)]
    spans += _quantities(text)
    spans += [SpecificSpan("number", m.start(), m.end(), m.group(0)) for m in _NUMBER.finditer(text)]
    for m in _QUOTED.finditer(text):
        if not _is_generic(m.group(1)):
            spans.append(SpecificSpan("named", m.start(), m.end(), m.group(0)))
    for m in _PLACE.finditer(text):
        name = text[m.start() : m.end()].split(None, 1)[-1]
        if not _is_generic(name):
            spans.append(SpecificSpan("place", m.start(), m.end(), m.group(0)))
    if use_ner or (use_ner is None and _has_name_cue(text)):
        for s, e, kind in _ner(text):
            if _names_something(text[s:e]):
                spans.append(SpecificSpan(kind, s, e, text[s:e]))
    kept = _resolve(spans)

    syl = syllables(text)
    weight = [0.0] * len(syl.words)
    for span in kept:
        for i, (s, e) in enumerate(syl.spans):
            if s < span.end and span.start < e:
                weight[i] = max(weight[i], WEIGHTS[span.kind])
    n = len(syl.words)
    specific = sum(weight)
    return Specificity(
        tokens=n,
        specific_tokens=round(specific, 3),
        numbers=sum(1 for s in kept if s.kind in ("number", "ratio")),
        percentages=sum(1 for s in kept if s.kind == "percent"),
        dates=sum(1 for s in kept if s.kind == "date"),
        quantities=sum(1 for s in kept if s.kind == "quantity"),
        documents=sum(1 for s in kept if s.kind.startswith("document")),
        entities=sum(1 for s in kept if s.kind in ("entity", "place")),
        named=sum(1 for s in kept if s.kind == "named"),
        score=round(specific / n, 4) if n else 0.0,
        spans=tuple(kept),
    )


_PRIORITY = (
    "formula",
    "document",
    "document_central",
    "percent",
    "quantity",
    "date",
    "ratio",
    "place",
    "entity",
)


def _resolve(spans: list[SpecificSpan]) -> list[SpecificSpan]:
    """Keep the most telling span where spans overlap (a document code is not also a date and a number)."""

    def rank(s: SpecificSpan) -> tuple[int, int]:
        kind_rank = _PRIORITY.index(s.kind) if s.kind in _PRIORITY else len(_PRIORITY)
        return kind_rank, -(s.end - s.start)

    kept: list[SpecificSpan] = []
    for s in sorted(spans, key=rank):
        if any(s.start < k.end and k.start < s.end for k in kept):
            continue
        kept.append(s)
    return sorted(kept, key=lambda s: s.start)
