import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from service.text.normalize import canonical_tones, normalize

SYLLABLES = [
    "hoà",
    "hòa",
    "thuỷ",
    "thủy",
    "khoẻ",
    "khỏe",
    "quý",
    "quỳnh",
    "uỷ",
    "ủy",
    "ban",
    "Đảng",
    "đảng",
    "viên",
    "kiểm",
    "điểm",
    "năm",
    "2025",
    "12/12",
    "chỉ",
    "tiêu",
    "nể",
    "nang",
    "né",
    "tránh",
    "HOÀ",
    "Thuỷ",
    "hoàn",
    "thành",
    "xuất",
    "sắc",
    "nhiệm",
    "vụ",
    "tổ",
    "chức",
    "kỷ",
    "luật",
    "…",
    "(nếu",
    "có)",
    "toả",
]
SEPARATORS = [" ", "  ", "\t", "\u00a0", "\n", "\r\n", "\n\n\n", ", ", ". ", "\n- ", "\n• ", "\n**", "**"]

texts = st.lists(
    st.tuples(st.sampled_from(SYLLABLES), st.sampled_from(SEPARATORS)), min_size=1, max_size=60
).map(lambda parts: "".join(a + b for a, b in parts))


def old_style(text: str) -> str:
    """The new-style placement some keyboards produce: tone on the second vowel of oa/oe/uy."""
    swaps = {"hòa": "hoà", "thủy": "thuỷ", "khỏe": "khoẻ", "ủy": "uỷ", "tỏa": "toả", "Hòa": "Hoà"}
    for canonical, other in swaps.items():
        text = text.replace(canonical, other)
    return text


@given(texts)
@settings(max_examples=200, deadline=None)
def test_nfd_and_tone_variants_normalise_to_the_same_text(raw: str) -> None:
    canonical = normalize(raw).text
    assert normalize(unicodedata.normalize("NFD", raw)).text == canonical
    assert normalize(old_style(raw)).text == canonical
    assert normalize(unicodedata.normalize("NFD", old_style(raw))).text == canonical


@given(texts)
@settings(max_examples=200, deadline=None)
def test_offset_map_points_every_word_back_to_what_the_author_wrote(raw: str) -> None:
    for variant in (raw, unicodedata.normalize("NFD", raw), old_style(raw)):
        n = normalize(variant)
        assert len(n.offset_map) == len(n.text) + 1
        assert n.offset_map == sorted(n.offset_map)
        for m in re.finditer(r"\S+", n.text):
            if m.group(0) == "-":  # a bullet glyph is unified by its position at a line start
                continue
            o_start, o_end = n.original_span(m.start(), m.end())
            assert normalize(variant[o_start:o_end]).text == m.group(0)


def test_canonical_tone_placement_matches_underthesea() -> None:
    from underthesea import text_normalize

    for word in [
        "hoà",
        "thuỷ",
        "khoẻ",
        "uỷ",
        "tuỳ",
        "hoạ",
        "nguỵ",
        "toả",
        "xoè",
        "HOÀ",
        "Thuỷ",
        "quý",
        "quỳnh",
    ]:
        assert canonical_tones(word) == text_normalize(word), word


def test_tone_marks_inside_a_syllable_with_a_final_consonant_stay() -> None:
    assert canonical_tones("hoàn thành toán khuyến quyết") == "hoàn thành toán khuyến quyết"


def test_whitespace_bullets_and_markdown() -> None:
    raw = "\ufeff**I. ƯU ĐIỂM**\r\n\r\n\r\n•\tMột  hai\u00a0ba  \n  ## Về tư tưởng\n* mục\n*Ví dụ: …*\n"
    assert normalize(raw).text == "I. ƯU ĐIỂM\n\n- Một hai ba\nVề tư tưởng\n- mục\nVí dụ: …"


def test_lookalike_eth_becomes_d_with_stroke() -> None:
    assert normalize("\u00d0ảng viên").text == "Đảng viên"
