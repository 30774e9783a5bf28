"""The `boilerplate` detector, its commonness index and its trained model."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from service.detect.base import Context, Reference
from service.detect.boilerplate import body_sentences, detect, judge_sentence
from service.detect.commonness import CommonnessIndex, build_background, gram_hashes, load_background
from service.paths import MODELS_DIR, SHARED_CORPUS_DIR
from service.text.document import Review, Section, Sentence
from service.train.boilerplate import MODEL_FILE, ModelError, load_model, train
from service.train.boilerplate_data import compose

CONCRETE = (
    "Hoàn thành 12/12 chỉ tiêu được giao, trong đó 3 chỉ tiêu vượt trên 10%; chủ trì xây dựng Kế hoạch "
    "số 45-KH/CB về chuyển đổi số, hoàn thành trước 30/6/2025"
)
# The project's own sentences in several voices (not the training pools): generic ones say nothing a
# reader could check; concrete ones give at least one instance.
GENERIC = [
    "Luôn chấp hành tốt mọi sự phân công của tổ chức và lãnh đạo cơ quan.",
    "Trong công tác luôn cố gắng khắc phục khó khăn để hoàn thành công việc.",
    "Có lúc còn chưa chủ động trong tham mưu, đề xuất với lãnh đạo.",
    "Nguyên nhân chủ yếu là do công việc chuyên môn nhiều, thời gian dành cho học tập còn ít.",
    "Quan hệ với đồng nghiệp, với nhân dân luôn chân thành, cởi mở.",
    "Còn ngại đấu tranh với những biểu hiện sai trái trong cơ quan.",
    "Trong thời gian tới, bản thân sẽ cố gắng khắc phục những hạn chế nêu trên.",
    "Khả năng nắm bắt và xử lý tình huống phát sinh đôi khi còn chậm.",
    "Trong năm 2025, bản thân luôn giữ gìn phẩm chất, đạo đức của người đảng viên.",
    "Hoàn thành 100% nhiệm vụ được giao, không vi phạm 19 điều đảng viên không được làm.",
]
SPECIFIC = [
    CONCRETE,
    "Năm học 2024–2025 chủ nhiệm lớp 9A, 38/40 học sinh đỗ vào lớp 10 công lập.",
    "Trực 96 ca đêm tại khoa Hồi sức, không để xảy ra sai sót chuyên môn nào.",
    "Tháng 8/2025 tôi nộp chậm báo cáo thống kê quý II 6 ngày, bị Văn phòng nhắc nhở bằng văn bản.",
    "Là cán bộ hưu trí, tôi nhận làm tổ trưởng tổ hòa giải khu phố 2, hòa giải thành 4/5 vụ.",
    "Còn nể nang, chưa góp ý thẳng với đồng chí tổ trưởng về việc chấm công sai trong tháng 9/2025.",
    "Từ ngày 01/01/2026, mỗi thứ Sáu tôi dành 2 giờ cập nhật văn bản mới và ghi vào sổ tay nghiệp vụ.",
]


def make_review(lines: list[str], headings: set[int] = frozenset(), year: int | None = 2025) -> Review:
    """A Review built by hand: one sentence per line, the given line numbers marked as headings."""
    text = "\n".join(lines)
    sentences, pos = [], 0
    for i, line in enumerate(lines):
        sentences.append(Sentence(pos, pos + len(line), line, "I.1", is_heading=i in headings))
        pos += len(line) + 1
    return Review(text=text, source="<test>", sentences=sentences, year=year)


@pytest.mark.parametrize("text", GENERIC)
def test_generic_sentences_are_flagged(text: str) -> None:
    assert judge_sentence(text).flagged


@pytest.mark.parametrize("text", SPECIFIC)
def test_sentences_with_a_checkable_instance_are_not_flagged(text: str) -> None:
    j = judge_sentence(text)
    assert not j.flagged
    assert j.reason == "specific"


def test_the_concrete_sentence_is_not_flagged_in_a_review() -> None:
    review = make_review(["I. Ưu điểm, kết quả đạt được", CONCRETE], headings={0})
    result = detect(review, Context())
    assert result.flags == []
    assert result.score == 0.0


def test_a_flag_names_its_rule_and_gives_a_vietnamese_hint_with_an_example() -> None:
    line = "Bản thân có lúc, có việc chưa thật sự mạnh dạn trong đấu tranh tự phê bình."
    review = make_review([line])
    [flag] = detect(review, Context()).flags
    assert flag.code == "boilerplate"
    assert (flag.start, flag.end) == (0, len(line))
    assert "quy tắc bp." in flag.message and "không có sản phẩm, số liệu hay thời gian cụ thể" in flag.message
    assert "Ví dụ" in flag.hint
    ev = flag.evidence
    assert "bp.hedge.co-luc-co-viec" in ev["rules"]
    assert ev["specificity"] == 0.0
    assert {"commonness", "probability", "model_version", "lexicon_version"} <= set(ev)
    for m in ev["matches"]:
        assert review.text[m["start"] : m["end"]]


def test_headings_header_lines_and_short_lines_are_not_judged() -> None:
    lines = [
        "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN",
        "Họ và tên: Nguyễn Văn An",
        "II. Hạn chế, khuyết điểm và nguyên nhân",
        "Không có.",
        "Tinh thần tự phê bình và phê bình chưa cao.",
    ]
    review = make_review(lines, headings={2})
    assert [s.text for s in body_sentences(review)] == [lines[4]]
    flags = detect(review, Context()).flags
    assert [review.text[f.start : f.end] for f in flags] == [lines[4]]


def test_body_sentences_that_start_like_header_fields_are_still_judged() -> None:
    lines = ["Đơn vị công tác: Trạm Y tế xã", "Đơn vị luôn giữ vững đoàn kết.", "Năm 2025, tôi luôn cố gắng."]
    assert [s.text for s in body_sentences(make_review(lines))] == lines[1:]


def test_sentences_before_the_first_section_are_the_header() -> None:
    review = make_review(["Chi bộ Trường Tiểu học Kim Đồng, năm 2025", "Luôn giữ gìn đoàn kết nội bộ."])
    review.sections = [Section("I", "Ưu điểm", 42, len(review.text), 42)]
    assert [s.text for s in body_sentences(review)] == ["Luôn giữ gìn đoàn kết nội bộ."]


def test_score_is_the_length_weighted_share_of_body_sentences_flagged() -> None:
    stock = "Luôn giữ vững lập trường tư tưởng chính trị, chấp hành nghiêm chủ trương của Đảng."
    review = make_review([stock, CONCRETE])
    result = detect(review, Context())
    assert result.score == pytest.approx(len(stock) / (len(stock) + len(CONCRETE)), abs=1e-3)
    assert [d["flagged"] for d in result.details["sentences"]] == [True, False]


def test_glued_bullet_items_are_judged_one_by_one() -> None:
    line = f"Có thể nêu: - Luôn giữ gìn đoàn kết nội bộ, chấp hành nghiêm kỷ luật. - {CONCRETE}."
    review = make_review([line])
    flags = detect(review, Context()).flags
    assert len(flags) == 1
    assert (
        review.text[flags[0].start : flags[0].end]
        == "Luôn giữ gìn đoàn kết nội bộ, chấp hành nghiêm kỷ luật."
    )


def test_switching_off_rules_and_the_whole_detector() -> None:
    line = "Có lúc, có việc chưa hoàn thành, còn nể nang trong góp ý."
    review = make_review([line])
    ctx = Context(disabled_rules=frozenset({"hedge", "evasion"}))
    for flag in detect(review, ctx).flags:
        assert not any(r.startswith(("bp.hedge.", "bp.evasion.")) for r in flag.evidence["rules"])
    off = detect(review, Context(disabled_rules=frozenset({"boilerplate"})))
    assert off.flags == [] and off.score is None


def test_a_units_allow_list_is_never_flagged() -> None:
    line = "Thực hiện tốt phong trào thi đua dân vận khéo."
    assert judge_sentence(line).flagged
    ctx = Context(allow_phrases=frozenset({"thực hiện tốt phong trào thi đua dân vận khéo"}))
    assert detect(make_review([line]), ctx).flags == []


def test_nfd_and_old_tone_input_yield_the_same_verdicts() -> None:
    lines = ["Còn giữ quan hệ dĩ hòa vi quý, ngại va chạm.", CONCRETE, "Sức khỏe có lúc chưa tốt."]
    base = [(f.start, f.end, f.evidence["rules"]) for f in detect(make_review(lines), Context()).flags]
    variants = [
        [unicodedata.normalize("NFD", line) for line in lines],
        [line.replace("hòa", "hoà").replace("khỏe", "khoẻ") for line in lines],
    ]
    for variant in variants:
        review = make_review(variant)
        got = detect(review, Context()).flags
        assert [f.evidence["rules"] for f in got] == [r for *_, r in base]
        assert len(got) == 2


# --- commonness -------------------------------------------------------------------------------------


def test_commonness_counts_distinct_authors_with_digits_masked() -> None:
    index = CommonnessIndex(k=3)
    stock = "Năm 2025 luôn hoàn thành tốt nhiệm vụ được giao và giữ gìn đoàn kết."
    for author, year in (("a", 2023), ("b", 2024), ("b", 2025), ("c", 2025)):
        index.add(author, stock.replace("2025", str(year)), unit="cb1", year=year)
    assert index.commonness(stock) == 1.0  # a, b, c: three authors, years masked
    assert index.commonness(stock, exclude_author="c") == 0.0  # only two others
    assert index.commonness("Sửa xong 14 hồ sơ địa chính tồn đọng ở thôn Đông.") == 0.0
    assert index.commonness(stock, unit="cb1", year=2025) == 0.0  # two authors in that unit-year
    index.add("d", stock, unit="cb1", year=2025)
    assert index.commonness(stock, unit="cb1", year=2025) == 1.0  # incremental
    assert index.commonness(stock, unit="cb9", year=2025) == 0.0


def test_a_sentence_shared_by_many_authors_is_flagged_for_its_commonness() -> None:
    line = "Tham gia quét dọn đường làng cùng bà con vào các buổi sáng cuối tuần."
    index = CommonnessIndex(k=2)
    for author in ("x", "y", "z"):
        index.add(author, line)
    ctx = Context(resources={"commonness": index, "boilerplate_model": None, "author": "me"})
    [flag] = detect(make_review([line]), ctx).flags
    assert flag.evidence["reason"] == "commonness" and flag.evidence["commonness"] == 1.0
    assert "độ phổ biến" in flag.message


def test_commonness_within_the_units_year_is_shown_as_evidence() -> None:
    line = "Tham gia quét dọn đường làng cùng bà con vào các buổi sáng cuối tuần."
    index = CommonnessIndex(k=2)
    for author, unit in (("x", "cb1"), ("y", "cb1"), ("z", "cb2")):
        index.add(author, line, unit=unit, year=2025)
    for unit, expected in (("cb1", 1.0), ("cb2", 0.0)):
        ctx = Context(
            resources={"commonness": index, "boilerplate_model": None, "author": "me", "unit": unit}
        )
        [flag] = detect(make_review([line], year=2025), ctx).flags
        assert flag.evidence["commonness"] == 1.0
        assert flag.evidence["commonness_unit_year"] == expected


def test_peers_and_templates_stand_in_for_the_index() -> None:
    line = "Tham gia quét dọn đường làng cùng bà con vào các buổi sáng cuối tuần."
    peers = [Reference(make_review([line]), "peer", f"peer{i}.txt", 2025, f"p{i}") for i in range(2)]
    ctx = Context(peers=peers, resources={"boilerplate_model": None})
    [flag] = detect(make_review([line]), ctx).flags
    assert flag.evidence["commonness"] == 1.0


def test_background_model_builds_from_pages_and_is_optional(tmp_path: Path) -> None:
    pages = tmp_path / "pages.jsonl.gz"
    with gzip.open(pages, "wt", encoding="utf-8") as f:
        for i, text in enumerate(
            ["giữ gìn đoàn kết nội bộ tốt", "luôn giữ gìn đoàn kết nội bộ", "khác hẳn"] * 2
        ):
            f.write(json.dumps({"id": str(i), "text": text + (" x" * i)}, ensure_ascii=False) + "\n")
    model = build_background(pages, min_df=2)
    assert model.pages == 6
    assert model.share("giữ gìn đoàn kết nội bộ") == 1.0
    assert model.share("sửa xong mười bốn hồ sơ") == 0.0
    model.save(tmp_path / "bg.npz")
    assert load_background(tmp_path / "bg.npz").share("giữ gìn đoàn kết nội bộ") == 1.0
    assert load_background(tmp_path / "absent.npz") is None
    assert gram_hashes("a b c d e") and len(gram_hashes("a b c d e")) == 2


# --- the model --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("model")
    rows = compose(seed=7, n=300)
    card = train([(r["text"], r["boilerplate"]) for r in rows], out, data_info={"sources": ["test"]})
    assert card.metrics["heldout"]["n"] == 60
    return out


def test_training_saves_a_model_card_and_the_model_loads_verified(small_model_dir: Path) -> None:
    card = json.loads((small_model_dir / "boilerplate.card.json").read_text(encoding="utf-8"))
    assert card["data"]["sentences"] == 300 and card["data"]["sources"] == ["test"]
    assert {"precision", "recall", "f1", "roc_auc"} <= set(card["metrics"]["heldout"])
    assert any(f.startswith("dense:specificity") for f in card["features"])
    model = load_model(small_model_dir)
    p = model.probability(["Có lập trường tư tưởng chính trị vững vàng.", CONCRETE])
    assert 0.0 <= p[1] < 0.5 <= p[0] <= 1.0
    assert model.version.startswith(card["version"])


def test_a_tampered_model_file_is_refused(small_model_dir: Path, tmp_path: Path) -> None:
    for name in ("boilerplate.card.json", MODEL_FILE):
        shutil.copy(small_model_dir / name, tmp_path / name)
    with (tmp_path / MODEL_FILE).open("ab") as f:
        f.write(b"\0")
    with pytest.raises(ModelError, match="SHA-256"):
        load_model(tmp_path)
    with pytest.raises(ModelError, match="missing"):
        load_model(tmp_path / "nowhere")


def test_training_refuses_one_class_data(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="both"):
        train([("Luôn cố gắng.", True)] * 60, tmp_path)


def test_the_shipped_model_has_a_card_with_measured_metrics() -> None:
    if not (MODELS_DIR / MODEL_FILE).exists():
        pytest.skip("models/boilerplate.skops not trained (run `kiemdiem train boilerplate`)")
    model = load_model(MODELS_DIR)
    assert model.card.data["sentences"] >= 1500
    assert model.card.metrics["heldout"]["precision"] >= 0.85
    assert model.card.metrics["heldout"]["recall"] >= 0.85


# --- real samples ------------------------------------------------------------------------------------


@pytest.mark.real
@pytest.mark.parametrize("prefix", ["01_", "04_"])
def test_most_body_sentences_of_the_circulating_samples_are_flagged(prefix: str) -> None:
    raw_dir = SHARED_CORPUS_DIR / "real" / "raw"
    files = sorted(raw_dir.glob(f"{prefix}*.txt")) if raw_dir.is_dir() else []
    if not files:
        pytest.skip(f"../shared/corpus not present: {raw_dir}")
    from service.text.pipeline import build_review

    raw = "\n".join(files[0].read_text(encoding="utf-8").splitlines()[2:])  # drop SOURCE:/YEAR: lines
    review = build_review(raw, files[0].name)
    result = detect(review, Context())
    spans = [(f.start, f.end) for f in result.flags]
    body = [s for s in body_sentences(review) if re.search(r"\w", s.text)]
    flagged = [
        s
        for s in body
        if sum(max(0, min(s.end, e) - max(s.start, b)) for b, e in spans) >= 0.5 * (s.end - s.start)
    ]
    assert len(body) >= 20
    assert len(flagged) / len(body) >= 0.8, f"{len(flagged)}/{len(body)}"
