"""Where the data the code reads lives: rules, lexicons and forms are files in the repository."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = Path(os.environ.get("KIEMDIEM_CORPUS", REPO_ROOT / "corpus"))
MODELS_DIR = Path(os.environ.get("KIEMDIEM_MODELS", REPO_ROOT / "models"))
FORMS_DIR = CORPUS_DIR / "forms"
LEXICON_DIR = CORPUS_DIR / "lexicon"
# The real samples written by others; read by tests and evaluation, never copied in.
SHARED_CORPUS_DIR = Path(os.environ.get("KIEMDIEM_SHARED_CORPUS", REPO_ROOT.parent / "shared" / "corpus"))
