"""Benchmark the copy index against datasketch, rensa and a brute-force TF-IDF baseline, side by side.

    python benchmarks/bench_index.py --sizes 10000,100000 [--queries 400] [--methods ours,datasketch,...]
                                     [--out benchmarks/RESULTS-index.md]

For each size: generate a review-like corpus (400–1200 Vietnamese syllables a document, common stock
phrases shared across documents, near-duplicate pairs planted at Jaccard 0.3–0.95), compute the exact
Jaccard of every query against every document (brute force over sparse shingle sets: the truth), then
run each method in a fresh subprocess (so its memory is its own): build rate, p50/p95 query time, peak
memory added by the build, recall of the pairs with Jaccard >= 0.5, candidates returned per query. All
methods index the same 4-syllable shingles (numbers masked) of the same texts; build and query times
include shingling. Deterministic (seeded).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import pickle
import platform
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.index.lsh import LshParams, MinHashLSH  # noqa: E402
from service.index.shingles import Shingler  # noqa: E402

K = 4
TFIDF_MIN_COSINE = 0.5
TFIDF_MAX_DOCS = 50_000  # above this the TF-IDF baseline indexes a prefix of the corpus (said in the table)
# The extra datasketch setting (same code as its defaults, other bands) only at small sizes: time budget.
MAX_SIZE = {"datasketch-0.5": 20_000}
READING = "## Reading"

# -- corpus -----------------------------------------------------------------------------------------
# fmt: off
ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh", "p", "ph",
          "qu", "r", "s", "t", "th", "tr", "v", "x"]
VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
CODAS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u"]
# fmt: on
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]


def vocabulary(rng: np.random.Generator, size: int = 6000) -> list[str]:
    combos = {
        unicodedata.normalize("NFC", o + v + t + c)
        for o in ONSETS
        for v in VOWELS
        for c in CODAS
        for t in TONES
    }
    pool = sorted(combos)
    return [pool[i] for i in rng.choice(len(pool), size=size, replace=False)]


def zipf(n: int, s: float) -> np.ndarray:
    p = 1.0 / np.arange(1, n + 1) ** s
    return p / p.sum()


def _setup(seed: int) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray, list[int]]:
    rng = np.random.default_rng(seed)
    vocab = np.array(vocabulary(rng), dtype=object)
    p_syl = zipf(len(vocab), 1.05)
    # Stock phrases shared across documents, as in real reviews ("chấp hành nghiêm chủ trương...").
    bank = [" ".join(vocab[rng.choice(len(vocab), size=rng.integers(5, 15), p=p_syl)]) for _ in range(3000)]
    return vocab, p_syl, bank, zipf(len(bank), 1.1), [b.count(" ") + 1 for b in bank]


def _docs(job: tuple[int, int, int]) -> list[str]:
    """`count` documents of chunk `part` (each chunk seeded on its own, so chunks run in parallel)."""
    seed, part, count = job
    vocab, p_syl, bank, p_bank, bank_len = _setup(seed)
    rng = np.random.default_rng([seed, part])
    docs: list[str] = []
    for _ in range(count):
        total = int(rng.integers(400, 1201))
        words = vocab[rng.choice(len(vocab), size=total, p=p_syl)].tolist()
        # Sentences of 6–20 syllables; a quarter of them replaced by a stock phrase.
        lengths = rng.integers(6, 21, size=total // 6 + 1).tolist()
        stock = (rng.random(len(lengths)) < 0.25).tolist()
        picks = rng.choice(len(bank), size=len(lengths), p=p_bank).tolist()
        sentences: list[str] = []
        pos = 0
        for length, is_stock, pick in zip(lengths, stock, picks, strict=True):
            if pos >= total:
                break
            if is_stock:
                sentences.append(bank[pick])
                pos += bank_len[pick]
            else:
                sentences.append(" ".join(words[pos : pos + length]))
                pos += length
        docs.append(". ".join(sentences) + ".")
    return docs


CHUNK = 5000


def generate(n_docs: int, seed: int = 7) -> tuple[list[str], list[tuple[int, int, float]]]:
    """Documents, and the planted near-duplicate pairs (source, copy, target Jaccard)."""
    jobs = [(seed, part, min(CHUNK, n_docs - lo)) for part, lo in enumerate(range(0, n_docs, CHUNK))]
    with mp.get_context("fork").Pool(2) as pool:
        docs = [d for chunk in pool.map(_docs, jobs) for d in chunk]
    vocab, p_syl, *_ = _setup(seed)
    rng = np.random.default_rng([seed, 1_000_000])
    pairs: list[tuple[int, int, float]] = []
    order = rng.permutation(n_docs)
    n_pairs = max(10, n_docs // 50)
    for src, dst in zip(order[:n_pairs].tolist(), order[n_pairs : 2 * n_pairs].tolist(), strict=True):
        target = float(rng.uniform(0.3, 0.95))
        # Substituting a fraction e of syllables keeps (1-e)^K of the shingles: J = s / (2 - s).
        survive = 2 * target / (1 + target)
        rate = 1.0 - survive ** (1.0 / K)
        tokens = docs[src].split(" ")
        flips = rng.random(len(tokens)) < rate
        repl = vocab[rng.choice(len(vocab), size=len(tokens), p=p_syl)].tolist()
        docs[dst] = " ".join(r if f else t for t, f, r in zip(tokens, flips.tolist(), repl, strict=True))
        pairs.append((src, dst, target))
    return docs, pairs


# -- truth ------------------------------------------------------------------------------------------
def _hash_docs(docs: list[str]) -> list[np.ndarray]:
    sh = Shingler(K)
    return [sh.hashes(d) for d in docs]


def exact_truth(docs: list[str], queries: list[int], threshold: float = 0.5) -> dict[int, set[int]]:
    """For each query, every document with exact shingle Jaccard >= threshold (brute force)."""
    from scipy import sparse

    with mp.get_context("fork").Pool(2) as pool:
        chunks = pool.map(_hash_docs, [docs[lo : lo + CHUNK] for lo in range(0, len(docs), CHUNK)])
    sets = [h for chunk in chunks for h in chunk]
    del chunks
    sizes = np.array([len(s) for s in sets], dtype=np.int64)
    allh = np.concatenate(sets)
    cols, inverse = np.unique(allh, return_inverse=True)
    del allh
    rows = np.repeat(np.arange(len(docs), dtype=np.int32), sizes)
    matrix = sparse.csc_matrix(
        (np.ones(len(rows), dtype=np.int16), (rows, inverse.astype(np.int32))), shape=(len(docs), len(cols))
    )
    truth: dict[int, set[int]] = {}
    for q in queries:
        qcols = np.searchsorted(cols, sets[q])
        inter = np.asarray(matrix[:, qcols].sum(axis=1)).ravel()
        jac = inter / (sizes[q] + sizes - inter)
        jac[q] = 0.0
        truth[q] = set(np.flatnonzero(jac >= threshold).tolist())
    return truth


# -- methods (run in a worker process) --------------------------------------------------------------
class Ours:
    name = "kiemdiem (numpy+xxhash, 128 perm, 42x3)"

    def __init__(self) -> None:
        self.index = MinHashLSH(LshParams())

    def add(self, i: int, text: str) -> None:
        self.index.insert(str(i), text)

    def query(self, text: str) -> list[int]:
        return [int(k) for k in self.index.query(text)]


class _Library:
    """A MinHash LSH library fed the same shingle strings, one document at a time."""

    def __init__(self) -> None:
        self.sh = Shingler(K)

    def _minhash(self, text: str) -> Any:
        raise NotImplementedError

    def add(self, i: int, text: str) -> None:
        self.lsh.insert(i, self._minhash(text))

    def query(self, text: str) -> list[int]:
        return list(self.lsh.query(self._minhash(text)))


class Datasketch(_Library):
    def __init__(self, threshold: float | None) -> None:
        super().__init__()
        from datasketch import MinHash
        from datasketch import MinHashLSH as DSLSH

        self.MinHash = MinHash
        self.lsh = DSLSH(num_perm=128) if threshold is None else DSLSH(threshold=threshold, num_perm=128)
        setting = "defaults (threshold 0.9" if threshold is None else f"(threshold {threshold}"
        self.name = f"datasketch MinHashLSH {setting}, {self.lsh.b}x{self.lsh.r})"

    def _minhash(self, text: str) -> Any:
        m = self.MinHash(num_perm=128)
        m.update_batch([s.encode("utf-8") for s in set(self.sh.strings(text))])
        return m


class Rensa(_Library):
    name = "rensa RMinHashLSH (126 perm, 42x3)"

    def __init__(self) -> None:
        super().__init__()
        import rensa

        self.rensa = rensa
        self.lsh = rensa.RMinHashLSH(threshold=0.5, num_perm=126, num_bands=42)

    def _minhash(self, text: str) -> Any:
        m = self.rensa.RMinHash(num_perm=126, seed=42)
        m.update(self.sh.strings(text))
        return m


class Tfidf:
    """Brute force: HashingVectorizer over the same shingles + TF-IDF, cosine against every document."""

    name = f"TF-IDF cosine brute force (sklearn, cosine >= {TFIDF_MIN_COSINE})"
    batch = True

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

        self.sh = Shingler(K)
        self.vec = HashingVectorizer(
            analyzer=self.sh.strings, n_features=2**22, alternate_sign=False, norm=None
        )
        self.tfidf = TfidfTransformer()

    def build(self, docs: list[str]) -> None:
        self.matrix = self.tfidf.fit_transform(self.vec.transform(docs)).tocsr()
        self.matrix_t = self.matrix.T.tocsr()

    def query(self, text: str) -> list[int]:
        q = self.tfidf.transform(self.vec.transform([text]))
        scores = (q @ self.matrix_t).toarray().ravel()
        return np.flatnonzero(scores >= TFIDF_MIN_COSINE).tolist()


def make(method: str) -> Any:
    return {
        "ours": Ours,
        "datasketch": lambda: Datasketch(None),
        "datasketch-0.5": lambda: Datasketch(0.5),
        "rensa": Rensa,
        "tfidf": Tfidf,
    }[method]()


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def rss_kb() -> int:
    return _status_kb("VmRSS")


def reset_peak() -> None:
    """Reset the process's peak RSS (VmHWM). ru_maxrss cannot be used: it keeps the parent's peak across
    fork+exec, so a worker started by a big parent would report the parent's size."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def worker(method: str, corpus: Path, limit: int | None) -> dict[str, Any]:
    with corpus.open("rb") as f:
        data = pickle.load(f)
    docs: list[str] = data["docs"][:limit] if limit else data["docs"]
    queries: list[int] = [q for q in data["queries"] if q < len(docs)]
    m = make(method)
    reset_peak()
    base = rss_kb()
    t0, c0 = time.perf_counter(), time.process_time()
    if getattr(m, "batch", False):
        m.build(docs)
    else:
        for i, d in enumerate(docs):
            m.add(i, d)
    build_wall, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = _status_kb("VmHWM")
    wall, cpu, results = [], [], {}
    for q in queries:
        t, c = time.perf_counter(), time.process_time()
        found = m.query(docs[q])
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        results[q] = [x for x in found if x != q]
    return {
        "name": m.name,
        "docs": len(docs),
        "rate": len(docs) / build_cpu,
        "rate_wall": len(docs) / build_wall,
        "p50_ms": float(np.percentile(cpu, 50) * 1000),
        "p95_ms": float(np.percentile(cpu, 95) * 1000),
        "p95_wall_ms": float(np.percentile(wall, 95) * 1000),
        "peak_mb": max(0, peak - base) / 1024,
        "results": results,
    }


# -- driver -----------------------------------------------------------------------------------------
def run_size(n: int, n_queries: int, methods: list[str], tmp: Path) -> list[dict[str, Any]]:
    t = time.perf_counter()
    docs, pairs = generate(n)
    rng = np.random.default_rng(n)
    planted = [dst for _, dst, _ in pairs][: n_queries * 3 // 4]
    others = [int(x) for x in rng.choice(n, size=n_queries - len(planted), replace=False)]
    queries = sorted(set(planted) | set(others))
    print(f"[{n}] corpus generated in {time.perf_counter() - t:.0f}s", flush=True)
    t = time.perf_counter()
    truth = exact_truth(docs, queries)
    n_true = sum(len(v) for v in truth.values())
    print(f"[{n}] exact truth in {time.perf_counter() - t:.0f}s: {n_true} pairs with J >= 0.5", flush=True)
    corpus = tmp / f"corpus-{n}.pkl"
    with corpus.open("wb") as f:
        pickle.dump({"docs": docs, "queries": queries}, f, protocol=pickle.HIGHEST_PROTOCOL)
    del docs
    rows = []
    for method in methods:
        if n > MAX_SIZE.get(method, n):
            continue
        limit = TFIDF_MAX_DOCS if method == "tfidf" and n > TFIDF_MAX_DOCS else None
        t = time.perf_counter()
        cmd = [sys.executable, __file__, "--worker", method, "--corpus", str(corpus)]
        if limit:
            cmd += ["--limit", str(limit)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            print(f"[{n}] {method} failed: {out.stderr[-2000:]}", flush=True)
            rows.append({"name": method, "error": out.stderr.strip().splitlines()[-1:]})
            continue
        res = json.loads(out.stdout.strip().splitlines()[-1])
        found = {int(q): set(v) for q, v in res.pop("results").items()}
        relevant = [(q, d) for q, ds in truth.items() for d in ds if q < res["docs"] and d < res["docs"]]
        res["recall"] = sum(1 for q, d in relevant if d in found[q]) / max(1, len(relevant))
        res["true_pairs"] = len(relevant)
        res["cands"] = float(np.mean([len(v) for v in found.values()]))
        res["size"] = n
        res["queries"] = len(found)
        rows.append(res)
        print(
            f"[{n}] {res['name']}: {res['rate']:.0f} docs/s, p50 {res['p50_ms']:.1f} ms, "
            f"p95 {res['p95_ms']:.1f} ms "
            f"(wall {res['p95_wall_ms']:.1f}), "
            f"+{res['peak_mb']:.0f} MB, recall {res['recall']:.3f} ({time.perf_counter() - t:.0f}s)",
            flush=True,
        )
    corpus.unlink()
    return rows


NOTES = """# Copy index benchmark

- date: {date}; machine: {cpus} CPUs (`nproc`), {mem:.1f} GiB RAM, {arch}, Python {python};
  load average at start: {load} (the machine is shared with other jobs)
- command: `python benchmarks/bench_index.py --sizes {sizes} --queries {queries}` (total {total:.0f} s)
- corpus: synthetic reviews, 400–1200 syllables each (mean ~800) from a 6000-syllable Zipf vocabulary,
  a quarter of the sentences drawn from 3000 shared stock phrases; N/50 near-duplicate pairs planted at
  target Jaccard 0.3–0.95.
- features: 4-syllable shingles after normalisation (lower case, numbers masked), the same for every
  method; build and query times include shingling. Each method runs alone in a fresh process, one core.
- times: CPU time of the process (what the code costs, robust to the other jobs), plus the wall-clock
  p95 seen during this run.
- truth: exact Jaccard of every query against every document (sparse brute force); recall = share of
  the (query, document) pairs with J >= 0.5 that a method returns. Queries: 3/4 planted copies, the
  rest random documents.
- memory: peak RSS added while building (VmHWM, reset after loading the corpus, minus the RSS then).
- TF-IDF: above {tfidf} documents the baseline indexes only the first {tfidf} (time and memory);
  its recall is then counted on the pairs inside that prefix.

{header}"""
HEADER = (
    "| docs | method | build docs/s | p50 query ms | p95 query ms | p95 wall ms | peak MB "
    "| recall J>=0.5 | candidates/query |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|"
)


def verdict(rows: list[dict[str, Any]]) -> list[str]:
    """The issue's targets, checked on the largest size run."""
    ok = [r for r in rows if "error" not in r]
    if not ok:
        return []
    n = max(r["size"] for r in ok)
    at = {r["name"]: r for r in ok if r["size"] == n}
    ours = next((r for name, r in at.items() if name.startswith("kiemdiem")), None)
    ds = next((r for name, r in at.items() if name.startswith("datasketch MinHashLSH defaults")), None)
    if ours is None:
        return []
    out = [
        "",
        f"Targets at {n} documents (kiemdiem index):",
        f"- p95 query <= 50 ms: {ours['p95_ms']:.1f} ms CPU, {ours['p95_wall_ms']:.1f} ms wall -> "
        f"{'met' if max(ours['p95_ms'], ours['p95_wall_ms']) <= 50 else 'NOT met'}",
        f"- recall >= 0.98 (pairs with J >= 0.5): {ours['recall']:.3f} -> "
        f"{'met' if ours['recall'] >= 0.98 else 'NOT met'}",
    ]
    if ds is not None:
        ratio = ours["rate"] / ds["rate"]
        out.append(
            f"- build >= 3x datasketch defaults: {ratio:.1f}x (CPU) -> {'met' if ratio >= 3 else 'NOT met'}"
        )
    return out


def report(rows: list[dict[str, Any]], args: argparse.Namespace, started: float, load: str) -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = NOTES.format(
        date=dt.date.today().isoformat(),
        cpus=os.cpu_count(),
        mem=mem,
        arch=platform.machine(),
        python=platform.python_version(),
        load=load,
        sizes=args.sizes,
        queries=args.queries,
        total=time.time() - started,
        tfidf=TFIDF_MAX_DOCS,
        header=HEADER,
    ).splitlines()
    for r in rows:
        if "error" in r:
            lines.append(f"| | {r['name']} | failed: {r['error']} | | | | | | |")
            continue
        note = f" (first {r['docs']} docs)" if r["docs"] < r["size"] else ""
        lines.append(
            f"| {r['size']} | {r['name']}{note} | {r['rate']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r['p95_wall_ms']:.1f} | {r['peak_mb']:.0f} | {r['recall']:.3f} ({r['true_pairs']} pairs) | "
            f"{r['cands']:.1f} |"
        )
    return "\n".join(lines + verdict(rows)) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes")
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--methods", default="ours,datasketch,datasketch-0.5,rensa,tfidf")
    ap.add_argument("--out", type=Path, default=None, help="write the Markdown table here")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.corpus, args.limit)))
        return
    started = time.time()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(x) for x in args.sizes.split(",")]:
            rows.extend(run_size(n, args.queries, args.methods.split(","), Path(tmp)))
    table = report(rows, args, started, load)
    print(table)
    if args.out:
        # Keep the hand-written reading of the numbers (a "## Reading" section) across reruns.
        old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        keep = old[old.index(READING) :] if READING in old else ""
        args.out.write_text(table + ("\n" + keep if keep else ""), encoding="utf-8")


if __name__ == "__main__":
    main()
