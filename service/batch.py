"""Screening a whole unit or province from a corpus folder (a generated province, or files laid out alike).

The folder has a `manifest.json` (schema `kiemdiem.corpus/1`) listing every review with its author, unit,
year and kind, and the circulating templates. Each review of the chosen year is screened with the same
author's earlier reviews as history, the same unit's other reviews of that year as peers, and the
templates. Every file is read and analysed once, however many screenings cite it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.detect.base import Context, Reference, SourceRole
from service.detect.commonness import CommonnessIndex
from service.screening import Screening, screen
from service.text.document import Review
from service.text.pipeline import build_review
from service.text.readers import read_document


@dataclass(frozen=True)
class Entry:
    file: str
    author: str
    unit: str
    year: int
    kind: str


@dataclass
class BatchResult:
    entry: Entry
    screening: Screening


class ReviewStore:
    """Reviews of a corpus folder, analysed on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[tuple[str, int | None], Review] = {}

    def review(self, file: str, year: int | None = None) -> Review:
        key = (file, year)
        if key not in self._cache:
            document = read_document(self.root / file)
            self._cache[key] = build_review(document.text, source=file, year=year)
        return self._cache[key]

    def reference(self, file: str, role: SourceRole, year: int | None) -> Reference:
        return Reference(review=self.review(file, year), role=role, source=file, year=year)


def load_manifest(root: Path) -> dict[str, Any]:
    path = root / "manifest.json"
    if not path.is_file():
        raise FileNotFoundError(f"'{root}': không có manifest.json (thư mục dữ liệu không hợp lệ)")
    return json.loads(path.read_text(encoding="utf-8"))


def entries(manifest: dict[str, Any]) -> list[Entry]:
    return [
        Entry(file=f["file"], author=f["author"], unit=f["unit"], year=int(f["year"]), kind=f["kind"])
        for f in manifest["files"]
    ]


def screen_year(
    root: Path,
    year: int,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[BatchResult]:
    """Screen every review of `year` in the corpus folder with its history, peers and templates."""
    manifest = load_manifest(root)
    store = ReviewStore(root)
    all_entries = entries(manifest)
    # One version of each circulating template per kind: the newest (older versions repeat it).
    newest: dict[tuple[str, str], dict[str, Any]] = {}
    for t in manifest.get("templates", []):
        key = (t.get("id", t["file"]), t.get("kind", "individual"))
        if key not in newest or t.get("year", 0) > newest[key].get("year", 0):
            newest[key] = t
    todo = [e for e in all_entries if e.year == year]
    # How many distinct authors of the corpus use each 4-gram: the boilerplate detector's commonness.
    commonness = CommonnessIndex()
    for e in all_entries:
        commonness.add(e.author, store.review(e.file, e.year).text, unit=e.unit, year=e.year)
    for done, entry in enumerate(todo):
        history = sorted(
            (e for e in all_entries if e.author == entry.author and e.year < entry.year),
            key=lambda e: e.year,
            reverse=True,
        )
        peers = [
            e
            for e in all_entries
            if e.unit == entry.unit and e.year == entry.year and e.kind == entry.kind and e.file != entry.file
        ]
        context = Context(
            history=[store.reference(e.file, "history", e.year) for e in history],
            peers=[store.reference(e.file, "peer", e.year) for e in peers],
            templates=[
                store.reference(t["file"], "template", t.get("year"))
                for (_, kind), t in sorted(newest.items())
                if kind == entry.kind
            ],
            resources={"commonness": commonness, "author": entry.author, "unit": entry.unit},
        )
        if progress:
            progress(done, len(todo))
        yield BatchResult(entry=entry, screening=screen(store.review(entry.file, entry.year), context))
