"""`kiemdiem train boilerplate`: the sentence classifier behind the `boilerplate` flag.

An ordinary scikit-learn Pipeline: character and syllable n-gram TF-IDF plus dense features (lexicon
matches per category, specificity, background commonness) into a class-balanced LogisticRegression.
Saved with skops next to a model card (data, features, held-out metrics, version, SHA-256 of the file);
loading checks the hash and refuses any type outside a fixed allow-list, so a swapped file never runs.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import StandardScaler

from service.paths import MODELS_DIR

MODEL_NAME = "boilerplate"
MODEL_VERSION = "2025.1"
MODEL_FILE = "boilerplate.skops"
CARD_FILE = "boilerplate.card.json"
# The only types a model file may contain beyond what skops trusts by default.
ALLOWED_TYPES = frozenset(
    {
        "service.train.boilerplate.BoilerplateFeatures",
        "service.train.boilerplate.canonical_text",
        "numpy.dtype",
        "builtins.dict",
    }
)
_SEVERITY_WEIGHT = {"high": 1.0, "medium": 0.6, "low": 0.3}
# Seeds of the generated TRAIN-split corpora the shipped model learns from.
GENERATOR_SEEDS = (101, 102, 103)


class ModelError(RuntimeError):
    """The model file is missing its card, does not match the card's hash, or holds unexpected types."""


def canonical_text(text: str) -> str:
    """What the n-gram features see: NFC, canonical tone placement, lower case, digits masked as 0."""
    from service.detect.lexicon import canon

    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[^\W\d_]+", lambda m: canon(m.group(0)), text)
    return re.sub(r"\d", "0", text.lower())


class BoilerplateFeatures(TransformerMixin, BaseEstimator):
    """Dense features of a sentence: lexicon matches per category, specificity, background share.

    Sentence length is deliberately not a feature: the project's training sentences are shorter than
    real ones, and a length feature taught the model that long generic sentences are concrete.
    """

    def __init__(self, cap: int = 3) -> None:
        self.cap = cap

    def fit(self, X: list[str], y: Any = None) -> BoilerplateFeatures:
        from service.detect.lexicon import Lexicon

        self.categories_ = sorted({e.category for e in Lexicon.load().entries})
        self.feature_names_ = [
            *(f"lexicon_{c}" for c in self.categories_),
            "lexicon_max_severity",
            "lexicon_matches",
            "specificity",
            "specific_strong",
            "numbers",
            "percentages",
            "dates",
            "quantities",
            "documents",
            "entities",
            "named",
            "background",
        ]
        self.n_features_in_ = 1
        return self

    def transform(self, X: list[str]) -> np.ndarray:
        from service.detect.commonness import load_background
        from service.detect.lexicon import Lexicon
        from service.text.specificity import specificity

        lexicon = Lexicon.load()
        background = load_background()
        rows = []
        for text in X:
            matches = lexicon.match(text)
            per_cat = [min(self.cap, sum(m.entry.category == c for m in matches)) for c in self.categories_]
            sev = max((_SEVERITY_WEIGHT[m.entry.severity] for m in matches), default=0.0)
            s = specificity(text)
            rows.append(
                [
                    *per_cat,
                    sev,
                    min(5, len(matches)),
                    s.score,
                    float(s.strong),
                    min(3, s.numbers),
                    min(3, s.percentages),
                    min(3, s.dates),
                    min(3, s.quantities),
                    min(3, s.documents),
                    min(3, s.entities),
                    min(3, s.named),
                    background.share(text) if background is not None else 0.0,
                ]
            )
        return np.array(rows, dtype=float).reshape(len(rows), len(self.feature_names_))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.array(self.feature_names_, dtype=object)


def build_pipeline(C: float = 1.0) -> Pipeline:
    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    min_df=3,
                    sublinear_tf=True,
                    max_features=10000,
                    preprocessor=canonical_text,
                ),
            ),
            (
                "syllables",
                TfidfVectorizer(
                    analyzer="word",
                    token_pattern=r"(?u)\b\w+\b",
                    ngram_range=(1, 3),
                    min_df=3,
                    max_features=10000,
                    sublinear_tf=True,
                    preprocessor=canonical_text,
                ),
            ),
            ("dense", Pipeline([("features", BoilerplateFeatures()), ("scale", StandardScaler())])),
        ]
    )
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=5000, random_state=0)
    return Pipeline([("features", features), ("clf", clf)])


@dataclass
class ModelCard:
    name: str
    version: str
    created: str
    file: str
    sha256: str
    threshold: float
    data: dict[str, Any]
    features: list[str]
    metrics: dict[str, Any]
    environment: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)


@dataclass
class BoilerplateModel:
    """A loaded, verified model: `probability(texts)` is the chance each sentence is boilerplate."""

    pipeline: Pipeline
    card: ModelCard

    @property
    def version(self) -> str:
        return f"{self.card.version}+{self.card.sha256[:8]}"

    @property
    def threshold(self) -> float:
        return self.card.threshold

    def probability(self, texts: list[str]) -> np.ndarray:
        return self.pipeline.predict_proba(texts)[:, 1]


def _metrics(y: np.ndarray, p: np.ndarray, threshold: float) -> dict[str, float]:
    pred = p >= threshold
    return {
        "n": len(y),
        "precision": round(float(precision_score(y, pred, zero_division=0)), 4),
        "recall": round(float(recall_score(y, pred, zero_division=0)), 4),
        "f1": round(float(f1_score(y, pred, zero_division=0)), 4),
        "accuracy": round(float(np.mean(pred == y)), 4),
        "roc_auc": round(float(roc_auc_score(y, p)), 4) if len(set(y.tolist())) > 1 else float("nan"),
    }


def train(
    sentences: list[tuple[str, bool]],
    out_dir: Path = MODELS_DIR,
    *,
    seed: int = 0,
    heldout: float = 0.2,
    threshold: float = 0.5,
    data_info: dict[str, Any] | None = None,
) -> ModelCard:
    """Fit on (1 - heldout) of `sentences`, measure on the rest, save model + card under `out_dir`."""
    import sklearn
    import skops
    import skops.io as sio

    if len(sentences) < 50:
        raise ValueError(f"need at least 50 labelled sentences, got {len(sentences)}")
    texts = [t for t, _ in sentences]
    y = np.array([bool(b) for _, b in sentences])
    if y.all() or not y.any():
        raise ValueError("the labelled sentences must contain both boilerplate and concrete ones")
    x_train, x_test, y_train, y_test = train_test_split(
        texts, y, test_size=heldout, random_state=seed, stratify=y
    )
    pipeline = build_pipeline()
    pipeline.fit(x_train, y_train)
    for _, vectorizer in pipeline.named_steps["features"].transformer_list[:2]:
        # numpy ints would be stored by skops as one file each (thousands of tiny entries).
        vectorizer.vocabulary_ = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
    p_test = pipeline.predict_proba(x_test)[:, 1]
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / MODEL_FILE
    sio.dump(pipeline, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    dense = pipeline.named_steps["features"].transformer_list[2][1].named_steps["features"]
    corpus_digest = hashlib.sha256("\n".join(f"{int(b)}\t{t}" for t, b in sentences).encode()).hexdigest()
    card = ModelCard(
        name=MODEL_NAME,
        version=MODEL_VERSION,
        created=date.today().isoformat(),
        file=MODEL_FILE,
        sha256=digest,
        threshold=threshold,
        data={
            **(data_info or {}),
            "sentences": len(sentences),
            "boilerplate": int(y.sum()),
            "concrete": int((~y).sum()),
            "train": len(x_train),
            "heldout": len(x_test),
            "split_seed": seed,
            "sha256": corpus_digest,
        },
        features=[
            "tfidf char_wb 2-5 (canonical text, digits masked; min_df 3, top 10000)",
            "tfidf syllable 1-3 (min_df 3, top 10000)",
            *(f"dense:{n}" for n in dense.feature_names_),
        ],
        metrics={"heldout": _metrics(y_test, p_test, threshold)},
        environment={"scikit-learn": sklearn.__version__, "skops": skops.__version__},
    )
    (out_dir / CARD_FILE).write_text(card.to_json() + "\n", encoding="utf-8")
    load_model.cache_clear()
    default_model.cache_clear()
    return card


@lru_cache(maxsize=4)
def load_model(out_dir: Path = MODELS_DIR) -> BoilerplateModel:
    """Load and verify: the file's SHA-256 must equal the card's, and it may hold only allowed types."""
    import skops.io as sio

    card_path, path = out_dir / CARD_FILE, out_dir / MODEL_FILE
    if not card_path.exists() or not path.exists():
        raise ModelError(f"{out_dir}: {MODEL_FILE} or {CARD_FILE} missing (run `kiemdiem train boilerplate`)")
    card = ModelCard(**json.loads(card_path.read_text(encoding="utf-8")))
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != card.sha256:
        raise ModelError(
            f"{path}: SHA-256 {digest[:12]}… does not match the model card ({card.sha256[:12]}…)"
        )
    untrusted = sio.get_untrusted_types(data=data)
    unexpected = sorted(set(untrusted) - ALLOWED_TYPES)
    if unexpected:
        raise ModelError(f"{path}: unexpected types in the model file: {', '.join(unexpected)}")
    pipeline = sio.loads(data, trusted=untrusted)
    return BoilerplateModel(pipeline, card)


@lru_cache(maxsize=1)
def default_model() -> BoilerplateModel | None:
    """The shipped model, or None when it has not been trained (the detector then uses its rules)."""
    if not (MODELS_DIR / MODEL_FILE).exists():
        return None
    return load_model(MODELS_DIR)


def sentences_from_labels(root: Path) -> list[tuple[str, bool]]:
    """Labelled sentences of a generated corpus's TRAIN split (`*.labels.json`, kiemdiem.labels/1).

    Files of another split are skipped, and the hand-labelled test split is refused outright.
    """
    hand = (Path(__file__).resolve().parents[2] / "corpus" / "labelled" / "hand").resolve()
    if root.resolve() == hand or hand in root.resolve().parents:
        raise ValueError(f"{root}: the hand-labelled split is a test split, never training data")
    out: list[tuple[str, bool]] = []
    for path in sorted(root.rglob("*.labels.json")):
        label = json.loads(path.read_text(encoding="utf-8"))
        if label.get("split", "train") != "train":
            continue
        out += [(s["text"], bool(s["boilerplate"])) for s in label.get("sentences", [])]
    return out


def generated_sentences(seeds: tuple[int, ...] = GENERATOR_SEEDS) -> tuple[list[tuple[str, bool]], dict]:
    """Sentences of freshly generated TRAIN-split corpora (empty when the generator is not installed)."""
    import tempfile

    try:
        from service.corpusgen.corpus import generate
    except ImportError:
        return [], {}
    out: list[tuple[str, bool]] = []
    version = None
    for seed in seeds:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = generate(seed, Path(tmp), split="train", docx_share=0.0)
            version = corpus.manifest.get("generator_version") or corpus.manifest.get("generator")
            out += sentences_from_labels(Path(tmp))
    return out, {"generator": version, "seeds": list(seeds), "split": "train"}


def _dedupe(sentences: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """One row per text; a text labelled both ways keeps its majority label (ties: boilerplate)."""
    votes: dict[str, list[int]] = {}
    for text, label in sentences:
        votes.setdefault(text, [0, 0])[int(label)] += 1
    return [(t, v[1] >= v[0]) for t, v in votes.items()]


def run(
    out_dir: Path = MODELS_DIR,
    *,
    extra: list[Path] | None = None,
    seed: int = 0,
    generator_seeds: tuple[int, ...] = GENERATOR_SEEDS,
) -> ModelCard:
    """What `kiemdiem train boilerplate` does: the project's own training sentences (written by
    `boilerplate_data` when absent), the TRAIN split of the corpus generator (seeds `generator_seeds`),
    and any extra JSONL files of {text, boilerplate} or generated-corpus directories."""
    from service.train.boilerplate_data import TRAIN_PATH, read_labelled, write_training_set

    if not TRAIN_PATH.exists():
        write_training_set(TRAIN_PATH)
    sentences = read_labelled(TRAIN_PATH)
    sources: list[Any] = [{"file": "corpus/labelled/boilerplate-train.jsonl", "sentences": len(sentences)}]
    generated, info = generated_sentences(generator_seeds) if generator_seeds else ([], {})
    if generated:
        sentences += generated
        sources.append({**info, "sentences": len(generated)})
    for path in extra or []:
        more = sentences_from_labels(path) if path.is_dir() else read_labelled(path)
        sentences += more
        sources.append({"file": str(path), "sentences": len(more)})
    return train(_dedupe(sentences), out_dir, seed=seed, data_info={"sources": sources})
