"""Vietnamese text repair: NFC and match keys, tone placement, legacy TCVN3/VNI."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plantasks.normalizers.vietnamese import (
    detect_legacy,
    is_vietnamese_syllable,
    legacy_table,
    match_key,
    needs_legacy_repair,
    nfc,
    repair_legacy,
    strip_diacritics,
    unify_tone_placement,
)

# ---------------------------------------------------------------- NFC, keys, tone placement


def test_nfc_composes_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Thanh Hóa")
    assert decomposed != "Thanh Hóa"
    assert nfc(decomposed) == "Thanh Hóa"


@pytest.mark.parametrize(
    "a, b",
    [
        ("hoà", "hòa"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("qúy", "quý"),
        ("Thanh Hoá", "THANH HÓA"),
        ("khoẻ  mạnh", "khỏe mạnh"),
        ("thuỷ lợi", "thủy lợi"),
        ("ÐẠI HỘI", "Đại hội"),  # eth from PDFs read as Đ
        (unicodedata.normalize("NFD", "Việt Nam"), "việt nam"),
    ],
)
def test_match_key_unifies_spellings(a, b):
    assert match_key(a) == match_key(b)


def test_match_key_keeps_real_differences():
    assert match_key("hòa") != match_key("hoa")
    assert match_key("quý") != match_key("quy")


@pytest.mark.parametrize(
    "word, classic, new",
    [
        ("hoà", "hòa", "hoà"),
        ("HOÁ", "HÓA", "HOÁ"),
        ("thuỷ", "thủy", "thuỷ"),
        ("khoẻ", "khỏe", "khoẻ"),
        ("qúy", "quý", "quý"),
        ("gìa", "già", "già"),
        ("gìn", "gìn", "gìn"),
        ("hoàn", "hoàn", "hoàn"),  # a final consonant: both styles agree
        ("người", "người", "người"),
        ("ngoài", "ngoài", "ngoài"),
        ("mùa", "mùa", "mùa"),
        ("khuỷu", "khuỷu", "khuỷu"),
    ],
)
def test_tone_placement_styles(word, classic, new):
    assert unify_tone_placement(word) == classic
    assert unify_tone_placement(word, "new") == new


def test_tone_placement_leaves_non_vietnamese_words_alone():
    assert unify_tone_placement("café naïve résumé 2024") == "café naïve résumé 2024"


def test_unknown_tone_style_is_an_error():
    with pytest.raises(ValueError, match="classic"):
        unify_tone_placement("hoà", "modern")


def test_strip_diacritics():
    assert strip_diacritics("Đổi mới Cải cách") == "Doi moi Cai cach"


@pytest.mark.parametrize("word", ["hòa", "người", "quyết", "khuya", "giữa", "Việt", "tỉnh", "ủy"])
def test_vietnamese_syllables(word):
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["and", "café", "cac", "hßa", "ăa", "xyz", "ViÖt"])
def test_not_vietnamese_syllables(word):
    assert not is_vietnamese_syllable(word)


# ---------------------------------------------------------------- legacy encodings
# Known strings as legacy fonts stored them (bytes shown as cp1252 reads them), not made by the code.

KNOWN = [
    ("tcvn3", "Céng hßa x· héi chñ nghÜa ViÖt Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("tcvn3", "§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("tcvn3", "Së Néi vô chñ tr×, phèi hîp víi c¸c së, ban, ngµnh", "Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành"),
    ("vni", "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("vni", "Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
]


@pytest.mark.parametrize("encoding, legacy, unicode_text", KNOWN)
def test_known_legacy_strings_are_repaired(encoding, legacy, unicode_text):
    assert detect_legacy(legacy) == encoding
    assert repair_legacy(legacy) == (unicode_text, [])


def test_tables_cover_all_vietnamese_letters():
    vni = legacy_table("vni")
    assert len(vni.decode_map) == 134  # 67 letters, lower and upper case
    tcvn3_letters = set(legacy_table("tcvn3").decode_map.values())
    lower = {c for c in vni.decode_map.values() if c.islower()}
    assert lower <= tcvn3_letters


def test_tcvn3_upper_case_headings_from_vntimeh_fonts():
    assert repair_legacy("QUYÕT §ÞNH") == ("QUYẾT ĐỊNH", [])
    assert repair_legacy("KÕ HO¹CH C¶I C¸CH HµNH CHÝNH N¡M 2024")[0] == "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024"


def test_multiline_text_converts_only_legacy_lines():
    unicode_line = "Ủy ban nhân dân tỉnh Thái Bình"
    repaired, _ = repair_legacy(f"{unicode_line}\nKÕ ho¹ch c¶i c¸ch hµnh chÝnh\nPAR INDEX 2024")
    assert repaired.split("\n") == [unicode_line, "Kế hoạch cải cách hành chính", "PAR INDEX 2024"]


def test_detect_legacy_leaves_unicode_alone():
    assert detect_legacy("Kế hoạch cải cách hành chính năm 2024 của tỉnh Thanh Hóa") is None


def test_unrecoverable_words_are_named_in_warnings():
    repaired, warnings = repair_legacy("C«ng t¸c chØ ®¹o, ®iÒu hµnh xyzq¸")
    assert repaired.startswith("Công tác chỉ đạo, điều hành")
    assert len(warnings) == 1 and "xyzqá" in warnings[0] and "TCVN3" in warnings[0]


@pytest.mark.parametrize(
    "text",
    [
        "Tôi là ai",  # Unicode Vietnamese in Latin-1 letters only
        "hoà bình và khoá học",  # new-style tone placement that looks like VNI "oà"
        "Giáo dục và đào tạo",
        "Khánh Hòa, Hà Nội",
        "Số: 175 /KH-UBND",
        "Le café est très bon à Paris",
        "The naïve résumé of Zoë",
        "Administrative reform plan 2024 (PAR INDEX)",
        "¼ cup, ½ hour, § 12, © 2024",
        "",
    ],
)
def test_repair_leaves_unicode_and_other_languages_alone(text):
    assert repair_legacy(text) == (text, [])


# ---------------------------------------------------------------- agreement with underthesea


# lines a plan mixes: legacy-font cells, Unicode Vietnamese, time cells with only Latin-1 letters
# ('Quý I'), ASCII, non-breaking spaces, blank lines
_PIECES = [legacy for _, legacy, _ in KNOWN] + [
    "Quý I/2025", "Sở Nội vụ", "Thường xuyên", "Report 2025", "\u00a0", " ", "", "Hµ Néi", "Ñoàng Nai", "é", "2025"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=4).map(" ".join), max_size=6).map("\n".join))
def test_the_one_pass_check_says_whether_repair_would_change_or_report_anything(text):
    assert needs_legacy_repair(text) == (repair_legacy(text) != (text, []))


@pytest.mark.parametrize("text", ["hoà bình", "Thanh Hoá", "thuỷ lợi", "khoẻ mạnh", "Uỷ ban", "qúy", "người dân"])
def test_tone_placement_agrees_with_underthesea(text):
    from underthesea import text_normalize

    assert unify_tone_placement(text) == text_normalize(text)
