"""The template library: circulating samples ("mẫu viết sẵn") kept on disk and compared with every review.

`kiemdiem templates add FILE...` stores each file's normalised text with its metadata under the library
folder (`$KIEMDIEM_HOME/templates`, default `var/kiemdiem/templates`); `kiemdiem screen` then compares every
submission with them as `copied_from_template` sources, besides any `--template` given on the command line.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from service.detect.base import Reference
from service.text.pipeline import build_review, split_year_suffix
from service.text.readers import read_document


def library_home() -> Path:
    return Path(os.environ.get("KIEMDIEM_HOME", "var/kiemdiem"))


@dataclass(frozen=True)
class TemplateEntry:
    id: str
    name: str
    year: int | None
    path: Path


class TemplateLibrary:
    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or library_home()) / "templates"

    def add(self, argument: str) -> tuple[TemplateEntry, bool]:
        """Store one file (with an optional `@YEAR`); returns the entry and whether it was new."""
        path, pinned = split_year_suffix(argument)
        document = read_document(path)
        review = build_review(document.text, source=path, year=pinned)
        digest = hashlib.sha256(review.text.encode("utf-8")).hexdigest()[:16]
        self.root.mkdir(parents=True, exist_ok=True)
        target = self.root / f"{digest}.txt"
        entry = TemplateEntry(id=digest, name=Path(path).name, year=review.year, path=target)
        if target.exists():
            return entry, False
        target.write_text(review.text, encoding="utf-8")
        meta = {"id": digest, "name": entry.name, "year": entry.year, "added_from": str(path)}
        target.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        return entry, True

    def entries(self) -> list[TemplateEntry]:
        if not self.root.is_dir():
            return []
        found = []
        for meta_path in sorted(self.root.glob("*.json")):
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            found.append(
                TemplateEntry(
                    id=meta["id"],
                    name=meta["name"],
                    year=meta.get("year"),
                    path=meta_path.with_suffix(".txt"),
                )
            )
        return found

    def references(self) -> list[Reference]:
        refs = []
        for entry in self.entries():
            review = build_review(entry.path.read_text(encoding="utf-8"), source=entry.name, year=entry.year)
            refs.append(
                Reference(
                    review=review, role="template", source=f"thư viện mẫu: {entry.name}", year=entry.year
                )
            )
        return refs
