"""Word files for the corpus: one paragraph per line, written byte-identically for the same text."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx

_FIXED_TIME = (2000, 1, 1, 0, 0, 0)


def docx_bytes(lines: list[str]) -> bytes:
    """A .docx with one paragraph per line; zip timestamps fixed so the same text gives the same bytes."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    raw = io.BytesIO()
    document.save(raw)
    raw.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def read_docx_text(path: Path) -> str:
    """The paragraphs of a .docx joined by newlines (how the corpus's .docx files are meant to be read)."""
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def read_corpus_file(path: Path) -> str:
    """The raw text of a generated review: a .docx's paragraphs joined by newlines, or the UTF-8 file."""
    path = Path(path)
    return read_docx_text(path) if path.suffix == ".docx" else path.read_bytes().decode("utf-8")
