"""`boilerplate`: sentences that say nothing checkable — stock phrases, no product, number, date or name.

Each body sentence (not a form heading or instruction, not the header block) is judged from four kinds of
evidence, and the flag names the one that raised it:
  - lexicon rules (corpus/lexicon/*.yaml): formulaic phrases with a message and a rewrite hint;
  - specificity (service.text.specificity): a sentence that gives a checkable instance is never flagged,
    whatever stock phrase it also contains;
  - commonness: how many other authors use the sentence's 4-grams (the store's index, or one built from
    the context's peers, history and templates), and how ordinary they are in public sample reviews;
  - the trained model (models/boilerplate.skops), when present: the probability that the sentence is
    boilerplate, from its n-grams and the features above.
A sentence that glues several bullet items together ("… - … - …") is judged item by item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from service.detect.base import Context, DetectorResult, Flag, Severity
from service.detect.commonness import CommonnessIndex, load_background
from service.detect.lexicon import Lexicon, LexiconMatch
from service.text.document import Review, Sentence
from service.text.specificity import UPPER, Specificity, specificity

CODE = "boilerplate"
# Without a model: a common sentence (share of 4-grams used by ≥ k other authors) is boilerplate.
COMMON_SHARE = 0.5
BACKGROUND_SHARE = 0.5
# A sentence mostly made of a phrase on the unit's allow-list is not judged.
ALLOWED_SHARE = 0.5
MIN_SYLLABLES = 4
_WORD = re.compile(r"\w+")
_SEVERITY_WEIGHT = {"high": 1.0, "medium": 0.6, "low": 0.3}
# Header and signature lines of the form: never content. Fields need their colon (or blank), so that
# "Đơn vị đã…" or "Năm 2025, tôi…" in the body are still judged.
_HEADER = re.compile(
    r"^\W*(?:(?:họ và tên|họ tên|ngày sinh|năm sinh|chức vụ|đơn vị(?: công tác)?|chi bộ|đảng bộ|"
    r"ngày vào đảng(?: chính thức)?|quê quán|nơi ở(?: hiện nay)?|trình độ[^:]{0,30})\s*[:.…]"
    r"|(?:bản kiểm điểm|bản tự kiểm điểm|báo cáo kiểm điểm)\b(?!.*[.;]\s+\w)"
    r"|năm\s*[\d.…]+\s*$|kính gửi|cộng hòa xã hội|độc lập\s*-|đảng cộng sản việt nam|"
    r"người (?:tự )?kiểm điểm|xác nhận của|\(?ký,? ghi rõ|t/m\b|\(?đảng viên (?:không )?làm việc)",
    re.IGNORECASE,
)
# Fallback for unfilled blanks when the placeholder rules are not there.
_BLANK = re.compile(r"\.{4,}|…\s*[.…]|\bx{3,}\b|\[\s*(?:\.{2,}|…)?\s*\]", re.IGNORECASE)
# Inline bullet items glued into one line: " - …", " + …", " • …".
_INLINE_BULLET = re.compile(rf"(?<=[.;:,…])\s+[-+•]\s+(?=\w)|\s+[-+•]\s+(?=[{UPPER}])")
_HINTS = {
    "I": "Thay lời tự nhận xét bằng việc đã làm và kết quả đo được. Ví dụ: “Năm 2025 chủ trì 2 chuyên đề "
    "sinh hoạt chi bộ (tháng 4 và tháng 9); giải quyết đúng hạn 118/120 hồ sơ.”",
    "II": "Nêu đích danh việc chưa làm được, số liệu và thời điểm. Ví dụ: “Quý III/2025 nộp chậm 2/3 báo cáo "
    "tháng (chậm 3–5 ngày) do không lập lịch theo dõi hạn.”",
    "III": "Nói rõ từng hạn chế đã khắc phục đến đâu, có minh chứng. Ví dụ: “Hạn chế chậm báo cáo (kỳ "
    "kiểm điểm 2024): năm 2025 nộp đúng hạn 12/12 báo cáo tháng.”",
    "VI": "Mỗi biện pháp cần việc làm, người kiểm tra và thời hạn. Ví dụ: “Lập lịch nhắc hạn báo cáo trên "
    "lịch điện tử, áp dụng từ 01/01/2026; chi ủy kiểm tra vào tháng 6/2026.”",
}


@dataclass
class SentenceJudgement:
    """The verdict on one sentence or clause, with everything that explains it."""

    start: int
    end: int
    text: str
    flagged: bool
    rules: list[LexiconMatch] = field(default_factory=list)
    specificity: Specificity | None = None
    commonness: float | None = None
    background: float | None = None
    probability: float | None = None
    model_version: str | None = None
    reason: str = (
        ""  # rule | commonness | background | model | specificity | specific | placeholder | allowed
    )
    commonness_unit_year: float | None = None

    def evidence(self) -> dict[str, Any]:
        spec = self.specificity
        return {
            "rules": [m.entry.id for m in self.rules],
            "matches": [{"rule": m.entry.id, "start": m.start, "end": m.end} for m in self.rules],
            "specificity": spec.score if spec else None,
            "specific_spans": [s.kind for s in spec.spans] if spec else [],
            "commonness": None if self.commonness is None else round(self.commonness, 3),
            "commonness_unit_year": (
                None if self.commonness_unit_year is None else round(self.commonness_unit_year, 3)
            ),
            "background": None if self.background is None else round(self.background, 3),
            "probability": None if self.probability is None else round(self.probability, 3),
            "model_version": self.model_version,
            "reason": self.reason,
        }


@dataclass
class _Resources:
    lexicon: Lexicon
    model: Any | None
    index: CommonnessIndex | None
    author: str | None
    unit: str | None
    year: int | None


def _resources(context: Context, review: Review | None = None) -> _Resources:
    lexicon = context.resources.get("lexicon")
    if not isinstance(lexicon, Lexicon):
        lexicon = Lexicon.load(disabled=context.disabled_rules, allow_phrases=context.allow_phrases)
    elif context.disabled_rules or context.allow_phrases:
        lexicon = Lexicon(
            lexicon._compiled, frozenset(context.disabled_rules), frozenset(context.allow_phrases)
        )
    # An explicit None means "rules only"; an absent key means the shipped model (if trained).
    if "boilerplate_model" in context.resources:
        model = context.resources["boilerplate_model"]
    else:
        from service.train.boilerplate import default_model

        model = default_model()
    index = context.resources.get("commonness")
    if index is None:
        index = _index_from_references(context)
    return _Resources(
        lexicon,
        model,
        index,
        context.resources.get("author"),
        context.resources.get("unit"),
        review.year if review is not None else None,
    )


def _index_from_references(context: Context) -> CommonnessIndex | None:
    """Without the store's index: the peers' and templates' texts are the other authors."""
    refs = [*context.peers, *context.templates]
    if not refs:
        return None
    index = CommonnessIndex(k=2)
    for ref in refs:
        index.add(ref.author or ref.source, ref.review.text)
    return index


def judge_sentence(
    text: str,
    context: Context | None = None,
    *,
    start: int = 0,
    resources: _Resources | None = None,
    probability: float | None = None,
) -> SentenceJudgement:
    """Judge one sentence (or clause) on its own: the entry point for sentence-level evaluation."""
    res = resources or _resources(context or Context())
    allowed = sum(e - s for s, e in res.lexicon.allowed_spans(text))
    if allowed and allowed >= ALLOWED_SHARE * len(text.strip(" .;:,")):
        # The unit's own accepted wording (its allow-list) is never flagged.
        return SentenceJudgement(start, start + len(text), text, False, reason="allowed")
    matches = res.lexicon.match(text)
    spec = specificity(text)
    background_model = load_background()
    background = background_model.share(text) if background_model is not None else None
    common = local = None
    if res.index is not None:
        common = res.index.commonness(text, exclude_author=res.author)
        if res.unit is not None:
            # The unit's reviews of the year: shown as evidence (a subset of the overall count).
            local = res.index.commonness(text, res.unit, res.year, exclude_author=res.author)
    model_version = None
    if res.model is not None:
        if probability is None:
            probability = float(res.model.probability([text])[0])
        model_version = res.model.version
    j = SentenceJudgement(
        start, start + len(text), text, False, matches, spec, common, background, probability, model_version
    )
    j.commonness_unit_year = local
    j.flagged, j.reason = _decide(j, res.model)
    return j


def _decide(j: SentenceJudgement, model: Any | None) -> tuple[bool, str]:
    """A sentence that gives a checkable instance is concrete, whatever stock phrase it also holds.
    Otherwise the model (or, without one, the absence of any instance) decides; the reason names the
    evidence the message will cite."""
    spec = j.specificity
    assert spec is not None
    if _has_blank(j.text):
        return True, "placeholder"
    if spec.strong:
        return False, "specific"
    strength = max((_SEVERITY_WEIGHT[m.entry.severity] for m in j.rules), default=0.0)
    if j.commonness is not None and j.commonness >= COMMON_SHARE:
        return True, "commonness"
    if strength >= _SEVERITY_WEIGHT["high"]:
        # A high-severity phrase is formulaic wherever it stands; only an instance redeems it.
        return True, "rule"
    if model is not None and j.probability is not None:
        if j.probability < model.threshold:
            return False, "model"
        return True, "rule" if strength > 0 else "model"
    if strength > 0:
        return True, "rule"
    if j.background is not None and j.background >= BACKGROUND_SHARE:
        return True, "background"
    return True, "specificity"


def _has_blank(text: str) -> bool:
    """An unfilled blank of a template ("Đạt giải .... cuộc thi", "xxx"): the sentence is a template's."""
    try:
        from service.detect.placeholders import load_rules
    except ImportError:
        return bool(_BLANK.search(text))
    return any(rule.pattern.search(text) for rule in load_rules().rules)


def _severity(j: SentenceJudgement) -> Severity:
    top = max((_SEVERITY_WEIGHT[m.entry.severity] for m in j.rules), default=0.0)
    if top >= 1.0 and (j.specificity is None or j.specificity.score == 0):
        return "high"
    if top >= 0.6 or (j.probability or 0) >= 0.9 or (j.commonness or 0) >= COMMON_SHARE:
        return "medium"
    return "low"


def _top_rule(j: SentenceJudgement) -> LexiconMatch | None:
    return max(j.rules, key=lambda m: (_SEVERITY_WEIGHT[m.entry.severity], m.end - m.start), default=None)


def message_and_hint(j: SentenceJudgement, section_id: str | None) -> tuple[str, str]:
    """Vietnamese message naming the rule or feature that raised the flag, and a rewrite hint."""
    spec = j.specificity.score if j.specificity else 0.0
    lack = "không có sản phẩm, số liệu hay thời gian cụ thể"
    top = _top_rule(j)
    section_hint = _HINTS.get((section_id or "I").split(".")[0], _HINTS["I"])
    if top is not None and j.reason in ("rule", "model"):
        others = [m.entry.id for m in j.rules if m is not top]
        also = f"; thêm {len(others)} cụm khuôn mẫu khác ({', '.join(others[:3])})" if others else ""
        message = (
            f"Câu chỉ nêu chung chung (cụm “{top.text}” – quy tắc {top.entry.id}{also}), {lack}. "
            f"{top.entry.message}"
        )
        return message, top.entry.hint
    if j.reason == "placeholder":
        message = "Câu còn chỗ trống của mẫu chưa điền (dấu chấm, “xxx”…): chưa có nội dung cụ thể nào."
        hint = "Điền kết quả thật (sản phẩm, số liệu, thời gian) vào chỗ trống, hoặc xóa câu mẫu không dùng."
        return message, hint
    if j.reason == "commonness":
        pct = round(100 * (j.commonness or 0))
        message = (
            f"Câu theo khuôn mẫu: {pct}% cụm 4 âm tiết của câu đã có trong bản kiểm điểm của nhiều "
            f"người khác (độ phổ biến {j.commonness:.2f}), {lack} (độ cụ thể {spec:.2f})."
        )
        return message, section_hint
    if j.reason == "background":
        pct = round(100 * (j.background or 0))
        message = (
            f"Câu trùng cách viết của các bài mẫu kiểm điểm phổ biến: {pct}% cụm 4 âm tiết của câu xuất hiện "
            f"trong nhiều trang mẫu (đặc trưng background), {lack} (độ cụ thể {spec:.2f})."
        )
        return message, section_hint
    if j.reason == "specificity" or j.probability is None:
        message = (
            f"Câu chung chung: không có chi tiết nào kiểm chứng được — {lack}, không nêu tên văn bản, "
            f"nơi chốn hay người cụ thể (độ cụ thể {spec:.2f})."
        )
        return message, section_hint
    message = (
        f"Câu chung chung, {lack} (độ cụ thể {spec:.2f}); mô hình boilerplate {j.model_version} "
        f"ước lượng xác suất câu khuôn mẫu {j.probability:.0%}."
    )
    return message, section_hint


def _units(sentence: Sentence) -> list[tuple[int, str]]:
    """The sentence, or its glued bullet items when it holds several (offsets relative to the review)."""
    text = sentence.text
    cuts = [m for m in _INLINE_BULLET.finditer(text)]
    if not cuts:
        return [(sentence.start, text)]
    units: list[tuple[int, str]] = []
    pos = 0
    for m in [*cuts, None]:
        end = m.start() if m else len(text)
        piece = text[pos:end]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if piece:
            units.append((sentence.start + pos + lead, piece))
        pos = m.end() if m else len(text)
    return units


def body_sentences(review: Review) -> list[Sentence]:
    """The sentences the detector judges: content written by the author, not the form or the header."""
    first_section = min((s.start for s in review.sections), default=None)
    out = []
    for s in review.sentences:
        if s.is_heading or not s.text.strip():
            continue
        if first_section is not None and s.end <= first_section:
            continue
        if _HEADER.match(s.text):
            continue
        if len(_WORD.findall(s.text)) < MIN_SYLLABLES:
            continue
        out.append(s)
    return out


def detect(review: Review, context: Context) -> DetectorResult:
    if CODE in context.disabled_rules:
        return DetectorResult(score=None, details={"disabled": True})
    res = _resources(context, review)
    flags: list[Flag] = []
    judged: list[dict[str, Any]] = []
    total = 0
    flagged_chars = 0
    pieces = [
        (
            sentence,
            [(start, text) for start, text in _units(sentence) if len(_WORD.findall(text)) >= MIN_SYLLABLES],
        )
        for sentence in body_sentences(review)
    ]
    # One call to the model for the whole review: much faster than one per sentence.
    texts = [text for _, units in pieces for _, text in units]
    probabilities = iter(res.model.probability(texts) if res.model is not None and texts else [])
    for sentence, spans in pieces:
        units = [
            judge_sentence(text, start=start, resources=res, probability=next(probabilities, None))
            for start, text in spans
        ]
        if not units:
            continue
        total += sentence.end - sentence.start
        hits = [u for u in units if u.flagged]
        if len(hits) == len(units) and len(units) > 1:
            # Every item is boilerplate: one flag over the sentence, evidence of the first item.
            merged = SentenceJudgement(
                sentence.start,
                sentence.end,
                sentence.text,
                True,
                [m for u in units for m in u.rules],
                hits[0].specificity,
                hits[0].commonness,
                hits[0].background,
                hits[0].probability,
                hits[0].model_version,
                hits[0].reason,
            )
            hits = [merged]
        for u in hits:
            message, hint = message_and_hint(u, sentence.section_id)
            evidence = u.evidence() | {"lexicon_version": res.lexicon.version}
            flags.append(Flag(CODE, _severity(u), u.start, u.end, message, hint, evidence))
            flagged_chars += u.end - u.start
        judged.append(
            {
                "start": sentence.start,
                "end": sentence.end,
                "flagged": bool(hits),
                "probability": max((u.probability or 0.0 for u in units), default=None),
            }
        )
    score = round(min(1.0, flagged_chars / total), 4) if total else None
    details = {
        "sentences": judged,
        "lexicon_version": res.lexicon.version,
        "model_version": getattr(res.model, "version", None),
    }
    return DetectorResult(flags=flags, score=score, details=details)
