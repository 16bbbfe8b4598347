"""Bad input: every unreadable file gives a ReaderError with a code and a message saying what to do,
and every readable-but-odd file gives issues instead of silence."""

from __future__ import annotations

import io
import shutil
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from PIL import Image

from plantasks.parsers.blocks import ReaderError, TableRow
from plantasks.parsers.read import ReadOptions, read_document
from system_packages import needs
from samples import SAMPLES

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_DOCX = SAMPLES / "000_9ab0fe3c0e4fbaba.docx"
LEGACY_DOC = FIXTURES / "docx" / "legacy_plan.doc"


def _error(data: bytes, name: str, options: ReadOptions = ReadOptions()) -> ReaderError:
    with pytest.raises(ReaderError) as err:
        read_document(data, name, options)
    assert err.value.message  # always a message for the user
    return err.value


@pytest.mark.parametrize("data", [b"", b"   \n\t ", b"\n"])
def test_empty_file(data):
    assert _error(data, "x.pdf").code == "empty"


def test_file_over_the_size_limit():
    error = _error(SAMPLE_DOCX.read_bytes(), "a.docx", ReadOptions(max_bytes=1000))
    assert error.code == "too_large"
    assert "--max-mb" in error.message


def test_unknown_binary_is_not_supported():
    error = _error(b"\x00\x01\x02\x03\x04" * 100, "data.bin")
    assert error.code == "not_supported"
    assert "PDF" in error.message


def test_random_bytes_named_pdf_are_corrupt():
    assert _error(b"\x00\x01\x02\x03\x04" * 100, "plan.pdf").code == "corrupt"


def test_zip_bomb_posing_as_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (8 * 1024 * 1024))  # 8 MB of zeros, ~8 KB packed
    error = _error(buffer.getvalue(), "plan.docx")
    assert error.code == "zip_bomb"


def test_encrypted_office_file_posing_as_docx():
    # a password-protected DOCX is an OLE2 container with an "EncryptedPackage" stream
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512
    error = _error(data, "plan.docx")
    assert error.code == "encrypted"
    assert "password" in error.message


def test_image_without_ocr(monkeypatch):
    monkeypatch.setitem(sys.modules, "plantasks.parsers.ocr", None)
    buffer = io.BytesIO()
    Image.new("L", (50, 50), 255).save(buffer, "PNG")
    error = _error(buffer.getvalue(), "scan.png")
    assert error.code == "no_text"
    assert "Tesseract" in error.message


def test_image_with_ocr_switched_off():
    buffer = io.BytesIO()
    Image.new("L", (50, 50), 255).save(buffer, "PNG")
    assert _error(buffer.getvalue(), "scan.png", ReadOptions(ocr=False)).code == "no_text"


def test_document_that_is_not_a_plan_is_read_without_judging_it():
    # deciding "no task table" is the table stage's job; the reader returns what is there
    document = docx.Document()
    document.add_paragraph("Kính gửi: Sở Nội vụ")
    document.add_paragraph("Công văn về việc báo cáo số liệu.")
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = read_document(buffer.getvalue(), "letter.docx")
    assert not any(isinstance(b, TableRow) for b in parsed.blocks)
    assert len(parsed.blocks) == 2


def test_text_in_a_legacy_windows_encoding_is_read_with_an_issue():
    text = "QUYẾT ĐỊNH\nBan hành kế hoạch"
    data = "".join(_cp1258_char(c) for c in text).encode("cp1258")
    parsed = read_document(data, "old.txt")
    assert "encoding_guess" in [i.code for i in parsed.issues]
    assert "QUYẾT ĐỊNH" in " ".join(b.text for b in parsed.text_lines)


def _cp1258_char(char: str) -> str:
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    parts = unicodedata.normalize("NFD", char)
    base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
    return base + "".join(p for p in parts if p in tones)


# ---------------------------------------------------------------- .doc through LibreOffice


def test_doc_without_libreoffice_says_how_to_get_it(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    error = _error(LEGACY_DOC.read_bytes(), "plan.doc")
    assert error.code == "not_supported"
    assert "LibreOffice" in error.message


@needs(shutil.which("soffice") is not None, "LibreOffice (soffice)")
def test_doc_is_converted_with_libreoffice():
    parsed = read_document(LEGACY_DOC.read_bytes(), "plan.doc")
    assert parsed.format == "doc"
    assert parsed.issues[0].code == "converted"
    rows = [b.texts for b in parsed.blocks if isinstance(b, TableRow)]
    assert rows[:2] == [["ỦY BAN NHÂN DÂN\nTỈNH HÀ NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
                        ["Số: 12/KH-UBND", "Hà Nam, ngày 05 tháng 01 năm 2024"]]  # the borderless header block
    plan = rows[2:]
    assert plan[0] == ["TT", "Nội dung nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Thời gian"]
    assert plan[1] == ["I", "CẢI CÁCH THỂ CHẾ", "", "", ""]
    assert [r[3] for r in plan[2:5]] == ["Sở Nội vụ"] * 3  # the vertical merge survives the round trip
    assert [r[0] for r in plan[2:]] == [str(n) for n in range(1, 25)]
