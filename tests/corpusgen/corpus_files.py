"""Reading a generated province the way the screening does (shared by the corpus tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from service.corpusgen import GeneratedCorpus, read_corpus_file
from service.text.normalize import normalize


def file_canonical(root: Path, rel: str) -> str:
    """What `service.text.normalize` gives for a generated file (the labels' offsets index this)."""
    return normalize(read_corpus_file(root / rel)).text


def labels_of(corpus: GeneratedCorpus) -> list[dict[str, Any]]:
    return [
        json.loads((corpus.out_dir / e["labels"]).read_text(encoding="utf-8"))
        for e in corpus.manifest["files"]
    ]
