"""The pools: ids and split tags, the held-out split written only from held-out entries, and no long run of
any real sample copied into them."""

from __future__ import annotations

import itertools
import json
import random
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from service.corpusgen import GeneratedCorpus
from service.corpusgen.canon import restore_canonical, to_new_tone, to_old_tone
from service.corpusgen.corpus import GENERATOR_DIR
from service.corpusgen.perturb import apply_replacements
from service.corpusgen.pools import PoolError, Pools, Trace, all_entries, expand, load_raw
from service.corpusgen.slots import Slots
from service.paths import SHARED_CORPUS_DIR

_WORD = re.compile(r"[^\W_]+")
_BRACES = re.compile(r"\{([^{}]*)\}")


def _splits() -> dict[str, str]:
    return {e["id"]: e["split"] for data in load_raw(GENERATOR_DIR).values() for e in all_entries(data)}


def test_every_entry_has_a_unique_id_and_a_split() -> None:
    ids = Counter()
    for data in load_raw(GENERATOR_DIR).values():
        for e in all_entries(data):
            assert e["split"] in ("train", "heldout", "both"), e
            ids[e["id"]] += 1
    assert ids and max(ids.values()) == 1
    Pools(GENERATOR_DIR, "train")  # validates nesting as well


def test_sentence_pools_are_partitioned_about_70_30() -> None:
    splits = Counter(s for s in _splits().values())
    share = splits["heldout"] / (splits["heldout"] + splits["train"])
    assert 0.25 <= share <= 0.4, splits
    assert splits["train"] + splits["heldout"] > 1000


@pytest.mark.parametrize(("split", "forbidden"), [("heldout", "train"), ("train", "heldout")])
def test_each_split_uses_only_its_own_entries(
    split: str, forbidden: str, train_corpus: GeneratedCorpus, heldout_corpus: GeneratedCorpus
) -> None:
    corpus = heldout_corpus if split == "heldout" else train_corpus
    tags = _splits()
    used = set().union(*corpus.trace.values())
    assert len(used) > 300
    wrong = sorted(i for i in used if tags.get(i) == forbidden)
    assert not wrong, wrong[:10]
    assert all(i in tags for i in used)


def test_heldout_text_differs_from_train_text(
    train_corpus: GeneratedCorpus, heldout_corpus: GeneratedCorpus
) -> None:
    def sentences(corpus: GeneratedCorpus) -> set[str]:
        out = set()
        for entry in corpus.manifest["files"]:
            labels = json.loads((corpus.out_dir / entry["labels"]).read_text(encoding="utf-8"))
            out.update(s["text"].strip(" .;").lower() for s in labels["sentences"] if len(s["text"]) > 40)
        return out

    train, heldout = sentences(train_corpus), sentences(heldout_corpus)
    assert len(heldout) > 200
    assert not train & heldout, sorted(train & heldout)[:5]


def test_expand_handles_nesting_slots_and_blanks() -> None:
    rng = random.Random(1)

    def fill(name: str, arg: str | None) -> str:
        return {"date": "1/2/2025", "year": "2025"}[name]

    seen = {expand("Học {từ ngày {date}|} năm {year}  xong .", rng, fill).text for _ in range(20)}
    assert seen == {"Học từ ngày 1/2/2025 năm 2025 xong.", "Học năm 2025 xong."}
    ex = expand("Đạt giải <<....>> trong cuộc thi <<…>>", rng, fill)
    assert [ex.text[s:e] for s, e in ex.placeholders] == ["....", "…"]
    with pytest.raises(PoolError):
        expand("{không có}", rng, fill)


def test_replacements_keep_inner_spans() -> None:
    text = "Chậm nộp báo cáo, do bận; sẽ sửa trước 30/6/2026"
    spans = {"C": (18, 24), "D": (33, 48)}
    new, new_spans, _ = apply_replacements(
        text, [(0, 4, "Chưa kịp thời"), (26, 28, "sẽ khắc phục")], spans, []
    )
    assert new[slice(*new_spans["C"])] == "do bận" and new[slice(*new_spans["D"])] == "trước 30/6/2026"


def _tokens(text: str) -> list[str]:
    return _WORD.findall(to_new_tone(unicodedata.normalize("NFC", text)).lower())


def _variants(text: str, cap: int = 256) -> list[str]:
    """Every way an entry can be written (slots stand for words no sample contains)."""
    out = [text.replace("<<", " ").replace(">>", " ")]
    while any(_BRACES.search(t) for t in out):
        nxt = []
        for t in out:
            m = _BRACES.search(t)
            if m is None:
                nxt.append(t)
                continue
            options = m.group(1).split("|") if "|" in m.group(1) else [" slotxyz "]
            nxt.extend(t[: m.start()] + o + t[m.end() :] for o in options)
        out = list(itertools.islice(nxt, cap))
    return out


@pytest.mark.real
def test_no_twelve_word_run_of_a_real_sample_in_the_pools() -> None:
    raw_dir = SHARED_CORPUS_DIR / "real" / "raw"
    samples = sorted(raw_dir.glob("*.txt")) if raw_dir.is_dir() else []
    if not samples:
        pytest.skip(f"../shared/corpus not present: no real samples under {raw_dir}")
    runs = set()
    for path in samples:
        body = "\n".join(path.read_text(encoding="utf-8").split("\n")[2:])  # skip SOURCE/YEAR lines
        tokens = _tokens(body)
        runs.update(tuple(tokens[i : i + 12]) for i in range(len(tokens) - 11))
    hits = []
    for stem, data in load_raw(GENERATOR_DIR).items():
        for entry in all_entries(data):
            if entry.get("official") or not isinstance(entry.get("text"), str):
                continue  # the regulation's own headings are official text, allowed verbatim
            for variant in _variants(entry["text"]):
                tokens = _tokens(variant)
                if any(tuple(tokens[i : i + 12]) in runs for i in range(len(tokens) - 11)):
                    hits.append(f"{stem}:{entry['id']}")
                    break
    assert not hits, hits


def test_pool_files_are_where_the_generator_reads_them() -> None:
    assert Path(GENERATOR_DIR) == GENERATOR_DIR
    assert {p.stem for p in GENERATOR_DIR.glob("*.yaml")} >= {
        "people",
        "roles",
        "individual",
        "shortcomings",
        "collective",
        "forms",
        "templates",
        "edits",
    }


@pytest.mark.parametrize("split", ["train", "heldout"])
def test_every_entry_expands_with_the_slots_the_generator_fills(split: str) -> None:
    """An entry with a misspelt slot would only fail when the RNG happens to draw it; draw them all."""
    pools = Pools(GENERATOR_DIR, split)
    rng = random.Random(3)
    roles = pools.data["roles"]["roles"]
    all_vars = {k: v for role in roles.values() for k, v in role["vars"].items()}
    count = 0
    for role in roles.values():
        slots = Slots(
            pools, rng, Trace(), year=2025, place="Tân Lập", province="Sơn Hà", role_vars=role["vars"]
        )
        for entry in role["tasks"]:
            assert expand(entry["text"], rng, slots).text
            count += 1
    slots = Slots(
        pools,
        rng,
        Trace(),
        year=2025,
        place="Tân Lập",
        province="Sơn Hà",
        unit="Trạm Y tế",
        hyear=2024,
        role_vars=all_vars,
        extra={"np": "việc lưu trữ hồ sơ", "cnp": "chất lượng sinh hoạt chi bộ"},
    )

    def fill(name: str, arg: str | None) -> str:
        return "phần" if name.isupper() else slots(name, arg)  # frame parts (S, C, R, E, O)

    for stem in ("individual", "collective", "shortcomings", "edits", "people", "templates"):
        for entry in all_entries(pools.data[stem]):
            if isinstance(entry.get("text"), str):
                text = expand(entry["text"], rng, fill).text
                assert text and "{" not in text and "<<" not in text, entry["id"]
                count += 1
    assert count > 500


def test_old_tone_perturbation_round_trips() -> None:
    canonical = "Hòa thuận, Thủy lợi, khỏe mạnh, tùy theo, Ủy ban, quý, quỳ, Huỳnh, hoàn thành, khuỷu tay"
    old = to_old_tone(canonical)
    assert "Hoà" in old and "Thuỷ" in old and "khoẻ" in old and "tuỳ" in old and "Uỷ" in old
    assert "quý" in old and "Huỳnh" in old and "hoàn" in old
    assert to_new_tone(old) == canonical
    assert restore_canonical(unicodedata.normalize("NFD", old).replace("\n", "\r\n")) == canonical
