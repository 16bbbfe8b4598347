"""A small corpus of hostile inputs, generated at test time (nothing large is committed).

`make_corpus(folder)` writes one file (or link) per kind beside two good plans and returns what the
batch must say about each: {relative name: (status, warning code)}. The run options the expectations
assume are in RUN_ARGS.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path
from samples import SAMPLES

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = {"good_plan.txt": SAMPLES / "000_9ab0fe3c0e4fbaba.txt",
        "good_plan.docx": SAMPLES / "001_5665434d914fd8e7.docx"}
RUN_ARGS = ["--no-ocr", "--max-mb", "2", "--max-xml-nodes", "50000", "--max-unpacked-mb", "40"]

_CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                  b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(document_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def _paragraphs(n: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    body = b"".join(b"<w:p><w:r><w:t>%08x</w:t></w:r></w:p>" % rng.getrandbits(32) for _ in range(n))
    return b"<w:document " + _W + b"><w:body>" + body + b"</w:body></w:document>"


def make_corpus(folder: Path) -> dict[str, tuple[str, str | None]]:
    folder.mkdir(parents=True, exist_ok=True)
    expect: dict[str, tuple[str, str | None]] = {}

    def put(name: str, data: bytes, status: str, code: str | None) -> None:
        (folder / name).write_bytes(data)
        expect[name] = (status, code)

    for name, source in GOOD.items():
        put(name, source.read_bytes(), "success", None)
    put("empty.txt", b"", "failed", "empty")
    put("blank.txt", b" \n\t\n" * 100, "failed", "empty")
    put("noise.bin", random.Random(2).randbytes(4096), "failed", "not_supported")
    put("not_a_zip.docx", b"PK\x03\x04" + b"\x00garbage" * 100, "failed", "corrupt")
    put("cut_in_half.docx", GOOD["good_plan.docx"].read_bytes()[:6000], "failed", "corrupt")
    put("zip_bomb.docx", _docx(b"<w:document " + _W + b"><w:body>" + b" " * (30 * 2**20) + b"</w:body></w:document>"),
        "failed", "zip_bomb")
    put("node_bomb.docx", _docx(_paragraphs(20000)), "failed", "too_complex")
    put("not_a_pdf.pdf", b"%PDF-1.7\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 20, "failed", "corrupt")
    put("encrypted.pdf", (FIXTURES / "bad" / "encrypted.pdf").read_bytes(), "failed", "encrypted")
    put("image_without_ocr.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "failed", "no_text")
    put("no_table.txt", "Thông báo về lịch họp giao ban.\nKhông có bảng nhiệm vụ.\n".encode(), "partial", "no_task_table")
    put("no_table.html", "<html><body><p>Trang không có bảng.</p></body></html>".encode(), "partial", "no_task_table")
    put("same_bytes_as_good.txt", GOOD["good_plan.txt"].read_bytes(), "duplicate", None)
    with open(folder / "sparse_too_large.txt", "wb") as fh:  # 3 GB on paper, no blocks on disk
        fh.truncate(3 * 2**30)
    expect["sparse_too_large.txt"] = ("failed", "too_large")
    raw = os.path.join(os.fsencode(folder), b"t\xean_h\xf4ng_utf8.txt")  # a name in a legacy encoding
    with open(raw, "wb") as fh:
        fh.write(b"")
    expect["t\\xean_h\\xf4ng_utf8.txt"] = ("failed", "empty")
    long_name = ("Kế_hoạch_cải_cách_hành_chính_" * 10).encode()[:240].decode("utf-8", "ignore") + ".txt"
    put(long_name, b"", "failed", "empty")
    (folder / "loop").mkdir()
    (folder / "loop" / "again").symlink_to(folder)
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    return expect
