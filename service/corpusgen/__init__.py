"""A labelled synthetic province of Party self-reviews, for measuring the detectors.

`generate(seed, out_dir, ...)` writes reviews (.txt and some .docx), collective reports, circulating
templates, a labels JSON beside each review and a manifest. The writing pools live in
corpus/generator/*.yaml; every entry carries a split tag so a held-out corpus can be written from text the
training corpus never uses.
"""

from service.corpusgen.canon import restore_canonical
from service.corpusgen.corpus import DEFAULT_YEARS, SIZES, GeneratedCorpus, generate
from service.corpusgen.docx_io import read_corpus_file
from service.corpusgen.manifest import GENERATOR_VERSION

__all__ = [
    "DEFAULT_YEARS",
    "GENERATOR_VERSION",
    "SIZES",
    "GeneratedCorpus",
    "generate",
    "read_corpus_file",
    "restore_canonical",
]
