"""How fast stored reviews go into the persisted copy index (what `kiemdiem index rebuild` does per review).

    python benchmarks/bench_index_store.py [--reviews 150] [--url sqlite:///...|postgresql+psycopg://...]

Generates a small province with the project's generator (seed 11), reads its individual reviews and adds
each to a `CopyIndex` over `SqlStorage` in a fresh database (a temporary SQLite file unless `--url` names
an empty database), as the service indexes an upload: windows of 60 syllables every 30, one key per
review. Prints reviews per second and the time a province of 40,000 reviews would take at that rate.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from service.corpusgen import generate
from service.index.copyindex import WINDOW_PARAMS, CopyIndex
from service.index.sql_storage import SqlStorage
from service.text.readers import read_document

PROVINCE = 40_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=150)
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kiemdiem-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        generate(11, corpus)
        files = sorted((corpus / "reviews").rglob("*.txt"))[: args.reviews]
        texts = [read_document(f).text for f in files]
        url = args.url or f"sqlite:///{Path(tmp) / 'index.db'}"
        index = CopyIndex(storage=SqlStorage(url, WINDOW_PARAMS.num_perm, WINDOW_PARAMS.bands))
        start = time.perf_counter()
        for i, text in enumerate(texts):
            index.add(f"review:{i}", text)
        elapsed = time.perf_counter() - start
    rate = len(texts) / elapsed
    print(f"{len(texts)} reviews in {elapsed:.2f} s: {rate:.1f} reviews/s ({url.split(':')[0]})")
    print(f"a province of {PROVINCE:,} reviews: about {PROVINCE / rate / 60:.0f} min")


if __name__ == "__main__":
    main()
