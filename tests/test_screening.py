import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from service.detect.base import Context, Reference
from service.screening import SCHEMA, screen
from service.text.normalize import normalize
from service.text.pipeline import build_review

EXAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "examples"
SUBMISSION = (EXAMPLES / "tran-thi-lan-2025.txt").read_text(encoding="utf-8")
HISTORY = (EXAMPLES / "tran-thi-lan-2024.txt").read_text(encoding="utf-8")

# New-style tone placement, as some keyboards type it.
OLD_TONES = {
    "hòa": "hoà",
    "thủy": "thuỷ",
    "khỏe": "khoẻ",
    "ủy": "uỷ",
    "tùy": "tuỳ",
    "hóa": "hoá",
    "họa": "hoạ",
}


def perturb(text: str, choices: list[int]) -> str:
    """Re-encode lines of `text` in NFD, new-style tones, CRLF or extra spaces, as chosen per line."""
    out = []
    for i, line in enumerate(text.split("\n")):
        how = choices[i % len(choices)]
        if how == 1:
            line = unicodedata.normalize("NFD", line)
        elif how == 2:
            for canonical, other in OLD_TONES.items():
                line = line.replace(canonical, other)
        elif how == 3:
            line = "  " + line.replace(" ", "  ") + " \r"
        elif how == 4:
            for canonical, other in OLD_TONES.items():
                line = line.replace(canonical, other)
            line = unicodedata.normalize("NFD", line)
        out.append(line)
    return "\n".join(out)


def comparable(text: str, history: str | None = None) -> dict:
    review = build_review(text, source="r.txt")
    context = Context()
    if history is not None:
        past = build_review(history, source="h.txt")
        context = Context(history=[Reference(review=past, role="history", source="h.txt", year=past.year)])
    data = screen(review, context).to_dict()
    data.pop("source")
    return data


BASELINE = comparable(SUBMISSION)


@given(st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=12))
@settings(max_examples=15, deadline=None)
def test_unicode_and_tone_variants_give_the_same_screening(choices: list[int]) -> None:
    assert comparable(perturb(SUBMISSION, choices)) == BASELINE


def test_every_offset_indexes_into_the_normalised_text() -> None:
    data = comparable(SUBMISSION, HISTORY)
    assert data["schema"] == SCHEMA
    text = data["text"]
    for section in data["sections"]:
        assert text[section["start"] : section["end"]].strip()
    for flag in data["flags"]:
        assert 0 <= flag["start"] < flag["end"] <= len(text)
        assert text[flag["start"] : flag["end"]] == text[flag["start"] : flag["end"]].strip()
    assert data["flags"] == sorted(data["flags"], key=lambda f: (f["start"], f["end"], f["code"]))


def test_offsets_map_back_to_what_the_author_wrote() -> None:
    variant = perturb(SUBMISSION, [1, 2, 3, 4])
    review = build_review(variant, source="r.txt")
    for sentence in review.sentences:
        o_start, o_end = review.original_span(sentence.start, sentence.end)
        assert normalize(variant[o_start:o_end]).text == sentence.text
