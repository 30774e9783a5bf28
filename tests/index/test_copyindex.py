"""The copy index finds a review that lent one section among many unrelated ones."""

from __future__ import annotations

import random

from copy_samples import REVIEW_2024, REVIEW_2025, SYLLABLES, UNRELATED_2025, build

from service.index.copyindex import CopyIndex, windows
from service.index.shingles import syllables


def filler(rng: random.Random, n: int) -> str:
    lines = []
    for _ in range(n // 15):
        lines.append("- " + " ".join(rng.choice(SYLLABLES) for _ in range(15)) + ".")
    return "\n".join(lines)


def test_windows_cover_the_whole_text() -> None:
    syl = syllables(" ".join(["đảng"] * 100))
    parts = windows(syl, 60, 30)
    assert [len(p) for p in parts] == [60, 60, 40]
    assert parts[-1].ends[-1] == syl.ends[-1]
    assert len(windows(syllables("một hai"), 60, 30)) == 1
    assert windows(syllables(""), 60, 30) == []


def test_a_partly_copied_review_is_retrieved_among_unrelated_ones() -> None:
    rng = random.Random(11)
    index = CopyIndex()
    for i in range(150):
        index.add(f"other{i}", filler(rng, 600))
    old = build(REVIEW_2024)
    index.add("kd2024", old.text, old.spans["heading"], payload={"year": 2024})
    index.add("binh", build(UNRELATED_2025).text)
    # Only section IV of 2025 comes from 2024; the rest of the query is unrelated text.
    new = build(REVIEW_2025)
    section_iv = "\n".join(line for kind, line in REVIEW_2025[-5:-2] if kind == "copied")
    query = filler(rng, 300) + "\n" + section_iv + "\n" + filler(rng, 300)
    hits = index.query(query)
    assert hits and hits[0][0] == "kd2024"
    assert index.payload("kd2024") == {"year": 2024}
    assert [k for k, _ in index.query(new.text, new.spans["heading"])][:1] == ["kd2024"]
    assert "kd2024" not in dict(index.query(filler(rng, 600)))


def test_remove_and_exclude() -> None:
    index = CopyIndex()
    old = build(REVIEW_2024)
    index.add("kd2024", old.text)
    assert "kd2024" in index and len(index) == 1
    assert index.query(old.text, exclude="kd2024") == []
    assert index.remove("kd2024") and not index.remove("kd2024")
    assert index.query(old.text) == [] and len(index.lsh) == 0
