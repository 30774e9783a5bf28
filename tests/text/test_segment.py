from service.text.normalize import normalize
from service.text.segment import build_doc, split_sentences, tokenize

TEXT = normalize(
    "II. Hạn chế, khuyết điểm và nguyên nhân\n"
    "1. Hạn chế: chưa thật sự mạnh dạn. Có lúc còn nể nang, né tránh.\n"
    "- Tham gia công tác tại TP. Hồ Chí Minh, hội nghị, tập huấn v.v. đều đầy đủ (12/12 buổi).\n"
    "a) Hoàn thành Kế hoạch số 45-KH/CB trước 30/6/2025.\n\n"
    "Không có."
).text


def test_sentences_are_exact_slices_and_keep_their_enumerator() -> None:
    sentences = split_sentences(TEXT)
    for s in sentences:
        assert TEXT[s.start : s.end] == s.text
    texts = [s.text for s in sentences]
    assert texts == [
        "II. Hạn chế, khuyết điểm và nguyên nhân",
        "1. Hạn chế: chưa thật sự mạnh dạn.",
        "Có lúc còn nể nang, né tránh.",
        "- Tham gia công tác tại TP. Hồ Chí Minh, hội nghị, tập huấn v.v. đều đầy đủ (12/12 buổi).",
        "a) Hoàn thành Kế hoạch số 45-KH/CB trước 30/6/2025.",
        "Không có.",
    ]


def test_tokens_are_words_located_in_the_text() -> None:
    tokens = tokenize(TEXT)
    for t in tokens:
        assert TEXT[t.start : t.end] == t.text
    words = [t.text for t in tokens]
    assert "khuyết điểm" in words and "nể nang" in words and "30/6/2025" in words
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)


def test_spacy_doc_has_the_normalised_text_and_token_offsets() -> None:
    tokens = tokenize(TEXT)
    doc = build_doc(TEXT, tokens)
    assert doc.text == TEXT
    starts = {t.idx for t in doc}
    assert all(t.start in starts for t in tokens)
    span = doc.char_span(TEXT.index("nể nang"), TEXT.index("nể nang") + len("nể nang"))
    assert span is not None and span.text == "nể nang"
