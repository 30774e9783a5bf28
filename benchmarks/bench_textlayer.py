"""Median time of reading + text layer + form parsing for a ~1,500-word review.

Run: python benchmarks/bench_textlayer.py [--repeat 30]. The review is assembled from the project's own
example reviews (corpus/examples), repeated to ~1,500 syllables. Cold start (imports, model loading) is
reported separately from the warm per-review time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make_review(words: int) -> str:
    base = (REPO / "corpus" / "examples" / "tran-thi-lan-2025.txt").read_text(encoding="utf-8")
    _, _, body = base.partition("A. NỘI DUNG KIỂM ĐIỂM")
    extra = [line for line in body.splitlines() if len(line.split()) > 8]
    text = base
    i = 0
    while len(text.split()) < words:
        text = text.replace(
            "3. Việc thực hiện cam kết", extra[i % len(extra)] + f" (mục {i})\n3. Việc thực hiện cam kết", 1
        )
        i += 1
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--words", type=int, default=1500)
    args = parser.parse_args()

    t0 = time.perf_counter()
    from service.text.pipeline import load_review

    text = make_review(args.words)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "review-2025.txt"
        path.write_text(text, encoding="utf-8")
        first = load_review(str(path))
        cold = time.perf_counter() - t0
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            review = load_review(str(path))
            times.append(time.perf_counter() - start)
    times.sort()
    print(
        f"review: {len(text.split())} words, {len(first.sentences)} sentences, {len(review.tokens)} tokens, "
        f"{len(review.sections)} sections, form {review.form}"
    )
    print(f"cold start (imports + first review): {cold * 1000:.0f} ms")
    print(
        f"read + text layer + forms, warm: median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {times[int(0.95 * (len(times) - 1))] * 1000:.1f} ms over {args.repeat} runs"
    )


if __name__ == "__main__":
    main()
