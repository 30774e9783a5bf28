"""The generated province as a whole: determinism, forms by year, manifest, file formats."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from corpus_files import file_canonical, labels_of

from service.corpusgen import GeneratedCorpus, generate, read_corpus_file, restore_canonical
from service.corpusgen.canon import to_old_tone

_OLD_TONE = re.compile(r"(?<![qQ])(o[àáảãạ]|o[èéẻẽẹ]|u[ỳýỷỹỵ])(?![^\W\d_])", re.IGNORECASE)
_NEW_TONE = re.compile(r"(?<![qQ])([òóỏõọ]a|[òóỏõọ]e|[ùúủũụ]y)(?![^\W\d_])", re.IGNORECASE)
EXPECTED_FORMS = {
    (2019, "leader"): "2A-2018",
    (2019, "system"): "2B-2018",
    (2019, "outside"): "2B-2018",
    (2023, "leader"): "02A",
    (2023, "system"): "02B",
    (2023, "outside"): "02B",
    (2024, "leader"): "02A",
    (2024, "system"): "02B",
    (2024, "outside"): "02B",
    (2025, "leader"): "2A",
    (2025, "system"): "2B",
    (2025, "outside"): "2C",
}
COLLECTIVE_FORMS = {2019: "01-2018", 2023: "01-2023", 2024: "01-2023", 2025: "01"}


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_output(
    train_corpus: GeneratedCorpus, small_params: dict, tmp_path: Path
) -> None:
    again = generate(11, tmp_path / "again", **small_params)
    assert _tree(again.out_dir) == _tree(train_corpus.out_dir)
    other = generate(12, tmp_path / "other", n_units=2, members_per_unit=3)
    first = train_corpus.manifest["files"][0]["file"]
    assert (other.out_dir / first).exists() is False or (other.out_dir / first).read_bytes() != (
        train_corpus.out_dir / first
    ).read_bytes()


def test_each_member_writes_the_form_of_the_year(train_corpus: GeneratedCorpus) -> None:
    members = {m["id"]: m for m in train_corpus.manifest["members"]}
    years_seen = set()
    for lab in labels_of(train_corpus):
        years_seen.add(lab["year"])
        if lab["kind"] == "collective":
            assert lab["form"] == COLLECTIVE_FORMS[lab["year"]]
            continue
        expected = EXPECTED_FORMS[(lab["year"], members[lab["author"]]["category"])]
        assert lab["expected_form"] == expected
        # A careless member may reuse last year's layout in 2025; then the label says so.
        assert lab["form"] == expected or (lab["year"] == 2025 and lab["form"] in ("02A", "02B"))
        ids = {s["id"] for s in lab["sections"]}
        if lab["form"] in ("2A", "2B", "2C"):
            assert {"A", "B"} <= ids and "B.I" in ids
        else:
            assert "VII" in ids and not any(i.startswith("A.") for i in ids)
    assert years_seen == {2019, 2023, 2024, 2025}


def test_leaders_use_2a_and_each_unit_has_one(train_corpus: GeneratedCorpus) -> None:
    for unit in train_corpus.manifest["units"]:
        cats = [m["category"] for m in train_corpus.manifest["members"] if m["unit"] == unit["id"]]
        assert cats.count("leader") == 1
    roles = {m["role"] for m in train_corpus.manifest["members"]}
    assert len(roles) >= 6


def test_manifest_lists_every_file_and_the_context(train_corpus: GeneratedCorpus) -> None:
    root = train_corpus.out_dir
    listed = {e["file"] for e in train_corpus.manifest["files"]}
    on_disk = {
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and not p.name.endswith(".labels.json") and p.name != "manifest.json"
    }
    assert on_disk == listed | set(train_corpus.templates)
    assert {t["file"] for t in train_corpus.manifest["templates"]} == set(train_corpus.templates)
    for lab in labels_of(train_corpus):
        for h in lab["history"]:
            assert h["file"] in listed and h["year"] < lab["year"]
        for p in lab["peers"]:
            assert p["file"] in listed and p["year"] == lab["year"]
            assert p["file"].split("/")[1] == lab["unit"]
        assert lab["schema"] == "kiemdiem.labels/1" and lab["split"] == "train"
    assert train_corpus.manifest["seed"] == 11
    assert train_corpus.manifest["generator_version"]


def test_files_carry_perturbations_that_normalisation_undoes(train_corpus: GeneratedCorpus) -> None:
    root = train_corpus.out_dir
    formats = {"txt": 0, "docx": 0}
    seen = {"nfd": 0, "old_tone": 0, "crlf": 0, "bold": 0, "glyph": 0}
    for lab in labels_of(train_corpus):
        formats[lab["file_format"]] += 1
        canonical = train_corpus.canonical[lab["file"]]
        raw = read_corpus_file(root / lab["file"])
        assert file_canonical(root, lab["file"]) == canonical
        # The generator's own inverse agrees with the text layer's normaliser.
        assert restore_canonical(raw) == canonical
        nfc = unicodedata.normalize("NFC", raw)
        if "nfd" in lab["file_perturbations"]:
            assert unicodedata.is_normalized("NFD", raw) and raw != canonical
            seen["nfd"] += 1
        if "old_tone" in lab["file_perturbations"] and to_old_tone(canonical) != canonical:
            assert _OLD_TONE.search(nfc) and not _NEW_TONE.search(nfc)
            seen["old_tone"] += 1
        if "crlf" in lab["file_perturbations"]:
            assert "\r\n" in raw
            seen["crlf"] += 1
        seen["bold"] += "**" in raw
        seen["glyph"] += bool(re.search(r"(?m)^\*?[•+–*] ", nfc))
    assert formats["docx"] > 0 and formats["txt"] > formats["docx"]
    assert all(seen.values()), seen


def test_canonical_text_is_underthesea_tone_placement(train_corpus: GeneratedCorpus) -> None:
    token_normalize = pytest.importorskip(
        "underthesea.pipeline.text_normalize.token_normalize"
    ).token_normalize
    words = set()
    for text in train_corpus.canonical.values():
        words.update(w for w in text.replace("\n", " ").split() if w.isalpha())
    changed = {w: token_normalize(w) for w in words if token_normalize(w) != w}
    assert not changed
    assert {"hòa", "thủy", "khỏe"} & {w.lower() for w in words}
    assert restore_canonical(to_old_tone("Thủy hòa khỏe ủy quý")) == "Thủy hòa khỏe ủy quý"


def test_collective_reports_per_unit_and_year(train_corpus: GeneratedCorpus) -> None:
    labs = [lab for lab in labels_of(train_corpus) if lab["kind"] == "collective"]
    assert len(labs) == len(train_corpus.manifest["units"]) * 4
    assert all(lab["shortcomings"] for lab in labs)
    members = [lab for lab in labels_of(train_corpus) if lab["kind"] == "individual" and lab["year"] == 2025]
    # Section V of individual reviews names the chi bộ's own shortcomings.
    assert any(s["section"] == "A.V" and not s["boilerplate"] for lab in members for s in lab["sentences"])


def test_refuses_to_write_over_an_earlier_corpus(train_corpus: GeneratedCorpus) -> None:
    with pytest.raises(FileExistsError):
        generate(11, train_corpus.out_dir, n_units=1, members_per_unit=1)


def test_labels_json_is_plain_utf8(train_corpus: GeneratedCorpus) -> None:
    entry = train_corpus.manifest["files"][0]
    raw = (train_corpus.out_dir / entry["labels"]).read_text(encoding="utf-8")
    assert json.loads(raw)["file"] == entry["file"]
    assert "\\u" not in raw
