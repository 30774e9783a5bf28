"""Readers: turn a submitted file (.txt, .md, .docx, .pdf) into plain text, or fail with one clear line.

Every failure is a `ReadError` whose message names the file and says, in Vietnamese, what to do; library
exceptions (zipfile, python-docx, pypdf) never escape, because the CLI and the API show the message to
the person who uploaded the file. Text is returned as found (BOM stripped); normalisation is done later
by `service.text.normalize`. A .docx body is rendered to text by `service.text.docx_reader`.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from service.text.docx_reader import DocxRenderer

MAX_CHARS = 2_000_000
MAX_BYTES = 50_000_000
SUPPORTED = (".txt", ".md", ".docx", ".pdf")
_FORMATS = {".txt": "txt", ".md": "md", ".docx": "docx", ".pdf": "pdf"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, and password-protected .docx
_ZIP_MAGIC = b"PK\x03\x04"
# A pdf page of real prose has thousands of characters; a scan has none, or a stamp like "CamScanner".
_MIN_PDF_CHARS_PER_PAGE = 40


class ReadError(Exception):
    """A submitted file cannot be read; the message is one Vietnamese line naming the file."""


@dataclass(frozen=True)
class RawDocument:
    text: str
    path: str
    format: str  # txt | md | docx | pdf


def read_document(path: str | Path, *, max_chars: int = MAX_CHARS, max_bytes: int = MAX_BYTES) -> RawDocument:
    """Read a file from disk; raises ReadError only."""
    name = str(path)
    p = Path(path)
    try:
        if not p.exists():
            raise ReadError(_msg(name, "không tồn tại"))
        if p.is_dir():
            raise ReadError(_msg(name, "là một thư mục, không phải tệp"))
        _check_size(name, p.stat().st_size, max_bytes)  # before reading 2 GB into memory
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(_msg(name, f"không đọc được ({exc.strerror or type(exc).__name__})")) from exc
    return read_text_bytes(data, name, max_chars=max_chars, max_bytes=max_bytes)


def read_text_bytes(
    data: bytes, name: str, *, max_chars: int = MAX_CHARS, max_bytes: int = MAX_BYTES
) -> RawDocument:
    """Read uploaded bytes; the format comes from the suffix of `name`. Raises ReadError only."""
    suffix = Path(name).suffix.lower()
    _check_size(name, len(data), max_bytes)
    if suffix == ".doc" and data.startswith(_ZIP_MAGIC):
        suffix = ".docx"  # a .docx renamed to .doc is common and harmless: read what it really is
    elif suffix == ".doc":
        raise ReadError(_msg(name, _legacy_doc_hint(name)))
    if suffix not in _FORMATS:
        shown = f"đuôi '{suffix}'" if suffix else "tệp không có đuôi"
        raise ReadError(_msg(name, f"{shown} không được hỗ trợ; chỉ đọc được {', '.join(SUPPORTED)}"))
    if suffix == ".docx":
        text = _read_docx(data, name, max_bytes)
    elif suffix == ".pdf":
        text = _read_pdf(data, name)
    else:
        text = _decode_text(data, name)
    if not text.strip():
        raise ReadError(_msg(name, "tệp rỗng (không có nội dung văn bản)"))
    if len(text) > max_chars:
        raise ReadError(_msg(name, f"văn bản quá dài ({len(text):,} ký tự; tối đa {max_chars:,})"))
    return RawDocument(text=text, path=name, format=_FORMATS[suffix])


def _msg(name: str, problem: str) -> str:
    # One line, whatever the name contains: the CLI prints it after "kiemdiem: ".
    safe = re.sub(r"[\x00-\x1f\x7f]", "?", name)
    return f"tệp '{safe}': {problem}"


def _check_size(name: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise ReadError(_msg(name, f"quá lớn ({size / 1e6:.1f} MB; tối đa {max_bytes / 1e6:.1f} MB)"))


def _legacy_doc_hint(name: str) -> str:
    return (
        "định dạng .doc cũ không được hỗ trợ; hãy lưu lại thành .docx (Word: Tệp → Lưu thành → .docx) "
        f"hoặc chuyển bằng: libreoffice --headless --convert-to docx {Path(name).name}"
    )


# --------------------------------------------------------------------------------------- plain text


_RESAVE = "hãy mở bằng Notepad hoặc trình soạn thảo, chọn Lưu thành với mã hóa UTF-8"


def _decode_text(data: bytes, name: str) -> str:
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),  # checked before UTF-16 LE, whose BOM is its prefix
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise ReadError(
                    _msg(
                        name, f"có dấu BOM {codec.upper()} nhưng nội dung hỏng ở byte {exc.start}; {_RESAVE}"
                    )
                ) from exc
            _reject_binary(text, name)
            return text
    if data.startswith((b"%PDF", _ZIP_MAGIC, _OLE_MAGIC)):
        raise ReadError(_msg(name, "nội dung là tệp PDF/Word nhưng đuôi là văn bản thuần; hãy đặt đúng đuôi"))
    if b"\x00" in data:
        odd_nuls = data[1::2].count(0)
        if odd_nuls > len(data) // 4 or data[0::2].count(0) > len(data) // 4:
            raise ReadError(_msg(name, f"có vẻ là UTF-16 không có dấu BOM; {_RESAVE}"))
        raise ReadError(_msg(name, "là tệp nhị phân, không phải văn bản"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReadError(
            _msg(
                name,
                f"không phải mã UTF-8 (byte lạ ở vị trí {exc.start}; "
                "có thể là Windows-1258, TCVN3 hoặc VNI); " + _RESAVE,
            )
        ) from exc
    _reject_binary(text, name)
    return text


def _reject_binary(text: str, name: str) -> None:
    controls = sum(1 for ch in text if (ch < " " and ch not in "\t\n\r\f\v") or ch == "\x7f")
    if "\x00" in text or controls > max(2, len(text) // 100):
        raise ReadError(_msg(name, "là tệp nhị phân, không phải văn bản"))


# --------------------------------------------------------------------------------------------- docx


def _read_docx(data: bytes, name: str, max_bytes: int) -> str:
    broken = _msg(name, "tệp .docx bị hỏng hoặc không đầy đủ; hãy mở bằng Word và lưu lại")
    if data.startswith(_OLE_MAGIC):
        raise ReadError(
            _msg(name, "không phải .docx thật: là tệp Word đặt mật khẩu hoặc " + _legacy_doc_hint(name))
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if "word/document.xml" not in zf.namelist():
                raise ReadError(broken)
            # Refuse zip bombs before python-docx inflates everything into memory.
            if sum(info.file_size for info in zf.infolist()) > 4 * max_bytes:
                raise ReadError(_msg(name, "nội dung giải nén quá lớn"))
            if zf.testzip() is not None:  # a member fails its CRC check
                raise ReadError(broken)
    except ReadError:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, EOFError, NotImplementedError (compression) …
        raise ReadError(broken) from exc
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        return DocxRenderer(document).render()
    except ReadError:
        raise
    except Exception as exc:  # python-docx/lxml raise many types on malformed parts
        raise ReadError(broken) from exc


# ---------------------------------------------------------------------------------------------- pdf


def _read_pdf(data: bytes, name: str) -> str:
    no_text = _msg(
        name, "PDF không có lớp văn bản (có thể là bản quét, cần OCR); hãy nộp bản .docx hoặc .txt"
    )
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(_msg(name, "PDF được đặt mật khẩu; hãy gỡ mật khẩu hoặc nộp bản .docx"))
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged or encrypted files
        if "crypt" in type(exc).__name__.lower() or "AES" in str(exc):
            raise ReadError(_msg(name, "PDF được mã hóa, không đọc được; hãy nộp bản .docx")) from exc
        raise ReadError(_msg(name, "tệp .pdf bị hỏng hoặc không đầy đủ")) from exc
    visible = sum(len("".join(page.split())) for page in pages)
    if not pages or visible < _MIN_PDF_CHARS_PER_PAGE * len(pages):
        raise ReadError(no_text)
    return "\n".join(pages)
