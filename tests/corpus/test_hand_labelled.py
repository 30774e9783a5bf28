"""Validates the hand-labelled test split in corpus/labelled/hand.

The split is what keeps the generator honest, so its labels must be internally consistent: every span points
at the text it names, copies really share their words with their sources, label values come from the
allowed sets, and nothing was taken from the real samples in ../shared/corpus.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from functools import cache
from typing import Any

import pytest

from service.paths import CORPUS_DIR, SHARED_CORPUS_DIR

HAND_DIR = CORPUS_DIR / "labelled" / "hand"
REVIEWS_DIR = HAND_DIR / "reviews"
REAL_DIR = SHARED_CORPUS_DIR / "real" / "raw"

SECTIONS = {"I.1", "I.2", "I.3", "II.1", "II.2", "III", "V", "VI"}
BOILERPLATE_CATEGORIES = {
    "stock_praise",
    "stock_denial",
    "cited_formula",
    "number_formula",
    "hedge",
    "stock_shortcoming",
    "evasion",
    "stock_cause",
    "stock_fix",
    "stock_responsibility",
    "stock_remedy",
    "vague_time",
    "empty_long",
}
CONCRETE_CATEGORIES = {
    "concrete_result",
    "concrete_conduct",
    "concrete_commitment",
    "concrete_shortcoming",
    "concrete_cause",
    "concrete_fix",
    "concrete_responsibility",
    "concrete_remedy",
    "stock_with_instance",
}
CAUSES = {"subjective", "objective", "both", "none"}
DEADLINES = {"none", "vague", "concrete"}
GRADES = {"excellent", "good", "completed", "not_completed", None}
ROLES = {"history", "peer", "template"}
FORMS_BY_ERA = {True: {"2A", "2B", "2C"}, False: {"02A", "02B"}}  # key: year >= 2025
# Official form headings: regulation text that every review (and every real sample) repeats verbatim.
OFFICIAL_HEADINGS = (
    "Về phẩm chất chính trị, đạo đức, lối sống; tinh thần đoàn kết, thống nhất trong nội bộ; ý thức tổ chức"
    " kỷ luật, trách nhiệm nêu gương, việc thực hiện những điều đảng viên không được làm; tác phong, lề lối"
    ' làm việc. Liên hệ các biểu hiện về suy thoái, "tự diễn biến", "tự chuyển hóa".',
    "Việc thực hiện nhiệm vụ, quyền hạn và kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao trong năm, gắn"
    " với hiệu quả, tiến độ, chất lượng công việc.",
    "Việc thực hiện quyền và nghĩa vụ của đảng viên theo các nhiệm vụ chính trị được cấp ủy, chi bộ"
    " phân công.",
    "Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu của cá nhân theo quy định.",
    "Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu hằng năm",
    "Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được chỉ ra ở các"
    " kỳ kiểm điểm trước",
    "Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)",
    "Làm rõ trách nhiệm của cá nhân đối với những hạn chế, khuyết điểm của tập thể (nếu có)",
    "Nhóm tiêu chí về kết quả thực hiện nhiệm vụ",
    "Nhóm tiêu chí chung",
)
FORM_2025_HEADINGS = (
    "A. NỘI DUNG KIỂM ĐIỂM",
    "I. Ưu điểm, kết quả đạt được",
    "II. Hạn chế, khuyết điểm và nguyên nhân",
    "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm",
    "B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI",
    "Đề xuất xếp loại mức chất lượng",
)
GRADE_TEXT = {
    "Hoàn thành xuất sắc nhiệm vụ": "excellent",
    "Hoàn thành tốt nhiệm vụ": "good",
    "Hoàn thành nhiệm vụ": "completed",
    "Không hoàn thành nhiệm vụ": "not_completed",
}
RUN = 12  # words in common with a real sample that count as copying


def _jsonl(name: str) -> list[dict[str, Any]]:
    with (HAND_DIR / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@cache
def sentences() -> list[dict[str, Any]]:
    return _jsonl("sentences.jsonl")


@cache
def shortcomings() -> list[dict[str, Any]]:
    return _jsonl("shortcomings.jsonl")


@cache
def reviews() -> dict[str, tuple[str, dict[str, Any]]]:
    """file name -> (text, labels)."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in sorted(REVIEWS_DIR.glob("*.labels.json")):
        labels = json.loads(path.read_text(encoding="utf-8"))
        text = (REVIEWS_DIR / labels["file"]).read_text(encoding="utf-8")
        out[labels["file"]] = (unicodedata.normalize("NFC", text), labels)
    return out


def _canon(text: str) -> str:
    """Lowercase NFC with the oa/oe/uy tone mark folded onto one vowel, so "hoá" and "hóa" compare equal."""
    text = unicodedata.normalize("NFC", text).lower()
    for plain, first, marks, moved in (
        ("a", "o", "áàảãạ", "óòỏõọ"),
        ("e", "o", "éèẻẽẹ", "óòỏõọ"),
        ("y", "u", "ýỳỷỹỵ", "úùủũụ"),
    ):
        for mark, first_marked in zip(marks, moved, strict=True):
            text = text.replace(first + mark, first_marked + plain)
    return text


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", _canon(text))


def _shares_most_words(a: str, b: str, share: float = 0.6) -> bool:
    wa, wb = Counter(_words(a)), Counter(_words(b))
    common = sum((wa & wb).values())
    return common >= share * sum(wa.values()) and common >= share * sum(wb.values())


# ---------------------------------------------------------------- sentences.jsonl
def test_sentences_count_ids_and_fields() -> None:
    rows = sentences()
    assert len(rows) >= 320
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"hs-\d{4}", i) for i in ids)
    assert len({_canon(r["text"]) for r in rows}) == len(rows), "duplicate sentence text"
    for r in rows:
        assert set(r) == {"id", "text", "boilerplate", "category", "section", "note"}, r["id"]
        assert isinstance(r["boilerplate"], bool) and r["section"] in SECTIONS, r["id"]
        assert r["note"].strip() and r["text"] == unicodedata.normalize("NFC", r["text"]).strip(), r["id"]
        assert "  " not in r["text"], r["id"]


def test_sentence_categories_agree_with_labels() -> None:
    for r in sentences():
        allowed = BOILERPLATE_CATEGORIES if r["boilerplate"] else CONCRETE_CATEGORIES
        assert r["category"] in allowed, (r["id"], r["category"], r["boilerplate"])


def test_sentence_balance_and_hard_cases() -> None:
    rows = sentences()
    share = sum(r["boilerplate"] for r in rows) / len(rows)
    assert 0.5 <= share <= 0.6, share
    by_section = Counter((r["section"], r["boilerplate"]) for r in rows)
    for section in SECTIONS:  # both labels in every section, so no section can be judged by position
        assert by_section[section, True] >= 5 and by_section[section, False] >= 5, section
    cats = Counter(r["category"] for r in rows)
    assert cats["stock_with_instance"] >= 15 and cats["empty_long"] >= 10


# ---------------------------------------------------------------- shortcomings.jsonl
def test_shortcomings_fields_and_label_sets() -> None:
    rows = shortcomings()
    assert len(rows) >= 70
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"hk-\d{3}", i) for i in ids)
    for r in rows:
        assert r["review_year"] in {2023, 2024, 2025} and r["kind"] in {"individual", "collective"}, r["id"]
        assert r["cause"] in CAUSES and r["deadline"] in DEADLINES, r["id"]
        assert isinstance(r["remedy"], bool) and isinstance(r["is_shortcoming"], bool), r["id"]
        assert set(r["context"]) <= {"II.2", "III", "VI"}, r["id"]
        assert r["note"].strip() and r["shortcoming"].strip(), r["id"]


def test_shortcoming_labels_are_consistent() -> None:
    for r in shortcomings():
        haystack = [r["shortcoming"], *r["context"].values()]
        if r["deadline"] == "none":
            assert r["deadline_text"] is None, r["id"]
        else:
            assert any(r["deadline_text"] in h for h in haystack), r["id"]
            assert r["remedy"], f"{r['id']}: a deadline without a remedy"
        assert (r["deadline_plausible"] is None) == (r["deadline"] != "concrete"), r["id"]
        if not r["is_shortcoming"]:
            assert (r["cause"], r["remedy"], r["deadline"]) == ("none", False, "none"), r["id"]


def test_shortcomings_cover_every_case() -> None:
    rows = [r for r in shortcomings() if r["is_shortcoming"]]
    assert len(rows) >= 60
    assert {r["cause"] for r in rows} == CAUSES and {r["deadline"] for r in rows} == DEADLINES
    assert sum(not r["remedy"] for r in rows) >= 10
    assert sum(r["deadline_plausible"] is False for r in rows) >= 2
    assert sum(not r["is_shortcoming"] for r in shortcomings()) >= 5
    assert sum(len(r["context"]) == 0 for r in rows) >= 5  # inline-only items


# ---------------------------------------------------------------- reviews
def test_review_counts_and_schema() -> None:
    items = reviews()
    assert sum(lab["year"] >= 2025 for _, lab in items.values()) >= 12
    assert sum(lab["year"] < 2025 for _, lab in items.values()) >= 3
    assert len(list(REVIEWS_DIR.glob("*.txt"))) == len(items), "a .txt without its labels"
    for name, (_, lab) in items.items():
        assert lab["schema"] == "kiemdiem.labels/1" and lab["kind"] == "individual", name
        assert lab["form"] in FORMS_BY_ERA[lab["year"] >= 2025], name
        assert lab["grade"]["claimed"] in GRADES and isinstance(lab["grade"]["fits"], bool), name
        assert isinstance(lab["formalistic"], bool) and lab["templates"] == [], name
        assert re.fullmatch(r"m\d{2}", lab["author"]) and lab["unit"].startswith("cb-"), name


def test_review_text_is_already_normalised() -> None:
    for name in reviews():
        raw = (REVIEWS_DIR / name).read_bytes().decode("utf-8")
        assert raw == unicodedata.normalize("NFC", raw), name
        assert "\r" not in raw and raw.endswith("\n") and "  " not in raw, name
        assert not re.search(r"[ \t]\n", raw), f"{name}: trailing space"


def test_every_span_matches_its_text() -> None:
    for name, (text, lab) in reviews().items():
        spans = [*lab["sentences"], *lab["shortcomings"], *lab["placeholders"], *lab["copied"]]
        assert lab["sentences"] and lab["shortcomings"], name
        for span in spans:
            assert 0 <= span["start"] < span["end"] <= len(text), (name, span)
            assert text[span["start"] : span["end"]] == span["text"], (name, span["text"][:40])
        previous_end = 0
        for s in lab["sentences"]:
            assert s["start"] >= previous_end and isinstance(s["boilerplate"], bool), (name, s["text"][:40])
            previous_end = s["end"]
        for sc in lab["shortcomings"]:
            assert sc["cause"] in CAUSES and sc["deadline"] in DEADLINES and isinstance(sc["remedy"], bool)
            assert sc["remedy"] or sc["deadline"] == "none", (name, sc["text"][:40])
            if sc["deadline"] != "none":
                assert sc["deadline_text"] in text, (name, sc["deadline_text"])


def test_copied_spans_share_their_sources_words() -> None:
    items = reviews()
    for name, (_, lab) in items.items():
        history = {h["file"]: h["year"] for h in lab["history"]}
        for c in lab["copied"]:
            assert c["role"] in ROLES, name
            source_text, source_lab = items[c["source_file"]]
            if c["role"] == "history":
                assert c["source_file"] in history and source_lab["author"] == lab["author"], name
                assert history[c["source_file"]] == source_lab["year"] < lab["year"], name
            if c["role"] == "peer":
                assert c["source_file"] in lab["peers"] and source_lab["unit"] == lab["unit"], name
            source_span = source_text[c["source_start"] : c["source_end"]]
            assert _shares_most_words(c["text"], source_span), (name, c["text"][:50])


def test_history_pairs_and_peer_pairs_exist() -> None:
    items = reviews()
    copied_pairs = [lab for _, lab in items.values() if any(c["role"] == "history" for c in lab["copied"])]
    rewritten = [lab for _, lab in items.values() if lab["history"] and not lab["copied"]]
    assert len(copied_pairs) >= 2 and rewritten, "need copied and genuinely rewritten history pairs"
    peers = [lab for _, lab in items.values() if any(c["role"] == "peer" for c in lab["copied"])]
    assert len(peers) >= 2 and len({lab["unit"] for lab in peers}) == 1


def test_2025_reviews_carry_the_form_headings() -> None:
    for name, (text, lab) in reviews().items():
        if lab["year"] >= 2025:
            for heading in FORM_2025_HEADINGS:
                assert heading in text, (name, heading)
            assert re.search(r"/30\n", text) and re.search(r"/70\n", text) and "/100" in text, name


def _points(text: str) -> tuple[int | None, int | None, int | None]:
    def one(pattern: str) -> int | None:
        m = re.search(pattern, text)
        return int(m.group(1)) if m else None

    return (
        one(r"Nhóm tiêu chí chung: (\d+)/30"),
        one(r"kết quả thực hiện nhiệm vụ: (\d+)/70"),
        one(r"Tổng điểm: (\d+)/100"),
    )


def _band(total: int) -> str:
    return (
        "excellent"
        if total >= 90
        else "good"
        if total >= 70
        else "completed"
        if total >= 50
        else "not_completed"
    )


def test_grade_labels_follow_the_points() -> None:
    for name, (text, lab) in reviews().items():
        claimed = lab["grade"]["claimed"]
        # 2025: the level on its own line; 2023/2024: "Xếp loại đảng viên: <level>".
        line = r"^{}$" if lab["year"] >= 2025 else r"^(?:\d\. )?Xếp loại đảng viên: {}$"
        written = [v for k, v in GRADE_TEXT.items() if re.search(line.format(k), text, re.M)]
        assert written == [claimed], (name, written, claimed)
        if lab["year"] < 2025:
            continue
        general, tasks, total = _points(text)
        if general is None or tasks is None or total is None:
            assert not lab["grade"]["fits"], f"{name}: a claim without a total cannot fit"
        elif general + tasks != total or _band(total) != claimed:
            assert not lab["grade"]["fits"], name


def test_formalistic_follows_the_readme_rule() -> None:
    for name, (_, lab) in reviews().items():
        body = sum(s["end"] - s["start"] for s in lab["sentences"])
        copied = sum(c["end"] - c["start"] for c in lab["copied"])
        boiler = sum(s["boilerplate"] for s in lab["sentences"]) / len(lab["sentences"])
        expected = copied / body >= 0.30 or boiler >= 0.60 or bool(lab["placeholders"])
        assert lab["formalistic"] == expected, name
    assert {lab["formalistic"] for _, lab in reviews().values()} == {True, False}


# ---------------------------------------------------------------- nothing copied from the real samples
@cache
def _real_runs() -> frozenset[tuple[str, ...]]:
    runs: set[tuple[str, ...]] = set()
    for path in sorted(REAL_DIR.glob("*.txt")):
        words = _words(path.read_text(encoding="utf-8"))
        runs.update(tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1))
    return frozenset(runs)


def _our_lines() -> list[tuple[str, str]]:
    """(where, line) for every line of every file we own, official headings left out."""
    official = tuple(_canon(h) for h in OFFICIAL_HEADINGS)
    numbering = re.compile(r"^(?:[IVX]+|\d+|[A-Z])\.\s*")
    out: list[tuple[str, str]] = []
    for path in sorted(HAND_DIR.rglob("*")):
        if path.suffix not in {".txt", ".jsonl", ".json", ".md"}:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            bare = _canon(numbering.sub("", line))
            if not any(bare.startswith(h) for h in official):
                out.append((f"{path.relative_to(HAND_DIR)}:{n}", line))
    return out


@pytest.mark.real
def test_no_run_of_twelve_words_from_the_real_samples() -> None:
    if not REAL_DIR.is_dir() or not any(REAL_DIR.glob("*.txt")):
        pytest.skip(f"../shared/corpus not present: {REAL_DIR}")
    real = _real_runs()
    found = []
    for where, line in _our_lines():
        words = _words(line)
        found += [
            (where, " ".join(words[i : i + RUN]))
            for i in range(len(words) - RUN + 1)
            if tuple(words[i : i + RUN]) in real
        ]
    assert not found, found[:5]


def test_the_overlap_check_would_catch_a_copy() -> None:
    # Guards the check above against silently matching nothing: a copy that differs only in case, tone-mark
    # placement and punctuation must still be caught.
    sample = "Luôn giữ gìn sự hòa thuận, đoàn kết nội bộ, gương mẫu trong công tác và sinh hoạt ở khu dân cư."
    words = _words(sample)
    runs = {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}
    variant = _words("Ngoài ra - " + sample.replace("hòa", "hoà").replace(",", " ;").upper())
    assert any(tuple(variant[i : i + RUN]) in runs for i in range(len(variant) - RUN + 1))
    assert not _shares_most_words(sample, "Hoàn thành 12/12 chỉ tiêu được giao trong năm 2025.")
