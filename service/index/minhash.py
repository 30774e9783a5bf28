"""MinHash signatures over shingle hashes, vectorised with numpy.

Each of the `num_perm` permutations is x -> (a_i * x + b_i) mod 2^32 over the 32-bit keys x (the top
half of a shingle's 64-bit hash), with a_i odd: an odd multiplier makes it a bijection of the key space,
as a prime modulus does in the textbook (a*x + b) mod p, while numpy's uint32 arithmetic wraps mod 2^32
for free (no division, half the memory traffic of uint64; measured 2x faster, same estimation error:
benchmarks/RESULTS-index.md, tests/index/test_lsh.py). The signature of a set is the per-permutation
minimum.
"""

from __future__ import annotations

import numpy as np

EMPTY = np.uint32(0xFFFFFFFF)
# Shingles per block of the (permutations x shingles) product: bounds the temporary to ~4 MB.
_CHUNK = 8192


class MinHasher:
    """Computes signatures of a fixed length. Deterministic for a given (num_perm, seed)."""

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        if num_perm < 1:
            raise ValueError("num_perm must be positive")
        self.num_perm = num_perm
        self.seed = seed
        rng = np.random.default_rng(seed)
        self._a = rng.integers(0, 2**31, size=num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        self._b = rng.integers(0, 2**32, size=num_perm, dtype=np.uint32)

    def signature(self, hashes: np.ndarray) -> np.ndarray:
        """The signature (uint32, `num_perm`) of a set of 64-bit shingle hashes; all EMPTY for none.
        Repeated hashes may be passed: they do not change a minimum."""
        sig = np.full(self.num_perm, EMPTY, dtype=np.uint32)
        if len(hashes) == 0:
            return sig
        x = (np.asarray(hashes, dtype=np.uint64) >> np.uint64(32)).astype(np.uint32)
        for lo in range(0, len(x), _CHUNK):
            part = np.multiply.outer(self._a, x[lo : lo + _CHUNK])
            part += self._b[:, None]
            np.minimum(sig, part.min(axis=1), out=sig)
        return sig


def estimate_jaccard(sig: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of one signature with each row of `others`."""
    if others.ndim == 1:
        others = others[None, :]
    return (others == sig[None, :]).mean(axis=1)
