"""The one decoder: nothing lost for one bad byte, NULs, BOM-less UTF-16, legacy encodings.

The legacy bytes here are made with a TCVN3 table typed into this file (the published ABC layout)
and Python's own cp1258 codec, never with the decoder's tables.
"""

from __future__ import annotations

import unicodedata

import pytest

from plantasks.normalizers.decoding import decode_bytes
from plantasks.pipeline.extract import extract_bytes

PLAN = """Kế hoạch cải cách hành chính năm 2024
TT\tNội dung\tSản phẩm\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian
1\tRà soát văn bản quy phạm pháp luật\tBáo cáo\tSở Tư pháp\tCác sở, ngành\tQuý I/2024
2\tSố hóa hồ sơ thủ tục hành chính\tHồ sơ số\tVăn phòng tỉnh\tCác sở, ngành\tNăm 2024
3\tĐào tạo, bồi dưỡng công chức\tLớp học\tSở Nội vụ\tCác huyện\tTháng 6/2024
4\tKiểm tra công tác cải cách\tBáo cáo\tSở Nội vụ\tCác sở, ngành\tQuý IV/2024
"""

# TCVN3 (ABC) as .VnTime fonts store it: one byte per letter, shown as cp1252 reads the byte.
_TCVN3 = dict(zip(
    "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵĐĂÂÊÔƠƯ",
    "µ¶·¸¹¨»¼½¾Æ©ÇÈÉÊË®ÌÎÏÐÑªÒÓÔÕÖ×ØÜÝÞßáâãä«åæçèé¬êëìíîïñòóô\xadõö÷øùúûüýþ§¡¢£¤¥¦",
))


def tcvn3_bytes(text: str) -> bytes:
    return "".join(_TCVN3.get(ch, ch) for ch in text).encode("cp1252")


def cp1258_bytes(text: str) -> bytes:
    """cp1258 writes a toned letter as its base letter (precomposed when it has one) + a tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = next(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", parts.replace(tone, ""))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def tasks_of(data: bytes):
    result = extract_bytes(data, "plan.txt").result
    tasks = [(t.content, t.outputs, [a.name for a in t.lead], t.deadline.model_dump()) for t in result.tasks]
    return tasks, [w.code for w in result.warnings], result



@pytest.fixture(scope="module")
def good():
    tasks, codes, _ = tasks_of(PLAN.encode("utf-8"))
    assert len(tasks) == 4 and "encoding_guess" not in codes
    return tasks


def test_one_bad_byte_is_replaced_on_its_line_only(good):
    lines = PLAN.encode("utf-8").split(b"\n")
    lines[3] = lines[3].replace("Hồ sơ số".encode("utf-8"), b"H\xff s\xc6 s\xe1")
    tasks, codes, result = tasks_of(b"\n".join(lines))
    assert len(tasks) == 4 and tasks[0] == good[0] and tasks[2:] == good[2:]
    damage = [w for w in result.warnings if w.code == "encoding_damage"]
    assert len(damage) == 1 and "line 4" in damage[0].message


def test_nul_bytes_are_dropped_with_a_warning(good):
    data = PLAN.encode("utf-8").replace(b"quy", b"qu\x00y").replace("Sở Nội".encode(), "Sở\x00 Nội".encode())
    tasks, codes, result = tasks_of(data)
    assert tasks == good
    [nul] = [w for w in result.warnings if w.code == "nul_bytes"]
    assert "lines 3, 5, 6" in nul.message


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(good, codec):
    tasks, codes, _ = tasks_of(PLAN.encode(codec))
    assert tasks == good and "encoding_guess" in codes


def test_tcvn3_text_file_is_read_as_vietnamese(good):
    tasks, codes, _ = tasks_of(tcvn3_bytes(PLAN))
    assert tasks == good and "encoding_guess" in codes


def test_cp1258_text_file_is_read_as_vietnamese(good):
    tasks, codes, _ = tasks_of(cp1258_bytes(PLAN))
    assert tasks == good and "encoding_guess" in codes


@pytest.mark.parametrize("data, encoding, text", [
    (b"Co\xe4ng ho\xf8a xa\xf5 ho\xe4i chu\xfb ngh\xf3a Vie\xe4t Nam\n", "vni", "Cộng hòa xã hội chủ nghĩa Việt Nam\n"),
    ("Céng hßa x· héi chñ nghÜa ViÖt Nam\n".encode("cp1252"), "tcvn3", "Cộng hòa xã hội chủ nghĩa Việt Nam\n"),
])
def test_known_legacy_lines(data, encoding, text):
    decoded = decode_bytes(data)
    assert (decoded.text, decoded.encoding) == (text, encoding)
    assert decoded.confidence >= 0.6


def test_utf8_and_boms_decide_with_full_confidence():
    for data in ("Sở Nội vụ".encode("utf-8"), "Sở Nội vụ".encode("utf-8-sig"), "Sở Nội vụ".encode("utf-16")):
        decoded = decode_bytes(data)
        assert decoded.text == "Sở Nội vụ" and decoded.confidence == 1.0 and not decoded.issues


def test_binary_is_not_text():
    assert decode_bytes(bytes(range(256)) * 8).text is None


def test_sample_cut_inside_a_character_is_still_utf8():
    data = ("Kế hoạch " * 10).encode("utf-8")
    decoded = decode_bytes(data[:-1][:len(data) - 2], partial=True)
    assert decoded.encoding == "utf-8" and not decoded.issues
