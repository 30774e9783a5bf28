import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from service.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "examples"
SUBMISSION = EXAMPLES / "tran-thi-lan-2025.txt"
HISTORY = EXAMPLES / "tran-thi-lan-2024.txt"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "screen", str(SUBMISSION), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["schema"] == "kiemdiem.screen/1"
    assert set(data["scores"]) == {"formalism", "duplication", "boilerplate", "remedies", "coverage"}
    assert data["year"] == 2025 and data["kind"] == "individual"
    text = data["text"]
    for section in data["sections"]:
        assert 0 <= section["start"] < section["end"] <= len(text)
    for flag in data["flags"]:
        assert set(flag) == {"code", "severity", "start", "end", "message", "hint", "evidence"}
        assert flag["severity"] in {"high", "medium", "low"}
        assert text[flag["start"] : flag["end"]]
    placeholder = [f for f in data["flags"] if f["code"] == "placeholder_left"]
    assert any(text[f["start"] : f["end"]].startswith("Ví dụ: Đạt giải") for f in placeholder)


def test_year_can_be_pinned_on_the_argument(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    undated = tmp_path / "review.txt"
    undated.write_text("BẢN KIỂM ĐIỂM CÁ NHÂN\nI. Ưu điểm\nHoàn thành 12/12 chỉ tiêu.\n", encoding="utf-8")
    code, out, _ = run(capsys, "screen", f"{undated}@2024")
    assert code == 0 and json.loads(out)["year"] == 2024
    code, out, _ = run(capsys, "screen", str(undated))
    assert code == 0 and json.loads(out)["year"] is None


def test_text_and_html_formats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "screen", str(SUBMISSION), "--history", str(HISTORY), "--format", "text")
    assert code == 0 and "Còn chỗ trống của mẫu" in out and "Gợi ý:" in out
    page = tmp_path / "r.html"
    code, _, _ = run(capsys, "screen", str(SUBMISSION), "--format", "html", "-o", str(page))
    html = page.read_text(encoding="utf-8")
    assert code == 0 and html.startswith("<!doctype html>") and '<mark class="sev-' in html


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    valid = tmp_path / "valid.docx"
    with zipfile.ZipFile(valid, "w") as z:
        z.writestr("word/document.xml", "<w:document/>" * 200)
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(valid.read_bytes()[: valid.stat().st_size // 2])
    latin = tmp_path / "cp1258.txt"
    latin.write_bytes(b"B\xe0n ki\xeam \xf0i\xeam\xf2 n\xe3m 2025")  # Windows-1258 bytes
    return {
        "empty": empty,
        "binary": binary,
        "legacy": legacy,
        "truncated": truncated,
        "not utf-8": latin,
        "missing": tmp_path / "nope.txt",
    }


def test_bad_input_exits_2_with_one_line_naming_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for problem, path in _bad_inputs(tmp_path).items():
        code, out, err = run(capsys, "screen", str(path))
        assert code == 2, problem
        assert out == ""
        assert err.count("\n") == 1 and err.startswith("kiemdiem: ") and path.name in err, (problem, err)
        assert "Traceback" not in err


def test_bad_history_file_is_reported_too(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "screen", str(SUBMISSION), "--history", str(tmp_path / "missing-2024.txt"))
    assert code == 2 and "missing-2024.txt" in err and err.count("\n") == 1


def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "screen", str(SUBMISSION), "--format", "pdf")
    assert code == 2 and err.count("\n") == 1
    code, _, err = run(capsys, "screen", str(SUBMISSION), "--year", "20x5")
    assert code == 2 and err.count("\n") == 1


def test_the_installed_command_never_prints_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "truncated.docx"
    bad.write_bytes(b"PK\x03\x04garbage")
    proc = subprocess.run(
        [sys.executable, "-c", "from service.cli import run; run()", "screen", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "truncated.docx" in proc.stderr


def test_html_shows_copied_passages_beside_their_source(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = tmp_path / "r.html"
    code, _, _ = run(
        capsys, "screen", str(SUBMISSION), "--history", f"{HISTORY}@2024", "--format", "html", "-o", str(page)
    )
    html = page.read_text(encoding="utf-8")
    assert code == 0 and "Đối chiếu sao chép" in html
    # The source column holds last year's wording: "Lớp 4A" was only in the 2024 review.
    pairs = html.split("Đối chiếu sao chép", 1)[1]
    assert "Lớp 4A do tôi chủ nhiệm" in pairs and "Lớp 5A do tôi chủ nhiệm" in pairs


def test_templates_added_to_the_library_are_compared_with_every_review(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIEMDIEM_HOME", str(tmp_path / "home"))
    code, out, _ = run(capsys, "screen", str(SUBMISSION))
    assert code == 0 and not any(f["code"] == "copied_from_template" for f in json.loads(out)["flags"])
    code, out, _ = run(capsys, "templates", "add", f"{HISTORY}@2024")
    assert code == 0 and "đã thêm" in out
    code, out, _ = run(capsys, "templates", "add", str(HISTORY))
    assert code == 0 and "đã có sẵn" in out
    code, out, _ = run(capsys, "screen", str(SUBMISSION))
    flags = [f for f in json.loads(out)["flags"] if f["code"] == "copied_from_template"]
    assert flags and all("tran-thi-lan-2024.txt" in f["evidence"]["source"] for f in flags)
    code, out, _ = run(capsys, "screen", str(SUBMISSION), "--no-library")
    assert not any(f["code"] == "copied_from_template" for f in json.loads(out)["flags"])
    code, _, err = run(capsys, "templates", "add", str(tmp_path / "missing.txt"))
    assert code == 2 and "missing.txt" in err
