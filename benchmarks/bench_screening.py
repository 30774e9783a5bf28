"""Screening latency, batch throughput and peak memory.

Run: python benchmarks/bench_screening.py [--repeat 30] [--batch 100]
- latency: p50/p95 of screening one ~1,500-word review with one year of history (read + text layer +
  forms + all detectors + rendering to JSON), warm process;
- throughput: reviews per second over a batch of distinct reviews (each screened with its history);
- peak RSS of the process (resource.getrusage), after the runs.
The reviews are the project's own example reviews, grown to size (see bench_textlayer.make_review).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_textlayer import make_review

REPO = Path(__file__).resolve().parents[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()

    t0 = time.perf_counter()
    from service.context import context_from_files
    from service.detect.lexicon import syllables
    from service.render import render
    from service.screening import screen
    from service.text.pipeline import load_review
    from service.text.specificity import specificity

    history_text = (REPO / "corpus" / "examples" / "tran-thi-lan-2024.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        submission = tmpdir / "review-2025.txt"
        submission.write_text(make_review(1500), encoding="utf-8")
        history = tmpdir / "review-2024.txt"
        history.write_text(history_text, encoding="utf-8")

        def once(path: Path) -> None:
            # Sentence-level caches would make a repeated text unrealistically cheap: start each run empty.
            specificity.cache_clear()
            syllables.cache_clear()
            review = load_review(str(path))
            context = context_from_files([str(history)], [], [])
            json.loads(render(screen(review, context), "json"))

        once(submission)
        cold = time.perf_counter() - t0
        latencies = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            once(submission)
            latencies.append(time.perf_counter() - start)

        batch = []
        for i in range(args.batch):
            path = tmpdir / f"member-{i}-2025.txt"
            text = make_review(900 + (i * 37) % 900).replace("Trần Thị Lan", f"Đảng viên {i}")
            path.write_text(text, encoding="utf-8")
            batch.append(path)
        start = time.perf_counter()
        for path in batch:
            once(path)
        elapsed = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cold start (imports + first screening): {cold * 1000:.0f} ms")
    print(
        f"latency, 1,500-word review + 1 history: p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms ({args.repeat} runs)"
    )
    print(f"throughput: {args.batch / elapsed:.1f} reviews/s ({args.batch} reviews, one process, 1 core)")
    print(f"peak RSS: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
