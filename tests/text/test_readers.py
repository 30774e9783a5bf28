"""Readers: every supported file gives its text back; every bad file gives one clear line naming it."""

from __future__ import annotations

import io
import logging
import random
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from service.paths import SHARED_CORPUS_DIR
from service.text.readers import RawDocument, ReadError, read_document, read_text_bytes

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# The project's own review text (written for these tests).
REVIEW_LINES = [
    "BẢN KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2025",
    "Họ và tên: Trần Thị Hoa. Chi bộ: Phòng Kế hoạch – Tài chính.",
    "1. Tư tưởng chính trị vững vàng, chấp hành nghiêm chủ trương của Đảng.",
    "2. Hoàn thành 12/12 chỉ tiêu được giao, trong đó 3 chỉ tiêu vượt mức.",
    "- Còn chậm cập nhật văn bản mới về quản lý tài chính công.",
    "Biện pháp khắc phục: tự học, hoàn thành trước ngày 30/6/2026.",
]


def _docx_bytes(doc: docx.document.Document) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _review_docx() -> docx.document.Document:
    doc = docx.Document()
    doc.add_heading(REVIEW_LINES[0], level=1)
    doc.add_paragraph(REVIEW_LINES[1])
    doc.add_paragraph(REVIEW_LINES[2][3:], style="List Number")  # Word draws "1." itself
    doc.add_paragraph(REVIEW_LINES[3][3:], style="List Number")
    doc.add_paragraph(REVIEW_LINES[4][2:], style="List Bullet")
    doc.add_paragraph(REVIEW_LINES[5])
    return doc


def _assert_one_line_error(exc: pytest.ExceptionInfo[ReadError] | ReadError, name: str) -> str:
    message = str(exc.value if isinstance(exc, pytest.ExceptionInfo) else exc)
    assert "\n" not in message
    assert name in message
    return message


# ------------------------------------------------------------------------------------------- good


def test_docx_heading_numbered_list_table_in_document_order(tmp_path: Path) -> None:
    doc = _review_docx()
    table = doc.add_table(rows=2, cols=3)
    for i, cell in enumerate(["Hạn chế", "Nguyên nhân", "Thời hạn"]):
        table.cell(0, i).text = cell
    table.cell(1, 0).text = "Chậm báo cáo"
    table.cell(1, 1).text = "Chủ quan"
    table.cell(1, 2).text = "Quý I"
    table.cell(1, 2).add_paragraph("năm 2026")  # second paragraph in the cell: joined by a space
    doc.add_paragraph("Người tự kiểm điểm")
    path = tmp_path / "kiem-diem.docx"
    doc.save(str(path))

    raw = read_document(path)

    assert raw == RawDocument(text=raw.text, path=str(path), format="docx")
    assert raw.text.split("\n") == [
        *REVIEW_LINES,
        "Hạn chế | Nguyên nhân | Thời hạn",
        "Chậm báo cáo | Chủ quan | Quý I năm 2026",
        "Người tự kiểm điểm",
    ]


def test_default_template_list_styles_carry_numbering_on_the_style() -> None:
    # Guards the premise of the list test: numPr sits on "List Number", not on the paragraph.
    doc = docx.Document()
    paragraph = doc.add_paragraph("x", style="List Number")
    assert paragraph._p.pPr.numPr is None
    assert doc.styles["List Number"].element.pPr.numPr is not None


def test_docx_multilevel_numbering_restarts_deeper_levels(tmp_path: Path) -> None:
    doc = docx.Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
            '<w:lvlText w:val="%1."/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            '<w:lvlText w:val="%2."/></w:lvl>'
            '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
            '<w:lvlText w:val="%3)"/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    items = [(0, "Ưu điểm"), (1, "Chính trị"), (2, "Tư tưởng"), (2, "Đạo đức"), (1, "Nhiệm vụ"),
             (2, "Chỉ tiêu"), (0, "Hạn chế"), (1, "Chậm đổi mới")]  # fmt: skip
    for level, text in items:
        p = doc.add_paragraph(text)
        p._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )
    path = tmp_path / "nhieu-cap.docx"
    doc.save(str(path))

    assert read_document(path).text.split("\n") == [
        "I. Ưu điểm",
        "1. Chính trị",
        "a) Tư tưởng",
        "b) Đạo đức",
        "2. Nhiệm vụ",
        "a) Chỉ tiêu",
        "II. Hạn chế",
        "1. Chậm đổi mới",
    ]


def test_same_review_as_txt_and_docx_reads_to_same_paragraphs(tmp_path: Path) -> None:
    txt = tmp_path / "ban.txt"
    txt.write_text("\n".join(REVIEW_LINES), encoding="utf-8")
    docx_path = tmp_path / "ban.docx"
    _review_docx().save(str(docx_path))

    assert read_document(docx_path).text.split("\n") == read_document(txt).text.split("\n")


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")],
)
def test_text_encodings_with_bom_decode_and_strip_bom(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = "\n".join(REVIEW_LINES) + "\r\n"
    path = tmp_path / "ban.md"
    path.write_bytes(bom + text.encode(encoding))

    raw = read_document(path)

    assert raw.text == text  # BOM gone, line endings untouched (normalisation comes later)
    assert raw.format == "md"


def test_bytes_reader_matches_file_reader_and_ignores_suffix_case(tmp_path: Path) -> None:
    data = _docx_bytes(_review_docx())
    path = tmp_path / "ban.docx"
    path.write_bytes(data)

    uploaded = read_text_bytes(data, "Ban Kiem Diem.DOCX")

    assert uploaded.text == read_document(path).text
    assert (uploaded.path, uploaded.format) == ("Ban Kiem Diem.DOCX", "docx")


def test_docx_renamed_to_doc_is_read_as_docx() -> None:
    raw = read_text_bytes(_docx_bytes(_review_docx()), "ban.doc")
    assert raw.format == "docx"
    assert raw.text.split("\n") == REVIEW_LINES


def test_pdf_text_layer_returns_vietnamese_words(tmp_path: Path) -> None:
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 (dev dependency) not installed")
    if not DEJAVU.exists():
        pytest.skip(f"font {DEJAVU} not present: cannot draw Vietnamese into a PDF")
    pdf = fpdf.FPDF()
    pdf.add_font("DejaVu", fname=str(DEJAVU))
    pdf.set_font("DejaVu", size=12)
    for line in (REVIEW_LINES[2], REVIEW_LINES[5]):  # one per page: pages are joined by "\n"
        pdf.add_page()
        pdf.multi_cell(0, 8, line)
    path = tmp_path / "ban.pdf"
    pdf.output(str(path))

    raw = read_document(path)

    assert raw.format == "pdf"
    expected = unicodedata.normalize("NFC", f"{REVIEW_LINES[2]} {REVIEW_LINES[5]}").split()
    assert unicodedata.normalize("NFC", raw.text).split() == expected


@pytest.mark.real
def test_real_samples_read_as_utf8_text() -> None:
    raw_dir = SHARED_CORPUS_DIR / "real" / "raw"
    if not raw_dir.is_dir():
        pytest.skip(f"../shared/corpus not present: {raw_dir}")
    files = sorted(raw_dir.glob("*.txt"))
    assert files
    for path in files:
        raw = read_document(path)
        assert raw.text == path.read_text(encoding="utf-8-sig")


# -------------------------------------------------------------------------------------------- bad


def test_empty_and_whitespace_only_files_are_rejected(tmp_path: Path) -> None:
    for name, data in [("rong.txt", b""), ("trang.txt", b" \n\t\r\n"), ("bom.txt", b"\xef\xbb\xbf\n")]:
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ReadError) as exc:
            read_document(path)
        assert "tệp rỗng" in _assert_one_line_error(exc, name)
    empty_docx = tmp_path / "rong.docx"
    docx.Document().save(str(empty_docx))
    with pytest.raises(ReadError) as exc:
        read_document(empty_docx)
    assert "tệp rỗng" in _assert_one_line_error(exc, "rong.docx")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01",  # an image renamed .txt
        bytes(range(1, 9)) * 20,  # valid ASCII, but control characters only
    ],
)
def test_binary_content_is_rejected(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "anh.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError) as exc:
        read_document(path)
    assert "nhị phân" in _assert_one_line_error(exc, "anh.txt")


def _cp1258(text: str) -> bytes:
    # Windows-1258 has â/ô/ơ/ư… precomposed but the five tone marks only as combining characters.
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            if marks and marks[0] in "\u0302\u0306\u031b":  # circumflex, breve, horn: part of the base
                base, marks = unicodedata.normalize("NFC", base + marks[0]), marks[1:]
            out += (base + "".join(marks)).encode("cp1258")
    return out


@pytest.mark.parametrize("codec", ["cp1258", "latin-1", "cp1252"])
def test_non_utf8_text_is_rejected_not_misdecoded(tmp_path: Path, codec: str) -> None:
    text = "Đồng chí đã tự phê bình nghiêm túc, khắc phục hạn chế"
    data = _cp1258(text) if codec == "cp1258" else "Résumé für Ärzte".encode(codec)
    if codec == "cp1258":  # the fixture really is Vietnamese in Windows-1258
        assert unicodedata.normalize("NFC", data.decode(codec)) == text
    path = tmp_path / f"cu-{codec}.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError) as exc:
        read_document(path)
    message = _assert_one_line_error(exc, path.name)
    assert "UTF-8" in message
    assert "Lưu thành" in message  # says how to re-save


def test_utf16_without_bom_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "khongbom.txt"
    path.write_bytes("\n".join(REVIEW_LINES).encode("utf-16-le"))
    with pytest.raises(ReadError) as exc:
        read_document(path)
    assert "UTF-16" in _assert_one_line_error(exc, "khongbom.txt")


def test_truncated_docx_is_reported_as_damaged(tmp_path: Path) -> None:
    data = _docx_bytes(_review_docx())
    path = tmp_path / "dang-do.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError) as exc:
        read_document(path)
    assert "bị hỏng hoặc không đầy đủ" in _assert_one_line_error(exc, "dang-do.docx")


def test_zip_without_word_document_is_reported_as_damaged(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ReadError) as exc:
        read_text_bytes(buf.getvalue(), "thieu.docx")
    assert "bị hỏng" in _assert_one_line_error(exc, "thieu.docx")


def test_too_long_text_respects_configurable_limit(tmp_path: Path) -> None:
    path = tmp_path / "dai.txt"
    path.write_text("\n".join(REVIEW_LINES), encoding="utf-8")
    assert read_document(path, max_chars=10_000).text
    with pytest.raises(ReadError) as exc:
        read_document(path, max_chars=100)
    assert "quá dài" in _assert_one_line_error(exc, "dai.txt")
    with pytest.raises(ReadError) as exc:
        read_document(path, max_bytes=50)  # rejected on size before any parsing
    assert "quá lớn" in _assert_one_line_error(exc, "dai.txt")


def test_missing_file_and_directory_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as exc:
        read_document(tmp_path / "khong-co.txt")
    assert "không tồn tại" in _assert_one_line_error(exc, "khong-co.txt")
    folder = tmp_path / "thu-muc.txt"
    folder.mkdir()
    with pytest.raises(ReadError) as exc:
        read_document(folder)
    assert "thư mục" in _assert_one_line_error(exc, "thu-muc.txt")


def test_legacy_doc_gives_conversion_instructions(tmp_path: Path) -> None:
    path = tmp_path / "cu.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(ReadError) as exc:
        read_document(path)
    message = _assert_one_line_error(exc, "cu.doc")
    assert ".docx" in message
    assert "libreoffice --headless --convert-to docx cu.doc" in message
    # The same old format behind a .docx name (or a password-protected .docx) gets the same advice.
    with pytest.raises(ReadError) as exc:
        read_text_bytes(path.read_bytes(), "cu.docx")
    assert "libreoffice" in _assert_one_line_error(exc, "cu.docx")


def test_unsupported_suffix_lists_supported_types() -> None:
    for name in ("ban.odt", "ban"):
        with pytest.raises(ReadError) as exc:
            read_text_bytes(b"Noi dung", name)
        message = _assert_one_line_error(exc, name)
        assert all(s in message for s in (".txt", ".md", ".docx", ".pdf"))


def test_pdf_without_text_layer_encrypted_or_truncated(tmp_path: Path) -> None:
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 (dev dependency) not installed")
    scan = fpdf.FPDF()
    scan.add_page()
    scan.rect(10, 10, 100, 100, style="F")  # a page with only a picture, like a scan
    with pytest.raises(ReadError) as exc:
        read_text_bytes(bytes(scan.output()), "ban-quet.pdf")
    assert "OCR" in _assert_one_line_error(exc, "ban-quet.pdf")

    locked = fpdf.FPDF()
    locked.set_encryption(owner_password="chu", user_password="mat-khau")
    locked.add_page()
    locked.set_font("helvetica", size=12)
    locked.multi_cell(0, 8, "Ban kiem diem ca nhan nam 2025, noi dung du dai de vuot nguong. " * 3)
    with pytest.raises(ReadError) as exc:
        read_text_bytes(bytes(locked.output()), "khoa.pdf")
    assert "mật khẩu" in _assert_one_line_error(exc, "khoa.pdf")

    good = fpdf.FPDF()
    good.add_page()
    good.set_font("helvetica", size=12)
    good.multi_cell(0, 8, "Ban kiem diem ca nhan nam 2025, noi dung du dai de vuot nguong. " * 3)
    data = bytes(good.output())
    assert "Ban kiem diem" in read_text_bytes(data, "tot.pdf").text
    with pytest.raises(ReadError) as exc:
        read_text_bytes(data[: len(data) // 3], "dut.pdf")
    _assert_one_line_error(exc, "dut.pdf")


def test_damaged_files_raise_read_error_and_nothing_else(caplog: pytest.LogCaptureFixture) -> None:
    # Uploads get damaged in transit; whatever the bytes, the user sees one line, never a traceback.
    caplog.set_level(logging.CRITICAL)  # pypdf logs a warning for every odd structure it repairs
    samples = [("ban.docx", _docx_bytes(_review_docx())), ("ban.txt", "\n".join(REVIEW_LINES).encode())]
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 (dev dependency) not installed")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, "Ban kiem diem ca nhan nam 2025. " * 10)
    samples.append(("ban.pdf", bytes(pdf.output())))
    rnd = random.Random(0)
    outcomes = set()
    for _ in range(300):
        name, original = rnd.choice(samples)
        data = bytearray(original)
        for _ in range(rnd.randint(1, 12)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        if rnd.random() < 0.3:
            del data[rnd.randrange(len(data)) :]
        try:
            read_text_bytes(bytes(data), name)
            outcomes.add("read")
        except ReadError as exc:
            _assert_one_line_error(exc, name)
            outcomes.add("rejected")
    assert outcomes == {"read", "rejected"}
