"""The boilerplate lexicon: data files that load, validate, and match over syllables."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from service.detect.lexicon import Lexicon, LexiconError, expand_pattern, syllables

CATEGORIES = {"hedge", "shortcoming", "cause", "praise", "remedy", "time", "evasion"}


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load()


def ids(matches) -> list[str]:
    return [m.entry.id for m in matches]


def test_lexicon_has_200_entries_in_every_category(lexicon: Lexicon) -> None:
    entries = lexicon.entries
    assert len(entries) >= 200
    counts = Counter(e.category for e in entries)
    assert set(counts) == CATEGORIES
    assert all(n >= 15 for n in counts.values()), counts


def test_every_entry_explains_itself_in_vietnamese_with_an_example(lexicon: Lexicon) -> None:
    for e in lexicon.entries:
        assert e.id.startswith(f"bp.{e.category}."), e.id
        assert e.severity in {"high", "medium", "low"}
        assert e.version
        assert "Ví dụ" in e.hint, e.id
        # Vietnamese text: diacritics present in both message and hint.
        for text in (e.message, e.hint):
            assert any(unicodedata.decomposition(c) for c in text), (e.id, text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Có lúc, có việc chưa hoàn thành đúng hạn.", "bp.hedge.co-luc-co-viec"),
        ("Việc đóng góp ý kiến còn hạn chế, chưa thật sự mạnh dạn.", "bp.shortcoming.chua-that-su-manh-dan"),
        ("Tinh thần tự phê bình và phê bình chưa cao.", "bp.shortcoming.tu-phe-binh-chua-cao"),
        ("Đôi lúc còn ngại va chạm.", "bp.evasion.ngai-va-cham"),
        ("Do khối lượng công việc nhiều.", "bp.cause.khoi-luong-cong-viec-nhieu"),
        ("Một phần do điều kiện khách quan.", "bp.cause.dieu-kien-khach-quan"),
        ("Có lập trường tư tưởng chính trị vững vàng.", "bp.praise.lap-truong-vung-vang"),
        ("Luôn trung thành với chủ nghĩa Mác-Lênin.", "bp.praise.trung-thanh-mac-lenin"),
        ("Có lối sống giản dị, lành mạnh.", "bp.praise.loi-song-gian-di-lanh-manh"),
        ("Tiếp tục phát huy những ưu điểm đã đạt được.", "bp.remedy.tiep-tuc-phat-huy-uu-diem"),
        ("Nâng cao tinh thần trách nhiệm.", "bp.remedy.nang-cao-tinh-than-trach-nhiem"),
        ("Trong thời gian tới sẽ sửa.", "bp.time.trong-thoi-gian-toi"),
        ("Từng bước nâng cao trình độ.", "bp.time.tung-buoc-khac-phuc"),
        ("Giữ quan hệ dĩ hòa vi quý.", "bp.evasion.di-hoa-vi-quy"),
        ("Còn nể nang, né tránh.", "bp.evasion.ne-nang"),
    ],
)
def test_stock_phrases_are_found(lexicon: Lexicon, text: str, rule: str) -> None:
    matches = lexicon.match(text)
    assert rule in ids(matches)
    for m in matches:
        assert text[m.start : m.end] == m.text


def test_a_gap_pattern_tolerates_words_in_between(lexicon: Lexicon) -> None:
    text = "Tinh thần tự phê bình và phê bình của bản thân chưa cao."
    assert "bp.shortcoming.tu-phe-binh-chua-cao" in ids(lexicon.match(text))


def test_matching_ignores_punctuation_line_breaks_and_case(lexicon: Lexicon) -> None:
    for text in ("có lúc có việc chưa làm", "CÓ LÚC, CÓ VIỆC chưa làm", "Có lúc,\ncó  việc chưa làm"):
        assert ids(lexicon.match(text))[:1] == ["bp.hedge.co-luc-co-viec"], text


def test_tone_mark_variants_and_nfd_match_with_offsets_into_the_input(lexicon: Lexicon) -> None:
    old_tone = "Còn dĩ hoà vi quý trong góp ý."
    nfd = unicodedata.normalize("NFD", "Còn dĩ hòa vi quý trong góp ý.")
    for text in (old_tone, nfd):
        [m] = [m for m in lexicon.match(text) if m.entry.id == "bp.evasion.di-hoa-vi-quy"]
        assert unicodedata.normalize("NFC", text[m.start : m.end]) in ("dĩ hoà vi quý", "dĩ hòa vi quý")


def test_matches_do_not_depend_on_word_segmentation(lexicon: Lexicon) -> None:
    from underthesea import word_tokenize

    text = "Bản thân có lúc, có việc chưa thật sự mạnh dạn trong đấu tranh."
    joined = " ".join(word_tokenize(text))  # underthesea's words, re-joined with single spaces
    assert ids(lexicon.match(text)) == ids(lexicon.match(joined))


def test_a_match_inside_a_longer_one_is_dropped(lexicon: Lexicon) -> None:
    found = ids(lexicon.match("Có lúc, có việc chưa kịp thời."))
    assert "bp.hedge.co-luc-co-viec" in found
    assert "bp.hedge.co-luc" not in found


def test_rules_are_switched_off_by_id_category_or_prefix() -> None:
    text = "Có lúc, có việc chưa làm; còn nể nang trong góp ý."
    assert "bp.hedge.co-luc-co-viec" not in ids(
        Lexicon.load(disabled={"bp.hedge.co-luc-co-viec"}).match(text)
    )
    off_category = ids(Lexicon.load(disabled={"hedge"}).match(text))
    assert not any(i.startswith("bp.hedge.") for i in off_category)
    assert "bp.evasion.ne-nang" in off_category
    assert not any(
        i.startswith("bp.evasion.") for i in ids(Lexicon.load(disabled={"bp.evasion"}).match(text))
    )


def test_a_units_allow_list_is_never_flagged() -> None:
    text = "Duy trì sinh hoạt thường xuyên theo mô hình dân vận khéo."
    assert "bp.time.thuong-xuyen" in ids(Lexicon.load().match(text))
    allowed = Lexicon.load(allow_phrases={"sinh hoạt thường xuyên"})
    assert "bp.time.thuong-xuyen" not in ids(allowed.match(text))
    assert allowed.allowed_spans(text) == [(8, 30)]


def test_loading_is_cached_per_process() -> None:
    a, b = Lexicon.load(), Lexicon.load(disabled={"hedge"})
    assert a._compiled is b._compiled
    assert a.version == b.version and len(a.version) == 12


def test_pattern_groups_expand() -> None:
    assert expand_pattern("chưa (được) {thường xuyên|liên tục}") == [
        ("chưa", "được", "thường", "xuyên"),
        ("chưa", "được", "liên", "tục"),
        ("chưa", "thường", "xuyên"),
        ("chưa", "liên", "tục"),
    ]
    assert expand_pattern("a ~2 b") == [("a", "~2", "b")]
    assert syllables("Hoà 12/12, THỦY").words == ("hòa", "12", "12", "thủy")


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        ({"id": "bp.hedge.x", "pattern": "có lúc", "message": "m", "severity": "low"}, "missing hint"),
        (
            {"id": "bp.other.x", "pattern": "có lúc", "message": "m", "hint": "h", "severity": "low"},
            "must start",
        ),
        (
            {"id": "bp.hedge.x", "pattern": "có lúc|khi", "message": "m", "hint": "h", "severity": "low"},
            "braces",
        ),
        (
            {"id": "bp.hedge.x", "pattern": "~2 có", "message": "m", "hint": "h", "severity": "low"},
            "start and end",
        ),
        ({"id": "bp.hedge.x", "pattern": "có", "message": "m", "hint": "h", "severity": "huge"}, "severity"),
    ],
)
def test_malformed_files_are_rejected_with_the_entry_named(tmp_path: Path, entry: dict, error: str) -> None:
    import yaml

    (tmp_path / "hedge.yaml").write_text(
        yaml.safe_dump({"category": "hedge", "version": "1", "entries": [entry]}, allow_unicode=True),
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match=error):
        Lexicon.load(tmp_path)


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    import yaml

    entry = {"id": "bp.hedge.x", "pattern": "có lúc", "message": "m", "hint": "h", "severity": "low"}
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(
            yaml.safe_dump({"category": "hedge", "version": "1", "entries": [entry]}), encoding="utf-8"
        )
    with pytest.raises(LexiconError, match="already used"):
        Lexicon.load(tmp_path)
