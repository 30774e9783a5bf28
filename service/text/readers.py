"""Readers: turn a submitted file (.txt, .md, .docx, .pdf) into plain text, or fail with one clear line.

Every failure is a `ReadError` whose message names the file and says, in Vietnamese, what to do; library
exceptions (zipfile, python-docx, pypdf) never escape, because the CLI and the API show the message to
the person who uploaded the file. Text is returned as found (BOM stripped); normalisation is done later
by `service.text.normalize`.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

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
        return _DocxRenderer(document).render()
    except ReadError:
        raise
    except Exception as exc:  # python-docx/lxml raise many types on malformed parts
        raise ReadError(broken) from exc


_W_P, _W_TBL, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_W_T, _W_TAB, _W_BR, _W_CR, _W_NBH = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")
# Containers whose text is not running text of the paragraph (text boxes, deletions, VML duplicates).
_SKIP = {
    qn("w:txbxContent"),
    qn("w:del"),
    qn("w:moveFrom"),
    qn("w:pPr"),
    qn("w:rPr"),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",  # repeats mc:Choice
}
_WRAPPERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:ins"), qn("w:moveTo")}
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ROMAN_VALUES = (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1)
_ROMAN_SYMBOLS = ("M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I")
_Level = tuple[str, str | None, int]  # numFmt, lvlText, start
_DEFAULT_LVLTEXT = {"decimal": "%1.", "upperRoman": "%1.", "lowerRoman": "%1.", "lowerLetter": "%1)"}


def _val(el: Any, tag: str) -> str | None:
    child = el.find(qn(tag)) if el is not None else None
    return None if child is None else child.get(qn("w:val"))


class _DocxRenderer:
    """Body paragraphs and tables in order, with list numbering rebuilt (python-docx does not render it)."""

    def __init__(self, document: Any) -> None:
        self.body = document.element.body
        self.levels: dict[str, dict[int, _Level]] = {}  # numId → ilvl → level
        self.style_levels: dict[str, int] = {}  # styleId named by a level's pStyle → ilvl
        # styleId → numId, ilvl, basedOn, name
        self.styles: dict[str, tuple[str | None, str | None, str | None, str]] = {}
        self.default_style: str | None = None
        self.counters: dict[str, dict[int, int]] = {}
        try:
            self._load_styles(document.styles.element)
            self._load_numbering(document.part)
        except Exception:  # numbering is a nicety: without it lists fall back to "- " for bullets
            logging.getLogger(__name__).debug("numbering unreadable", exc_info=True)

    def _load_styles(self, styles_el: Any) -> None:
        for st in styles_el.iter(qn("w:style")):
            sid = st.get(qn("w:styleId"))
            if sid is None:
                continue
            num_pr = st.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            self.styles[sid] = (
                _val(num_pr, "w:numId"),
                _val(num_pr, "w:ilvl"),
                _val(st, "w:basedOn"),
                _val(st, "w:name") or sid,
            )
            if st.get(qn("w:type")) == "paragraph" and st.get(qn("w:default")) in ("1", "true"):
                self.default_style = sid

    def _load_numbering(self, part: Any) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from lxml import etree

        try:
            blob = part.part_related_by(RT.NUMBERING).blob
        except KeyError:
            return  # no lists in this document
        root = etree.fromstring(blob)
        abstract = {an.get(qn("w:abstractNumId")): an for an in root.iter(qn("w:abstractNum"))}
        for num in root.iter(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            an = abstract.get(_val(num, "w:abstractNumId") or "")
            levels = self._read_levels(an) if an is not None else {}
            for ov in num.iter(qn("w:lvlOverride")):
                ilvl = int(ov.get(qn("w:ilvl"), "0"))
                levels.update(self._read_levels(ov))
                start = _val(ov, "w:startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl] = (*levels[ilvl][:2], int(start))
            self.levels[num_id] = levels
            # A level may name the paragraph style that carries it; that is how "List Number 2" finds ilvl.
            for lvl in an.iter(qn("w:lvl")) if an is not None else ():
                style = _val(lvl, "w:pStyle")
                if style:
                    self.style_levels.setdefault(style, int(lvl.get(qn("w:ilvl"), "0")))

    @staticmethod
    def _read_levels(parent: Any) -> dict[int, _Level]:
        out = {}
        for lvl in parent.findall(qn("w:lvl")):
            start = _val(lvl, "w:start")
            out[int(lvl.get(qn("w:ilvl"), "0"))] = (
                _val(lvl, "w:numFmt") or "decimal",
                _val(lvl, "w:lvlText"),
                int(start) if start and start.lstrip("-").isdigit() else 1,
            )
        return out

    def render(self) -> str:
        lines: list[str] = []
        for block in self._blocks(self.body):
            if block.tag == _W_P:
                lines.append(self._paragraph(block))
            else:
                lines.extend(self._table_rows(block))
        return "\n".join(lines)

    def _blocks(self, parent: Any, tags: tuple[str, ...] = (_W_P, _W_TBL)) -> Iterator[Any]:
        for child in parent:
            if child.tag in tags:
                yield child
            elif child.tag in _WRAPPERS:  # content controls and tracked insertions hold ordinary blocks
                yield from self._blocks(child, tags)

    def _table_rows(self, tbl: Any) -> list[str]:
        rows = []
        for tr in self._blocks(tbl, (_W_TR,)):
            cells = []
            for tc in self._blocks(tr, (_W_TC,)):
                parts = [  # a nested table is flattened into its cell
                    self._paragraph(b) if b.tag == _W_P else " ".join(self._table_rows(b))
                    for b in self._blocks(tc)
                ]
                # One line per row: line breaks inside a cell become spaces.
                cell = " ".join(" ".join(p.split("\n")).strip() for p in parts if p.strip())
                if cell:
                    cells.append(cell)  # empty cells (layout, vertical merges) add nothing but " | "
            if cells:
                rows.append(" | ".join(cells))
        return rows

    def _paragraph(self, p: Any) -> str:
        text = "".join(self._runs_text(p))
        if not text.strip():
            self._prefix(p)  # Word still counts an empty list item
            return text
        return self._prefix(p) + text

    def _runs_text(self, el: Any) -> Iterator[str]:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:  # comments and PIs have non-str tags
                continue
            if tag == _W_T:
                yield child.text or ""
            elif tag == _W_TAB:
                yield "\t"
            elif tag == _W_CR or (tag == _W_BR and child.get(qn("w:type"), "textWrapping") == "textWrapping"):
                yield "\n"
            elif tag == _W_NBH:
                yield "-"
            else:
                yield from self._runs_text(child)

    def _prefix(self, p: Any) -> str:
        p_pr = p.find(qn("w:pPr"))
        num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
        num_id, ilvl = _val(num_pr, "w:numId"), _val(num_pr, "w:ilvl")
        style = _val(p_pr, "w:pStyle") or self.default_style
        style_name = self.styles[style][3] if style in self.styles else ""
        sid, seen = style, set()
        # List styles carry their numPr; a paragraph inherits it through the basedOn chain.
        while sid in self.styles and sid not in seen and (num_id is None or ilvl is None):
            seen.add(sid)
            s_num, s_ilvl, base, _ = self.styles[sid]
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_ilvl
            sid = base
        if num_id is None or num_id == "0":  # numId 0 explicitly switches numbering off
            return ""
        levels = self.levels.get(num_id)
        if ilvl is None and style in self.style_levels:
            ilvl = str(self.style_levels[style])
        level = int(ilvl) if ilvl and ilvl.isdigit() else 0
        if not levels or level not in levels:
            return "- " if "bullet" in style_name.lower() else ""
        fmt, lvl_text, start = levels[level]
        if fmt == "bullet":
            return "- "
        if fmt == "none":
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]  # a new item at this level restarts the levels below it
        template = lvl_text or _DEFAULT_LVLTEXT.get(fmt, "%1.").replace("%1", f"%{level + 1}")

        def number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            k_fmt, _, k_start = levels.get(k, ("decimal", None, 1))
            return _format_number(counters.get(k, k_start), k_fmt)

        label = re.sub(r"%([1-9])", number, template).strip()
        return f"{label} " if label else ""


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        out, rest = "", n
        for value, sym in zip(_ROMAN_VALUES, _ROMAN_SYMBOLS, strict=True):
            while rest >= value:
                out, rest = out + sym, rest - value
        return out if fmt == "upperRoman" else out.lower()
    if fmt in ("upperLetter", "lowerLetter") and n > 0:
        letter = _LETTERS[(n - 1) % 26] * ((n - 1) // 26 + 1)  # Word's a … z, aa … zz
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


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
