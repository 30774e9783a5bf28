"""Syllables and shingles: the normalisation that makes a copier's small edits invisible."""

from __future__ import annotations

import unicodedata

import numpy as np

from service.index.shingles import NUMBER, Shingler, jaccard, syllables


def test_years_and_numbers_hide_nothing() -> None:
    sh = Shingler(3)
    a = sh.hashes("Trong năm 2024, bản thân hoàn thành 12 chỉ tiêu, đạt 0,93 kế hoạch.")
    b = sh.hashes("Trong năm 2025, bản thân hoàn thành 15 chỉ tiêu, đạt 1,2 kế hoạch.")
    assert np.array_equal(a, b)
    assert syllables("năm 2025").tokens == ["năm", NUMBER]


def test_case_and_punctuation_are_dropped() -> None:
    sh = Shingler(2)
    assert np.array_equal(
        sh.hashes("Chi bộ; ĐẢNG VIÊN - nêu gương!"), sh.hashes("chi bộ đảng viên nêu gương")
    )


def test_offsets_point_back_into_the_input() -> None:
    text = "  Việc nghiên cứu văn bản (năm 2024) còn CHẬM…"
    syl = syllables(text)
    assert syl.tokens == ["việc", "nghiên", "cứu", "văn", "bản", "năm", NUMBER, "còn", "chậm"]
    for tok, s, e in zip(syl.tokens, syl.starts, syl.ends, strict=True):
        assert text[s:e].lower() == tok or (tok == NUMBER and text[s:e].isdigit())
    assert syl.span(7, 8) == (text.index("còn"), text.index("…"))


def test_masked_spans_give_no_shingles_and_none_across_them() -> None:
    text = "tự phê bình còn nể nang II. Hạn chế khuyết điểm chưa sắp xếp thời gian"
    head = (text.index("II."), text.index("chưa"))
    sh = Shingler(2)
    masked = sh.hashes(text, [head])
    expected = np.union1d(sh.hashes("tự phê bình còn nể nang"), sh.hashes("chưa sắp xếp thời gian"))
    assert np.array_equal(masked, expected)  # no "nang chưa" shingle glued across the heading
    assert "hạn" not in syllables(text, [head]).tokens


def test_decomposed_text_hashes_like_composed() -> None:
    text = "Tinh thần tự phê bình và phê bình còn hạn chế, chưa khắc phục."
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    sh = Shingler(4)
    assert np.array_equal(sh.hashes(nfd), sh.hashes(text))
    syl = syllables(nfd)
    assert nfd[syl.starts[1] : syl.ends[1]] == unicodedata.normalize("NFD", "thần")


def test_strings_and_hashes_describe_the_same_shingles() -> None:
    sh = Shingler(3)
    text = "Mạnh dạn đấu tranh tự phê bình và phê bình"
    assert sh.strings(text)[0] == "mạnh dạn đấu"
    assert len(set(sh.strings(text))) == len(sh.hashes(text))


def test_short_text_still_has_a_fingerprint_and_jaccard_is_exact() -> None:
    sh = Shingler(4)
    assert len(sh.hashes("Hoàn thành tốt")) == 1
    a = sh.hashes("một hai ba bốn năm sáu")
    b = sh.hashes("một hai ba bốn năm bảy")
    assert jaccard(a, b) == 2 / 4  # {1234, 2345} shared of {1234, 2345, 3456, 345bảy}
    assert jaccard(a, a) == 1.0
